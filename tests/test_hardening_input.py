"""Hostile chat input through every command: parse → store → render, in-process, property-based.

Each example is one text message run through the real Application and handlers (``BotRig.handle``);
the reply goes over loopback HTTP to the fake Bot API, which parses its HTML as Telegram does. For
every command and any argument — FTS5 syntax, SQL, HTML, RTL and zero-width characters, emoji, 10,000
characters, nothing, whitespace — the bot answers exactly once, with valid Telegram HTML of at most
4,096 characters, and the error handler never has to step in (no apology, no ERROR log record).
"""

from __future__ import annotations

import builtins
import io
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.html_check import assert_telegram_html
from tests.rig import BOT_USERNAME, SEEDS, BotRig, LoggedErrors, running_bot, shown

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(120)]

APOLOGY = "Sorry, something went wrong"

# ------------------------------------------------------------------------------------------ strategies

FTS = ['"', "*", "(", ")", "NEAR", "NEAR(", "AND", "OR", "NOT", "-", "^", ":", "+", "{", "}", "'", "''"]
SQL = ["'; DROP TABLE items; --", "1 OR 1=1", "%", "_", "\\", "/*", "*/", "?", "?1", ":name", "@x", "$1"]
MARKUP = [
    "<b>",
    "</b>",
    "&",
    "&amp;",
    "&lt;",
    "<a href='x'>",
    "<script>",
    "<",
    ">",
    "<<>>",
    "&#0;",
    "&#xD800;",
]
UNICODE = [
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200b",  # zero-width space
    "\u200c\u200d",  # zero-width (non-)joiners
    "\ufeff",  # byte order mark
    "\u2028",  # line separator
    "שלום",
    "مرحبا",
    "🙂",
    "👨‍👩‍👧",
    "🇰🇿",
    "e\u0301",  # a combining accent
    "𝔪𝔢𝔯𝔠",
    "Ⅻ",
    "²",
    "١٢٣",  # Arabic-Indic digits: decimal to Python, not to us
    "\x00",
    "\x1f",
    "\x7f",
]
WORDS = [
    "mercenary",
    "Tasmagambetov",
    "CSTO",
    "terror*",
    "-Afghanistan",
    "channel",
    "person:",
    "op:",
    "3",
    "0",
]
SPACES = ["", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u2003"]

fragment = st.one_of(
    st.sampled_from(FTS + SQL + MARKUP + UNICODE + WORDS + SPACES),
    st.text(max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
short_argument = st.lists(fragment, max_size=10).map("".join)
long_argument = st.tuples(
    st.lists(fragment, min_size=1, max_size=4).map("".join), st.integers(1, 10_000)
).map(lambda pair: ((pair[0] or "x") * 10_000)[: pair[1]])
blank_argument = st.lists(st.sampled_from(SPACES), max_size=5).map("".join)
argument = st.one_of(short_argument, short_argument, short_argument, long_argument, blank_argument)
# "/cmd arg", "/cmd@bot arg", "/cmd\narg": the forms a client sends
separator = st.sampled_from([" ", " ", "\n", "  "])
addressed = st.booleans()

COMMANDS = [
    "latest",
    "who",
    "search",
    "operations",
    "doc",
    "stats",
    "help",
    "start",
    "subscribe",
    "subscriptions",
    "unsubscribe",
]


# ------------------------------------------------------------------------------------------ the bot


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def errors() -> AsyncIterator[LoggedErrors]:
    with LoggedErrors.installed() as handler:
        yield handler


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory, errors: LoggedErrors) -> AsyncIterator[BotRig]:
    # hundreds of commands from one user: the flood guard has its own tests (test_hardening_updates)
    async with running_bot(tmp_path_factory.mktemp("hostile"), polling=False, commands_per_user=10**9) as rig:
        # AIORateLimiter would hold this module to 30 replies a second (its own tests are in
        # test_alerts.py); what is under test here is parse → store → render, so it steps aside.
        with rig.unthrottled():
            yield rig


def _text(command: str, arg: str, sep: str, at_bot: bool) -> str:
    head = f"/{command}@{BOT_USERNAME}" if at_bot else f"/{command}"
    return f"{head}{sep}{arg}" if arg else head


async def _one_good_reply(bot: BotRig, errors: LoggedErrors, text: str, *, chat_id: int = 42) -> str:
    """Run ``text``; exactly one sendMessage, accepted by the fake Telegram, valid HTML; return what
    the client shows."""
    before = len(errors.records)
    calls = await bot.handle(text, chat_id=chat_id)
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1, f"{text[:80]!r}: {[(c.method, c.ok, (c.text or '')[:80]) for c in calls]}"
    [reply] = sent
    assert reply.ok, f"Telegram refused the reply to {text[:80]!r}: {reply.response}"
    assert reply.parse_mode == "HTML"
    assert_telegram_html(reply.text)
    assert [c for c in calls if not c.ok] == []
    assert errors.messages(before) == []
    visible = shown(reply)
    assert not visible.startswith(APOLOGY), f"the error handler answered {text[:80]!r}"
    return visible


HYPOTHESIS = settings(
    max_examples=75,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is never a flake
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("command", COMMANDS)
@HYPOTHESIS
@given(arg=argument, sep=separator, at_bot=addressed)
async def test_any_argument_gets_one_well_formed_reply(
    bot: BotRig, errors: LoggedErrors, command: str, arg: str, sep: str, at_bot: bool
) -> None:
    await _one_good_reply(bot, errors, _text(command, arg, sep, at_bot))


@pytest.mark.parametrize(
    "arg",
    [
        "",
        " ",
        "\u200b",
        "x" * 10_000,
        "🙂" * 5_000,
        "&" * 10_000,
        "<" * 10_000,
        '"' * 4_001,
        "NEAR(" * 2_000,
        "-" * 10_000,
        "a* " * 3_000,
        "\u202e" + "mercenary" * 1_000,
        "person:" + "Tasmagambetov " * 700,
        " ".join(f"op:{n}" for n in range(2_000)),
        " ".join(f'"w{n}' for n in range(2_000)),
    ],
    ids=lambda a: f"{a[:12]!r}x{len(a)}",
)
@pytest.mark.parametrize("command", COMMANDS)
async def test_extreme_arguments(bot: BotRig, errors: LoggedErrors, command: str, arg: str) -> None:
    await _one_good_reply(bot, errors, _text(command, arg, " ", False))


async def test_a_subscription_with_hostile_filters_reads_back_well_formed(
    bot: BotRig, errors: LoggedErrors
) -> None:
    hostile = " ".join(['"<b>&"', "person:<i>", "op:&amp;", "\u202eRTL", "🙂" * 200, "x" * 500, "NEAR(*)"])
    await _one_good_reply(bot, errors, f"/subscribe {hostile}", chat_id=77)
    listed = await _one_good_reply(bot, errors, "/subscriptions", chat_id=77)
    assert "<b>&" in listed and "person:<i>" in listed  # shown literally, not as markup
    await _one_good_reply(bot, errors, "/unsubscribe", chat_id=77)


# ------------------------------------------------------------------------------------------ ids only

SEED_NAMES = sorted(p.name for p in SEEDS.iterdir())[:3]
PATHS = [
    "../../etc/passwd",
    "/etc/passwd",
    "..\\..\\windows\\win.ini",
    "file:///etc/passwd",
    "~/.ssh/id_rsa",
    "%2e%2e%2fetc%2fpasswd",
    "3/../../etc/passwd",
    "3;/etc/passwd",
    "seeds/" + SEED_NAMES[0],
    str(SEEDS / SEED_NAMES[0]),
    *SEED_NAMES,
    "data/csto.sqlite3",
    "/dev/zero",
    "/proc/self/environ",
    "\x00/etc/passwd",
    "3\x00",
    "-3",
    "+3",
    "3.0",
    "1e3",
    "0x3",
    "9" * 10,
]


@pytest.fixture()
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every file the process opens from Python while the test runs (builtins/io/os open, Path.open)."""
    seen: list[Any] = []

    def spy(real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen.append(args[0] if args else kwargs)
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(builtins, "open", spy(builtins.open))
    monkeypatch.setattr(io, "open", spy(io.open))
    monkeypatch.setattr(os, "open", spy(os.open))
    monkeypatch.setattr(Path, "open", spy(Path.open))
    with Path(__file__).open("rb"), open(__file__, "rb"):  # the spy sees both ways
        pass
    assert len(seen) >= 2, "the spy is not in place"
    seen.clear()
    yield seen


@pytest.mark.parametrize("arg", PATHS)
async def test_doc_takes_ids_only_and_never_opens_a_file(
    bot: BotRig, errors: LoggedErrors, opened: list[Any], arg: str
) -> None:
    text = await _one_good_reply(bot, errors, f"/doc {arg}")
    assert text.startswith(("Usage: /doc <id>", "No item ")), text
    assert opened == []


@pytest.mark.parametrize("arg", PATHS)
async def test_latest_takes_a_count_only_and_never_opens_a_file(
    bot: BotRig, errors: LoggedErrors, opened: list[Any], arg: str
) -> None:
    text = await _one_good_reply(bot, errors, f"/latest {arg}")
    assert text.startswith(("Usage: /latest", "Latest ")), text
    assert opened == []


@pytest.mark.parametrize(
    "command", ["who", "search", "operations", "subscribe", "subscriptions", "stats", "help"]
)
async def test_paths_given_to_other_commands_are_only_text(
    bot: BotRig, errors: LoggedErrors, opened: list[Any], command: str
) -> None:
    for arg in PATHS:
        await _one_good_reply(bot, errors, f"/{command} {arg}", chat_id=78)
    assert opened == []


@pytest.mark.parametrize(
    "data",
    [
        "doc:../../etc/passwd:0",
        f"doc:{SEED_NAMES[0]}:0",
        "doc:/etc/passwd:0",
        "doc:3:../../etc/passwd",
        "who:../../etc/passwd",
        "op:/etc/passwd",
        "s:../../etc:0",
        f"s:{SEED_NAMES[0][:16]}:0",
    ],
)
async def test_buttons_take_ids_only_and_never_open_a_file(
    bot: BotRig, errors: LoggedErrors, opened: list[Any], data: str
) -> None:
    [message] = [c for c in await bot.handle("/latest 1") if c.method == "sendMessage"]
    opened.clear()
    before = len(errors.records)
    calls = await bot.handle_press(message, data=data)
    assert [(c.method, c.params.get("text")) for c in calls] == [
        ("answerCallbackQuery", "This button has expired — send the command again.")
    ]
    assert opened == []
    assert errors.messages(before) == []

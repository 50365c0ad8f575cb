"""Updates a bot meets besides a clean /command, the per-user flood guard, and the token on error paths.

Forged, stale or oversized button data, edited messages, channel posts, stickers and photos, commands
in captions and the update types no handler wants: each is handled or ignored, never an unhandled
exception (no apology sent, no ERROR record). One user flooding never starves another. Whatever goes
wrong, the token is in no reply.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.flood import FloodGuard, Verdict
from fakebotapi import CHANNEL_BOT_ID, GROUP_ANONYMOUS_BOT_ID, Call
from tests.html_check import assert_telegram_html
from tests.rig import BOT_USERNAME, PRIVATE_CHAT, BotRig, LoggedErrors, message_id, running_bot, shown

pytestmark = pytest.mark.timeout(60)

APOLOGY = "Sorry, something went wrong"
EXPIRED = "This button has expired — send the command again."
SLOW_DOWN = "Slow down a little: too many commands at once."
GROUP = -100500
USER = {"id": PRIVATE_CHAT, "is_bot": False, "first_name": "Tester"}
PRIVATE = {"id": PRIVATE_CHAT, "type": "private", "first_name": "Tester"}
CHANNEL = {"id": -1001234, "type": "channel", "title": "A channel"}
SUPERGROUP = {"id": GROUP, "type": "supergroup", "title": "A group"}
BOT_USER = {"id": 999, "is_bot": True, "first_name": "CSTO test bot", "username": BOT_USERNAME}
STICKER = {
    "file_id": "CAAC", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512,
    "is_animated": False, "is_video": False,
}  # fmt: skip
PHOTO = [{"file_id": "AgAC", "file_unique_id": "u2", "width": 90, "height": 90}]


def command(text: str) -> list[dict[str, Any]]:
    return [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]


def message(**fields: Any) -> dict[str, Any]:
    return {"message_id": 7, "date": int(time.time()), "chat": PRIVATE, "from": USER, **fields}


# (name, raw update without update_id, whether the bot should say anything in the chat)
ODD_UPDATES: list[tuple[str, dict[str, Any], bool]] = [
    (
        "edited command",
        {"edited_message": message(text="/latest", entities=command("/latest"), edit_date=1)},
        False,
    ),
    ("edited plain text", {"edited_message": message(text="hello", edit_date=1)}, False),
    (
        "channel post command",
        {"channel_post": message(chat=CHANNEL, text="/stats", entities=command("/stats")) | {"from": None}},
        False,
    ),
    (
        "channel post plain",
        {"channel_post": {"message_id": 3, "date": 1, "chat": CHANNEL, "text": "news"}},
        False,
    ),
    (
        "edited channel post",
        {
            "edited_channel_post": {
                "message_id": 3,
                "date": 1,
                "edit_date": 2,
                "chat": CHANNEL,
                "text": "/stats",
                "entities": command("/stats"),
            }
        },
        False,
    ),
    ("sticker", {"message": message(sticker=STICKER)}, False),
    ("photo", {"message": message(photo=PHOTO)}, False),
    (
        "command in a caption",
        {"message": message(photo=PHOTO, caption="/stats", caption_entities=command("/stats"))},
        False,
    ),
    ("sticker in a group", {"message": message(chat=SUPERGROUP, sticker=STICKER)}, False),
    ("no text, no sender", {"message": {"message_id": 9, "date": 1, "chat": SUPERGROUP}}, False),
    ("location", {"message": message(location={"latitude": 51.1, "longitude": 71.4})}, False),
    ("new members", {"message": message(chat=SUPERGROUP, new_chat_members=[BOT_USER])}, False),
    (
        "pinned",
        {"message": message(chat=SUPERGROUP, pinned_message=message(chat=SUPERGROUP, text="x"))},
        False,
    ),
    (
        "migrated, not subscribed",
        {"message": message(chat=SUPERGROUP | {"type": "group"}, migrate_to_chat_id=-1009999)},
        False,
    ),
    (
        "forged entity past the end",
        {"message": message(text="/stats", entities=[{"type": "bot_command", "offset": 0, "length": 500}])},
        True,
    ),
    (
        "command entity not at the start",
        {"message": message(text="hi /stats", entities=[{"type": "bot_command", "offset": 3, "length": 6}])},
        False,
    ),
    ("a bare slash", {"message": message(text="/", entities=command("/"))}, True),
    ("an empty addressee", {"message": message(text="/stats@", entities=command("/stats@"))}, True),
    ("a command with no entity", {"message": message(text="/stats")}, False),
    (
        "a command from a bot",
        {"message": message(text="/stats", entities=command("/stats"), **{"from": BOT_USER | {"id": 777}})},
        True,
    ),
    (
        "subscribe from a channel chat",
        {"message": message(chat=CHANNEL, text="/subscribe", entities=command("/subscribe"))},
        True,
    ),
    ("inline query", {"inline_query": {"id": "1", "from": USER, "query": "<b>", "offset": ""}}, False),
    (
        "poll",
        {
            "poll": {
                "id": "p",
                "question": "?",
                "options": [{"text": "a", "voter_count": 1, "persistent_id": "o1"}],
                "total_voter_count": 1,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            }
        },
        False,
    ),
    (
        "poll answer",
        {"poll_answer": {"poll_id": "p", "user": USER, "option_ids": [0], "option_persistent_ids": ["o1"]}},
        False,
    ),
    (
        "join request",
        {"chat_join_request": {"chat": SUPERGROUP, "from": USER, "user_chat_id": 42, "date": 1}},
        False,
    ),
    (
        "reaction",
        {
            "message_reaction": {
                "chat": PRIVATE,
                "message_id": 1,
                "date": 1,
                "user": USER,
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            }
        },
        False,
    ),
    (
        "bot kicked from an unsubscribed chat",
        {
            "my_chat_member": {
                "chat": SUPERGROUP,
                "from": USER,
                "date": 1,
                "old_chat_member": {"status": "member", "user": BOT_USER},
                "new_chat_member": {"status": "kicked", "user": BOT_USER, "until_date": 0},
            }
        },
        False,
    ),
    (
        "someone else joins",
        {
            "chat_member": {
                "chat": SUPERGROUP,
                "from": USER,
                "date": 1,
                "old_chat_member": {"status": "left", "user": USER},
                "new_chat_member": {"status": "member", "user": USER},
            }
        },
        False,
    ),
]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def errors() -> AsyncIterator[LoggedErrors]:
    with LoggedErrors.installed() as handler:
        yield handler


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory, errors: LoggedErrors) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("odd"), polling=False) as rig:
        yield rig


def no_error_handler(calls: list[Call], errors: LoggedErrors, since: int) -> None:
    """The error handler did not step in: no apology, no refused call, no ERROR record."""
    assert [c for c in calls if APOLOGY in str(c.params.get("text", ""))] == []
    refused = [c for c in calls if not c.ok and "not modified" not in str(c.response)]  # a page shown again
    assert [(c.method, c.response) for c in refused] == []
    assert errors.messages(since) == []


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(
    ("raw", "answered"),
    [(raw, answered) for _, raw, answered in ODD_UPDATES],
    ids=[name for name, _, _ in ODD_UPDATES],
)
async def test_odd_updates_are_handled_or_ignored(
    bot: BotRig, errors: LoggedErrors, raw: dict[str, Any], answered: bool
) -> None:
    since = len(errors.records)
    calls = await bot.process(raw)
    no_error_handler(calls, errors, since)
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == (1 if answered else 0), [(c.method, c.text) for c in calls]
    for call in sent:
        assert_telegram_html(call.text)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shown_buttons(bot: BotRig) -> dict[str, Call]:
    """Messages with buttons the bot sent: a search with several pages, people, operations."""
    sent = {}
    for name, text in (("search", "/search ter*"), ("who", "/who"), ("ops", "/operations")):
        [sent[name]] = [c for c in await bot.handle(text) if c.method == "sendMessage"]
        assert sent[name].buttons(), text
    return sent


def _press(data: str | None, *, shown_message: dict[str, Any] | None, inline: bool = False) -> dict[str, Any]:
    query: dict[str, Any] = {"id": "cb", "from": USER, "chat_instance": "ci42"}
    if data is not None:
        query["data"] = data
    else:
        query["game_short_name"] = "game"
    if inline:
        query["inline_message_id"] = "AAAA"
    elif shown_message is not None:
        query["message"] = shown_message
    return {"callback_query": query}


@pytest.mark.asyncio(loop_scope="module")
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.one_of(
        st.text(max_size=80),
        st.text(min_size=65, max_size=10_000),
        st.tuples(
            st.sampled_from(["doc", "s", "who", "op", "DOC", "doc ", "s:", "doc:1"]),
            st.sampled_from([":", "::", ""]),
            st.one_of(st.integers(-(10**30), 10**30).map(str), st.text(max_size=20)),
            st.sampled_from(["", ":0", ":1", ":-1", ":99999", ":" + "9" * 40, ":x", "\n"]),
        ).map("".join),
    )
)
async def test_any_button_data_is_answered_and_never_raises(
    bot: BotRig, errors: LoggedErrors, shown_buttons: dict[str, Call], data: str
) -> None:
    message = shown_buttons["search"]
    since = len(errors.records)
    calls = await bot.handle_press(message, data=data)
    no_error_handler(calls, errors, since)
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1, [(c.method, c.params) for c in calls]
    for call in calls:
        if call.method in ("sendMessage", "editMessageText"):
            assert_telegram_html(call.text)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("where", ["accessible", "inaccessible", "inline", "no message"])
@pytest.mark.parametrize(
    "which",
    [
        "doc:{doc}:1",
        "doc:{doc}:999",
        "s:{token}:1",
        "s:{token}:99999",
        "who:{who}",
        "op:{op}",
        "who:999999999",
        "doc:0:0",
        None,
    ],
)
async def test_a_button_on_an_old_deleted_or_inline_message(
    bot: BotRig, errors: LoggedErrors, shown_buttons: dict[str, Call], where: str, which: str | None
) -> None:
    """A press whose message the bot can no longer see (Telegram sends an InaccessibleMessage, date 0),
    on an inline message, or with no data (a game): answered, never an unhandled error."""
    search = shown_buttons["search"]
    values = {
        "doc": 1,
        "token": str(search.buttons()[0][0][1]).split(":")[1],
        "who": str(shown_buttons["who"].buttons()[0][0][1]).split(":")[1],
        "op": str(shown_buttons["ops"].buttons()[0][0][1]).split(":")[1],
    }
    data = which.format(**values) if which else None
    shown_message = dict(search.response)
    if where == "inaccessible":
        shown_message = {
            "chat": search.response["chat"],
            "message_id": search.response["message_id"],
            "date": 0,
        }
    since = len(errors.records)
    calls = await bot.process(
        _press(data, shown_message=None if where == "no message" else shown_message, inline=where == "inline")
    )
    no_error_handler(calls, errors, since)
    assert len([c for c in calls if c.method == "answerCallbackQuery"]) == 1, [
        (c.method, c.params) for c in calls
    ]
    for call in calls:
        if call.method in ("sendMessage", "editMessageText"):
            assert_telegram_html(call.text)


# ------------------------------------------------------------------------------------------ flood guard


@pytest.mark.asyncio
async def test_while_one_user_floods_a_group_the_others_are_answered(tmp_path: Path) -> None:
    """Over real polling, all at once: A's excess gets one "slow down" then silence; B and C are
    answered in full, however many commands A sends."""
    async with running_bot(tmp_path, commands_per_user=3, per_seconds=60) as bot:
        api = bot.api
        mark = api.mark()
        flooder, others = 7001, (7002, 7003)
        for n in range(40):
            api.push_message(GROUP, f"/search mercenary {n}", user_id=flooder, chat_type="supergroup")
            if n in (5, 30):  # the others stay within the limit: 2 commands each
                for user in others:
                    api.push_message(GROUP, "/stats", user_id=user, chat_type="supergroup")
        # 2 rounds x 2 users = 4 answers for the others, 3 answers and 1 warning for the flooder
        await api.wait_for("sendMessage", lambda c: "Corpus" in (c.text or ""), count=4, after=mark)
        await api.wait_for("sendMessage", lambda c: SLOW_DOWN in (c.text or ""), after=mark)
        await api.wait_for("sendMessage", lambda c: "mercenary" in (c.text or ""), count=3, after=mark)
        await asyncio.sleep(0.3)
        sent = [shown(c) for c in api.calls("sendMessage") if c.index >= mark]
        assert sum(text.startswith("Corpus") for text in sent) == 4
        assert sum(text == SLOW_DOWN for text in sent) == 1
        assert len(sent) == 4 + 3 + 1, sent


@pytest.mark.asyncio
async def test_button_presses_count_and_the_window_reopens(tmp_path: Path) -> None:
    clock = [0.0]

    class Clocked(FloodGuard):  # the configured guard, on a clock the test turns
        def check(self, user_id: int, now: float | None = None) -> Verdict:
            return super().check(user_id, clock[0] if now is None else now)

    async with running_bot(tmp_path, polling=False, commands_per_user=2, per_seconds=60) as bot:
        configured = bot.app.bot_data.flood
        bot.app.bot_data.flood = Clocked(configured.limit, configured.per)
        for _ in range(4):  # plain text and other bots' commands are not commands for this bot
            assert await bot.handle("hello") == []
            assert (
                await bot.handle("/stats@other_bot", chat_id=GROUP, chat_type="supergroup", user_id=42) == []
            )
        [first] = [c for c in await bot.handle("/search ter*") if c.method == "sendMessage"]
        calls = await bot.handle_press(first, "▶")
        assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
        # over the limit: a press gets one short "slow down" notice, then a silent answer
        [warned] = await bot.handle_press(first, "▶")
        assert warned.method == "answerCallbackQuery" and warned.params.get("text") == "Slow down a little."
        [silent] = await bot.handle_press(first, "▶")
        assert silent.method == "answerCallbackQuery" and not silent.params.get("text")
        clock[0] = 59.9
        assert await bot.handle("/stats") == []
        clock[0] = 60.0  # the window has passed: answered again, and warned again next time
        assert [c.method for c in await bot.handle("/stats")] == ["sendMessage"]
        assert [c.method for c in await bot.handle("/stats")] == ["sendMessage"]
        [again] = await bot.handle("/stats")
        assert shown(again) == SLOW_DOWN


@pytest.mark.asyncio
async def test_people_posting_as_a_chat_are_limited_per_chat_not_all_together(tmp_path: Path) -> None:
    """Anonymous admins of every group share one user id (GroupAnonymousBot), and so does everyone
    posting as a channel (Channel_Bot): the guard counts the chat they post as, so one group's anonymous
    admin flooding does not silence another group's."""
    async with running_bot(tmp_path, polling=False, commands_per_user=2, per_seconds=60) as bot:
        first, second = -100601, -100602

        async def anonymous(group: int, sender: int) -> list[Call]:
            chat = {"id": group, "type": "supergroup", "title": f"Group {group}"}
            if sender == group:  # an anonymous admin posts as the group itself
                as_chat, sent_by = chat, {"id": GROUP_ANONYMOUS_BOT_ID, "username": "GroupAnonymousBot"}
            else:  # someone posting as a channel
                as_chat = {"id": sender, "type": "channel", "title": f"Channel {sender}"}
                sent_by = {"id": CHANNEL_BOT_ID, "username": "Channel_Bot"}
            sent_by |= {"is_bot": True, "first_name": "Anonymous"}
            return await bot.process(
                {
                    "message": message(
                        chat=chat, sender_chat=as_chat, text="/stats", entities=command("/stats")
                    )
                    | {"from": sent_by}
                }
            )

        for _ in range(2):
            assert [c.method for c in await anonymous(first, first)] == ["sendMessage"]
        [warned] = await anonymous(first, first)
        assert shown(warned) == SLOW_DOWN
        assert await anonymous(first, first) == []
        # another group's anonymous admin, and someone posting as a channel: still answered
        assert [c.method for c in await anonymous(second, second)] == ["sendMessage"]
        assert [c.method for c in await anonymous(second, -100777)] == ["sendMessage"]


# ------------------------------------------------------------------------------------------ the token

FAKE_TOKEN = "987654321:AAF-fake-SECRET-token-for-error-paths"
SECRET = FAKE_TOKEN.split(":", 1)[1]


@pytest.mark.asyncio
async def test_the_token_is_in_no_reply_and_no_log_when_things_fail(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"https://api.telegram.org/bot{FAKE_TOKEN}/sendMessage"
    async with running_bot(tmp_path, token=FAKE_TOKEN, polling=False) as bot:
        store = bot.app.bot_data.store

        async def broken(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError(f"could not reach {url} with token {FAKE_TOKEN}")

        # a handler fails with the token in the exception text
        monkeypatch.setattr(store, "latest", broken)
        calls = await bot.handle("/latest")
        assert [shown(c)[: len(APOLOGY)] for c in calls if c.method == "sendMessage"] == [APOLOGY]
        monkeypatch.undo()

        # Telegram refuses a reply with the token in its description (the apology still goes out)
        bot.api.fail_next("sendMessage", 400, f"Bad Request: {url} is wrong", chat_id=PRIVATE_CHAT)
        calls = await bot.handle("/stats")
        assert [c.ok for c in calls if c.method == "sendMessage"] == [False, True]

        # a page turn whose edit is refused likewise
        [search] = [c for c in await bot.handle("/search ter*") if c.method == "sendMessage"]
        bot.api.fail_next("editMessageText", 400, f"Bad Request: {FAKE_TOKEN}")
        calls += await bot.handle_press(search, "▶")
        bot.api.fail_next("editMessageText", 500, f"Internal: {url}")
        calls += await bot.handle_press(search, "▶")

        everything = bot.api.calls()
    for call in everything:
        if call.method == "getUpdates" or not call.ok:
            continue  # what the fake itself answered, not what the bot said
        said = repr(call.params)
        assert FAKE_TOKEN not in said and SECRET not in said, (call.method, said)
    apologies = [c for c in everything if c.method == "sendMessage" and APOLOGY in (c.text or "")]
    assert len(apologies) == 4
    logged = caplog.text + "".join(
        logging.Formatter().formatException(r.exc_info) for r in caplog.records if r.exc_info
    )
    assert "error while handling an update" in logged
    assert SECRET not in logged and FAKE_TOKEN not in logged


@pytest.mark.asyncio
async def test_a_page_turn_on_a_message_that_cannot_be_edited_comes_as_a_new_message(tmp_path: Path) -> None:
    """Telegram sends a button on a message the bot can no longer see with date 0 (inaccessible), or
    refuses the edit of one it can no longer edit: the page comes as a new message in that chat."""
    async with running_bot(tmp_path, polling=False) as bot:
        [search] = [c for c in await bot.handle("/search ter*") if c.method == "sendMessage"]
        data = search.buttons()[0][0][1]
        gone = {"chat": search.response["chat"], "message_id": message_id(search), "date": 0}
        calls = await bot.process(_press(data, shown_message=gone))
        assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
        assert shown(calls[1]).startswith("Results 6–") and calls[1].chat_id == PRIVATE_CHAT

        for refusal in ("message to edit not found", "message can't be edited"):
            bot.api.fail_next("editMessageText", 400, f"Bad Request: {refusal}")
            calls = await bot.handle_press(search, "▶")
            assert [(c.method, c.ok) for c in calls] == [
                ("answerCallbackQuery", True),
                ("editMessageText", False),
                ("sendMessage", True),
            ]
            assert shown(calls[2]).startswith("Results 6–")

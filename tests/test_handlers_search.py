"""/search <terms> on the seed corpus: FTS5 ranking, highlighted excerpts, pages, "did you mean"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.rig import BotRig, running_bot, shown, single

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

SEED_000 = "000_d0de08699f229ee4.txt"
SEED_001 = "001_504378d597eb2cf0.txt"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("search"), polling=False) as rig:
        yield rig


def results(text: str) -> list[str]:
    """The entries of a results page (HTML), one string each."""
    return text.split("\n\n")[1:]


async def test_mercenary_finds_both_pages_that_describe_the_operation(bot: BotRig) -> None:
    reply = single(await bot.handle("/search mercenary"))
    assert reply.parse_mode == "HTML"
    assert reply.text and reply.text.startswith("Results 1–2 of 2 for <b>mercenary</b>")
    first, second = results(reply.text)
    assert first.startswith("1. 23 Oct 2025 · <b>The CSTO Secretary General spoke at Third CIS Conference")
    assert "“<b>Mercenary</b>.”" in first  # the matched word in bold, in its sentence
    assert SEED_000 in first and re.search(r"<code>/doc \d+</code>$", first)
    assert second.startswith(
        "2. 14 Sep 2020 · <b>Speech by the CSTO Deputy Secretary General Valery Semerikov"
    )
    assert "Operation “<b>Mercenary</b>” has been conducted" in second
    assert SEED_001 in second
    assert not reply.buttons()  # one page only


async def test_a_word_typed_with_a_lookalike_letter_of_the_other_script_is_searched_as_written_to_look(
    bot: BotRig,
) -> None:
    """The corpus is read with each word in one script; so is the query ("merc" + Cyrillic "е" ...)."""
    reply = single(await bot.handle("/search merc\u0435nary"))
    assert reply.text and reply.text.startswith("Results 1–2 of 2 for <b>mercenary</b>")


async def test_the_excerpt_shows_the_body_match_when_the_headline_matches_too(bot: BotRig) -> None:
    """An article whose headline matches some words must still show where the others matched."""
    reply = single(await bot.handle('/search "Secretary General" mercenary'))
    entries = results(reply.text or "")
    (semerikov,) = [e for e in entries if SEED_001 in e]
    assert semerikov.split("\n")[0].endswith("September 14, 2020</b>")  # the headline, as it is
    assert "Operation “<b>Mercenary</b>” has been conducted" in semerikov.split("\n")[1]


async def test_prefix_and_phrase_and_exclusion(bot: BotRig) -> None:
    prefix = single(await bot.handle("/search mercen*"))
    assert [e.split(" · ")[0] for e in results(prefix.text or "")] == ["1. 23 Oct 2025", "2. 14 Sep 2020"]

    phrase = shown(single(await bot.handle('/search "illegal migration"')))
    assert phrase.startswith('Results 1–3 of 3 for "illegal migration"')
    assert "suppress illegal migration" in phrase

    excluded = shown(single(await bot.handle("/search mercenary -Semerikov")))
    assert excluded.startswith("Results 1–1 of 1 for mercenary -Semerikov")
    assert SEED_000 in excluded and SEED_001 not in excluded


async def test_or_finds_items_with_either_word(bot: BotRig) -> None:
    either = shown(single(await bot.handle('/search Manturov OR "illegal migration"')))
    assert either.startswith('Results 1–4 of 4 for Manturov OR "illegal migration"')
    assert "Manturov" in either and "illegal migration" in either
    both = shown(single(await bot.handle('/search Manturov "illegal migration"')))
    assert both.startswith("No results for")


async def test_html_in_the_corpus_and_the_query_is_escaped_before_highlighting(bot: BotRig) -> None:
    reply = single(await bot.handle("/search <b>mercenary</b> & co"))
    assert reply.ok
    assert reply.text and "&lt;b&gt;mercenary&lt;/b&gt; &amp; co" in reply.text


async def test_results_are_paged_five_at_a_time_and_turn_in_place(bot: BotRig) -> None:
    first = single(await bot.handle("/search ter*"))
    assert shown(first).startswith("Results 1–5 of 6 for ter*")
    assert len(results(first.text or "")) == 5
    [[(label, data)]] = first.buttons()
    assert label == "▶" and data and re.fullmatch(r"s:[A-Za-z0-9_-]{1,16}:1", data)
    assert len(data.encode()) <= 64

    calls = await bot.handle_press(first, "▶")
    assert single(calls, "answerCallbackQuery").params.get("text") is None
    second = single(calls, "editMessageText")
    assert second.message_id == first.response["message_id"]
    assert shown(second).startswith("Results 6–")
    assert ("◀", data.rsplit(":", 1)[0] + ":0") in second.buttons()[0]

    back = single(await bot.handle_press(second, "◀"), "editMessageText")
    assert back.text == first.text and back.buttons() == first.buttons()


async def test_no_results_says_so_and_suggests_a_spelling(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/search mercenery")))
    assert text.startswith("No results for mercenery.\nDid you mean: /search mercenary?")
    migration = shown(single(await bot.handle("/search migraton")))
    assert "Did you mean: /search migration?" in migration
    nothing = shown(single(await bot.handle("/search zzxxqqw")))
    assert nothing.startswith("No results for zzxxqqw.") and "Did you mean" not in nothing


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unclosed phrase',
        "*",
        "a*",
        "NEAR(",
        "NEAR(mercenary operation, 5)",
        "AND OR NOT",
        "mercenary AND",
        "-",
        "--mercenary",
        "(",
        ")",
        "^mercenary",
        "headline:mercenary",
        "C-130",
        "U.S.",
        "'; DROP TABLE items; --",
        "\\",
        "{}[]",
        "🙂 mercenary",
        "𝔪𝔢𝔯𝔠𝔢𝔫𝔞𝔯𝔶",
        "мерсенари",
        "x" * 3000,
    ],
)
async def test_any_text_is_literal_and_never_raises(bot: BotRig, query: str) -> None:
    calls = await bot.handle(f"/search {query}")
    reply = single(calls)
    text = shown(reply)
    assert not text.startswith("Sorry"), text  # the error handler did not have to step in
    assert text.startswith(("Results ", "No results ", "Usage: /search"))


async def test_search_alone_and_only_exclusions_give_the_usage(bot: BotRig) -> None:
    for query in ("/search", "/search   ", "/search -mercenary", '/search ""'):
        text = shown(single(await bot.handle(query)))
        assert text.startswith("Usage: /search <words>"), query
        assert '/search "illegal migration"' in text


async def test_a_page_button_from_before_a_restart_has_expired(bot: BotRig) -> None:
    first = single(await bot.handle("/search ter*"))
    for data in ("s:unknownTok:1", "s:x:99999", "s:../../x:1", "doc:abc", "nonsense", "s:" + "a" * 60):
        calls = await bot.handle_press(first, data=data)
        answer = single(calls, "answerCallbackQuery")
        assert answer.params["text"] == "This button has expired — send the command again.", data
        assert not [c for c in calls if c.method in ("editMessageText", "sendMessage")]


def _dates(text: str) -> list[dt.date | None]:
    """The date of each result entry of a page, in the order shown (None: undated)."""
    found = []
    for entry in text.split("\n\n")[1:]:
        label = entry.split(" · ")[0].split(". ", 1)[1]
        found.append(None if label == "undated" else dt.datetime.strptime(label, "%d %b %Y").date())
    return found


async def test_a_word_in_most_items_lists_the_newest_first_and_says_so(bot: BotRig) -> None:
    """bm25 weighs a word found in more than half the items at ~0, so its order would be noise."""
    stats = shown(single(await bot.handle("/stats")))
    items = int(re.search(r"Items: (\d+)", stats).group(1))  # type: ignore[union-attr]
    first = single(await bot.handle("/search csto"))
    header = re.match(r"Results 1–5 of (\d+) for csto\n", shown(first))
    assert header and int(header.group(1)) * 2 > items
    assert "newest first rather than by relevance" in shown(first).split("\n\n")[0]
    second = single(await bot.handle_press(first, "▶"), "editMessageText")
    dates = _dates(shown(first)) + _dates(shown(second))
    dated = [d for d in dates if d is not None]
    assert len(dates) == 10 and dated == sorted(dated, reverse=True)
    assert all(d is None for d in dates[len(dated) :])  # undated items come last
    # A word in fewer items keeps the relevance order, and says nothing about dates.
    assert "newest first" not in shown(single(await bot.handle("/search mercenary")))

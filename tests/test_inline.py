"""Inline mode (`@Bot words` in any chat) on the seed corpus, through the fake Bot API.

Each answer is checked as Telegram checks it (the fake refuses more than 50 results, repeated or long
ids, empty or over-long messages, bad HTML) and as our renderer promises (html_check, plain short titles
and descriptions). Cards: the person first for a name, the operation for an operation's name, items
after, the newest items for an empty query; pages by next_offset; hostile text answered, never a crash.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from bot import inline_search
from bot.records import ItemSummary, PersonMentionRecord, PersonProfile, PersonTitle, Source
from bot.render import inline as render_inline
from fakebotapi import Call, FakeBotApi
from tests.html_check import assert_telegram_html
from tests.rig import BotRig, LoggedErrors, running_bot, single, store_of

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

USER = {"id": 4242, "is_bot": False, "first_name": "Tester"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("inline"), polling=False) as rig:
        yield rig


async def ask(
    bot: BotRig, query: str, offset: str = "", user: int = 4242, language: str | None = None
) -> Call:
    """One inline query run through the bot's handlers; its one answerInlineQuery, which Telegram took."""
    sender = USER | {"id": user} | ({"language_code": language} if language else {})
    update = {
        "inline_query": {
            "id": f"iq{len(bot.api.calls())}",
            "from": sender,
            "query": query,
            "offset": offset,
        }
    }
    return single(await bot.process(update), "answerInlineQuery")


def results(call: Call) -> list[dict[str, Any]]:
    found = call.params["results"]
    assert isinstance(found, list)
    return found


def ids(call: Call) -> list[str]:
    return [result["id"] for result in results(call)]


def button(call: Call) -> str | None:
    shown = call.params.get("button")
    return shown["text"] if isinstance(shown, dict) else None


def check_answer(call: Call) -> None:
    """What every answer must be: Telegram's limits, our HTML and plain short titles/descriptions."""
    found = results(call)
    assert len(found) <= render_inline.MAX_RESULTS
    assert len(set(ids(call))) == len(found)
    for result in found:
        assert result["type"] == "article"
        assert 1 <= len(result["id"].encode()) <= 64
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert_telegram_html(content["message_text"])
        assert 0 < len(result["title"]) <= render_inline.MAX_TITLE
        assert len(result.get("description", "")) <= render_inline.MAX_DESCRIPTION
        assert not _CONTROL.search(result["title"] + result.get("description", ""))
    assert isinstance(call.params.get("next_offset", ""), str)


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Four items a page: the seed corpus has 16 items, fewer than one page of 20."""
    monkeypatch.setattr(inline_search, "ITEMS_PER_PAGE", 4)
    yield 4


async def test_a_name_gives_the_person_card_first(bot: BotRig) -> None:
    answer = await ask(bot, "tasmagambetov")
    check_answer(answer)
    first, *rest = results(answer)
    assert first["id"].startswith("p") and first["title"] == "Imangali Tasmagambetov"
    assert first["description"].startswith("Person · in ")
    assert "Secretary General" in first["description"]
    text = first["input_message_content"]["message_text"]
    assert text.startswith("<b>Imangali Tasmagambetov</b>\n") and "<b>Titles</b>" in text
    # then the items that name him, each an item card with its date, summary and source
    assert rest and all(r["id"].startswith("i") for r in rest)
    assert all(re.match(r"(\d{1,2} \w{3} \d{4}|undated) · ", r["description"]) for r in rest)
    assert all("/doc " in r["input_message_content"]["message_text"] for r in rest)
    assert all(".txt" in r["input_message_content"]["message_text"] for r in rest)


async def test_the_person_card_is_who_s_answer(bot: BotRig) -> None:
    card = results(await ask(bot, "Tasmagambetow"))[0]  # a typo, as /who forgives it
    who = single(await bot.handle("/who Tasmagambetov"))
    assert card["input_message_content"]["message_text"] == who.text


async def test_an_operation_name_gives_the_operation_card(bot: BotRig) -> None:
    answer = await ask(bot, "channel")
    check_answer(answer)
    first = results(answer)[0]
    assert first["id"].startswith("o") and first["title"] == "Operation Channel"
    assert first["input_message_content"]["message_text"].startswith("<b>Operation Channel</b>")
    assert not any(r["id"].startswith("p") for r in results(answer))  # "channel" names no one


async def test_items_are_ranked_like_search(bot: BotRig) -> None:
    answer = await ask(bot, "security")
    check_answer(answer)
    page = await store_of(bot.app).search('"security"', "security", 0, 20)
    assert ids(answer) == [f"i{hit.id}" for hit in page.hits]
    assert answer.params.get("next_offset", "") == ""


async def test_an_empty_query_shows_the_latest_items(bot: BotRig) -> None:
    answer = await ask(bot, "")
    check_answer(answer)
    newest = await store_of(bot.app).latest(20)
    assert newest and ids(answer) == [f"i{item.id}" for item in newest]
    assert button(answer) is None


async def test_a_russian_speaking_user_gets_russian_cards(bot: BotRig) -> None:
    answer = await ask(bot, "tasmagambetov", language="ru")
    person = results(answer)[0]
    assert person["description"].startswith("Персона · в ")
    assert "Secretary General" in person["input_message_content"]["message_text"]  # corpus text as written
    dated = [r for r in results(answer)[1:] if " · " in r["description"]]
    assert any(word in dated[0]["description"] for word in ("октября", "сентября", "ноября", "без даты"))


async def test_answers_are_kept_by_telegram_for_the_user_who_asked(bot: BotRig) -> None:
    """Per user: the answer is in the asker's language, and Telegram's shared cache knows only the words."""
    answer = await ask(bot, "tasmagambetov")
    assert answer.params["cache_time"] == 300 and answer.params["is_personal"] is True


@pytest.mark.usefixtures("small_pages")
async def test_the_last_page_says_there_are_no_more(bot: BotRig) -> None:
    """Not "[]": PTB's Defaults turn a next_offset of "" into that, and Telegram would ask for page "[]"."""
    answer = await ask(bot, "channel")
    assert answer.params.get("next_offset", "") == ""


@pytest.mark.parametrize("query", ["", "CSTO"])
async def test_next_offset_pages_through_every_result(bot: BotRig, small_pages: int, query: str) -> None:
    seen: list[str] = []
    offset, pages = "", 0
    while True:
        answer = await ask(bot, query, offset)
        check_answer(answer)
        page_ids = [i for i in ids(answer) if i.startswith("i")]
        assert len(page_ids) <= small_pages
        seen += page_ids
        offset = answer.params.get("next_offset", "")
        pages += 1
        if not offset:
            break
        assert pages < 20, "paging does not end"
    assert len(seen) == len(set(seen)), "a page repeats an item"
    store = store_of(bot.app)
    expected = (
        [item.id for item in await store.latest(100)]
        if not query
        else [hit.id for hit in (await store.search('"CSTO"', query, 0, 100)).hits]
    )
    assert seen == [f"i{i}" for i in expected]
    assert pages > 2


async def test_only_the_first_page_has_cards(bot: BotRig, small_pages: int) -> None:
    first = await ask(bot, "tasmagambetov")
    assert ids(first)[0].startswith("p")
    second = await ask(bot, "tasmagambetov", first.params["next_offset"])
    assert ids(second) and all(i.startswith("i") for i in ids(second))


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"""',
        "NEAR(",
        "NEAR(a b, 3)",
        'a" OR "b',
        "-",
        "*",
        "ab*",
        "<b>unclosed",
        "&amp; & <script>",
        "tasmagambetov\x00\x1f",
        "💥" * 100,
        "Ташмагамбетов",
        "x" * 81,  # over the name cap: searched, not matched against names
    ],
)
async def test_hostile_text_gets_an_answer(bot: BotRig, query: str) -> None:
    with LoggedErrors.installed() as errors:
        answer = await ask(bot, query)
    check_answer(answer)
    assert errors.messages() == []


async def test_a_query_too_long_says_so(bot: BotRig) -> None:
    answer = await ask(bot, "tasmagambetov " * 400)  # 5,600 characters: only a forged update
    assert (
        results(answer) == []
        and button(answer) == f"Too long: at most {inline_search.MAX_INLINE_QUERY} characters"
    )
    assert answer.params["button"]["start_parameter"] == render_inline.START_PARAMETER


async def test_a_query_too_broad_says_so(bot: BotRig) -> None:
    answer = await ask(bot, "ab* cd* ef* gh* ij*")
    assert results(answer) == [] and button(answer) == render_inline.TOO_BROAD


async def test_nothing_found_says_so(bot: BotRig) -> None:
    answer = await ask(bot, "zzxqvw")
    assert results(answer) == [] and button(answer) == render_inline.NOTHING_FOUND


@pytest.mark.parametrize("offset", ["abc", "-1", "0", "1e9", "99999999", "²"])
async def test_an_offset_the_bot_never_gave_ends_the_list(bot: BotRig, offset: str) -> None:
    answer = await ask(bot, "CSTO", offset)
    assert results(answer) == [] and answer.params.get("next_offset", "") == ""


async def test_an_error_answers_nothing(bot: BotRig, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*args: object) -> inline_search.InlineFound:
        raise RuntimeError("the store went away")

    monkeypatch.setattr(inline_search, "find", broken)
    with LoggedErrors.installed() as errors:
        update = {"inline_query": {"id": "broken", "from": USER, "query": "x", "offset": ""}}
        calls = await bot.process(update)
    assert [c.method for c in calls] == []  # no answer, no apology message
    assert errors.messages() == ["error while handling an update"]


async def test_polled_inline_query_is_answered(tmp_path_factory: pytest.TempPathFactory) -> None:
    """End to end: Telegram delivers the query by getUpdates; the fake records the answer."""
    async with running_bot(tmp_path_factory.mktemp("inline-polled")) as rig:
        mark = rig.api.mark()
        rig.api.push_inline_query("tasmagambetov")
        [answer] = await rig.api.wait_for("answerInlineQuery", after=mark)
    assert answer.ok and ids(answer)[0].startswith("p")


async def test_flood_guard_counts_inline_queries(tmp_path_factory: pytest.TempPathFactory) -> None:
    async with running_bot(
        tmp_path_factory.mktemp("inline-flood"), polling=False, commands_per_user=2
    ) as rig:
        answers = [await ask(rig, "tasmagambetov", user=77) for _ in range(4)]
        other = await ask(rig, "tasmagambetov", user=78)
    assert all(results(a) for a in answers[:2])
    assert results(answers[2]) == [] and button(answers[2]) == render_inline.SLOW_DOWN
    assert results(answers[3]) == [] and button(answers[3]) is None
    assert all(a.params["cache_time"] == 0 and a.params["is_personal"] for a in answers[2:])
    assert results(other)  # one user's flood is not another's


async def test_the_fake_refuses_what_telegram_refuses() -> None:
    """The checks above rely on the fake refusing bad answers as Telegram does."""
    card = {"type": "article", "title": "t", "input_message_content": {"message_text": "x"}}
    async with FakeBotApi() as api:
        cases = {
            "RESULTS_TOO_MUCH": [card | {"id": str(n)} for n in range(51)],
            "RESULT_ID_DUPLICATE": [card | {"id": "a"}, card | {"id": "a"}],
            "RESULT_ID_INVALID": [card | {"id": "x" * 65}],
            "can't parse entities": [
                card | {"id": "a", "input_message_content": {"message_text": "<b>x", "parse_mode": "HTML"}}
            ],
        }
        async with aiohttp.ClientSession() as session:
            for error, found in cases.items():
                url = f"{api.base_url}{api.token}/answerInlineQuery"
                async with session.post(url, json={"inline_query_id": "1", "results": found}) as answer:
                    assert answer.status == 400 and error in (await answer.json())["description"]


# ------------------------------------------------------------------ rendering, pure


async def test_long_records_make_short_plain_cards() -> None:
    long = "Word <b>&amp; " * 2000
    item = ItemSummary(7, None, long, long, (Source(long),))
    card = render_inline.item_card(item, "\x02match\x03 " + long)
    assert len(card.title) <= render_inline.MAX_TITLE and card.title.endswith("…")
    assert len(card.description) <= render_inline.MAX_DESCRIPTION
    assert card.description.startswith("undated · match Word <b>&amp;")  # plain: not escaped, no markers
    assert_telegram_html(card.text)
    profile = PersonProfile(
        3,
        long,
        (long,) * 5,
        tuple(PersonTitle(long, None, n) for n in range(30)),
        10**6,
        tuple(PersonMentionRecord(n, None, long, long, long, (Source(long),)) for n in range(3)),
    )
    person = render_inline.person_card(profile)
    assert len(person.title) <= render_inline.MAX_TITLE and len(person.description) <= 160
    assert_telegram_html(person.text)

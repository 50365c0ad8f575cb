"""Queries a user can make expensive: /search with broad prefixes, /who and /operations with very long
names, and the memory that search buttons and kept answers hold (issue 12, findings 6, 7 and 14)."""

from __future__ import annotations

import asyncio
import threading
import tracemalloc
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from rapidfuzz import fuzz, process

from bot import matching, people_index
from bot.answer_cache import AnswerCache
from bot.matching import fold
from bot.people_index import PeopleIndex
from bot.render import Reply
from bot.services import ButtonSessions
from bot.store import Store
from tests.rig import BotRig, running_bot, shown, single

pytestmark = pytest.mark.timeout(60)
on_module_loop = pytest.mark.asyncio(loop_scope="module")  # the module's bot lives there

TOO_BROAD = "Too broad — add a word or drop a prefix*."
NAME_LIMIT = 80  # characters of a /who or /operations name


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("queries"), polling=False) as rig:
        yield rig


def store_of(bot: BotRig) -> Store:
    return bot.app.bot_data.store


# ------------------------------------------------------------------------------------------ finding 6


@on_module_loop
async def test_a_search_past_its_budget_is_stopped_with_a_short_reply_and_the_bot_goes_on(
    bot: BotRig,
) -> None:
    store = store_of(bot)
    budget, steps = store.user_query_seconds, store.progress_steps
    store.user_query_seconds, store.progress_steps = 0.0, 100  # every search is over budget at once
    try:
        assert shown(single(await bot.handle("/search csto"))) == TOO_BROAD
        calls = await bot.handle("/search secur* OR milit*")
        assert shown(single(calls)) == TOO_BROAD and not single(calls).buttons()
        # the reader that stopped the query answers the next command
        for _ in range(3):  # whichever reader each lands on
            assert shown(single(await bot.handle("/latest 2"))).count("/doc ") == 2
    finally:
        store.user_query_seconds = budget
    assert shown(single(await bot.handle("/search csto"))).startswith("Results 1–5 of")
    store.progress_steps = steps


@on_module_loop
async def test_more_than_four_prefixes_are_refused_before_any_search(bot: BotRig) -> None:
    assert shown(single(await bot.handle("/search ab* co* se* de* re*"))) == TOO_BROAD
    assert shown(single(await bot.handle("/search ab* OR co* OR se* OR de* OR re*"))) == TOO_BROAD
    assert shown(single(await bot.handle("/search mercenary -ab* -co* -se* -de* -re*"))) == TOO_BROAD
    four = shown(single(await bot.handle("/search mercen* OR terr* OR secur* OR milit*")))
    assert four.startswith("Results 1–5 of")


@on_module_loop
async def test_searches_never_hold_every_reader(tmp_path_factory: pytest.TempPathFactory) -> None:
    """While as many user queries run as they may (readers - 1), more wait their turn, and a cheap query
    still gets a reader."""
    async with running_bot(tmp_path_factory.mktemp("readers"), polling=False) as rig:
        store = store_of(rig)
        turns = [store._user_query() for _ in range(len(store._readers) - 1)]
        for turn in turns:
            await turn.__aenter__()
        waiting = asyncio.ensure_future(store.search('"csto"', "csto"))
        latest = await asyncio.wait_for(store.latest(3), 10)  # generous: a cheap query is not queued
        assert len(latest) == 3
        await asyncio.sleep(0.05)
        assert not waiting.done()  # no turn for a third user query
        for turn in turns:
            await turn.__aexit__(None, None, None)
        page = await asyncio.wait_for(waiting, 10)
        assert page.total and page.hits


# ------------------------------------------------------------------------------------------ finding 7


@on_module_loop
@pytest.mark.parametrize("length", [200, 5000])
async def test_a_very_long_name_is_answered_with_the_limit(bot: BotRig, length: int) -> None:
    name = "a" * length
    who = shown(single(await bot.handle(f"/who {name}")))
    assert who == f"That is too long for a name: please use at most {NAME_LIMIT} characters."
    operations = shown(single(await bot.handle(f"/operations {name}")))
    assert operations.startswith("That is too long for an operation's name")
    at_limit = shown(single(await bot.handle(f"/who {'x' * NAME_LIMIT}")))
    assert at_limit.startswith("No one called"), at_limit


@on_module_loop
async def test_name_matching_runs_off_the_event_loop(bot: BotRig, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []
    real = PeopleIndex.lookup

    def recording(self: PeopleIndex, query: str, limit: int = 5) -> list[people_index.PersonMatch]:
        threads.append(threading.current_thread())
        return real(self, query, limit)

    monkeypatch.setattr(PeopleIndex, "lookup", recording)
    assert "Tasmagambetov" in shown(single(await bot.handle("/who tasmagambetow")))
    assert threads and threading.main_thread() not in threads


def test_chunked_scoring_gives_what_one_extract_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [fold(n) for n in ("Sergey Shoigu", "Sergei Shoygu", "Serik Shoigu", "Imangali Tasmagambetov",
                               "Valery Semerikov", "Emomali Rahmon", "Kassym-Jomart Tokayev") * 3]  # fmt: skip
    from bot.matching import best_scored

    monkeypatch.setattr(matching, "SCORE_CHUNK", 4)
    for query in ("shoigu", "sergey shoygu", "tokaev", "semerikov valery"):
        whole = process.extract(query, names, scorer=fuzz.WRatio, limit=6, processor=None)
        assert best_scored(query, names, fuzz.WRatio, 6) == [(float(s), i) for _, s, i in whole]


# ------------------------------------------------------------------------------------------ finding 14


def _growth(action: object) -> int:
    """Bytes still allocated after `action()` (tracemalloc), what it left behind."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = action()  # type: ignore[operator]
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return after - before


@pytest.mark.parametrize("length", [4000, 1000])  # 1,000: the longest query kept
def test_button_tokens_are_bounded_by_bytes(length: int) -> None:
    sessions = ButtonSessions()

    def fill() -> ButtonSessions:
        for n in range(12_000):
            sessions.put(f"{n:06d}" + "q" * (length - 6))
        return sessions

    grown = _growth(fill)
    assert grown <= 6 * 2**20, grown  # 4 MB kept at most  # 12,000 × 4,000 characters would be 48 MB+
    newest = sessions.put("mercenary")
    assert newest is not None and sessions.get(newest) == "mercenary"


def test_a_query_too_long_to_keep_gets_no_token() -> None:
    sessions = ButtonSessions()
    assert sessions.put("x" * 1001) is None and len(sessions) == 0


def test_kept_answers_are_bounded_by_bytes() -> None:
    cache = AnswerCache(capacity=512, max_bytes=2**20)

    def fill() -> AnswerCache:
        for n in range(2_000):
            cache.put(None, ("search", f"{n:05d}" + "k" * 3000, 0), Reply(f"{n:05d}" + "r" * 4000))
        return cache

    grown = _growth(fill)
    assert grown <= 1.5 * 2**20, grown
    assert cache.get(None, ("search", "01999" + "k" * 3000, 0)) is not None  # the newest is kept


@on_module_loop
async def test_no_token_and_no_buttons_without_a_next_page(bot: BotRig) -> None:
    buttons = bot.app.bot_data.buttons
    before = len(buttons)
    nothing = single(await bot.handle("/search zzxxqqwy"))
    assert shown(nothing).startswith("No results for zzxxqqwy") and not nothing.buttons()
    one_page = single(await bot.handle("/search mercenary"))  # two results: one page
    assert not one_page.buttons()
    assert len(buttons) == before
    paged = single(await bot.handle("/search ter*"))
    assert paged.buttons() and len(buttons) == before + 1

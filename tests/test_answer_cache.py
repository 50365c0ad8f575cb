"""Kept answers: the same command is answered from memory until a load changes the corpus, and never
with an answer older than the corpus the bot serves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answer_cache import AnswerCache
from bot.render import Reply
from bot.services import ButtonSessions
from tests.rig import SEEDS, button_data, running_bot, shown, single

pytestmark = pytest.mark.timeout(60)

NEW_PAGE = """20.11.2026

On November 20, 2026, the CSTO Secretary General Zhandos Qualitybekov opened a seminar on speleological rescue in Dushanbe.

Go back
"""


def test_a_reply_is_kept_per_corpus_version_and_dropped_when_it_changes() -> None:
    cache = AnswerCache(capacity=2)
    one, two, three = Reply("one"), Reply("two"), Reply("three")
    assert cache.get(1, "a") is None
    cache.put(1, "a", one)
    cache.put(1, "b", two)
    assert cache.get(1, "a") is one
    cache.put(1, "c", three)  # over capacity: the least recently asked ("b") goes
    assert cache.get(1, "b") is None and cache.get(1, "c") is three
    assert cache.get(2, "a") is None  # the corpus changed: nothing kept survives
    cache.put(1, "a", one)  # built from the old corpus while a load ran: not kept
    assert cache.get(2, "a") is None and len(cache) == 0


async def test_answers_follow_the_corpus_after_a_load(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    async with running_bot(tmp_path, corpus=corpus, polling=False) as bot:
        before = {cmd: shown(single(await bot.handle(cmd))) for cmd in ("/latest 1", "/search speleological")}
        assert "31 Oct 2025" in before["/latest 1"]
        assert before["/search speleological"].startswith("No results for speleological")
        assert shown(single(await bot.handle("/who Qualitybekov"))).startswith("No one called Qualitybekov")
        # asked again with nothing loaded: the same answer, from memory
        hits = bot.app.bot_data.answers.hits
        assert shown(single(await bot.handle("/latest 1"))) == before["/latest 1"]
        assert bot.app.bot_data.answers.hits == hits + 1

        (corpus / "900_new.txt").write_text(NEW_PAGE, encoding="utf-8")
        report = await bot.app.bot_data.loader.load()
        assert report.items_added >= 1

        latest = shown(single(await bot.handle("/latest 1")))
        assert "20 Nov 2026" in latest and "Qualitybekov" in latest
        assert "900_new.txt" in shown(single(await bot.handle("/search speleological")))
        assert "Zhandos Qualitybekov" in shown(single(await bot.handle("/who Qualitybekov")))


async def test_a_kept_search_answer_keeps_its_page_buttons_working(tmp_path: Path) -> None:
    async with running_bot(tmp_path, polling=False) as bot:
        bot.app.bot_data.buttons = ButtonSessions(capacity=2)
        first = single(await bot.handle("/search csto"))
        for other in ("treaty", "security", "council"):  # each issues a token: the first one is evicted
            await bot.handle(f"/search {other}")
        again = single(await bot.handle("/search csto"))  # kept answer, same token as `first`
        assert button_data(again, "▶") == button_data(first, "▶")
        turned = single(await bot.handle_press(again, "▶"), "editMessageText")
        assert "expired" not in shown(turned).lower()
        assert shown(turned) != shown(again)


async def test_a_load_that_changes_nothing_keeps_the_answers(tmp_path: Path) -> None:
    async with running_bot(tmp_path, polling=False) as bot:
        await bot.handle("/who tasmagambetov")
        hits = bot.app.bot_data.answers.hits
        await bot.app.bot_data.loader.load()  # nothing new on disk: aliases re-synced, items unchanged
        await bot.handle("/who tasmagambetov")
        assert bot.app.bot_data.answers.hits == hits + 1


def test_a_new_store_starts_with_no_kept_answers() -> None:
    from bot.services import Services

    services = Services()
    services.answers.get(0, "k")  # the cache now holds version 0
    services.answers.put(0, "k", Reply("from the old store"))
    assert services.answers.get(0, "k") is not None
    services.store = None  # post_shutdown; post_init then sets a new store, whose versions restart at 0
    assert services.answers.get(0, "k") is None

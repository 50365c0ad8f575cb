"""A news site's address often names the day it published a page ("/20310812/", "/2031/08/12/"): it gives
an agency dateline ("12 авг") its year and dates the page's own story when its text does not. The
address comes from the page's first line or the folder's MANIFEST.tsv; a changed manifest re-dates."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from bot.corpus.model import Lexicon
from bot.corpus.page import parse_page
from bot.corpus.years import address_date
from bot.corpus_files import MANIFEST_NAME
from bot.lexicon import DEFAULT_LEXICON_PATH, load_lexicon
from bot.loader import Loader
from bot.store import Store

pytestmark = [pytest.mark.timeout(60)]

LEX = Lexicon()
AGENCY_STORY = (
    "ГОРОДОК, 12 авг — Вестник. На полигоне Северный начались совместные учения сил быстрого "
    "реагирования четырех государств.\n\nВ учениях участвуют подразделения и штабы.\n"
)
UNDATED_STORY = (
    "Union council opens its autumn session\n\n"
    "The council of the union opened its autumn session in the capital. The ministers discussed the "
    "plan of joint training and the budget.\n"
)


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://news.example/20310812/story-123.html", dt.date(2031, 8, 12)),
        ("https://news.example/amp/20310812/story", dt.date(2031, 8, 12)),
        ("https://www.news.example/2031/08/12/75", dt.date(2031, 8, 12)),
        ("https://news.example/world/2031-08-12-story/", dt.date(2031, 8, 12)),
        ("https://news.example/russ/content/2031/08/12/61016/title.shtml", dt.date(2031, 8, 12)),
        ("https://news.example/tj/2031/8/2/127832", dt.date(2031, 8, 2)),  # no leading zeros
        ("https://news.example/news/union-speakers-met-2031-08-12-24864", dt.date(2031, 8, 12)),  # a slug
    ],
)
def test_an_address_naming_its_day_is_read(url: str, day: dt.date) -> None:
    assert address_date(url) == day


@pytest.mark.parametrize(
    "url",
    [
        "https://en.news.example/session/2031/session203112/",  # a year, no day
        "https://news.example/view/story-246610-2031",  # an id ending in a year
        "https://news.example/20311399/story",  # no such day
        "https://20310812.example/story",  # the host, not the path
        "https://news.example/story?id=20310812",  # a query
        "https://news.example/2031/8/1234",  # a year, a month and an id
        "https://news.example/story?from=x-2031-08-12",  # a slug's form in the query
        "https://news.example/story-2031-13-12-5",  # no such month
    ],
)
def test_an_address_without_a_day_dates_nothing(url: str) -> None:
    assert address_date(url) is None


def _dates(text: str, address: str | None) -> list[dt.date | None]:
    return [item.date for item in parse_page(text, LEX, address=address).items]


def test_a_dateline_takes_its_year_from_the_address() -> None:
    assert _dates(AGENCY_STORY, None) == [None]
    assert _dates(AGENCY_STORY, "https://news.example/20310812/x.html") == [dt.date(2031, 8, 12)]
    # published on 2 January, a dateline of 30 December is of the year before
    assert _dates(AGENCY_STORY.replace("12 авг", "30 дек"), "https://news.example/20320102/x") == [
        dt.date(2031, 12, 30)
    ]


def test_the_page_story_undated_by_its_text_takes_the_published_day() -> None:
    assert _dates(UNDATED_STORY, "https://news.example/2031/08/12/session") == [dt.date(2031, 8, 12)]


def test_a_story_of_a_day_far_from_publication_is_dated_by_publication_not_moved_to_that_day() -> None:
    text = "20-24 апреля в Горном пройдут совместные учения сил.\n\nУчения пройдут на полигоне Северный.\n"
    assert _dates(text, "https://news.example/2031/03/02/75") == [dt.date(2031, 3, 2)]


def test_a_page_dated_by_its_own_date_line_keeps_it() -> None:
    text = "05.08.2031\n" + UNDATED_STORY
    assert _dates(text, "https://news.example/2031/08/12/session") == [dt.date(2031, 8, 5)]


def test_a_date_line_later_than_the_published_day_is_the_sites_clock_not_the_storys_date() -> None:
    """A site's header shows today's date over a story the address says was published years before."""
    text = "Суббота, 20 апреля 2035\n" + UNDATED_STORY
    assert _dates(text, "https://news.example/2031/08/12/session") == [dt.date(2031, 8, 12)]
    text = "13.08.2031\n" + UNDATED_STORY  # a day later: a time zone or a late post, the page's own
    assert _dates(text, "https://news.example/2031/08/12/session") == [dt.date(2031, 8, 13)]


async def _dated(store: Store) -> list[dt.date | None]:
    latest = await store.latest_items(10)
    undated = await store.latest_items(10, undated=True)
    return [item.date for item in latest.items] + [None] * len(undated.items)


def _write_manifest(corpus: Path, url: str) -> None:
    part = corpus / f"{MANIFEST_NAME}.part"
    part.write_text(f"file\turl\nnews.txt\t{url}\n", encoding="utf-8")
    os.replace(part, corpus / MANIFEST_NAME)


@pytest.mark.asyncio
async def test_the_manifest_address_dates_a_page_and_a_new_address_re_dates_it(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text(AGENCY_STORY, encoding="utf-8")
    _write_manifest(corpus, "https://news.example/20310812/x.html")
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        loader = Loader(store, corpus, load_lexicon(DEFAULT_LEXICON_PATH))
        await loader.load()
        assert await _dated(store) == [dt.date(2031, 8, 12)]

        _write_manifest(corpus, "https://news.example/20320812/x.html")  # the watcher reports the manifest
        await loader.load_paths([corpus / MANIFEST_NAME])
        assert await _dated(store) == [dt.date(2032, 8, 12)]

        (corpus / MANIFEST_NAME).unlink()  # a full load without it: the page's text alone, undated
        await loader.load()
        assert await _dated(store) == [None]
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_a_page_first_line_address_dates_it(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text(
        "https://news.example/20310812/x.html\n" + AGENCY_STORY, encoding="utf-8"
    )
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        await Loader(store, corpus, load_lexicon(DEFAULT_LEXICON_PATH)).load()
        assert await _dated(store) == [dt.date(2031, 8, 12)]
    finally:
        await store.close()

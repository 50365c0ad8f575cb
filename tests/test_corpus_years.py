"""An agency dateline gives a day and a month; the story's year comes from its text only when the text
leaves no doubt (one year, in an exercise's name or stated as a year, and no other year-shaped number)."""

from __future__ import annotations

import datetime as dt

import pytest

from bench import quality
from bot.corpus.model import Lexicon
from bot.corpus.page import parse_page
from bot.corpus.years import dateline_date, story_year

LEX = Lexicon()
REAL = quality.default_corpus()


def _first_date(text: str) -> dt.date | None:
    items = parse_page(text, LEX).items
    assert items, "the page has an item"
    return items[0].date


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Начались совместные учения «Заслон-2031» на полигоне Северный.", 2031),
        ("The Shield-2029 drills opened on the range near the lake.", 2029),
        ("Это первое такое заседание в 2032 году, сказал председатель.", 2032),
        ("The council met for the second time in 2030, the press office said.", 2030),
        ("Учения «Заслон-2031» завершатся, как и планировалось в 2031 году.", 2031),
    ],
)
def test_one_year_named_or_stated_is_the_story_year(text: str, year: int) -> None:
    assert story_year(text) == year


@pytest.mark.parametrize(
    "text",
    [
        "Совет соберется на сессию, которая начнется 1 января 2031 года.",  # a full date: another day
        "Итоги сессии (2030 года) обсудили представители.",  # a qualifier, not the story's time
        "Учения «Заслон-2031» соберут 2000 военнослужащих.",  # a count shaped like a year: unsure
        "План на 2031 год учитывает итоги учений «Заслон-2030».",  # two years: looking back or ahead
        "The plan for 2029-2030 was adopted.",  # a range, no name
        "Ничего о годе здесь не сказано.",
    ],
)
def test_no_story_year_when_the_text_leaves_doubt(text: str) -> None:
    assert story_year(text) is None


def test_a_dateline_without_a_year_takes_the_exercise_year() -> None:
    page = (
        "ГОРОДОК, 12 авг — Вестник. На полигоне Северный начались совместные учения «Заслон-2031» "
        "сил быстрого реагирования.\n\nВ учениях участвуют подразделения четырех государств.\n"
    )
    assert _first_date(page) == dt.date(2031, 8, 12)


def test_a_dateline_stays_undated_when_the_story_names_another_day() -> None:
    page = (
        "ГОРОДОК, 28 ноя — Вестник. Новый секретарь приступит к обязанностям с 1 января 2031 года, "
        "сообщили в секретариате.\n\nРешение приняли главы государств.\n"
    )
    assert _first_date(page) is None


def test_the_29th_of_february_in_a_year_without_it_dates_nothing() -> None:
    assert dateline_date("Учения «Заслон-2031» начались.", 2, 29) is None
    assert dateline_date("Учения «Заслон-2032» начались.", 2, 29) == dt.date(2032, 2, 29)


@pytest.mark.parametrize(
    ("name", "date"), [("ru/041.txt", dt.date(2021, 9, 3)), ("ru/044.txt", dt.date(2014, 7, 15))]
)
def test_real_agency_stories_take_the_year_of_their_exercise(name: str, date: dt.date) -> None:
    path = REAL / name if REAL is not None else None
    if path is None or not path.is_file():
        pytest.skip(f"{name}: real pages absent")
    dates = [item.date for item in parse_page(path.read_text(encoding="utf-8"), LEX).items]
    assert date in dates


def test_an_english_agency_dateline_writes_the_month_first() -> None:
    page = (
        " date 2031-05-24 GORODOK, May 24. /NEWSWIRE/. Representatives of the member states agreed on the "
        "Shield-2031 exercise and decided to hold it in the autumn.\n\n"
        '"In the city, the delegations held talks and discussed the preparation of the exercise," the '
        "statement said.\n"
    )
    item = parse_page(page, LEX).items[0]
    assert item.headline.startswith("Representatives of the member states")  # never the dateline
    assert item.date == dt.date(2031, 5, 24)


def test_a_last_update_stamp_dates_no_story() -> None:
    page = (
        "Last update: February 21, 2033 19:34\n\n"
        "Alliance forces wrap up drills in the south\n\n"
        "By Anna Writer May 25, 2031\n\n"
        "The alliance concluded large-scale exercises in the south of the country on Tuesday.\n"
    )
    items = parse_page(page, LEX).items
    assert [item.date for item in items] == [dt.date(2031, 5, 25)]
    assert "Last update" not in items[0].headline

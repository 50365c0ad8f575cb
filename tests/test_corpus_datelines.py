"""English-language agencies' datelines opening a story: the place in capitals, then an agency, a date or
both, in the forms wire services write them. The dateline is no headline, and its day dates the story.
Made-up stories in those shapes."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.corpus.dates import dateline_prefix_end, opening_dateline
from tests.corpus_fixtures import bare_items

BODY = (
    "The defence ministers of the member states agreed on a plan of joint training for next year. "
    "The next meeting will be held in the autumn."
)


@pytest.mark.parametrize(
    "dateline",
    [
        "OMSK. NEWSWIRE \u2013 ",  # place, agency, dash
        "OMSK. NEWSWIRE - ",
        "OMSK. ",  # the place alone
        "VOLGOGRAD, MARCH 3, EASTPRESS. ",  # place, month and day in capitals, agency
        "KANT AIR BASE /Kyrgyzstan/, June 5. /WIRE/. ",  # a place of several words, its country
        "BISHKEK, May 7, 2019, Nord-News -- ",  # the year too, the agency before a double dash
    ],
)
def test_a_dateline_is_no_headline(dateline: str) -> None:
    [item] = bare_items(dateline + BODY)
    assert item.headline.startswith("The defence ministers of the member states agreed")
    assert dateline_prefix_end(dateline + BODY) == len(dateline)


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("VOLGOGRAD, MARCH 3, EASTPRESS. The council met.", (3, 3, None)),
        ("KANT AIR BASE /Kyrgyzstan/, June 5. /WIRE/. Pilots flew.", (6, 5, None)),
        ("BISHKEK, May 7, 2019, Nord-News -- A drill began.", (5, 7, dt.date(2019, 5, 7))),
        ("OMSK. NEWSWIRE - The council met.", None),  # no day named
    ],
)
def test_the_dateline_names_the_day_of_the_story(
    opening: str, expected: tuple[int, int, dt.date | None] | None
) -> None:
    assert opening_dateline(opening) == expected


def test_a_dated_story_keeps_its_dateline_date() -> None:
    [item] = bare_items("BISHKEK, May 7, 2019, Nord-News -- " + BODY)
    assert item.date == dt.date(2019, 5, 7)


@pytest.mark.parametrize(
    "opening",
    [
        "CSTO Secretary General met the ministers of the member states in the capital.",
        "May 9 is a day the veterans of the member states remember every year.",
        "NATO and the CSTO held no talks this year, the minister said.",
        "The CSTO Secretary General, Stanislav Zas \u2013 about the results of the year.",
    ],
)
def test_a_story_that_opens_with_no_dateline_keeps_its_opening(opening: str) -> None:
    assert dateline_prefix_end(opening) == 0
    assert opening_dateline(opening) is None


@pytest.mark.parametrize(
    "dateline",
    [
        "YEREVAN. \u2013 ",  # the place in capitals and a dash
        "Омск. 6 марта. «Вестник» - ",  # a capitalised place, its day, a quoted agency
        "Омск, 6 марта /Вестник/ -- ",  # a slashed agency and a dash
    ],
)
def test_more_dateline_forms_are_no_headline(dateline: str) -> None:
    story = dateline + "The defence ministers met. The talks went on."
    assert dateline_prefix_end(story) == len(dateline)
    assert bare_items(story)[0].headline == "The defence ministers met."


def test_a_sentence_with_a_date_after_its_opening_words_keeps_them() -> None:
    assert dateline_prefix_end("In Minsk, 6 March \u2013 Belarus hosted talks. More came.") == 0

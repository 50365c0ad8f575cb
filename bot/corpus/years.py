"""The one year a story's text speaks of, for a dateline that gives only a day and a month.

A news agency writes "ОШ, 5 окт — Агентство." and leaves the year to the reader, who takes it from the
story: the exercise it reports carries its year in its name ("Рубеж-2014", "Cobalt-2021"), or the text
states one ("в 2014 году", "in 2014"). Only when that is the one year-shaped number the story holds: a
full date ("с 1 января 2020 года") tells another day, a second year a story looking back or ahead, and
an undated item is better than a wrong date.
"""

from __future__ import annotations

import datetime as dt
import re

_YEAR = r"((?:19|20)\d\d)"
# "Рубеж-2014", "«Взаимодействие-2019»", "Cobalt-2021": a name's year, not a range ("2013-2014").
_NAME_YEAR = re.compile(rf"(?<=[^\W\d_])[-\u2013]{_YEAR}(?!\d)")
# "в 2014 году", "на 2014 год", "in 2014": a year stated as the time of something. Not a full date's
# year ("с 1 января 2020 года": another day, told as such) nor a qualifier ("сессии (2021 года)").
_STATED_YEAR = re.compile(
    rf"(?<![^\W\d_])(?:(?:[вВ]|[нН]а)\s+{_YEAR}\s*(?:год|г\.)|[iI]n\s+{_YEAR}(?![\d\w-]))"
)


# Any number shaped like a year: a full date's, a qualifier's ("(2021 года)"), even a count's.
_ANY_YEAR = re.compile(rf"(?<![\d.,]){_YEAR}(?![\d.,]\d)")


def stated_years(text: str) -> set[int]:
    """The years the text states as the time of something ("в 2014 году", "на 2014 год", "in 2014")."""
    return {int(m.group(1) or m.group(2)) for m in _STATED_YEAR.finditer(text)}


def year_numbers(text: str) -> list[str]:
    """Every number shaped like a year, as written, in text order."""
    return _ANY_YEAR.findall(text)


def story_year(text: str) -> int | None:
    """The year the story is told in, when it names one as a year or in a name and no other number
    shaped like a year at all (another year, a full date, a count): a story that looks back or ahead
    leaves the reader, and the bot, unsure."""
    told = {int(m.group(1)) for m in _NAME_YEAR.finditer(text)} | stated_years(text)
    if len(told) != 1:
        return None
    return told.pop() if {int(y) for y in year_numbers(text)} == told else None


def dateline_date(text: str, month: int, day: int) -> dt.date | None:
    """A dateline's day and month in the year its story is told in (story_year); None when that is
    unsure or the day does not exist in that year (29 February)."""
    year = story_year(text)
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# A news site's address often names its day: "/20260113/", "/2010/03/02/", "/2024-09-03-", "/2024/6/20/"
# (year, month, day, in that order: no site writes the day first in a path). Searched in the path only.
_ADDRESS_DATE = re.compile(r"/((?:19|20)\d\d)(?:([-/])(\d\d?)\2(\d\d?)|(\d\d)(\d\d))(?=[/\-_.]|$)")


# ... or inside a slug, written in full: "/news/csto-speakers-met-2022-05-23-24864".
_SLUG_DATE = re.compile(r"-((?:19|20)\d\d)-(\d\d)-(\d\d)(?=[/\-_.]|$)")


def address_date(url: str) -> dt.date | None:
    """The day a page's address names, or None (no such part, or not a real day)."""
    scheme_end = url.find("://")
    path_start = url.find("/", scheme_end + 3 if scheme_end >= 0 else 0)
    if path_start < 0:
        return None
    m = _ADDRESS_DATE.search(url, path_start)
    if m is not None:
        month, day = (m.group(3), m.group(4)) if m.group(2) else (m.group(5), m.group(6))
        year = m.group(1)
    else:
        query = min(
            (i for i in (url.find("?", path_start), url.find("#", path_start)) if i >= 0), default=len(url)
        )
        m = _SLUG_DATE.search(url, path_start, query)
        if m is None:
            return None
        year, month, day = m.groups()
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None

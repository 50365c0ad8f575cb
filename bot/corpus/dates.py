"""Explicit calendar dates in English, Russian and numeric forms; a date needs a day, a month and a year."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence

from .caches import memo_text
from .years import stated_years, year_numbers

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
RU_MONTHS: dict[str, int] = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}  # fmt: skip
# Short forms news agencies write in datelines ("МИНСК, 9 фев - Агентство.").
RU_MONTH_ABBREVIATIONS: dict[str, int] = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9, "сент": 9,
    "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip
# The nominative, as a news site's date header writes a month before its day ("Ноябрь 4, 2016 10:23").
RU_MONTHS_NOMINATIVE: dict[str, int] = {
    "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7, "август": 8,
    "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
}  # fmt: skip
MONTH_NAMES: frozenset[str] = frozenset(k for k in MONTHS if len(k) > 3) | frozenset(RU_MONTHS)


def _alternation(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_EN = _alternation(MONTHS)
_RU = _alternation(RU_MONTHS)
_RU_SHORT = _alternation(RU_MONTH_ABBREVIATIONS)
# "14-15", "8 to 11", "25 по 27": the first day is the date (a range dates its item by its start)
_RANGE = r"(?:(?:\s*[-\u2013\u2014]\s*|\s+(?:to|and|till|until|по|и)\s+)\d{1,2})?"
# Patterns open with a plain character class wherever they can (a digit, the word-boundary test moved
# into a lookbehind after it): the regex engine then jumps between candidate characters instead of
# attempting a match at every position, which long paragraphs would pay for.
_ORD = r"(?:st|nd|rd|th)?"
# "October 31, 2025", "September 14-15, 2020", "Oct. 31 2025"
# The month's first letter is a plain class (every character that matches one ignoring case: "ſ" is an
# "s"), then the word-boundary test and, ignoring case, the rest of the name behind a lookbehind that
# re-reads the first letter. Same matches as r"\b({_EN})..." with re.IGNORECASE, the engine skipping ahead.
_MONTH_FIRST = "JjFfMmAaSs\u017fOoNnDd"
_EN_REST = "|".join(f"(?<={name[0]}){name[1:]}" for name in sorted(MONTHS, key=len, reverse=True))
_MDY = re.compile(
    rf"([{_MONTH_FIRST}](?<!\w.)(?i:{_EN_REST}))\.?\s+(\d{{1,2}})(?i:{_ORD})\b"
    rf"(?:{_RANGE}|\s*(?:[-\u2013\u2014]|to)\s*(?i:{_EN})\.?\s+\d{{1,2}}(?i:{_ORD})\b),?\s+(\d{{4}})\b"
)
# "8 November 2023", "8th of November, 2023"
_DMY = re.compile(rf"(\d(?<!\w\d)\d?){_ORD}{_RANGE}\s+(?:of\s+)?({_EN})\b\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
# "31 октября 2025"
_RU_DMY = re.compile(rf"(\d(?<!\d\d)\d?){_RANGE}\s+({_RU}),?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
# "30 / 4 / 2024", "11/28/2019": slashes; read only when the order is certain (one part above 12)
_SLASHED = re.compile(r"(\d(?<![\w/]\d)\d?)\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?![\w/])")
# "07.07.2025" (day first, as the site writes it)
_NUMERIC = re.compile(r"(\d(?<![\w.]\d)\d?)\.(\d{1,2})\.(\d{4})(?!\w)")
# "2025-10-31"
_ISO = re.compile(r"(\d(?<![\w-]\d)\d{3})-(\d{1,2})-(\d{1,2})(?![\w-])")  # "2017-1-3" too
# "21-06-2017": day first with hyphens, as news sites write it in a date header; zero-padded only
# ("2-1-2020" is as likely a score)
_DAY_FIRST_DASHED = re.compile(r"(\d(?<![\w-]\d)\d)-(\d\d)-(\d{4})(?![\w-])")
_YEAR = re.compile(r"\d\d{3}")
# Every date form holds a decimal digit (\d): a text without one needs no pattern tried.
_DECIMAL_DIGIT = re.compile(r"\d")
# Forms news sites write in a date header only, read on a date line alone (in running text they would as
# often be something else): a Russian month before its day, nominative, genitive or cut short ("Фев. 9,
# 2026", "Ноябрь 4, 2016"), a day and a cut-short month ("9 фев. 2026"), a two-digit year ("18.05.22").
_RU_ANY_MONTHS: dict[str, int] = {**RU_MONTHS, **RU_MONTHS_NOMINATIVE, **RU_MONTH_ABBREVIATIONS}
_RU_MONTH_FIRST = re.compile(
    rf"(?<!\w)({_alternation(_RU_ANY_MONTHS)})\.?\s+(\d{{1,2}})(?!\d),?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_RU_SHORT_DMY = re.compile(rf"(\d(?<!\w\d)\d?)\s+({_RU_SHORT})\.?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
# Zero-padded as sites write it ("08.05.22"): "8.5.22" is as likely a version or a section number.
_SHORT_YEAR = re.compile(r"(\d(?<![\w.]\d)\d)\.(\d\d)\.(\d\d)(?!\w|\.\d)")
# A two-digit year is this century's, and only while that day is not yet to come (one day of leeway for
# a site in a time zone ahead): a page carries no date after the day it is read, and a wrong century
# would invent a date where none is better.
_SHORT_YEAR_LEEWAY = dt.timedelta(days=1)
# Every English month name above starts with one of these. Ignoring case, the regexes match a letter of
# them only with a character whose casefold is that very letter, so a text that holds none of these once
# casefolded names no month: the two costly month-name scans are skipped. One regex search for all of
# them costs less than twelve substring tests.
_MONTH_STARTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_START = re.compile("|".join(_MONTH_STARTS))
_LINE_TAIL = re.compile(r"^[\s.,]*(?:г\.?|года)?[\s.,]*$")
# What a date line may carry besides its date: a time ("25.02.2021 (21:00)", "11/14/2018 09:05:12",
# "17 марта 2016, 11:40", "14 февраля 2023 года, 13:18", "12 сентября 2008 в 14:51", "9 February 2026 -
# 10:30", "February 9, 2026 at 7:19 p.m."), a dateline's place ("Minsk, 4 Nov., 2011", "May 9, 2017,
# Minsk"), a label ("Published: ...") or a credit ("... | TASS", "... /Кабар/.").
_TIME = re.compile(
    r"[\s,(/|\-\u2013\u2014]*(?:(?:г\.?|года)[\s,]*)?(?:(?:at|в)\s+)?\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s?[AaPp]\.?\s?[Mm]\.?)?\)?[\s|]*"
)
_LABEL = re.compile(
    r"(?:Published|Posted(?:\s+on)?|Date|Опубликовано|Дата(?:\s+публикации)?)\s*:?", re.IGNORECASE
)
_CREDIT_MARKS = ' ,.|/[]\u00ab\u00bb"\u201c\u201d'
# A credit set off by such a mark ("| TASS", "[ «Новая газета» ]", "/Кабар/"): a name of a few words.
_CREDIT_OPENERS = re.compile(r"[\s,.]*[|/\[\u00ab\"\u201c]")
_CREDIT = re.compile(
    r"[^\W\d_][\w\-.'\u2019\u00ab\u00bb\"\u201c\u201d]*(?: [\w\-.'\u2019\u00ab\u00bb\"\u201c\u201d]+){0,3}"
)
# A time before the date ("20:42 24.11.2025") and a source after it ("11:20 12.02.2026 Источник: ТАСС").
_TIME_FIRST = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[\s,|/]+|\.(?=\d))")  # "09:24.02.03.2010" too
_SOURCE_TAIL = re.compile(r"[\s,|]*(?:Источник|Source)\s*:", re.IGNORECASE)
_PLACE = re.compile(r"[(\s]*(?:[A-ZА-ЯЁ][\w.\-]*\s?){1,3}[,\s]*")
# The site a date line names after its date ("02.03.2010, news.example.com"): a host name.
_SITE = re.compile(r"(?:[a-z0-9][a-z0-9\-]*\.)+[a-z]{2,6}", re.IGNORECASE)
_PLACE_MAX_CHARS = 30
_DATE_LINE_MAX_CHARS = 60
_VIEW_COUNT = re.compile(r"[\s|]*\d{1,7}\s*")
# A day and a month without a year near the start of a lead: "On 13 February", "On November 8",
# "From 5 to 8 October", "В период с 12 по 14 мая". The year then comes from the page's context.
_LEAD_DAY_MONTH_CHARS = 40
_LEAD_REST_MIN_CHARS = 20
_DM = re.compile(rf"(\d(?<!\w\d)\d?){_ORD}{_RANGE}\s+(?:of\s+)?({_EN}|{_RU}|{_RU_SHORT})\b", re.IGNORECASE)
_MD = re.compile(rf"({_EN})\.?\s+(\d{{1,2}})(?:{_ORD})\b", re.IGNORECASE)
_MIN_YEAR, _MAX_YEAR = 1900, 2100


def _make(year: str, month: int, day: str) -> dt.date | None:
    """The date, or None when it is no date (month 0: a name the regex matched ignoring case, like
    "Aprıl" with a dotless i, that is not in the month table)."""
    y = int(year)
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        return None
    try:
        return dt.date(y, month, int(day))
    except ValueError:
        return None


def _in_year(year: str, month: int, day: str) -> dt.date | None:
    """The date with its year as written: four digits, or two for this century (see _SHORT_YEAR_LEEWAY)."""
    if len(year) != 2:
        return _make(year, month, day)
    d = _make("20" + year, month, day)
    return d if d is not None and d <= dt.date.today() + _SHORT_YEAR_LEEWAY else None


def _header_scan(line: str) -> list[tuple[int, int, dt.date]]:
    """Every date in a date header's own forms (_RU_MONTH_FIRST, _RU_SHORT_DMY, _SHORT_YEAR) as (start,
    end, date), in order; for a line that _scan finds no date in."""
    found: list[tuple[int, int, dt.date]] = []
    if not line.isascii():
        for m in _RU_MONTH_FIRST.finditer(line):
            _found(found, m, _make(m.group(3), _RU_ANY_MONTHS.get(m.group(1).casefold(), 0), m.group(2)))
        for m in _RU_SHORT_DMY.finditer(line):
            _found(
                found, m, _make(m.group(3), RU_MONTH_ABBREVIATIONS.get(m.group(2).casefold(), 0), m.group(1))
            )
    for m in _SHORT_YEAR.finditer(line) if "." in line else ():
        _found(found, m, _in_year(m.group(3), int(m.group(2)), m.group(1)))
    found.sort()
    return found


def _found(found: list[tuple[int, int, dt.date]], m: re.Match[str], date: dt.date | None) -> None:
    """Add the match's span and date to found when the parts made a date."""
    if date is not None:
        found.append((m.start(), m.end(), date))


# The last texts read for dates: the layout rules and the summary ask of one line or lead sentence
# several times (a date line, a trailing date, an event date, a first date), one after another.
SCAN_MEMO_CHARS = (30_000, 600)


def _scan(text: str) -> tuple[tuple[int, int, dt.date], ...]:
    """Every explicit date in text as (start, end, date), in order of appearance."""
    if _YEAR.search(text) is None:  # every explicit date has a four-digit year
        return ()
    return _scan_with_year(text)


@memo_text(*SCAN_MEMO_CHARS)
def _scan_with_year(text: str) -> tuple[tuple[int, int, dt.date], ...]:  # noqa: C901 - one branch per form
    found: list[tuple[int, int, dt.date]] = []
    folded = text.casefold()
    if _MONTH_START.search(folded) is not None:
        for m in _MDY.finditer(text):
            d = _make(m.group(3), MONTHS.get(m.group(1).casefold(), 0), m.group(2))
            if d:
                found.append((m.start(), m.end(), d))
        for m in _DMY.finditer(text):
            d = _make(m.group(3), MONTHS.get(m.group(2).casefold(), 0), m.group(1))
            if d:
                found.append((m.start(), m.end(), d))
    if not text.isascii():
        for m in _RU_DMY.finditer(text):
            d = _make(m.group(3), RU_MONTHS.get(m.group(2).casefold(), 0), m.group(1))
            if d:
                found.append((m.start(), m.end(), d))
    for m in _NUMERIC.finditer(text) if "." in text else ():
        month = int(m.group(2))
        d = _make(m.group(3), month, m.group(1)) if 1 <= month <= 12 else None
        if d:
            found.append((m.start(), m.end(), d))
    for m in _SLASHED.finditer(text) if "/" in text else ():
        first, second = int(m.group(1)), int(m.group(2))
        if (first > 12) == (second > 12):
            continue  # day and month could be either way round (or neither is one): no date
        day, month = (first, second) if first > 12 else (second, first)
        d = _make(m.group(3), month, str(day))
        if d:
            found.append((m.start(), m.end(), d))
    for m in _ISO.finditer(text) if "-" in text else ():
        month = int(m.group(2))
        d = _make(m.group(1), month, m.group(3)) if 1 <= month <= 12 else None
        if d:
            found.append((m.start(), m.end(), d))
    for m in _DAY_FIRST_DASHED.finditer(text) if "-" in text else ():
        _found(found, m, _make(m.group(3), int(m.group(2)), m.group(1)))
    found.sort()
    return tuple(found)


def find_dates(text: str) -> list[dt.date]:
    """All explicit dates in text, in order of appearance."""
    return [d for _, _, d in _scan(text)]


def first_date(text: str) -> dt.date | None:
    """The first explicit date in text; a month without a day or a day without a year is not one."""
    found = _scan(text)
    return found[0][2] if found else None


_LIST_DASHES = ("-", "\u2013", "\u2014")


def _source_label(line: str) -> re.Match[str] | None:
    """The source label (_SOURCE_TAIL) within a date line's first characters. Tried at every position, so
    first the cheap test: the label holds "ource" or «чник» once lower-cased (no other character matches
    those letters ignoring case)."""
    head = line[:_DATE_LINE_MAX_CHARS].lower()
    if "ource" not in head and "\u0447\u043d\u0438\u043a" not in head:
        return None
    return _SOURCE_TAIL.search(line, 0, _DATE_LINE_MAX_CHARS)


# The cleaning and layout rules ask each line whether it is a date line many times a page (a debris
# test, a header, a zone, the next line's): one answer per line text, kept for the lines of the pages
# read lately. A paragraph is told at once (too long, no source label) and kept out of the memo.
DATE_LINE_MEMO = 8_192


def date_line(line: str) -> dt.date | None:
    """The date if the line is just a date ("07.07.2025", "June 6, 2024."), maybe with a time or a
    dateline's place ("Minsk, 4 Nov., 2011", "25.02.2021 (21:00)"), else None."""
    if len(line) > _DATE_LINE_MAX_CHARS and _source_label(line) is None:
        return None
    return _read_date_line(line)


@functools.lru_cache(maxsize=DATE_LINE_MEMO)
def _read_date_line(line: str) -> dt.date | None:
    source = _source_label(line)
    if len(line) > _DATE_LINE_MAX_CHARS and source is None:
        return None
    if _DECIMAL_DIGIT.search(line, 0, _DATE_LINE_MAX_CHARS) is None:
        return None
    if source is not None:
        line = line[: source.start()]
    if line[:1] in _LIST_DASHES:  # "- 10:46, 14 октября 2025": a news site's stamp set off by a dash
        line = line.lstrip("".join(_LIST_DASHES) + " ")
    time_first = _TIME_FIRST.match(line)
    if time_first is not None:
        line = line[time_first.end() :]
    found: Sequence[tuple[int, int, dt.date]] = _scan(line)
    header_form = not found
    if header_form:
        found = _header_scan(line)
    if len(found) != 1:
        return None
    start, end, date = found[0]
    head = line[:start].strip(" ,.(")
    if head and (len(head) > _PLACE_MAX_CHARS or (_PLACE.fullmatch(head) or _LABEL.fullmatch(head)) is None):
        return None
    if head and header_form and not line[:start].rstrip().endswith((",", ":")):
        return None  # a header's own form after a word is no header's date ("Версия 10.05.22")
    tail = line[end:]
    time = _TIME.match(tail)
    if time is not None:
        tail = tail[time.end() :]
        if _VIEW_COUNT.fullmatch(tail):  # "28.05.2025, 14:26 45981": a stamp and its count of reads
            return date
    tail = tail.replace(")", "")
    if _LINE_TAIL.match(tail):
        return date
    credit = _CREDIT_OPENERS.match(tail) is not None
    tail = tail.strip(_CREDIT_MARKS)
    if len(tail) > _PLACE_MAX_CHARS:
        return None
    if credit and _CREDIT.fullmatch(tail) is not None:
        return date
    return date if _PLACE.fullmatch(tail) is not None or _SITE.fullmatch(tail) is not None else None


def lead_day_month(text: str) -> tuple[int, int] | None:
    """(month, day) of a date written without its year near the start of a lead ("On 13 February, ...",
    "On November 8, ..."); None when the lead opens with no such date or names a full date."""
    head = text[:_LEAD_DAY_MONTH_CHARS]
    if _DECIMAL_DIGIT.search(head) is None:
        return None
    hits = [m for m in (_DM.search(head), _MD.search(head)) if m is not None]
    if not hits:
        return None
    m = min(hits, key=lambda hit: hit.start())
    if m.re is _DM:
        day, month_name = m.group(1), m.group(2)
    else:
        month_name, day = m.group(1), m.group(2)
    if len(text) - m.end() < _LEAD_REST_MIN_CHARS:
        return None  # a bare "December 21" (a cut line) is no lead
    folded = month_name.casefold()
    month = MONTHS.get(folded) or RU_MONTHS.get(folded) or RU_MONTH_ABBREVIATIONS.get(folded, 0)
    if not month or not 1 <= int(day) <= 31:
        return None
    return month, int(day)


# A period stated with its days and month but not its year anywhere in a lead ("... are being worked out in
# the period from 3 to 4 September during ...", "... с 12 по 14 мая ..."): the period is the story's time
# (a range dates its item by its start), the year comes from the page's context. Only a range: a lone day
# further into a lead is as often another event's ("... will be held on 5 May").
_PERIOD = re.compile(
    rf"(?<!\w)(?:from|с)\s+(\d{{1,2}})(?:{_ORD})?\s*(?:[-\u2013\u2014]|to|till|until|по)\s*\d{{1,2}}(?:{_ORD})?"
    rf"\s+(?:of\s+)?({_EN}|{_RU})\b(?!\.?,?\s+\d{{4}})",
    re.IGNORECASE,
)
_PERIOD_CUES = ("from ", "From ", "с ", "С ")


def period_day_month(sentence: str) -> tuple[int, int] | None:
    """(month, day) of the start of a period a sentence states without its year ("in the period from 3
    to 4 September"), else None; a period with its year is a full date (first_date reads it)."""
    if not any(cue in sentence for cue in _PERIOD_CUES):  # most sentences: no regex pass
        return None
    m = _PERIOD.search(sentence)
    if m is None:
        return None
    folded = m.group(2).casefold()
    month = MONTHS.get(folded) or RU_MONTHS.get(folded, 0)
    day = int(m.group(1))
    return (month, day) if month and 1 <= day <= 31 else None


def with_year_near(month: int, day: int, reference: dt.date) -> dt.date | None:
    """The day and month in the year (that of the reference, or one either side) that puts it closest to
    the reference date: a teaser without its year is dated by its neighbours."""
    best: dt.date | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs(candidate - reference) < abs(best - reference):
            best = candidate
    return best


def trailing_date(line: str) -> tuple[str, dt.date] | None:
    """(line without it, date) when the line ends with a date: "... Conference 14.09.2020"."""
    # Every date form ends with a digit, so a line whose tail is not one needs no scan.
    if not line.rstrip(" .,)")[-1:].isdigit():
        return None
    found = _scan(line)
    if not found:
        return None
    start, end, date = found[-1]
    if line[end:].strip(" .,)"):
        return None
    return line[:start].rstrip(" ,-\u2013\u2014"), date


# A date that names a document or an earlier decision, not the event told: "the Agreement of 15 May
# 1992", "dated March 14, 2005", "решением от 12.03.2010".
_QUOTED_BEFORE = re.compile(r"(?:\bof|\bdated|\bот|\bsigned(?:\s+on)?|\bподписанн\w*)\s*$", re.IGNORECASE)
_QUOTED_LOOKBACK_CHARS = 16
_QUOTES = ('"', "\u00ab", "\u201c", "\u201e")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """The spans of text inside quotation marks («...», "...", “...”, „...“), one pass; a quote left open
    runs to the end (a quoted speech that goes on in the next sentence)."""
    spans: list[tuple[int, int]] = []
    low = "\u201e" in text  # „...“: there “ closes a quote
    depth, opened = 0, 0
    for i, ch in enumerate(text):
        if ch == "\u00ab" or ch == "\u201e" or (ch == "\u201c" and not low):
            depth, opened = depth + 1, (opened if depth else i)
        elif ch == "\u00bb" or ch == "\u201d" or (ch == "\u201c" and low):
            if depth:
                depth -= 1
                if not depth:
                    spans.append((opened, i))
        elif ch == '"':
            if depth and text[opened] == '"':
                depth = 0
                spans.append((opened, i))
            elif not depth:
                depth, opened = 1, i
    if depth:
        spans.append((opened, len(text)))
    return spans


def _unquoted(text: str) -> Sequence[tuple[int, int, dt.date]]:
    """_scan(text) without the dates inside a quotation (someone's words name another day: "we expect
    you on 9 May")."""
    found = _scan(text)
    if not found or not any(q in text for q in _QUOTES):
        return found
    inside = _quoted_spans(text)
    out = []
    k = 0  # both lists run in text order: one walk
    for start, end, date in found:
        while k < len(inside) and inside[k][1] <= start:
            k += 1
        if not (k < len(inside) and inside[k][0] < start):
            out.append((start, end, date))
    return out


def first_unquoted_date(text: str) -> dt.date | None:
    """The first explicit date in text that is not inside a quotation."""
    found = _unquoted(text)
    return found[0][2] if found else None


# A document's entry into force told with the day it was signed ("The Agreement ... entered into force and
# was signed by ... on <date>."): the date is the signing's, an earlier event; the entry has none.
_IN_FORCE = ("into force", "в силу", "в действие")
_SIGNED_OR_IN_FORCE = re.compile(
    r"\b(?:signed|подписан\w*)|(into\s+force|в\s+(?:силу|действие))", re.IGNORECASE
)


def _signing_date(sentence: str, start: int) -> bool:
    """The date at start, in a sentence telling an entry into force, is the signing's: "signed" is the
    nearer of the two before it."""
    cues = list(_SIGNED_OR_IN_FORCE.finditer(sentence, 0, start))
    return bool(cues) and cues[-1].group(1) is None


def event_date(sentence: str) -> dt.date | None:
    """The first date in an article's opening sentence that dates what happened ("from 9 to 13 October
    2017, the authorities conducted ..."), skipping dates that name a document or decision, dates
    inside a quotation and the signing date of a document said to enter into force."""
    in_force = any(cue in sentence for cue in _IN_FORCE)
    for start, _, date in _unquoted(sentence):
        before = sentence[max(0, start - _QUOTED_LOOKBACK_CHARS) : start]
        quoted = _QUOTED_BEFORE.search(before)
        if in_force and _signing_date(sentence, start):
            continue
        # "dated March 14, 2005" opening a document's own header dates the document itself
        if quoted is None or not sentence[: start - len(before) + quoted.start()].strip():
            return date
    return None


def in_lead_year(lead: str, month: int, day: int) -> dt.date | None:
    """A lead's day and month in the one year the lead states ("17 февраля ... первый в 2009 году
    выпуск"); None when it states no year or several."""
    years = stated_years(lead)
    if len(years) != 1:
        return None
    return _make(str(years.pop()), month, str(day))


# A year with one of its last two characters mistyped near a lead's start ("October 10, 20`8"): the
# century as written, then a digit and another character.
_MISTYPED_YEAR = re.compile(r"(?<!\S)((?:19|20)(?:\d[^\s\d,.;]|[^\s\d,.;]\d))(?=[\s,.;]|$)")
MISTYPED_LOOK_CHARS = 60


def mistyped_year(lead: str, month: int, day: int, story: str) -> dt.date | None:
    """The lead's day and month in the year it mistyped ("October 10, 20`8"), when the story (its
    headline and text: "Interaction-2018") names exactly one year that fits the three digits in place."""
    m = _MISTYPED_YEAR.search(lead, 0, MISTYPED_LOOK_CHARS)
    if m is None:
        return None
    typed = m.group(1)
    fits = {
        y
        for y in year_numbers(story)
        if all(a == b or not a.isdigit() for a, b in zip(typed, y, strict=True))
    }
    return _make(fits.pop(), month, str(day)) if len(fits) == 1 else None


# A place and a date in figures ("Бишкек, 18.05.22. /Кабар/."): in a dateline only after its place, so
# that a paragraph opening with a bare date and a dash stays an ordinary sentence.
_NUMERIC_DATELINE_DATE = r"(?P<num_day>\d{1,2})\.(?P<num_month>\d{1,2})\.(?P<num_year>\d\d(?:\d\d)?)(?!\d)"
# A news agency's dateline opening a story: "МИНСК, 9 фев - Агентство.", "ОШ, 5 окт — Агентство.",
# "11 мая, Минск /Иван Петров - АГЕНТСТВО/.", "Ош. 6 июня. AGENCY TODAY -", "CITY, May 24. /AGENCY/."
# (English agencies write the month first). A place, a day
# and a month (no year), an agency: never a story's headline. Bounded: read on short sentences only.
_PLACE_WORD = r"(?-i:[A-ZА-ЯЁ][\w\-]*(?:[\s\-][A-ZА-ЯЁ][\w\-]*)?)"
_DATELINE = re.compile(
    rf"(?:{_PLACE_WORD}[.,]\s*{_NUMERIC_DATELINE_DATE}|(?:{_PLACE_WORD}[.,]\s*)?"
    rf"(?:(?P<day>\d{{1,2}})\s+(?P<month>{_RU}|{_RU_SHORT}|{_EN})|(?P<en_month>{_EN})\.?\s+(?P<en_day>\d{{1,2}})))\.?(?:,?\s+\d{{4}}(?:\s*г\.?)?)?"
    rf"(?:[.,]?\s+{_PLACE_WORD})?[.,]?\s*(?:[-\u2013\u2014]\s*[^.!?\n]{{0,40}}|/[^/\n]{{1,40}}/)\.?",
    re.IGNORECASE,
)
DATELINE_MAX_CHARS = 80
# The forms of a dateline opening a story's first paragraph that _DATELINE leaves, as English-language
# agencies write them: the place in capitals, then "MOSCOW. AGENCY – ", "CITY, APRIL 12, AGENCY. ",
# "PLACE NAME /Country/, October 24. /AGENCY/. ", "CITY, December 13, 2011, Agency -- ", or the place
# alone ("MOSCOW. "). What follows opens with a capital or a quote. Anchored and bounded: a few tests.
_CAPS_PLACE = (
    r"(?-i:[A-ZА-ЯЁ][A-ZА-ЯЁ'\u2019\-]+(?: [A-ZА-ЯЁ][A-ZА-ЯЁ'\u2019\-]+){0,3})(?:\s*/[^/\n]{1,30}/)?"
)
_AGENCY = r"(?-i:[A-ZА-ЯЁ][\w\-]*(?: [A-ZА-ЯЁ][\w\-]*){0,2})"
_DASH = r"(?:--|[-\u2013\u2014])"
_QUOTED_AGENCY = '[\u00ab"\u201c][^\u00bb"\u201d\n]{1,30}[\u00bb"\u201d]'
_DATELINE_PREFIX = re.compile(
    # a place (in capitals, or any capitalised one before a date), its day, an agency
    rf"(?:(?:{_CAPS_PLACE}|{_PLACE_WORD})[.,]\s*(?:(?P<day>\d{{1,2}})\s+(?P<month>{_RU}|{_RU_SHORT}|{_EN})"
    rf"|(?P<en_month>{_EN})\.?\s+(?P<en_day>\d{{1,2}}))\.?(?:,?\s+\d{{4}}(?:\s*г\.?)?)?[.,]?\s*"
    rf"(?:/[^/\n]{{1,40}}/\.?(?:\s*{_DASH})?|(?:{_AGENCY}|{_QUOTED_AGENCY})\s*{_DASH}|{_AGENCY}\.|{_DASH}\s*{_AGENCY}\.)"
    # a place in capitals and an agency, or the place alone ("MOSCOW. KAZINFORM – ", "YEREVAN. – ")
    rf"|{_CAPS_PLACE}(?:[.,]\s*(?:{_AGENCY}\s*)?{_DASH}|\.)"
    r")\s+(?=(?-i:[A-ZА-ЯЁ\"'\u201c\u00ab]))",
    re.IGNORECASE,
)


def dateline_prefix_end(paragraph: str) -> int:
    """Where the text after a dateline that opens the paragraph starts ("MOSCOW. AGENCY – The ..."):
    0 when it opens with none."""
    if not paragraph[:1].isupper() and not paragraph[:1].isdigit():
        return 0
    head = paragraph[:DATELINE_MAX_CHARS]
    m = _DATELINE_PREFIX.match(head)
    if m is None:
        m = _DATELINE.match(head)  # "11 мая, Минск /Иван Петров - АГЕНТСТВО/.": the slashes close it
        if m is None or not m.group().rstrip(".").endswith("/"):
            return 0
    dash = _DASH_AFTER.match(paragraph, m.end())  # "/Синьхуа/ -- ": the dash goes with the dateline
    end = dash.end() if dash is not None else m.end()
    return end if end < len(paragraph.rstrip()) else 0


_DASH_AFTER = re.compile(rf"\s*(?:{_DASH}\s*)?")


def dateline(sentence: str) -> tuple[int, int] | None:
    """(month, day) when the sentence is only a news agency's dateline, else None."""
    if len(sentence) > DATELINE_MAX_CHARS or not sentence[:1].isupper() and not sentence[:1].isdigit():
        return None
    if _DECIMAL_DIGIT.search(sentence) is None:  # a dateline has its day
        return None
    return _dateline_day(_DATELINE.fullmatch(sentence.strip()))


def opening_dateline(paragraph: str) -> tuple[int, int, dt.date | None] | None:
    """(month, day, full date if it states the year) of the news agency's dateline a paragraph opens
    with ("Ош. 6 июня. Агентство – Совещание открылось ..."), else None. Reads the paragraph's
    first characters only."""
    if not paragraph[:1].isupper() and not paragraph[:1].isdigit():
        return None
    head = paragraph[:DATELINE_MAX_CHARS]
    if _DECIMAL_DIGIT.search(head) is None:  # a dateline has its day (a place and an agency alone: none)
        return None
    m = _DATELINE.match(head)
    if m is None and head[:1].isupper():
        m = _DATELINE_PREFIX.match(head)
        if m is not None and m.group("day") is None and m.group("en_day") is None:
            return None  # a place and an agency: no day
    day = _dateline_day(m)
    if m is None or day is None:
        return None
    return day[0], day[1], _numeric_dateline_date(m) or first_date(m.group(0))


def _numeric_dateline_date(m: re.Match[str]) -> dt.date | None:
    """The date of a dateline that writes it in figures ("Бишкек, 18.05.22. /Кабар/."), else None."""
    year = m.groupdict().get("num_year")
    return None if year is None else _in_year(year, int(m.group("num_month")), m.group("num_day"))


def _dateline_day(m: re.Match[str] | None) -> tuple[int, int] | None:
    if m is None:
        return None
    if m.groupdict().get("num_year") is not None:
        numeric = _numeric_dateline_date(m)
        return None if numeric is None else (numeric.month, numeric.day)
    folded = (m.group("month") or m.group("en_month")).casefold()
    month = RU_MONTHS.get(folded) or RU_MONTH_ABBREVIATIONS.get(folded) or MONTHS.get(folded, 0)
    day = int(m.group("day") or m.group("en_day"))
    return (month, day) if month and 1 <= day <= 31 else None

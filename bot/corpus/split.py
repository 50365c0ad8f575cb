"""Page structure: teasers (dated or not), a salutation block, then the main article from its headline on."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from .dates import date_line, trailing_date
from .sentences import ends_sentence

_SALUTATION = re.compile(
    r"^(?:Dear|Distinguished|Esteemed|Ladies\s+and\s+Gentlemen|Уважаем\w*|Дорог\w*)\b.{0,80}!$",
    re.IGNORECASE,
)
# "Dear colleagues," is never a headline.
_ADDRESS = re.compile(r"^(?:Dear|Уважаем\w*)\b", re.IGNORECASE)
HEADLINE_MIN_WORDS = 4
HEADLINE_MIN_CHARS = 20
HEADLINE_MAX_CHARS = 300
FRAGMENT_MAX_WORDS = 2  # a teaser-zone line this short without end punctuation is a label, not news
_WS = re.compile(r"\s+")


class Block(NamedTuple):  # a tuple, not a frozen dataclass: made for every block of every page
    """A page region that becomes one item. headline_line is set for the main article only."""

    kind: str  # "teaser" | "salutation" | "article"
    paragraphs: tuple[str, ...]
    headline_line: str | None
    date: dt.date | None  # from a date line or the headline; the lead sentence is consulted later


def is_salutation(line: str) -> bool:
    """A short address line: "Dear Sergey Kuzhugetovich!", "Dear colleagues!"."""
    return _SALUTATION.match(line) is not None


def is_headline(line: str) -> bool:
    """A line that reads like a title: no end punctuation, not a date or salutation, title-sized."""
    if not HEADLINE_MIN_CHARS <= len(line) <= HEADLINE_MAX_CHARS or ends_sentence(line):
        return False
    if line.endswith((":", ",", ";")) or line[0].islower() or _ADDRESS.match(line):
        return False
    if len(line.split(None, HEADLINE_MIN_WORDS - 1)) < HEADLINE_MIN_WORDS:  # fewer words than that
        return False
    return date_line(line) is None and not is_salutation(line)


def find_headline(lines: list[str]) -> int | None:
    """Index of the main article's headline: the first title-like line of the page."""
    for i, line in enumerate(lines):
        if is_headline(line):
            return i
    return None


def _teasers(zone: list[str]) -> tuple[list[Block], dt.date | None]:
    """Teaser-zone lines to blocks: date line + paragraph, Dear-lines + one paragraph, or a paragraph.

    Also returns a date line left over at the end of the zone: it stands right above the headline.
    """
    blocks: list[Block] = []
    pending: dt.date | None = None
    i, n = 0, len(zone)
    while i < n:
        line = zone[i]
        day = date_line(line)
        if day is not None:
            pending = day
            i += 1
            continue
        if is_salutation(line):
            j = i
            while j < n and is_salutation(zone[j]):
                j += 1
            if j < n and date_line(zone[j]) is None:
                j += 1
            blocks.append(Block("salutation", tuple(zone[i:j]), None, pending))
        elif len(line.split(None, FRAGMENT_MAX_WORDS)) > FRAGMENT_MAX_WORDS or ends_sentence(line):
            blocks.append(Block("teaser", (line,), None, pending))
            j = i + 1
        else:
            j = i + 1  # a stray label such as "Photo": not news
        pending = None
        i = j
    return blocks, pending


def _same_text(a: str, b: str) -> bool:
    return _spaced(a).casefold() == _spaced(b).casefold()


def _spaced(text: str) -> str:
    """text with every whitespace run as one space; printable text without double spaces already is."""
    if text.isprintable() and "  " not in text:
        return text
    return _WS.sub(" ", text)


def split_page(lines: list[str]) -> list[Block]:
    """Cut the cleaned lines of a page into item blocks, in page order."""
    if not lines:
        return []
    h = find_headline(lines)
    if h is None:
        first = date_line(lines[0])
        body = lines[1:] if first is not None else lines
        return [Block("article", tuple(body), None, first)] if body else []
    blocks, date_above = _teasers(lines[:h])
    headline = lines[h]
    j = h + 1
    date: dt.date | None = None
    if j < len(lines):
        nxt = lines[j]
        if _same_text(nxt, headline):
            j += 1
        else:
            tail = trailing_date(nxt)
            if tail is not None and _same_text(tail[0], headline):
                date = tail[1]
                j += 1
    if j < len(lines):
        own = date_line(lines[j])
        if own is not None:
            date = own
            j += 1
    if date is None:
        tail = trailing_date(headline)
        date = tail[1] if tail is not None else date_above
    blocks.append(Block("article", tuple(lines[j:]), headline, date))
    return blocks

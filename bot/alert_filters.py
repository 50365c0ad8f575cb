"""Subscription filters: parse what a user typed after /subscribe and decide whether an item matches.

Plain literal and fuzzy matching only (never a user-supplied regex): words and "quoted phrases" match
the item text case-insensitively on word boundaries, person:<name> matches a person the item names with
the same fuzzy rule as /who, op:<operation> an operation it names. Several filters: any one may match.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

MAX_FILTERS = 10
MAX_FILTER_CHARS = 100
PERSON_SCORE = 85.0
OPERATION_SCORE = 85.0


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def parse_filters(text: str) -> tuple[str, ...]:
    """Split the /subscribe arguments into filters; quotes group a phrase. Never raises."""
    text = text.strip()[: MAX_FILTERS * MAX_FILTER_CHARS]
    try:
        parts = shlex.split(text)
    except ValueError:  # an unbalanced quote: take the words literally
        parts = text.replace('"', " ").split()
    filters: list[str] = []
    for part in parts:
        part = " ".join(part.split())[:MAX_FILTER_CHARS]
        kind, _, value = part.partition(":")
        if kind.lower() in ("person", "op") and not value.strip():
            continue
        if part and part not in filters:
            filters.append(part)
    return tuple(filters[:MAX_FILTERS])


def _person_matches(wanted: str, people: Iterable[str]) -> bool:
    wanted_f = _fold(wanted)
    for name in people:
        name_f = _fold(name)
        surname = name_f.split()[-1] if name_f.split() else name_f
        if fuzz.WRatio(wanted_f, name_f) >= PERSON_SCORE or fuzz.ratio(wanted_f, surname) >= PERSON_SCORE:
            return True
    return False


def _operation_matches(wanted: str, operations: Iterable[str]) -> bool:
    wanted_f = _fold(wanted)
    return any(fuzz.ratio(wanted_f, _fold(op)) >= OPERATION_SCORE for op in operations)


def matches(filters: Sequence[str], text: str, people: Iterable[str], operations: Iterable[str]) -> bool:
    """True when the chat wants this item: no filters, or at least one filter matches."""
    if not filters:
        return True
    people, operations = tuple(people), tuple(operations)
    folded = _fold(text)
    for item in filters:
        kind, _, value = item.partition(":")
        if kind.lower() == "person" and value:
            if _person_matches(value, people):
                return True
        elif kind.lower() == "op" and value:
            if _operation_matches(value, operations):
                return True
        elif re.search(r"(?<!\w)" + re.escape(_fold(item)) + r"(?!\w)", folded):
            return True
    return False

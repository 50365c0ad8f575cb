"""Subscription filters: parse what a user typed after /subscribe and decide whether an item matches.

Plain literal and fuzzy matching only (never a user-supplied regex): words and "quoted phrases" match
whole words of the item's headline and body, in that order, case and accents aside (bot.store finds
them with SQLite FTS5 over the new items; punctuation inside a filter separates words as a space does);
person:<name> matches a person the item names with the same fuzzy rule as /who, op:<operation> an
operation it names. Several filters: any one may match; none: every new item.
"""

from __future__ import annotations

import shlex
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from rapidfuzz import fuzz, process

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


def is_named(item: str) -> bool:
    """person:<name> or op:<operation> (with a name); anything else is words to find in the text.
    bot.store says the same in SQL (NAMED_FILTER_SQL)."""
    kind, _, value = item.partition(":")
    return kind.lower() in ("person", "op") and bool(value)


def named_hits(
    filters: Iterable[str], people: Mapping[int, Iterable[str]], operations: Mapping[int, Iterable[str]]
) -> list[tuple[str, int]]:
    """(filter, item id) for every person:/op: filter and every item naming someone (an operation) it
    means: the same fuzzy rule as /who (a typo still matches).

    Each name is folded once and each distinct filter compared with the distinct names in one
    rapidfuzz call (C++), so the cost grows with filters x names, never with subscriptions or text.
    """
    people_index = _NameIndex(people)
    operations_index = _NameIndex(operations)
    hits: list[tuple[str, int]] = []
    for item in dict.fromkeys(filters):
        if not is_named(item):
            continue
        kind, _, value = item.partition(":")
        wanted = _fold(value)
        if kind.lower() == "person":
            items = people_index.items_near(wanted, fuzz.WRatio, PERSON_SCORE, surnames=True)
        else:
            items = operations_index.items_near(wanted, fuzz.ratio, OPERATION_SCORE, surnames=False)
        hits.extend((item, item_id) for item_id in sorted(items))
    return hits


class _NameIndex:
    """Distinct names of a set of items, folded once, with the items naming each."""

    def __init__(self, names_by_item: Mapping[int, Iterable[str]]) -> None:
        items_of: dict[str, set[int]] = {}
        for item_id, names in names_by_item.items():
            for name in names:
                items_of.setdefault(_fold(name), set()).add(item_id)
        self.folded = list(items_of)
        self.surnames = [name.split()[-1] if name.split() else name for name in self.folded]
        self.items_of = [items_of[name] for name in self.folded]

    def items_near(
        self, wanted: str, scorer: Callable[..., float], cutoff: float, *, surnames: bool
    ) -> set[int]:
        found = {
            index
            for _, _, index in process.extract(
                wanted, self.folded, scorer=scorer, score_cutoff=cutoff, limit=None
            )
        }
        if surnames:
            found.update(
                index
                for _, _, index in process.extract(
                    wanted, self.surnames, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
                )
            )
        return {item_id for index in found for item_id in self.items_of[index]}

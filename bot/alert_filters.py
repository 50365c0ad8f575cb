"""Subscription filters: parse what a user typed after /subscribe and decide whether an item matches.

Plain literal and fuzzy matching only (never a user-supplied regex): words and "quoted phrases" match
whole words of the item's headline and body, in that order, case and accents aside (bot.store finds
them with SQLite FTS5 over the new items; punctuation inside a filter separates words as a space does);
person:<name> matches a person the item names, op:<operation> an operation it names, by bot.matching's
rule: /who's and /operations' fold and scorers, each name on its own at FILTER_CUTOFF. Several filters:
any one may match; none: every new item.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping

from bot.matching import FILTER_CUTOFF, fold, name_scores, near_operations

MAX_FILTERS = 10
MAX_FILTER_CHARS = 100


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
    means: /who's (/operations') fold and scorers, so a typo still matches.

    Each name is folded once and each distinct filter compared with the distinct names in chunked
    rapidfuzz calls (C++), so the cost grows with filters x names, never with subscriptions or text.
    """
    people_index = _NameIndex(people)
    operations_index = _NameIndex(operations)
    hits: list[tuple[str, int]] = []
    for item in dict.fromkeys(filters):
        if not is_named(item):
            continue
        kind, _, value = item.partition(":")
        if kind.lower() == "person":
            items = people_index.people_near(value)
        else:
            items = operations_index.items_of_names(near_operations(value, operations_index.folded))
        hits.extend((item, item_id) for item_id in sorted(items))
    return hits


class _NameIndex:
    """Distinct names of a set of items, folded once, and their distinct words, with the items naming each."""

    def __init__(self, names_by_item: Mapping[int, Iterable[str]]) -> None:
        items_of: dict[str, set[int]] = {}
        for item_id, names in names_by_item.items():
            for name in names:
                items_of.setdefault(fold(name), set()).add(item_id)
        items_of.pop("", None)
        self.folded = list(items_of)
        self.items_of = [items_of[name] for name in self.folded]
        items_of_word: dict[str, set[int]] = {}
        for name, items in items_of.items():
            for word in name.split():
                items_of_word.setdefault(word, set()).update(items)
        self.words = list(items_of_word)
        self.items_of_word = [items_of_word[word] for word in self.words]

    def items_of_names(self, positions: Iterable[int]) -> set[int]:
        return {item_id for position in positions for item_id in self.items_of[position]}

    def people_near(self, query: str) -> set[int]:
        """The items naming someone `query` means: /who's scores, each name on its own at FILTER_CUTOFF."""
        by_name, by_word = name_scores(fold(query), self.folded, self.words, None, FILTER_CUTOFF)
        found = self.items_of_names(position for _, position in by_name)
        return found.union(*(self.items_of_word[position] for _, position in by_word))

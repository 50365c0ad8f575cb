"""Subscription filters: parse what a user typed after /subscribe and decide whether an item matches.

Plain literal and fuzzy matching only (never a user-supplied regex): words and "quoted phrases" match
whole words of the item's headline and body, in that order, in any inflected form (their Snowball stems,
as /search compares them), case and accents aside (bot.store finds
them with SQLite FTS5 over the new items; punctuation inside a filter separates words as a space does);
person:<name> matches a person the item names, op:<operation> an operation it names, by /who's rule:
a name whose person key (bot.corpus.name_keys: one key across spellings and scripts, so person:Сердюков
is person:Serdyukov) is one the corpus knows means exactly the people of that key (a full name: that
person; a surname alone: everyone of that surname); any other (a typo, a given name alone, someone the
corpus never named) is compared with each name by bot.matching's fold and scorers, on its own at
FILTER_CUTOFF. op:<operation> uses /operations' fold and scorer the same way. Several filters: any one
may match; none: every new item.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.corpus.name_keys import (
    has_initials,
    initials_match,
    is_full_key,
    person_key,
    row_key,
    surname_of,
    written_key,
)
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


@dataclass(slots=True)
class KnownPeople:
    """The person keys a corpus knows (name_keys.row_key of every person row), as a person: filter is
    resolved against them: full "given surname" keys, the surnames in them, and the written-form keys of
    rows with no full name ("n. patrushev", a surname alone)."""

    full: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)

    @classmethod
    def of_keys(cls, keys: Iterable[str]) -> KnownPeople:
        known = cls()
        known.add(keys)
        return known

    def add(self, keys: Iterable[str]) -> None:
        for key in keys:
            if is_full_key(key):
                self.full.add(key)
                self.surnames.add(key.rpartition(" ")[2])
            else:
                self.written.add(key)
                surname = surname_of(key)
                if surname:
                    self.surnames.add(surname)


def named_hits(
    filters: Iterable[str],
    people: Mapping[int, Iterable[str]],
    operations: Mapping[int, Iterable[str]],
    known: KnownPeople | None = None,
) -> list[tuple[str, int]]:
    """(filter, item id) for every person:/op: filter and every item naming someone (an operation) it
    means. `people` and `operations` hold the names each new item gives; `known` the people of the whole
    corpus (default: those named in `people`), which decide whether a person: filter is an exact key.

    A filter with a known key costs a few set lookups; only the others are scored: each name is folded
    once and each such filter compared with the distinct names in chunked rapidfuzz calls (C++), so
    the cost grows with those filters x names, never with subscriptions or text.
    """
    names = [name for names_of_item in people.values() for name in names_of_item]
    if known is None:
        known = KnownPeople.of_keys(row_key(name) for name in names)
    people_keys = _KeyIndex(people)
    people_index: _NameIndex | None = None
    operations_index: _NameIndex | None = None
    hits: list[tuple[str, int]] = []
    for item in dict.fromkeys(filters):
        if not is_named(item):
            continue
        kind, _, value = item.partition(":")
        if kind.lower() == "person":
            items = people_keys.exact(value, known)
            if items is None:
                people_index = people_index or _NameIndex(people)
                items = people_index.people_near(value)
        else:
            operations_index = operations_index or _NameIndex(operations)
            items = operations_index.items_of_names(near_operations(value, operations_index.folded))
        hits.extend((item, item_id) for item_id in sorted(items))
    return hits


class _KeyIndex:
    """The items naming each person key, surname and written-form key (name_keys), for exact filters."""

    def __init__(self, names_by_item: Mapping[int, Iterable[str]]) -> None:
        self.by_full: dict[str, set[int]] = {}
        self.by_surname: dict[str, set[int]] = {}
        self.by_written: dict[str, set[int]] = {}
        self.initials: dict[str, set[int]] = {}  # names written with initials ("S. Ordabayev")
        for item_id, names in names_by_item.items():
            for name in names:
                key = person_key(name)
                if not key:
                    continue
                if " " in key:
                    self.by_full.setdefault(key, set()).add(item_id)
                elif has_initials(name):
                    self.initials.setdefault(name, set()).add(item_id)
                self.by_surname.setdefault(key.rpartition(" ")[2], set()).add(item_id)
                self.by_written.setdefault(written_key(name), set()).add(item_id)

    def exact(self, query: str, known: KnownPeople) -> set[int] | None:
        """The items naming the people `query` is the key of, if the corpus knows that key (/who's
        answer by key); None when it knows no one by it (then the fuzzy rule decides)."""
        key = person_key(query)
        if " " in key and not has_initials(query):
            if key not in known.full:
                return None
            fitting = (ids for name, ids in self.initials.items() if initials_match(name, key))
            return self.by_full.get(key, set()).union(*fitting)
        written = written_key(query)
        if not key or (key not in known.surnames and written not in known.written):
            return None
        return self.by_surname.get(key, set()) | self.by_written.get(written, set())


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

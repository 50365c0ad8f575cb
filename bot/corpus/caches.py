"""Memo tables for the corpus rules, bounded by the characters they hold, not by their number of entries.

Template sentences, runs and names recur from page to page, so the rules remember what they computed. A
bound on the entry count alone let one large page fill a table with whole sentences (tens of MB); here
each table has a character budget, and an entry longer than its per-entry limit is computed but never
kept. What is remembered (words, persons, runs) grows with its key, so memory stays in proportion.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class CharBudget(dict[K, V], Generic[K, V]):
    """A dict that keeps at most max_chars characters of keys (as measured by size_of), none of them
    longer than max_entry_chars. When full, the oldest entries go (dicts keep insertion order) until half
    the budget is free: the entries met lately, the likeliest to recur, survive.

    Read it as a dict (`get` stays the C method); add with `put`.
    """

    def __init__(self, size_of: Callable[[K], int], max_chars: int, max_entry_chars: int) -> None:
        super().__init__()
        self.max_chars = max_chars
        self.max_entry_chars = max_entry_chars
        self.size_of = size_of
        self.chars = 0

    def put(self, key: K, value: V) -> V:
        """Remember value under key if it fits; return value either way."""
        size = self.size_of(key)
        if size > self.max_entry_chars or key in self:
            return value
        if self.chars + size > self.max_chars:
            self._evict(self.max_chars // 2 - size)
        self[key] = value
        self.chars += size
        return value

    def _evict(self, keep: int) -> None:
        """Drop the oldest entries until at most keep characters remain."""
        size_of = self.size_of
        doomed: list[K] = []
        chars = self.chars
        # A snapshot (one C call, atomic under the GIL): person_key's table is also used by the store's
        # thread, and iterating a dict another thread changes raises.
        for key in list(self):
            if chars <= keep:
                break
            chars -= size_of(key)
            doomed.append(key)
        for key in doomed:
            self.pop(key, None)
        self.chars = chars

    def clear(self) -> None:
        super().clear()
        self.chars = 0


_MISSING = object()


def memo_text(max_chars: int, max_entry_chars: int) -> Callable[[Callable[[str], V]], Callable[[str], V]]:
    """Decorator: remember a pure function of one string in a CharBudget table (None results too)."""

    def wrap(fn: Callable[[str], V]) -> Callable[[str], V]:
        table: CharBudget[str, V] = CharBudget(len, max_chars, max_entry_chars)
        get, put = table.get, table.put

        @functools.wraps(fn)
        def call(text: str) -> V:
            hit = get(text, _MISSING)
            if hit is _MISSING:
                return put(text, fn(text))
            return hit  # type: ignore[return-value]

        call.table = table  # type: ignore[attr-defined]
        return call

    return wrap

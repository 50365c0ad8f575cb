"""Memo tables for the corpus rules, bounded by the characters they hold, not by their number of entries.

Template sentences, runs and names recur from page to page, so the rules remember what they computed. A
bound on the entry count alone let one large page fill a table with whole sentences (tens of MB); here
each table has a character budget, and an entry longer than its per-entry limit is computed but never
kept. What is remembered (words, persons, runs) grows with its key, so memory stays in proportion.
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
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
        """Drop the oldest entries until at most keep characters remain: the shortest run of oldest
        keys whose sizes add up to the excess. Sizes are summed and keys dropped by C-level maps (a
        table of short names holds tens of thousands of keys)."""
        excess = self.chars - keep
        if excess <= 0:
            return
        # A snapshot (one C call, atomic under the GIL): person_key's table is also used by the store's
        # thread, and iterating a dict another thread changes raises.
        keys = list(self)
        running = list(itertools.accumulate(map(self.size_of, keys)))
        doomed = min(bisect.bisect_left(running, excess) + 1, len(keys))
        collections.deque(map(self.pop, keys[:doomed], itertools.repeat(None, doomed)), maxlen=0)
        self.chars -= running[doomed - 1] if doomed else 0

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

"""A least-recently-used map bounded by bytes as well as by entries, for what users' text fills.

A count alone bounds nothing when each entry is as large as a user makes it (the search buttons' tokens
of long queries filled memory that a count never saw): each entry is weighed when it is put, and the least
recently used go until the total fits again.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

ENTRY_OVERHEAD = 120  # bytes an OrderedDict entry costs beyond its key and value (hash slot, link node)


def approx_bytes(value: object) -> int:
    """Memory held by `value` and what it contains: strings, numbers, tuples/lists and dataclasses of
    those (replies and their buttons). Shared small objects are counted each time: an upper bound."""
    if isinstance(value, (tuple, list)):
        return sys.getsizeof(value) + sum(approx_bytes(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return sys.getsizeof(value) + sum(approx_bytes(getattr(value, f.name)) for f in fields)
    return sys.getsizeof(value)


class SizedLRU(Generic[K, V]):
    """At most `max_items` entries and `max_bytes` (as `size_of` weighs them); the least recently used
    entry goes first. An entry heavier than `max_bytes` alone is not kept."""

    def __init__(self, max_items: int, max_bytes: int, size_of: Callable[[K, V], int]) -> None:
        self.max_items = max_items
        self.max_bytes = max_bytes
        self._size_of = size_of
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self.nbytes = 0

    def get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is None:
            return None
        self._entries.move_to_end(key)
        return found[0]

    def put(self, key: K, value: V) -> bool:
        """Keep `value` under `key` as the most recent entry; False when it is too heavy to keep."""
        self.pop(key)
        size = self._size_of(key, value) + ENTRY_OVERHEAD
        if size > self.max_bytes or self.max_items <= 0:
            return False
        self._entries[key] = (value, size)
        self.nbytes += size
        while len(self._entries) > self.max_items or self.nbytes > self.max_bytes:
            _, (_, evicted) = self._entries.popitem(last=False)
            self.nbytes -= evicted
        return True

    def pop(self, key: K) -> V | None:
        found = self._entries.pop(key, None)
        if found is None:
            return None
        self.nbytes -= found[1]
        return found[0]

    def clear(self) -> None:
        self._entries.clear()
        self.nbytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

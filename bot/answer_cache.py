"""Replies that depend only on the corpus and the command's words, kept until the corpus changes.

Many users ask the same things (/latest, /operations, a name in the news): rendering each once per
corpus version spares the store, rapidfuzz and the renderer. Bounded LRU (by count and by bytes: a key
holds the user's words, a reply up to 4,096 characters), emptied by any load that changes items, so an
answer is never staler than the corpus it was built from.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable

from bot.lru import SizedLRU, approx_bytes
from bot.render import Reply

MAX_BYTES = 4 * 2**20


def _entry_bytes(key: Hashable, reply: Reply) -> int:
    return approx_bytes(key) + approx_bytes(reply)


class AnswerCache:
    def __init__(self, capacity: int = 512, max_bytes: int = MAX_BYTES) -> None:
        self.capacity = capacity
        self._version: object = None
        self._replies: SizedLRU[Hashable, Reply] = SizedLRU(capacity, max_bytes, _entry_bytes)
        self.hits = 0
        self.misses = 0

    def get(self, version: object, key: Hashable) -> Reply | None:
        if version != self._version:
            self._replies.clear()
            self._version = version
            return None
        return self._replies.get(key)

    def put(self, version: object, key: Hashable, reply: Reply) -> None:
        """Keep `reply` if it was built from the corpus the cache holds (a load may have run meanwhile)."""
        if version == self._version:
            self._replies.put(key, reply)

    async def reply(self, version: object, key: Hashable, build: Callable[[], Awaitable[Reply]]) -> Reply:
        """The kept reply for `key`, or `build()`'s, kept for the next asker."""
        found = self.get(version, key)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        built = await build()
        self.put(version, key, built)
        return built

    def clear(self) -> None:
        self._replies.clear()
        self._version = None

    @property
    def nbytes(self) -> int:
        """What the kept replies and their keys weigh (approximately), at most `max_bytes`."""
        return self._replies.nbytes

    def __len__(self) -> int:
        return len(self._replies)

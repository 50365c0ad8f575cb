"""Replies that depend only on the corpus and the command's words, kept until the corpus changes.

Many users ask the same things (/latest, /operations, a name in the news): rendering each once per
corpus version spares the store, rapidfuzz and the renderer. Bounded LRU, emptied by any load that
changes items, so an answer is never staler than the corpus it was built from.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

from bot.render import Reply


class AnswerCache:
    def __init__(self, capacity: int = 512) -> None:
        self.capacity = capacity
        self._version: object = None
        self._replies: OrderedDict[Hashable, Reply] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, version: object, key: Hashable) -> Reply | None:
        if version != self._version:
            self._replies.clear()
            self._version = version
            return None
        reply = self._replies.get(key)
        if reply is not None:
            self._replies.move_to_end(key)
        return reply

    def put(self, version: object, key: Hashable, reply: Reply) -> None:
        """Keep `reply` if it was built from the corpus the cache holds (a load may have run meanwhile)."""
        if version != self._version or self.capacity <= 0:
            return
        self._replies[key] = reply
        self._replies.move_to_end(key)
        while len(self._replies) > self.capacity:
            self._replies.popitem(last=False)

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

    def __len__(self) -> int:
        return len(self._replies)

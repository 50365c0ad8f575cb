"""What every handler reaches through `context`: the store, settings and small in-memory caches.

Nothing here knows Telegram; bot.app fills it in post_init and empties it in post_shutdown.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from bot.answer_cache import AnswerCache
from bot.config import Settings
from bot.corpus.model import Lexicon
from bot.flood import FloodGuard
from bot.loader import Loader
from bot.lru import SizedLRU
from bot.people_index import PeopleIndex
from bot.records import OperationSummary
from bot.render import Reply, with_loading_note
from bot.store import Store
from bot.timelines import Timelines

T = TypeVar("T")
REUSE_WHILE_LOADING = 15.0  # seconds; see Derived


class NotReady(RuntimeError):
    """A handler ran before post_init opened the store (or after shutdown)."""


class ButtonSessions:
    """Short tokens for buttons whose state does not fit in 64 bytes (a search query).

    Bounded LRU in memory, by count and by bytes (a query is as long as a user makes it): after a
    restart or eviction the token is unknown and the button answers "expired" instead of guessing. A
    query longer than MAX_QUERY gets no token (its answer has no page buttons).
    """

    MAX_QUERY = 1000  # characters
    MAX_BYTES = 4 * 2**20

    def __init__(self, capacity: int = 10_000, max_bytes: int = MAX_BYTES) -> None:
        self.capacity = capacity
        self._values: SizedLRU[str, str] = SizedLRU(capacity, max_bytes, _token_bytes)

    def put(self, value: str) -> str | None:
        """A new token for `value`, or None when the value is too long to keep."""
        if len(value) > self.MAX_QUERY:
            return None
        token = secrets.token_urlsafe(6)
        return token if self._values.put(token, value) else None

    def keep(self, token: str, value: str) -> None:
        """Hold `token` again (a kept answer's buttons must outlive the tokens issued since)."""
        if len(value) <= self.MAX_QUERY:
            self._values.put(token, value)

    def get(self, token: str) -> str | None:
        return self._values.get(token)

    @property
    def nbytes(self) -> int:
        """What the tokens and their queries weigh (approximately), at most `max_bytes`."""
        return self._values.nbytes

    def __len__(self) -> int:
        return len(self._values)


def _token_bytes(token: str, value: str) -> int:
    return sys.getsizeof(token) + sys.getsizeof(value)


@dataclass
class Derived(Generic[T]):
    """A value built from the whole corpus (seconds of SQL at 100k pages): built once per corpus
    version, one build at a time (a /who during the warmer's build waits for it, not a second build).

    During a long load the corpus changes with every batch, about a second apart: there a value younger
    than REUSE_WHILE_LOADING is used as it is (answers given during a load say they cover what is
    loaded), rather than one rebuild per batch for every user who asks. The warmer rebuilds it after.
    """

    value: T | None = None
    version: object = None
    built: float = 0.0  # time.monotonic() of the last build
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def get(self, version: object, loading: bool, build: Callable[[], Awaitable[T]]) -> T:
        async with self.lock:
            young = time.monotonic() - self.built < REUSE_WHILE_LOADING
            if self.value is None or (version != self.version and not (loading and young)):
                self.value = await build()
                self.version = version
                self.built = time.monotonic()
            return self.value

    def forget(self) -> None:
        self.value, self.version = None, None


@dataclass
class Services:
    """The bot's shared state (PTB bot_data). Constructed empty by PTB, configured by bot.app."""

    settings: Settings | None = None
    lexicon: Lexicon = field(default_factory=Lexicon)
    _store: Store | None = None
    loader: Loader | None = None
    flood: FloodGuard = field(default_factory=lambda: FloodGuard(5, 10))
    buttons: ButtonSessions = field(default_factory=ButtonSessions)
    answers: AnswerCache = field(default_factory=AnswerCache)
    timelines: Timelines = field(default_factory=Timelines)  # pictures, drawn in a process
    admin_cache: dict[tuple[int, int], tuple[float, bool]] = field(default_factory=dict)
    _people: Derived[PeopleIndex] = field(default_factory=Derived)
    _operations: Derived[list[OperationSummary]] = field(default_factory=Derived)
    commands: tuple[tuple[str, str, str], ...] = ()  # (command, description, example) for /help
    started_at: float = field(default_factory=time.time)

    @property
    def store(self) -> Store:
        if self._store is None:
            raise NotReady("the store is not open")
        return self._store

    @store.setter
    def store(self, store: Store | None) -> None:
        self._store = store
        self._people.forget()
        self._operations.forget()
        self.answers.clear()  # a new store counts its versions from 0 again

    @property
    def config(self) -> Settings:
        if self.settings is None:
            raise NotReady("settings are not loaded")
        return self.settings

    def loading(self) -> int | None:
        """Documents read so far by a load changing the corpus now, or None (see Loader.loading)."""
        return self.loader.loading() if self.loader is not None else None

    async def warm_up(self) -> None:
        """Build what the first /who, "did you mean" and /operations would otherwise build while a user
        waits (seconds of SQL at 100k pages). The alerts' warmer task runs it beside the bot, after the
        start-up load and after each load that changed items."""
        await self.people()
        await self.store.vocabulary()
        await self.operations()

    async def cached(self, key: Hashable, build: Callable[[], Awaitable[Reply]]) -> Reply:
        """The reply for a command whose answer depends only on the corpus and `key`, built once per
        corpus version (see bot.answer_cache). While a load is changing the corpus (the start-up load
        of a big folder takes minutes), the reply is built afresh and says it may be incomplete."""
        loading = self.loading()
        if loading is not None:
            return with_loading_note(await build(), loading)
        return await self.answers.reply(await self.store.corpus_version(), key, build)

    async def people(self) -> PeopleIndex:
        """The fuzzy index over every person (reading them is 1.8 s at 100k pages)."""
        return await self._people.get(
            await self.store.corpus_version(),
            self.loading() is not None,
            lambda: _people_index(self.store),
        )

    async def operations(self) -> list[OperationSummary]:
        """Every operation with its purpose, span and sources (3.4 s of SQL at 100k pages)."""
        return await self._operations.get(
            await self.store.corpus_version(), self.loading() is not None, self.store.operations
        )


async def _people_index(store: Store) -> PeopleIndex:
    return PeopleIndex(await store.person_names())

"""What every handler reaches through `context`: the store, settings and small in-memory caches.

Nothing here knows Telegram; bot.app fills it in post_init and empties it in post_shutdown.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field

from bot.answer_cache import AnswerCache
from bot.config import Settings
from bot.corpus.model import Lexicon
from bot.flood import FloodGuard
from bot.loader import Loader
from bot.people_index import PeopleIndex
from bot.render import Reply, with_loading_note
from bot.store import Store


class NotReady(RuntimeError):
    """A handler ran before post_init opened the store (or after shutdown)."""


class ButtonSessions:
    """Short tokens for buttons whose state does not fit in 64 bytes (a search query).

    Bounded LRU in memory: after a restart or eviction the token is unknown and the button
    answers "expired" instead of guessing.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._values: OrderedDict[str, str] = OrderedDict()

    def put(self, value: str) -> str:
        token = secrets.token_urlsafe(6)
        self._values[token] = value
        while len(self._values) > self.capacity:
            self._values.popitem(last=False)
        return token

    def keep(self, token: str, value: str) -> None:
        """Hold `token` again (a kept answer's buttons must outlive the tokens issued since)."""
        self._values[token] = value
        self._values.move_to_end(token)

    def get(self, token: str) -> str | None:
        value = self._values.get(token)
        if value is not None:
            self._values.move_to_end(token)
        return value


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
    admin_cache: dict[tuple[int, int], tuple[float, bool]] = field(default_factory=dict)
    _people: PeopleIndex | None = None
    _people_version: object = None
    _people_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
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
        self._people = None
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
        waits (seconds of SQL at 100k pages). The alerts' warmer task runs it beside the bot, after
        start-up and after loads; without a watcher, the first command that needs each one builds it."""
        await self.people()
        await self.store.vocabulary()
        await self.store.operations()

    async def cached(self, key: Hashable, build: Callable[[], Awaitable[Reply]]) -> Reply:
        """The reply for a command whose answer depends only on the corpus and `key`, built once per
        corpus version (see bot.answer_cache). While a load is changing the corpus (the start-up load
        of a big folder takes minutes), the reply is built afresh and says it may be incomplete."""
        loading = self.loading()
        if loading is not None:
            return with_loading_note(await build(), loading)
        return await self.answers.reply(await self.store.corpus_version(), key, build)

    async def people(self) -> PeopleIndex:
        """The fuzzy index over every person, rebuilt only after the corpus changed."""
        async with self._people_lock:  # a /who during the warmer's build waits for it, not a second build
            version = await self.store.corpus_version()
            if self._people is None or version != self._people_version:
                self._people = PeopleIndex(await self.store.person_names())
                self._people_version = version
            return self._people

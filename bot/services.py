"""What every handler reaches through `context`: the store, settings and small in-memory caches, and
the alert machinery running beside the bot (bot.delivery, bot.corpus_sync).

Nothing here knows Telegram but the sender it holds; bot.app fills it in post_init and empties it in
post_stop and post_shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from bot.answer_cache import AnswerCache
from bot.config import Settings
from bot.corpus.model import Lexicon
from bot.corpus_sync import CorpusSync
from bot.delivery import Delivery
from bot.flood import FloodGuard
from bot.i18n import ENGLISH, Lang
from bot.loader import Loader
from bot.lru import SizedLRU
from bot.matching import best_operation, operation_by_spelling
from bot.people_index import PeopleIndex
from bot.records import OperationDetail, OperationSummary
from bot.render import Reply, with_loading_note
from bot.store import Store
from bot.timelines import Timelines

if TYPE_CHECKING:
    from telegram import Bot

log = logging.getLogger(__name__)
T = TypeVar("T")
REUSE_WHILE_LOADING = 15.0  # seconds; see Derived
CHAT_LANGUAGES_CACHED = 50_000  # chats whose /language choice (or its absence) is held in memory


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
        self._values: SizedLRU[str, str] = SizedLRU(capacity, max_bytes, _entry_bytes)

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


def _entry_bytes(token: object, value: str) -> int:
    return sys.getsizeof(token) + sys.getsizeof(value)


@dataclass
class Derived(Generic[T]):
    """A value built from the whole corpus (slow to read on a big one): built once per corpus
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
    _exercises: Derived[list[OperationSummary]] = field(default_factory=Derived)
    _spellings: Derived[list[tuple[int, str]]] = field(default_factory=Derived)
    commands: tuple[tuple[str, str, str], ...] = ()  # (command, description, example) for /help
    delivery: Delivery | None = None  # the alert sender, while the bot runs with an Updater
    corpus_sync: CorpusSync | None = None  # start-up load, watcher, reloader, warmer, while running
    database_check: asyncio.Task[None] | None = None  # the polling bot's quick_check beside it
    # Each chat's /language choice ("" when it made none), so a command costs no query for it.
    _chat_languages: SizedLRU[int, str] = field(
        default_factory=lambda: SizedLRU(CHAT_LANGUAGES_CACHED, 16 * 2**20, _entry_bytes)
    )

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
        self._exercises.forget()
        self._spellings.forget()
        self.answers.clear()  # a new store counts its versions from 0 again
        self._chat_languages.clear()

    @property
    def config(self) -> Settings:
        if self.settings is None:
            raise NotReady("settings are not loaded")
        return self.settings

    def loading(self) -> int | None:
        """Documents read so far by a load changing the corpus now, or None (see Loader.loading)."""
        return self.loader.loading() if self.loader is not None else None

    async def start_background(self, bot: Bot | None) -> None:
        """bot.app's post_init: the start-up load (which queues alerts for files that landed while the
        bot was down), the sender and the watcher. bot None (the console has no Updater): nothing is
        sent, and pending alerts wait for the real bot."""
        if self.corpus_sync is not None:
            return
        if bot is not None:
            self.delivery = Delivery(self.store, self.config, bot, self.loading)
            await self.delivery.start()
        else:
            log.info("alerts: no Updater (offline console); pending alerts wait for the bot")
        wake = self.delivery.wake if self.delivery is not None else _nothing_to_wake
        self.corpus_sync = CorpusSync(self.loader, self.config, self.warm_up, wake)
        self.corpus_sync.start()

    async def stop_background(self) -> None:
        """bot.app's post_stop and post_shutdown (the second call does nothing): the send or load in
        flight may finish, while the store is still open."""
        delivery, corpus_sync = self.delivery, self.corpus_sync
        self.delivery = self.corpus_sync = None
        await asyncio.gather(*(part.stop() for part in (delivery, corpus_sync) if part is not None))

    async def started_up(self) -> None:
        """Wait for the start-up load to be over (the console waits for it before its first prompt)."""
        if self.corpus_sync is not None:
            await self.corpus_sync.started_up.wait()

    async def warm_up(self) -> None:
        """Build what the first /who, "did you mean" and /operations would otherwise build while a user
        waits (each reads the whole corpus). bot.corpus_sync's warmer task runs it beside the bot,
        after the start-up load and after each load that changed items."""
        await self.people()
        await self.store.vocabulary()
        await self.operations()

    async def cached(
        self, key: Hashable, build: Callable[[], Awaitable[Reply]], lang: Lang = ENGLISH
    ) -> Reply:
        """The reply for a command whose answer depends only on the corpus, `key` and the language it
        is written in, built once per corpus version (see bot.answer_cache). While a load is changing
        the corpus (the start-up load of a big folder takes long), the reply is built afresh and
        says it may be incomplete."""
        loading = self.loading()
        if loading is not None:
            return with_loading_note(await build(), loading, lang)
        return await self.answers.reply(await self.store.corpus_version(), (lang.code, key), build)

    async def chat_language(self, chat_id: int) -> str | None:
        """The language a chat chose with /language (None: each user's own), read once per chat."""
        known = self._chat_languages.get(chat_id)
        if known is None:
            known = await self.store.chat_language(chat_id) or ""
            self._chat_languages.put(chat_id, known)
        return known or None

    async def set_chat_language(self, chat_id: int, language: str | None) -> None:
        await self.store.set_chat_language(chat_id, language)
        self._chat_languages.put(chat_id, language or "")

    async def people(self) -> PeopleIndex:
        """The fuzzy index over every person (it reads them all, so it is built once per corpus version)."""
        return await self._people.get(
            await self.store.corpus_version(),
            self.loading() is not None,
            lambda: _people_index(self.store),
        )

    async def operations(self) -> list[OperationSummary]:
        """Every operation with its purpose, span and sources (one query over the whole corpus)."""
        return await self._operations.get(
            await self.store.corpus_version(), self.loading() is not None, self.store.operations
        )

    async def exercises(self) -> list[OperationSummary]:
        """Every exercise, kept as operations() keeps the operations."""
        return await self._exercises.get(
            await self.store.corpus_version(), self.loading() is not None, self.store.exercises
        )

    async def operation_named(self, name: str, *, exercise_first: bool = False) -> OperationDetail | None:
        """The operation or exercise a typed name means: by its row name (fuzzy; one kind, then the
        other: users rarely know which the CSTO calls a name), else by a spelling pages wrote, keyed
        across scripts («рубеж», «канал»). The matching runs off the event loop."""
        kinds = (self.exercises, self.operations) if exercise_first else (self.operations, self.exercises)
        for listed in kinds:
            candidates = await listed()
            best = await asyncio.to_thread(best_operation, name, [op.name for op in candidates])
            if best is not None and (detail := await self.store.operation(candidates[best].id)):
                return detail
        spellings = await self._spellings.get(
            await self.store.corpus_version(), self.loading() is not None, self.store.operation_spellings
        )
        found = await asyncio.to_thread(operation_by_spelling, name, spellings)
        return await self.store.operation(found) if found is not None else None


def _nothing_to_wake() -> None:
    """New items while offline: their alerts wait, pending, for the real bot's sender."""


async def _people_index(store: Store) -> PeopleIndex:
    return PeopleIndex(await store.person_names())

"""What every part of the Store shares: its connections, the one transaction helper, the reader gates.

aiosqlite connections share one WAL database: a writer (loads, subscriptions, outbox) and a few
readers (every query a command makes), so a long load never makes a reader wait, and SQLite's single
writer is never contended inside this process. The mixins of bot.store (schema, corpus writes, queries,
outbox, rebuild) all build on StoreBase, so each holds one job and `store.method(...)` stays one object.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import aiosqlite

log = logging.getLogger("bot.store")

CHUNK = 500  # keys per "IN (...)" lookup, well under SQLite's variable limit
READERS = 3  # read connections (threads) answering commands concurrently
# A query whose cost the user's text decides (/search, a title in /who) may hold a reader this long, all
# its statements together, before it is stopped (see the README's Performance section).
USER_QUERY_SECONDS = 1.0
PROGRESS_STEPS = 20_000  # SQLite VM instructions between two looks at the clock (each takes the GIL)
# A GLOB pattern true of text with any Cyrillic letter (SQLite compares the range by code point).
CYRILLIC_GLOB = "*[\u0400-\u04ff]*"
# The search index's columns, as items holds them (schema migration 11): the text, then its stems.
FTS_COLUMNS = "headline, body, headline_stems, body_stems"
SET_META = "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"


class StoreError(RuntimeError):
    """The database cannot be used as it is; the message tells the user what to do."""


class QueryTooBroad(RuntimeError):
    """A query built from a user's text went past its time budget and was stopped: it must be narrowed."""


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def as_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def placeholders(count: int) -> str:
    return ",".join("?" * count)


@contextlib.asynccontextmanager
async def atomic(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """One transaction on `db` (sqlite-utils' Database.atomic()): BEGIN IMMEDIATE takes the write lock
    first, so the transaction never fails half-way for want of it; COMMIT on leaving, ROLLBACK on any
    exception. A failed ROLLBACK (SQLite already rolled back, e.g. on a full disk) is logged, never
    raised: the caller sees the error that ended the transaction."""
    await db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        await db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            try:
                await db.execute("ROLLBACK")
            except sqlite3.Error as exc:
                log.warning("rollback after an error failed too: %s", exc)
        raise


_P = ParamSpec("_P")
_R = TypeVar("_R")
_S = TypeVar("_S", bound="StoreBase")


def one_writer(
    method: Callable[Concatenate[_S, _P], Awaitable[_R]],
) -> Callable[Concatenate[_S, _P], Awaitable[_R]]:
    """One writer connection is shared by the loader, the alert sender and the handlers: without this
    lock a BEGIN from one caller lands inside another's open transaction (and fails, or a ROLLBACK
    takes the other caller's writes with it)."""

    @functools.wraps(method)
    async def serialized(self: _S, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        async with self._write_lock:
            return await method(self, *args, **kwargs)

    return serialized


class Budget:
    """The time one user query may spend on the readers, all its statements together."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.exhausted = False


class _ReaderGate:
    """One reader connection's turn-taking and its SQLite progress handler.

    The handler runs in the reader's thread every PROGRESS_STEPS VM instructions and stops the statement
    once the budget of the query it belongs to is spent. A statement runs only while it holds `lock`, so
    `budget` (written on the event loop just before and after) always belongs to the statement running.
    """

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.budget: Budget | None = None
        self.handler_set = False

    def progress(self) -> int:
        budget = self.budget
        if budget is None or time.monotonic() < budget.deadline:
            return 0
        budget.exhausted = True
        return 1  # SQLite stops the statement: sqlite3.OperationalError("interrupted")


class StoreBase:
    """The connections and the state every part of the Store shares."""

    def __init__(
        self, path: Path, writer: aiosqlite.Connection, readers: Sequence[aiosqlite.Connection]
    ) -> None:
        self.path = path
        self._writer = writer
        self._readers = list(readers)
        self._in_flight = [0] * len(self._readers)  # queries each reader is running or has queued
        self._gates = [_ReaderGate() for _ in self._readers]
        # User-driven queries run at most readers-1 at a time: one reader always stays for cheap commands.
        self._user_queries = asyncio.Semaphore(max(1, len(self._readers) - 1))
        self.user_query_seconds = USER_QUERY_SECONDS
        self.progress_steps = PROGRESS_STEPS  # read when a reader first runs a user query
        self._vocabulary: list[str] | None = None
        self._version = 0  # bumped whenever items change; caches built on the corpus compare it
        self._items_counted: tuple[int, int] | None = None  # (version, number of items)
        self._write_lock = asyncio.Lock()  # see one_writer

    def _atomic(self) -> contextlib.AbstractAsyncContextManager[aiosqlite.Connection]:
        """One transaction on the writer (see atomic); the caller holds the write lock (one_writer)."""
        return atomic(self._writer)

    def _corpus_changed(self) -> None:
        """Items changed: every cache built on the corpus is stale."""
        self._vocabulary = None
        self._version += 1

    async def corpus_version(self) -> int:
        """Changes whenever a load in this process added or removed items (cheap cache key)."""
        return self._version

    async def _fetchall(
        self, sql: str, params: Sequence[Any] = (), budget: Budget | None = None
    ) -> list[sqlite3.Row | tuple[Any, ...]]:
        """One hop to a reader thread (a cursor opened, fetched and closed there), not three. Each reader
        has its own thread and SQLite releases the GIL while it works; the reader with the fewest
        queries in hand takes this one: a summary rebuilt in the background (long on a large
        corpus) then holds one reader while commands use the others, instead of one command in three
        queuing behind it. A query under a `budget` counts as many, so cheap queries keep away from
        its reader, and it raises QueryTooBroad when the budget runs out."""
        weight = len(self._readers) if budget is not None else 1
        index = min(range(len(self._readers)), key=self._in_flight.__getitem__)
        reader, gate = self._readers[index], self._gates[index]
        self._in_flight[index] += weight
        try:
            async with gate.lock:
                if budget is not None and not gate.handler_set:
                    await reader.set_progress_handler(gate.progress, self.progress_steps)
                    gate.handler_set = True
                gate.budget = budget
                try:
                    return list(await reader.execute_fetchall(sql, params))
                except sqlite3.OperationalError as exc:
                    if budget is not None and budget.exhausted:
                        raise QueryTooBroad(f"stopped after {self.user_query_seconds:g} s") from exc
                    raise
                finally:
                    gate.budget = None
        finally:
            self._in_flight[index] -= weight

    @contextlib.asynccontextmanager
    async def _user_query(self) -> AsyncIterator[Budget]:
        """A turn for a query whose cost the user's text decides: at most readers-1 at once, and a time
        budget (counted from its turn) shared by all its statements."""
        async with self._user_queries:
            yield Budget(self.user_query_seconds)

"""The only module with SQL: schema and migrations, the corpus write path, and the queries.

aiosqlite connections share one WAL database: a writer (loads, subscriptions, outbox) and a few
readers (every query a command makes), so a long load never makes a reader wait, and SQLite's single
writer is never contended inside this process. Queries return plain records from bot.records.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import functools
import json
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Concatenate, ParamSpec, TypeVar

import aiosqlite

from bot import db_health
from bot.alert_filters import named_hits
from bot.corpus import operation_key
from bot.corpus.keys import fold_words
from bot.corpus.name_keys import display_name, is_cyrillic, is_full_key, resolve_initials, row_key, surname_of
from bot.corpus.model import ParsedItem
from bot.corpus.operation_names import EXERCISE, OPERATION, instance_phase, instance_years
from bot.records import (
    MATCH_END,
    MATCH_START,
    CoMention,
    CorpusStats,
    ItemDetail,
    ItemSummary,
    MonthCount,
    OperationDetail,
    OperationExcerpt,
    OperationSummary,
    OutboxRow,
    PersonMentionRecord,
    PersonName,
    PersonProfile,
    PersonTitle,
    SearchHit,
    SearchPage,
    Subscription,
    Timeline,
    TitleHolder,
    TitleSpan,
)

log = logging.getLogger(__name__)

APPLICATION_ID = 0x0C570B07  # marks a csto-bot database, so a foreign SQLite file is never overwritten
CHUNK = 500  # keys per "IN (...)" lookup, well under SQLite's variable limit
READERS = 3  # read connections (threads) answering commands concurrently
# A query whose cost the user's text decides (/search, a title in /who) may hold a reader this long, all
# its statements together, before it is stopped (a normal search at 100k pages takes a fifth of it).
USER_QUERY_SECONDS = 1.0
CO_MENTION_ITEMS = 2000  # a timeline's co-mentions are counted in at most this many newest items
PROGRESS_STEPS = 20_000  # SQLite VM instructions between two looks at the clock (each takes the GIL)


class StoreError(RuntimeError):
    """The database cannot be used as it is; the message tells the user what to do."""


class QueryTooBroad(RuntimeError):
    """A query built from a user's text went past its time budget and was stopped: it must be narrowed."""


# Each migration runs once, in its own transaction, and is recorded in schema_migrations.
MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "corpus, people, operations, search",
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            loaded_at TEXT NOT NULL
        );
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            headline TEXT NOT NULL,
            summary TEXT NOT NULL,
            body TEXT NOT NULL,
            date TEXT,
            added_at TEXT NOT NULL
        );
        CREATE INDEX items_by_date ON items(date, id);
        CREATE TABLE sources (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            PRIMARY KEY (document_id, position)
        );
        CREATE INDEX sources_by_item ON sources(item_id);
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE person_aliases (
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            PRIMARY KEY (person_id, alias)
        );
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            title TEXT,
            sentence TEXT NOT NULL
        );
        CREATE INDEX mentions_by_person ON mentions(person_id);
        CREATE INDEX mentions_by_item ON mentions(item_id);
        CREATE TABLE operations (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE operation_mentions (
            id INTEGER PRIMARY KEY,
            operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            purpose TEXT,
            purpose_quality INTEGER NOT NULL,
            sentence TEXT NOT NULL
        );
        CREATE INDEX operation_mentions_by_operation ON operation_mentions(operation_id);
        CREATE INDEX operation_mentions_by_item ON operation_mentions(item_id);
        CREATE VIRTUAL TABLE items_fts USING fts5(
            headline, body, content='items', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        INSERT INTO items_fts(items_fts, rank) VALUES('rank', 'bm25(4.0, 1.0)');
        CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
            INSERT INTO items_fts(rowid, headline, body) VALUES (new.id, new.headline, new.body);
        END;
        CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, headline, body)
            VALUES ('delete', old.id, old.headline, old.body);
        END;
        CREATE VIRTUAL TABLE items_vocab USING fts5vocab(items_fts, 'row');
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
    (
        2,
        "subscriptions and outbox",
        """
        CREATE TABLE subscriptions (
            chat_id INTEGER PRIMARY KEY,
            thread_id INTEGER,
            filters TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL
        );
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            thread_id INTEGER,
            item_id INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL DEFAULT 0,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            UNIQUE (chat_id, item_id)
        );
        CREATE INDEX outbox_pending ON outbox(state, next_attempt_at);
        """,
    ),
    (
        3,
        "mentions carry their item's date, indexed for /who",
        # An item's date never changes (an item is its content), so a mention may keep a copy. A person
        # with thousands of mentions then gets titles, count and latest mentions from index ranges
        # instead of joining every mention with its item (58 ms -> ~1 ms for such a person at 10k pages).
        """
        ALTER TABLE mentions ADD COLUMN date TEXT;
        UPDATE mentions SET date = (SELECT i.date FROM items i WHERE i.id = mentions.item_id);
        DROP INDEX mentions_by_person;
        CREATE INDEX mentions_by_person_date ON mentions(person_id, date, item_id);
        CREATE INDEX mentions_by_person_title ON mentions(person_id, title, date, item_id);
        """,
    ),
    (
        4,
        "new items are indexed for search in bulk, not row by row",
        # A trigger indexed each item as it was inserted; one INSERT ... SELECT over a batch's new
        # items after they are written costs half as much in FTS5 (0.35 -> 0.17 ms per page measured
        # at 3,000 generated pages), and a batch's new items always have the highest ids.
        """
        DROP TRIGGER items_fts_insert;
        """,
    ),
    (
        5,
        "pending alerts indexed by chat, for the sender's backlog check",
        # The sender asks, for the chats of each pass, how many alerts wait (a bulk copy of pages can
        # queue thousands: they go as one digest). Only pending rows are indexed, so the index stays
        # small however long the history of sent rows grows.
        """
        CREATE INDEX outbox_pending_by_chat ON outbox(chat_id) WHERE state = 'pending';
        """,
    ),
    (
        6,
        "outbox rows are claimed before they are sent; items once alerted are remembered",
        # claimed_by/claimed_at: a sender takes rows in one UPDATE ... RETURNING, so two senders on one
        # database never send one row; a claim older than a lease is due again (its sender died).
        # seen_items: the first 16 characters of the content key of every item the corpus has held
        # (items are stored by key; a key is a hex content hash), kept when the item goes. An item is
        # news once: a page removed and added again alerts nothing, and the outbox can be pruned.
        """
        ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
        ALTER TABLE outbox ADD COLUMN claimed_at REAL;
        CREATE TABLE seen_items (key_prefix TEXT PRIMARY KEY) WITHOUT ROWID;
        INSERT OR IGNORE INTO seen_items(key_prefix) SELECT substr(key, 1, 16) FROM items;
        """,
    ),
    (
        7,
        "each chat's reply language (/language)",
        # Only chats that chose a language have a row; without one, replies follow each user's
        # Telegram language. The code is one of bot.i18n.LANGUAGES, checked by the handler.
        """
        CREATE TABLE chat_languages (chat_id INTEGER PRIMARY KEY, language TEXT NOT NULL) WITHOUT ROWID;
        """,
    ),
    (
        8,
        "one person, one row: people keyed across spellings and scripts, every spelling kept with its count",
        # name_keys.row_key ("andrei serdiukov" for Andrey/Andrei Serdyukov and Андрей Сердюков) replaces
        # the written-form key; rows that now share a key merge into the oldest (mentions and aliases
        # move). person_row_key is registered on the connection by _migrate. A mention keeps the
        # spelling its page used; person_spellings counts them (an insert adds in _write_people, a
        # delete, also by cascade from its item, takes one off here).
        """
        ALTER TABLE mentions ADD COLUMN written TEXT;
        UPDATE mentions SET written = (SELECT p.name FROM people p WHERE p.id = mentions.person_id);
        CREATE TEMP TABLE person_rekey AS SELECT id, person_row_key(name) AS key FROM people;
        CREATE TEMP TABLE person_survivor AS SELECT key, min(id) AS id FROM person_rekey GROUP BY key;
        CREATE TEMP TABLE person_moves AS SELECT r.id AS old, s.id AS new
            FROM person_rekey r JOIN person_survivor s ON s.key = r.key WHERE r.id <> s.id;
        UPDATE mentions SET person_id = (SELECT new FROM person_moves WHERE old = mentions.person_id)
            WHERE person_id IN (SELECT old FROM person_moves);
        INSERT OR IGNORE INTO person_aliases(person_id, alias)
            SELECT m.new, a.alias FROM person_aliases a JOIN person_moves m ON m.old = a.person_id;
        DELETE FROM people WHERE id IN (SELECT old FROM person_moves);
        UPDATE people SET key = '#' || id;
        UPDATE people SET key = (SELECT key FROM person_rekey WHERE person_rekey.id = people.id);
        DROP TABLE person_moves;
        DROP TABLE person_survivor;
        DROP TABLE person_rekey;
        CREATE TABLE person_spellings (
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            spelling TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (person_id, spelling)
        ) WITHOUT ROWID;
        INSERT INTO person_spellings(person_id, spelling, count)
            SELECT person_id, written, count(*) FROM mentions GROUP BY person_id, written;
        CREATE TRIGGER mentions_spelling_delete AFTER DELETE ON mentions BEGIN
            UPDATE person_spellings SET count = count - 1
                WHERE person_id = old.person_id AND spelling = old.written;
            DELETE FROM person_spellings
                WHERE person_id = old.person_id AND spelling = old.written AND count <= 0;
        END;
        """,
    ),
    (
        9,
        "operations have a kind (operation or exercise); a mention keeps its instance (year or phase)",
        # One row per operation across spellings and years: "Illegal-2019" is a mention of Illegal with
        # instance 2019. Exercises share the tables and are told apart by kind. The corpus rules changed
        # with this, so the loader reads every page again and rewrites the mentions.
        """
        ALTER TABLE operations ADD COLUMN kind TEXT NOT NULL DEFAULT 'operation';
        ALTER TABLE operation_mentions ADD COLUMN instance TEXT;
        """,
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]
_UNCLAIMED = "claimed_by = NULL, claimed_at = NULL"  # a row whose send is settled is no one's
SEEN_KEY_CHARS = 16  # of an item's key (hex content hash) kept in seen_items: 64 bits
# Every (subscription, filter) pair, for the alert queries; a person:/op: filter with a name is "named".
_FILTERS_OF_SUBSCRIPTIONS = "subscriptions s, json_each(CASE WHEN json_valid(s.filters) THEN s.filters END) f"
NAMED_FILTER_SQL = (
    "lower(substr(f.value, 1, instr(f.value, ':') - 1)) IN ('person', 'op') "
    "AND substr(f.value, instr(f.value, ':') + 1) <> ''"
)
# Every other name a person goes by (p.id, p.name, or ?1, ?2): spellings pages used, the most used first,
# then the curated aliases.
_ALIASES_OF_P = (
    "SELECT alias FROM (SELECT spelling AS alias, count AS n FROM person_spellings "
    "WHERE person_id = p.id AND spelling <> p.name "
    "UNION ALL SELECT alias, 0 FROM person_aliases WHERE person_id = p.id AND alias NOT IN "
    "(SELECT spelling FROM person_spellings WHERE person_id = p.id)) ORDER BY n DESC, alias"
)
_SET_META = "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"


@dataclass(frozen=True, slots=True)
class DocumentState:
    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True, slots=True)
class DocumentChange:
    """A document to (re)write: its identity on disk and the items the rules found in it."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    items: Sequence[ParsedItem]


@dataclass(frozen=True, slots=True)
class ApplyResult:
    new_item_ids: tuple[int, ...]
    items_removed: int
    alerts_queued: int
    items_refreshed: int = 0  # stored items rewritten as changed rules read them (refresh=True)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _source_name(path: str) -> str:
    return PurePosixPath(path).name


def _display_name(spellings: Sequence[tuple[str, int]]) -> str:
    """The usual spelling, preferring one not in capitals ("Proxy" over "PROXY")."""
    if not spellings:
        return "?"
    name = min(spellings, key=lambda nc: (nc[0] == nc[0].upper(), -nc[1], nc[0]))[0]
    return name.capitalize() if name.isupper() and len(name) > 1 else name


_SPELLING_WEIGHT_MAX = 50  # repeats of one spelling passed to display_name: enough to rank, bounded


def _person_display(spellings: Sequence[tuple[str, int]]) -> str:
    """A person's shown name from (spelling, count) pairs: display_name over the spellings with their
    repeats, in the script most mentions use."""
    cyrillic = sum(n for s, n in spellings if is_cyrillic(s))
    language = "ru" if 2 * cyrillic > sum(n for _, n in spellings) else "en"
    repeated = [s for s, n in spellings for _ in range(min(n, _SPELLING_WEIGHT_MAX))]
    return display_name(repeated, language).display if repeated else ""


def _per_month(rows: Sequence[Sequence[Any]]) -> tuple[tuple[MonthCount, ...], int]:
    """(``YYYY-MM`` or NULL, items) rows: the dated months, oldest first, and the undated count."""
    undated = sum(int(n) for month, n in rows if month is None)
    dated = sorted((dt.date.fromisoformat(f"{month}-01"), int(n)) for month, n in rows if month is not None)
    return tuple(MonthCount(month, n) for month, n in dated), undated


def split_statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


_P = ParamSpec("_P")
_R = TypeVar("_R")


async def _rollback(db: aiosqlite.Connection) -> None:
    """Undo the open transaction after an error. SQLite may have rolled it back already (it does on a
    full disk), and a ROLLBACK that fails then must not hide the error that matters."""
    if db.in_transaction:
        try:
            await db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            log.warning("rollback after an error failed too: %s", exc)


def _one_writer(
    method: Callable[Concatenate[Store, _P], Awaitable[_R]],
) -> Callable[Concatenate[Store, _P], Awaitable[_R]]:
    """One writer connection is shared by the loader, the alert sender and the handlers: without this
    lock a BEGIN from one caller lands inside another's open transaction (and fails, or a ROLLBACK
    takes the other caller's writes with it)."""

    @functools.wraps(method)
    async def serialized(self: Store, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        async with self._write_lock:
            return await method(self, *args, **kwargs)

    return serialized


class _Budget:
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
        self.budget: _Budget | None = None
        self.handler_set = False

    def progress(self) -> int:
        budget = self.budget
        if budget is None or time.monotonic() < budget.deadline:
            return 0
        budget.exhausted = True
        return 1  # SQLite stops the statement: sqlite3.OperationalError("interrupted")


class Store:
    """The database. Open with `await Store.open(path)`, close with `await store.close()`."""

    def __init__(self, path: Path, writer: aiosqlite.Connection, readers: Sequence[aiosqlite.Connection]) -> None:
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
        self._operations_cache: dict[str, tuple[int, tuple[OperationSummary, ...]]] = {}
        self._version = 0  # bumped whenever items change; caches built on the corpus compare it
        self._items_counted: tuple[int, int] | None = None  # (version, number of items)
        self._write_lock = asyncio.Lock()  # see _one_writer

    # ----------------------------------------------------------------- lifecycle and migrations

    @classmethod
    async def open(cls, path: Path | str, *, verify: bool = False) -> Store:
        """verify: read every page first (PRAGMA quick_check) and refuse a damaged file, naming the way out;
        `run` verifies in the background instead (Services), `load` here."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise cls._unusable(path, exc) from exc
        writer: aiosqlite.Connection | None = None
        readers: list[aiosqlite.Connection] = []
        try:
            if verify and path.exists():
                problems = await asyncio.to_thread(db_health.quick_check, path)
                if problems:
                    raise StoreError(db_health.damage_message(path, "; ".join(problems)))
            await asyncio.to_thread(db_health.open_or_raise, path)
            writer = await aiosqlite.connect(path, isolation_level=None)
            await cls._check_foreign(writer, path)
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=10000"):
                await writer.execute(f"PRAGMA {pragma}")
            await cls._migrate(writer)
            for _ in range(READERS):
                reader = await aiosqlite.connect(path, isolation_level=None)
                readers.append(reader)
                for pragma in ("foreign_keys=ON", "busy_timeout=10000", "query_only=ON"):
                    await reader.execute(f"PRAGMA {pragma}")
        except BaseException as exc:
            for conn in (*readers, writer):
                if conn is not None:
                    await conn.close()
            if isinstance(exc, sqlite3.Error):
                raise cls._unusable(path, exc) from exc
            raise
        return cls(path, writer, readers)

    @staticmethod
    def _unusable(path: Path, exc: BaseException) -> StoreError:
        """The error that says what to do: damaged (rebuild), read-only (which folder or file), foreign."""
        explained = db_health.explain(exc, path)
        if explained is not None:
            return StoreError(explained)
        if isinstance(exc, OSError):
            return StoreError(f"cannot create the folder of the database {path}: {exc.strerror or exc}")
        return StoreError(f"cannot open the database {path}: {exc}")

    @staticmethod
    async def _check_foreign(db: aiosqlite.Connection, path: Path) -> None:
        """Refuse a database that some other program made, rather than adding tables to it."""
        async with db.execute("PRAGMA application_id") as cur:
            app_id = (await cur.fetchone() or (0,))[0]
        async with db.execute("SELECT count(*) FROM sqlite_master") as cur:
            tables = (await cur.fetchone() or (0,))[0]
        if tables and app_id != APPLICATION_ID:
            raise StoreError(
                f"{path} holds another program's SQLite database. Point CSTO_DB_PATH (or --db) at a new "
                "file; csto-bot will not touch this one."
            )

    @staticmethod
    async def _migrate(db: aiosqlite.Connection) -> None:
        await db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        await db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        await db.create_function("person_row_key", 1, row_key, deterministic=True)  # migration 7
        async with db.execute("SELECT version FROM schema_migrations") as cur:
            applied = {row[0] for row in await cur.fetchall()}
        if applied and max(applied) > SCHEMA_VERSION:
            raise StoreError(
                f"the database was made by a newer csto-bot (schema {max(applied)} > {SCHEMA_VERSION}); "
                "upgrade csto-bot or use another CSTO_DB_PATH"
            )
        for version, name, script in MIGRATIONS:
            if version in applied:
                continue
            await db.execute("BEGIN IMMEDIATE")
            try:
                for statement in split_statements(script):
                    await db.execute(statement)
                await db.execute(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, _now()),
                )
                await db.execute("COMMIT")
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            log.info("database migrated to schema %d (%s)", version, name)

    async def schema_version(self) -> int:
        rows = await self._fetchall("SELECT max(version) FROM schema_migrations")
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    async def close(self) -> None:
        for conn in (*self._readers, self._writer):
            try:
                await conn.close()
            except (sqlite3.Error, ValueError):  # already closed
                pass

    # ----------------------------------------------------------------- corpus write path

    @_one_writer
    async def document_states_of(self, paths: Sequence[str]) -> dict[str, DocumentState]:
        """States of these documents (those the store has): a full load asks chunk by chunk as it walks
        the folder, so it never holds every document's state at once."""
        found: dict[str, DocumentState] = {}
        for chunk in _chunks(list(paths)):
            rows = await self._writer.execute_fetchall(
                f"SELECT path, size, mtime_ns, sha256 FROM documents WHERE path IN ({_marks(len(chunk))})", chunk
            )
            found.update((row[0], DocumentState(*row)) for row in rows)
        return found

    @_one_writer
    async def begin_scan(self) -> None:
        """A full load is about to report every file it finds (note_found), then ask which stored
        documents it did not find (unfound_document_paths). The paths found are kept in a temporary
        table of the writer's connection, not in Python: at 100k files that is ~20 MB less for the load."""
        await self._writer.execute("CREATE TEMP TABLE IF NOT EXISTS scan_found (path TEXT PRIMARY KEY) WITHOUT ROWID")
        await self._writer.execute("DELETE FROM temp.scan_found")

    @_one_writer
    async def note_found(self, paths: Sequence[str]) -> None:
        await self._writer.executemany(
            "INSERT OR IGNORE INTO temp.scan_found(path) VALUES (?)", [(path,) for path in paths]
        )

    @_one_writer
    async def unfound_document_paths(self) -> list[str]:
        """Stored documents whose path the scan begun by begin_scan did not find (their files are gone)."""
        rows = await self._writer.execute_fetchall(
            "SELECT path FROM documents WHERE path NOT IN (SELECT path FROM temp.scan_found) ORDER BY path"
        )
        await self._writer.execute("DELETE FROM temp.scan_found")
        return [row[0] for row in rows]

    @_one_writer
    async def document_states_under(self, paths: Sequence[str]) -> dict[str, DocumentState]:
        """States of the documents at these paths or below them (a path may be a folder): what the
        watcher needs for the few paths it was told about, without reading every document's state."""
        found: dict[str, DocumentState] = {}
        for path in paths:
            rows = await self._writer.execute_fetchall(
                "SELECT path, size, mtime_ns, sha256 FROM documents WHERE path = ? OR (path >= ? AND path < ?)",
                (path, f"{path}/", f"{path}0"),  # "0" follows "/": the range is every "path/…"
            )
            found.update((row[0], DocumentState(*row)) for row in rows)
        return found

    @_one_writer
    async def touch_document(self, path: str, size: int, mtime_ns: int) -> None:
        """Record a new mtime for a file whose content hash did not change (a `touch`, a copy)."""
        await self._writer.execute(
            "UPDATE documents SET size = ?, mtime_ns = ? WHERE path = ?", (size, mtime_ns, path)
        )

    @_one_writer
    async def known_person_names(self) -> list[str]:
        async with self._writer.execute("SELECT name FROM people") as cur:
            return [row[0] for row in await cur.fetchall()]

    @_one_writer
    async def apply_changes(
        self,
        changes: Sequence[DocumentChange],
        removed: Sequence[str] = (),
        *,
        queue_alerts: bool = True,
        refresh: bool = False,
    ) -> ApplyResult:
        """Write changed documents and drop removed ones in ONE transaction (all or nothing).

        Items are shared by content key: an item another page still holds survives, an item no page
        holds any more goes. Items no page held before are new; for them, outbox rows for every
        matching subscription are written in the same transaction, so an alert can never be lost
        between ingest and send, and UNIQUE(chat_id, item_id) makes a duplicate impossible.

        refresh: the pages were parsed again by changed rules, so the items they hold that are already
        stored get what the rules now say of them (headline, summary, date, people, operations).
        """
        db = self._writer
        await db.execute("BEGIN IMMEDIATE")
        try:
            result = await self._apply(db, changes, removed, queue_alerts, refresh)
            await db.execute(_SET_META, ("last_load", _now()))
            await db.execute("COMMIT")
        except BaseException:
            await _rollback(db)
            raise
        if result.new_item_ids or result.items_removed or result.items_refreshed:
            self._vocabulary = None
            self._version += 1
        return result

    async def _apply(
        self,
        db: aiosqlite.Connection,
        changes: Sequence[DocumentChange],
        removed: Sequence[str],
        queue_alerts: bool,
        refresh: bool = False,
    ) -> ApplyResult:
        touched_paths = [c.path for c in changes] + list(removed)
        doc_ids = await self._ids_by(db, "documents", "path", touched_paths)
        # 1. Detach the old versions: their items become candidates for removal.
        old_doc_ids = list(doc_ids.values())
        candidates: set[int] = set()
        for chunk in _chunks(old_doc_ids):
            async with db.execute(
                f"SELECT item_id FROM sources WHERE document_id IN ({_marks(len(chunk))})", chunk
            ) as cur:
                candidates.update(row[0] for row in await cur.fetchall())
            await db.execute(f"DELETE FROM sources WHERE document_id IN ({_marks(len(chunk))})", chunk)
        removed_ids = [doc_ids[p] for p in removed if p in doc_ids]
        for chunk in _chunks(removed_ids):
            await db.execute(f"DELETE FROM documents WHERE id IN ({_marks(len(chunk))})", chunk)

        # 2. Documents: update in place or create.
        now = _now()
        next_doc = await self._next_id(db, "documents")
        doc_rows = []
        for change in changes:
            if change.path not in doc_ids:
                doc_ids[change.path] = next_doc
                next_doc += 1
            doc_rows.append((doc_ids[change.path], change.path, change.size, change.mtime_ns, change.sha256, now))
        await db.executemany(
            "INSERT INTO documents(id, path, size, mtime_ns, sha256, loaded_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
            "sha256 = excluded.sha256, loaded_at = excluded.loaded_at",
            doc_rows,
        )

        # 3. Items: existing keys keep their id; new keys get new rows (and their people/operations).
        all_items = [item for change in changes for item in change.items]
        item_ids = await self._ids_by(db, "items", "key", list({i.key for i in all_items}))
        # Ids never repeat (a high-water mark in meta): a removed item's id reused by a new one would
        # hit UNIQUE(chat_id, item_id) in the outbox and lose its alert, and old /doc links would lie.
        async with db.execute("SELECT value FROM meta WHERE key = 'items_high_water'") as cur:
            row = await cur.fetchone()
        next_item = max(await self._next_id(db, "items"), int(row[0]) + 1 if row else 1)
        new_items: list[tuple[int, ParsedItem]] = []
        for item in all_items:
            if item.key not in item_ids:
                item_ids[item.key] = next_item
                new_items.append((next_item, item))
                next_item += 1
        await db.executemany(
            "INSERT INTO items(id, key, kind, headline, summary, body, date, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (iid, it.key, it.kind, it.headline, it.summary, it.body, it.date.isoformat() if it.date else None, now)
                for iid, it in new_items
            ],
        )
        if new_items:
            await db.execute(
                "INSERT INTO items_fts(rowid, headline, body) SELECT id, headline, body FROM items WHERE id >= ?",
                (new_items[0][0],),
            )
            await db.execute(_SET_META, ("items_high_water", str(next_item - 1)))
        source_rows = {
            (doc_ids[change.path], item.position): item_ids[item.key]
            for change in changes
            for item in change.items
        }
        await db.executemany(
            "INSERT INTO sources(document_id, position, item_id) VALUES (?, ?, ?)",
            [(doc, pos, iid) for (doc, pos), iid in source_rows.items()],
        )
        await self._write_people(db, new_items)
        await self._write_operations(db, new_items)
        fresh_ids = {iid for iid, _ in new_items}
        refreshed = {item_ids[i.key]: i for i in all_items if item_ids[i.key] not in fresh_ids} if refresh else {}
        await self._refresh_items(db, list(refreshed.items()))

        # 4. Items no page holds any more go, with their mentions (cascade) and FTS rows (trigger).
        items_removed = 0
        for chunk in _chunks(sorted(candidates)):
            cur = await db.execute(
                f"DELETE FROM items WHERE id IN ({_marks(len(chunk))}) "
                "AND NOT EXISTS (SELECT 1 FROM sources WHERE sources.item_id = items.id)",
                chunk,
            )
            items_removed += max(cur.rowcount, 0)
        if items_removed or refreshed:
            await db.execute(
                "DELETE FROM people WHERE NOT EXISTS (SELECT 1 FROM mentions WHERE person_id = people.id)"
            )
            await db.execute(
                "DELETE FROM operations WHERE NOT EXISTS "
                "(SELECT 1 FROM operation_mentions WHERE operation_id = operations.id)"
            )

        # 5. Alerts for what is new, in the same transaction.
        queued = await self._queue_alerts(db, new_items, now) if queue_alerts and new_items else 0
        return ApplyResult(tuple(iid for iid, _ in new_items), items_removed, queued, len(refreshed))

    async def _refresh_items(self, db: aiosqlite.Connection, items: Sequence[tuple[int, ParsedItem]]) -> None:
        """Stored items as the rules now read them: their fields (and search index rows, which must be
        deleted with the values they were made from) and their people and operations."""
        for chunk in _chunks(list(items)):
            ids = [iid for iid, _ in chunk]
            marks = _marks(len(ids))
            await db.execute(
                "INSERT INTO items_fts(items_fts, rowid, headline, body) "
                f"SELECT 'delete', id, headline, body FROM items WHERE id IN ({marks})",
                ids,
            )
            await db.executemany(
                "UPDATE items SET kind = ?, headline = ?, summary = ?, body = ?, date = ? WHERE id = ?",
                [
                    (it.kind, it.headline, it.summary, it.body, it.date.isoformat() if it.date else None, iid)
                    for iid, it in chunk
                ],
            )
            await db.execute(
                f"INSERT INTO items_fts(rowid, headline, body) SELECT id, headline, body FROM items WHERE id IN ({marks})",
                ids,
            )
            await db.execute(f"DELETE FROM mentions WHERE item_id IN ({marks})", ids)
            await db.execute(f"DELETE FROM operation_mentions WHERE item_id IN ({marks})", ids)
        await self._write_people(db, items)
        await self._write_operations(db, items)

    @staticmethod
    async def _ids_by(db: aiosqlite.Connection, table: str, column: str, values: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(list(values)):
            async with db.execute(
                f"SELECT {column}, id FROM {table} WHERE {column} IN ({_marks(len(chunk))})", chunk
            ) as cur:
                found.update({row[0]: row[1] for row in await cur.fetchall()})
        return found

    @staticmethod
    async def _next_id(db: aiosqlite.Connection, table: str) -> int:
        async with db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 1

    async def _ensure_ids(self, db: aiosqlite.Connection, table: str, names: dict[str, str]) -> dict[str, int]:
        """Ids for (key -> name) rows of people or operations, creating the missing ones."""
        ids = await self._ids_by(db, table, "key", list(names))
        next_id = await self._next_id(db, table)
        fresh = []
        for key, name in names.items():
            if key not in ids:
                ids[key] = next_id
                fresh.append((next_id, key, name))
                next_id += 1
        await db.executemany(f"INSERT INTO {table}(id, key, name) VALUES (?, ?, ?)", fresh)
        return ids

    async def _write_people(self, db: aiosqlite.Connection, new_items: Sequence[tuple[int, ParsedItem]]) -> None:
        """Mentions under one row per person (name_keys.row_key), each with the spelling its page used;
        the spellings' counts go up, and a row whose spellings changed is shown by its usual one."""
        names = {row_key(m.name): m.name for _, item in new_items for m in item.people}
        if not names:
            return
        had = await self._ids_by(db, "people", "key", list(names))
        ids = await self._ensure_ids(db, "people", names)
        rows = [
            (ids[row_key(m.name)], iid, m.title, m.sentence, item.date.isoformat() if item.date else None, m.written or m.name)
            for iid, item in new_items
            for m in item.people
        ]
        await db.executemany(
            "INSERT INTO mentions(person_id, item_id, title, sentence, date, written) VALUES (?, ?, ?, ?, ?, ?)", rows
        )
        counts: dict[tuple[int, str], int] = {}
        for row in rows:
            counts[(row[0], row[5])] = counts.get((row[0], row[5]), 0) + 1
        await db.executemany(
            "INSERT INTO person_spellings(person_id, spelling, count) VALUES (?, ?, ?) "
            "ON CONFLICT(person_id, spelling) DO UPDATE SET count = count + excluded.count",
            [(pid, spelling, n) for (pid, spelling), n in counts.items()],
        )
        touched = {pid for pid, _ in counts}
        if len(had) < len(names):  # new people: an initials row may now have its one full name
            touched |= await self._merge_initials(db)
        await self._rename_people(db, sorted(touched))

    @staticmethod
    async def _merge_initials(db: aiosqlite.Connection) -> set[int]:
        """Rows named with initials ("N. Bordyuzha", filed as written) join the one full-name row that
        fits them ("Nikolai Bordyuzha"), met on a later page; with several that fit, they stay apart.
        Returns the ids of the rows that took others in."""
        async with db.execute("SELECT id, name FROM people WHERE key LIKE '%.%'") as cur:
            initials = await cur.fetchall()
        survivors: set[int] = set()
        for pid, name in initials:
            surname = surname_of(name)
            if not surname:
                continue
            async with db.execute("SELECT key, id FROM people WHERE key LIKE ?", (f"% {surname}",)) as cur:
                owners = {row[0]: row[1] for row in await cur.fetchall() if is_full_key(row[0])}
            key = resolve_initials(name, owners)
            if key is None:
                continue
            into = owners[key]
            await db.execute("UPDATE mentions SET person_id = ? WHERE person_id = ?", (into, pid))
            await db.execute(
                "INSERT INTO person_spellings(person_id, spelling, count) "
                "SELECT ?, spelling, count FROM person_spellings WHERE person_id = ? "
                "ON CONFLICT(person_id, spelling) DO UPDATE SET count = count + excluded.count",
                (into, pid),
            )
            await db.execute(
                "INSERT OR IGNORE INTO person_aliases(person_id, alias) SELECT ?, alias FROM person_aliases "
                "WHERE person_id = ?",
                (into, pid),
            )
            await db.execute("DELETE FROM people WHERE id = ?", (pid,))
            survivors.add(into)
        return survivors

    @staticmethod
    async def _rename_people(db: aiosqlite.Connection, person_ids: Sequence[int]) -> None:
        """Show each person by their usual spelling (name_keys.display_name: the script most of their
        mentions use, full given names before initials, then the most frequent)."""
        spellings: dict[int, list[tuple[str, int]]] = {}
        names: dict[int, str] = {}
        for chunk in _chunks(list(person_ids)):
            marks = _marks(len(chunk))
            async with db.execute(
                f"SELECT person_id, spelling, count FROM person_spellings WHERE person_id IN ({marks}) "
                "ORDER BY person_id, count DESC, spelling",
                chunk,
            ) as cur:
                for pid, spelling, count in await cur.fetchall():
                    spellings.setdefault(pid, []).append((spelling, count))
            async with db.execute(f"SELECT id, name FROM people WHERE id IN ({marks})", chunk) as cur:
                names.update({row[0]: row[1] for row in await cur.fetchall()})
        renames = []
        for pid, seen in spellings.items():
            if len(seen) < 2 and names.get(pid) == seen[0][0]:
                continue
            shown = _person_display(seen)
            if shown and shown != names.get(pid):
                renames.append((shown, pid))
        await db.executemany("UPDATE people SET name = ? WHERE id = ?", renames)

    async def _write_operations(
        self, db: aiosqlite.Connection, new_items: Sequence[tuple[int, ParsedItem]]
    ) -> None:
        """Mentions under one row per family (all spellings and years of an operation), kind as last read."""
        families = {operation_key(o.family_name): o for _, item in new_items for o in item.operations}
        if not families:
            return
        ids = await self._ensure_ids(db, "operations", {k: o.family_name for k, o in families.items()})
        await db.executemany(
            "UPDATE operations SET kind = ? WHERE id = ? AND kind != ?",
            [(o.kind, ids[k], o.kind) for k, o in families.items()],
        )
        await db.executemany(
            "INSERT INTO operation_mentions(operation_id, item_id, name, purpose, purpose_quality, sentence, instance) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (ids[operation_key(o.family_name)], iid, o.name, o.purpose, o.purpose_quality, o.sentence, o.instance)
                for iid, item in new_items
                for o in item.operations
            ],
        )

    async def _queue_alerts(
        self, db: aiosqlite.Connection, new_items: Sequence[tuple[int, ParsedItem]], now: str
    ) -> int:
        """Outbox rows for the items that are news, for every subscription whose filters match them.

        Matching grows with items x distinct filters, never with subscriptions x text, and never runs
        on the event loop: the new items are indexed once in a temporary FTS5 table (unicode61 without
        stemming: whole words, case and accents aside, as the filters promise) and each distinct word or
        phrase filter is one FTS5 lookup, all in one statement in SQLite's C code on aiosqlite's thread.
        person:/op: filters compare each distinct filter with each distinct name in a thread
        (rapidfuzz, C++). One INSERT ... SELECT then joins the hits with the subscriptions.
        """
        news = await self._not_seen_before(db, new_items)
        async with db.execute("SELECT EXISTS (SELECT 1 FROM subscriptions)") as cur:
            row = await cur.fetchone()
        if not news or not (row and row[0]):
            return 0
        await db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.alert_text USING fts5(text, tokenize='unicode61 remove_diacritics 2')"
        )
        await db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS alert_hits (term TEXT NOT NULL, item_id INTEGER NOT NULL)"
        )
        await db.execute("CREATE INDEX IF NOT EXISTS temp.alert_hits_by_term ON alert_hits(term)")
        try:
            for chunk in _chunks([iid for iid, _ in news]):
                await db.execute(
                    "INSERT INTO temp.alert_text(rowid, text) SELECT id, headline || char(10) || body FROM items "
                    f"WHERE id IN ({_marks(len(chunk))})",
                    chunk,
                )
            async with db.execute(
                f"SELECT DISTINCT f.value FROM {_FILTERS_OF_SUBSCRIPTIONS} WHERE {NAMED_FILTER_SQL}"
            ) as cur:
                named = [str(r[0]) for r in await cur.fetchall()]
            people = {iid: [m.name for m in item.people] for iid, item in news}
            operations = {iid: [n for o in item.operations for n in (o.family_name, o.name)] for iid, item in news}
            # Both at once: the FTS5 lookups in aiosqlite's thread, the fuzzy names in another.
            # A filter bound as one FTS5 phrase (quotes doubled): "NEAR(", "*" or "-" are words, never syntax.
            _, hits = await asyncio.gather(
                db.execute(
                    "INSERT INTO temp.alert_hits(term, item_id) SELECT t.term, a.rowid FROM "
                    f"(SELECT DISTINCT f.value AS term FROM {_FILTERS_OF_SUBSCRIPTIONS} WHERE NOT ({NAMED_FILTER_SQL})) t "
                    "JOIN temp.alert_text a ON a.alert_text MATCH '\"' || replace(t.term, '\"', '\"\"') || '\"'"
                ),
                asyncio.to_thread(named_hits, named, people, operations),
            )
            await db.executemany("INSERT INTO temp.alert_hits(term, item_id) VALUES (?, ?)", hits)
            before = db.total_changes
            await db.execute(
                "INSERT OR IGNORE INTO outbox(chat_id, thread_id, item_id, created_at) "
                "SELECT chat_id, thread_id, item_id, ?1 FROM ("
                f"  SELECT s.chat_id, s.thread_id, h.item_id FROM {_FILTERS_OF_SUBSCRIPTIONS} "
                "   JOIN temp.alert_hits h ON h.term = f.value "
                "  UNION SELECT s.chat_id, s.thread_id, a.rowid FROM subscriptions s, temp.alert_text a "
                "   WHERE json_valid(s.filters) AND json_array_length(s.filters) = 0"
                ") ORDER BY chat_id, item_id",
                (now,),
            )
            return db.total_changes - before
        finally:
            await db.execute("DELETE FROM temp.alert_text")
            await db.execute("DELETE FROM temp.alert_hits")

    @staticmethod
    async def _not_seen_before(
        db: aiosqlite.Connection, new_items: Sequence[tuple[int, ParsedItem]]
    ) -> list[tuple[int, ParsedItem]]:
        """The new items whose content the corpus never held before (a page removed and added again is
        not news twice), each then remembered for good."""
        prefixes = {iid: item.key[:SEEN_KEY_CHARS] for iid, item in new_items}
        seen: set[str] = set()
        for chunk in _chunks(list(set(prefixes.values()))):
            async with db.execute(
                f"SELECT key_prefix FROM seen_items WHERE key_prefix IN ({_marks(len(chunk))})", chunk
            ) as cur:
                seen.update(row[0] for row in await cur.fetchall())
        await db.executemany(
            "INSERT OR IGNORE INTO seen_items(key_prefix) VALUES (?)", [(p,) for p in set(prefixes.values())]
        )
        return [(iid, item) for iid, item in new_items if prefixes[iid] not in seen]

    async def corpus_version(self) -> int:
        """Changes whenever a load in this process added or removed items (cheap cache key)."""
        return self._version

    @_one_writer
    async def sync_aliases(self, aliases: Mapping[str, str]) -> None:
        """Record curated aliases (alias -> canonical name) for the people present, so /who finds them."""
        wanted = [(row_key(canonical), alias) for alias, canonical in aliases.items()]
        every_alias = "SELECT person_id, alias FROM person_aliases"
        await self._writer.execute("BEGIN IMMEDIATE")
        try:
            before = set(await self._writer.execute_fetchall(every_alias))
            await self._writer.execute("DELETE FROM person_aliases")
            await self._writer.executemany(
                "INSERT OR IGNORE INTO person_aliases(person_id, alias) "
                "SELECT id, ? FROM people WHERE key = ?",
                [(alias, key) for key, alias in wanted],
            )
            changed = set(await self._writer.execute_fetchall(every_alias)) != before
            await self._writer.execute("COMMIT" if changed else "ROLLBACK")
        except BaseException:
            await _rollback(self._writer)
            raise
        if changed:  # every load syncs; only a real change may empty the caches built on the corpus
            self._version += 1

    # ----------------------------------------------------------------- queries for the commands

    async def _fetchall(
        self, sql: str, params: Sequence[Any] = (), budget: _Budget | None = None
    ) -> list[sqlite3.Row | tuple[Any, ...]]:
        """One hop to a reader thread (a cursor opened, fetched and closed there), not three. Each reader
        has its own thread and SQLite releases the GIL while it works; the reader with the fewest
        queries in hand takes this one: a summary rebuilt in the background (seconds at 100k
        pages) then holds one reader while commands use the others, instead of one command in three
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
    async def _user_query(self) -> AsyncIterator[_Budget]:
        """A turn for a query whose cost the user's text decides: at most readers-1 at once, and a time
        budget (counted from its turn) shared by all its statements."""
        async with self._user_queries:
            yield _Budget(self.user_query_seconds)

    async def _sources(self, item_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
        ids = list(dict.fromkeys(item_ids))
        found: dict[int, list[str]] = {i: [] for i in ids}
        for chunk in _chunks(ids):
            rows = await self._fetchall(
                "SELECT s.item_id, d.path FROM sources s JOIN documents d ON d.id = s.document_id "
                f"WHERE s.item_id IN ({_marks(len(chunk))}) ORDER BY d.path, s.position",
                chunk,
            )
            for item_id, path in rows:
                name = _source_name(path)
                if name not in found[item_id]:
                    found[item_id].append(name)
        return {k: tuple(v) for k, v in found.items()}

    async def latest(self, n: int) -> list[ItemSummary]:
        """The n newest dated items (ties: the most recently added first)."""
        rows = await self._fetchall(
            "SELECT id, date, headline, summary FROM items WHERE date IS NOT NULL "
            "ORDER BY date DESC, id DESC LIMIT ?",
            (max(0, n),),
        )
        sources = await self._sources(r[0] for r in rows)
        return [ItemSummary(r[0], _date(r[1]), r[2], r[3], sources[r[0]]) for r in rows]

    async def items_by_ids(self, ids: Sequence[int]) -> list[ItemSummary]:
        rows = []
        for chunk in _chunks(list(ids)):
            rows += await self._fetchall(
                f"SELECT id, date, headline, summary FROM items WHERE id IN ({_marks(len(chunk))})", chunk
            )
        sources = await self._sources(r[0] for r in rows)
        by_id = {r[0]: ItemSummary(r[0], _date(r[1]), r[2], r[3], sources[r[0]]) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def item(self, item_id: int) -> ItemDetail | None:
        rows = await self._fetchall(
            "SELECT id, kind, date, headline, summary, body FROM items WHERE id = ?", (item_id,)
        )
        if not rows:
            return None
        r = rows[0]
        people = await self._fetchall(
            "SELECT p.name FROM mentions m JOIN people p ON p.id = m.person_id WHERE m.item_id = ? "
            "GROUP BY p.id ORDER BY min(m.id)",
            (item_id,),
        )
        ops = await self._fetchall(
            "SELECT o.name, o.kind FROM operation_mentions m JOIN operations o ON o.id = m.operation_id "
            "WHERE m.item_id = ? GROUP BY o.id ORDER BY min(m.id)",
            (item_id,),
        )
        sources = await self._sources([item_id])
        operations = tuple(_display_name([(o[0], 1)]) for o in ops if o[1] == OPERATION)
        exercises = tuple(_display_name([(o[0], 1)]) for o in ops if o[1] == EXERCISE)
        return ItemDetail(
            id=r[0], kind=r[1], date=_date(r[2]), headline=r[3], summary=r[4], body=r[5],
            sources=sources[item_id], people=tuple(p[0] for p in people), operations=operations,
            exercises=exercises,
        )

    async def search(self, match: str, query: str, page: int = 0, per_page: int = 5) -> SearchPage:
        """FTS5 search, `per_page` hits from `page`. `match` is a safe FTS5 expression, always bound.

        Ranked by bm25, unless the words are in more than half of the items: bm25 then weighs each
        word at ~0 (FTS5 clamps a non-positive idf to 1e-6), so its order says nothing, while scoring
        every match is all the cost (~250 ms for a word in every item at 100k pages). Such a search
        lists the newest matches first instead: a walk down the date index that stops at the page
        (~20 ms). Either way snippet() runs only for the rows shown, and the count of matches (one
        pass over FTS5's lists, no scoring) is returned.

        Raises QueryTooBroad when the statements together outlast `user_query_seconds` (many short
        prefixes: FTS5 merges the lists of every word they start), see _user_query.
        """
        page = max(0, page)
        item_count = await self._item_count()
        rows: Sequence[Sequence[Any]] = []
        try:
            async with self._user_query() as budget:
                count_sql = "SELECT count(*) FROM items_fts WHERE items_fts MATCH ?"
                total = (await self._fetchall(count_sql, (match,), budget))[0][0]
                newest_first = total * 2 > item_count
                if newest_first and page * per_page < total:
                    rows = await self._newest_matches(match, per_page, page * per_page, budget)
                elif page * per_page < total:
                    rows = await self._fetchall(
                        "SELECT f.rowid, i.date, i.headline, snippet(items_fts, 1, ?, ?, '…', 28) "
                        "FROM items_fts f JOIN items i ON i.id = f.rowid "
                        "WHERE items_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
                        (MATCH_START, MATCH_END, match, per_page, page * per_page),
                        budget,
                    )
        except sqlite3.OperationalError as exc:  # should never happen with parsed queries; never raise
            log.warning("search expression rejected by FTS5: %s", exc)
            total, newest_first = 0, False
        sources = await self._sources(r[0] for r in rows) if rows else {}
        hits = [SearchHit(r[0], _date(r[1]), r[2], r[3], sources[r[0]]) for r in rows]
        has_next = (page + 1) * per_page < total
        return SearchPage(query, page, per_page, tuple(hits), has_next, total, newest_first)

    async def _newest_matches(self, match: str, limit: int, offset: int, budget: _Budget) -> list[tuple[Any, ...]]:
        """(id, date, headline, snippet) of matching items, newest first (undated last)."""
        # The date index walked backwards, each item checked against the set of matches: SQLite's own
        # choice (look up every match, then sort) costs ten times more for a word in every item.
        rows = await self._fetchall(
            "SELECT i.id, i.date, i.headline FROM items i INDEXED BY items_by_date "
            "WHERE +i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?) "
            "ORDER BY i.date DESC, i.id DESC LIMIT ? OFFSET ?",
            (match, limit, offset),
            budget,
        )
        if not rows:
            return []
        snippets: dict[int, str] = {
            row[0]: row[1]
            for row in await self._fetchall(
                "SELECT rowid, snippet(items_fts, 1, ?, ?, '…', 28) FROM items_fts "
                f"WHERE items_fts MATCH ? AND rowid IN ({_marks(len(rows))})",
                (MATCH_START, MATCH_END, match, *(r[0] for r in rows)),
                budget,
            )
        }
        return [(*r, snippets.get(r[0], "")) for r in rows]

    async def _item_count(self) -> int:
        """How many items there are (kept until the corpus changes)."""
        if self._items_counted is None or self._items_counted[0] != self._version:
            count = (await self._fetchall("SELECT count(*) FROM items"))[0][0]
            self._items_counted = (self._version, int(count))
        return self._items_counted[1]

    async def vocabulary(self) -> list[str]:
        """Indexed terms (stemmed) for "did you mean"; cached until the corpus changes."""
        if self._vocabulary is None:
            rows = await self._fetchall("SELECT term FROM items_vocab WHERE length(term) > 2")
            self._vocabulary = [r[0] for r in rows if not r[0].isdigit()]
        return self._vocabulary

    async def surface_form(self, term: str) -> str | None:
        """The word as written in the corpus for an indexed (stemmed) term, e.g. mercenari -> mercenary."""
        rows = await self._fetchall(
            "SELECT snippet(items_fts, -1, ?, ?, '', 3) FROM items_fts WHERE items_fts MATCH ? LIMIT 1",
            (MATCH_START, MATCH_END, '"' + term.replace('"', '""') + '"'),
        )
        if not rows:
            return None
        text = rows[0][0]
        start, end = text.find(MATCH_START), text.find(MATCH_END)
        return text[start + 1 : end].lower() if 0 <= start < end else None

    async def person_names(self) -> list[PersonName]:
        rows = await self._fetchall(
            "SELECT p.id, p.name, "
            "(SELECT count(*) FROM (SELECT DISTINCT m.date, m.item_id FROM mentions m "
            "  INDEXED BY mentions_by_person_date WHERE m.person_id = p.id)), "
            f"(SELECT group_concat(alias, char(31)) FROM ({_ALIASES_OF_P})) "
            "FROM people p"
        )
        return [
            PersonName(r[0], r[1], tuple(r[3].split("\x1f")) if r[3] else (), int(r[2]))
            for r in rows
        ]

    async def title_holders(self, query: str, limit: int = 8) -> list[TitleHolder]:
        """People seen with a title holding every word of `query` (as a word of the title or the start
        of one; case, accents and punctuation aside), each once with their newest such mention, newest
        first (at most 6 words are used).

        For "/who Secretary General": the current holder of a post comes first. The query's Latin words
        narrow the mentions with LIKE (SQLite ignores case for ASCII letters only), and the word test is
        then made on folded text; a query without a Latin word of 3 letters or more finds no one, rather
        than scanning every mention. A user query (see _user_query): may raise QueryTooBroad.
        """
        wanted = fold_words(query).split()[:6]
        narrowing = [w for w in wanted if w.isascii() and len(w) >= 3]
        if not narrowing:
            return []
        likes = " AND ".join("m.title LIKE ?" for _ in narrowing)
        patterns = [f"%{w}%" for w in narrowing]  # folded words are letters and digits only: no wildcard
        # max(date) makes SQLite take item_id from that same row (a documented bare-column rule)
        async with self._user_query() as budget:
            rows = await self._fetchall(
                "SELECT m.person_id, p.name, m.title, max(coalesce(m.date, '')), m.item_id "
                f"FROM mentions m JOIN people p ON p.id = m.person_id WHERE m.title IS NOT NULL AND {likes} "
                "GROUP BY m.person_id, m.title ORDER BY 4 DESC, m.person_id LIMIT 500",
                patterns,
                budget,
            )
        holders: dict[int, TitleHolder] = {}
        for pid, name, title, date, item_id in rows:
            title_words = fold_words(title).split()
            if pid not in holders and all(any(t.startswith(w) for t in title_words) for w in wanted):
                holders[pid] = TitleHolder(pid, name, title, _date(date or None), item_id)
        return list(holders.values())[:limit]

    async def person(
        self, person_id: int, latest: int = 3, mention_count: int | None = None
    ) -> PersonProfile | None:
        """Titles over time and the latest mentions. `mention_count`, when the caller has it for the
        current corpus (the people index does), saves counting a famous person's thousands of mentions."""
        rows = await self._fetchall("SELECT id, name FROM people WHERE id = ?", (person_id,))
        if not rows:
            return None
        pid, name = rows[0]
        joined = await self._fetchall(
            f"SELECT (SELECT group_concat(alias, char(31)) FROM ({_ALIASES_OF_P})) FROM people p WHERE p.id = ?",
            (pid,),
        )
        aliases = [(a,) for a in joined[0][0].split("\x1f")] if joined and joined[0][0] else []
        # Each distinct title once, with the newest item it was seen in (its date and that item's id).
        # Dates sort NULL first, so DESC puts undated items last; every step is an index range.
        titles = await self._fetchall(
            "SELECT t.title, m.date, m.item_id FROM "
            "(SELECT DISTINCT title FROM mentions WHERE person_id = ?1 AND title IS NOT NULL) t "
            "JOIN mentions m ON m.id = (SELECT m2.id FROM mentions m2 WHERE m2.person_id = ?1 "
            "  AND m2.title = t.title ORDER BY m2.date DESC, m2.item_id DESC LIMIT 1) "
            "ORDER BY m.date DESC, m.item_id DESC",
            (pid,),
        )
        if mention_count is None:
            # Distinct (date, item) pairs walk the index in order; count(DISTINCT item_id) would sort.
            count = await self._fetchall(
                "SELECT count(*) FROM (SELECT DISTINCT date, item_id FROM mentions "
                "INDEXED BY mentions_by_person_date WHERE person_id = ?)",
                (pid,),
            )
            mention_count = int(count[0][0])
        # The newest items first, each once, with its first titled mention (a person named twice in one
        # item shows the sentence that gives their title).
        mentions = await self._fetchall(
            "SELECT i.id, i.date, i.headline, m.sentence, m.title FROM mentions m "
            "JOIN items i ON i.id = m.item_id WHERE m.person_id = ?1 "
            "AND m.id = (SELECT m2.id FROM mentions m2 INDEXED BY mentions_by_person_date "
            "            WHERE m2.person_id = ?1 AND m2.date IS m.date "
            "            AND m2.item_id = m.item_id ORDER BY m2.title IS NULL, m2.id LIMIT 1) "
            "ORDER BY m.date DESC, m.item_id DESC LIMIT ?2",
            (pid, latest),
        )
        sources = await self._sources(r[0] for r in mentions)
        return PersonProfile(
            id=pid,
            name=name,
            aliases=tuple(a[0] for a in aliases),
            titles=tuple(PersonTitle(t[0], _date(t[1]), t[2]) for t in titles),
            mention_count=mention_count,
            latest=tuple(
                PersonMentionRecord(r[0], _date(r[1]), r[2], r[3], r[4], sources[r[0]]) for r in mentions
            ),
        )

    async def operations(self) -> list[OperationSummary]:
        """Every operation (never an exercise) with its best purpose, years, dated span and sources."""
        return await self._named_kind(OPERATION)

    async def exercises(self) -> list[OperationSummary]:
        """Every exercise, as operations() gives operations."""
        return await self._named_kind(EXERCISE)

    async def _named_kind(self, kind: str) -> list[OperationSummary]:
        """Operations or exercises: four set queries, cached until the corpus changes (asked for often,
        changed only by a load)."""
        cached = self._operations_cache.get(kind)
        if cached is not None and cached[0] == self._version:
            return list(cached[1])
        spans = await self._fetchall(
            "SELECT m.operation_id, o.name, min(i.date), max(i.date), count(DISTINCT s.document_id) "
            "FROM operations o JOIN operation_mentions m ON m.operation_id = o.id "
            "JOIN items i ON i.id = m.item_id JOIN sources s ON s.item_id = m.item_id "
            "WHERE o.kind = ? GROUP BY m.operation_id",
            (kind,),
        )
        purposes = dict(
            await self._fetchall(
                "SELECT operation_id, purpose FROM (SELECT m.operation_id, m.purpose, row_number() OVER ("
                "  PARTITION BY m.operation_id "
                "  ORDER BY m.purpose_quality DESC, i.date IS NULL, i.date DESC, m.id) AS rank_in_operation "
                " FROM operation_mentions m JOIN items i ON i.id = m.item_id "
                " JOIN operations o ON o.id = m.operation_id WHERE o.kind = ? AND m.purpose IS NOT NULL) "
                "WHERE rank_in_operation = 1",
                (kind,),
            )
        )
        years: dict[int, set[int]] = {}
        instances: dict[int, dict[str, None]] = {}
        for op_id, instance, year in await self._fetchall(
            "SELECT m.operation_id, m.instance, substr(i.date, 1, 4) FROM operation_mentions m "
            "JOIN items i ON i.id = m.item_id JOIN operations o ON o.id = m.operation_id WHERE o.kind = ? "
            "GROUP BY m.operation_id, m.instance, substr(i.date, 1, 4) ORDER BY min(m.id)",
            (kind,),
        ):
            stated = instance_years(instance)
            years.setdefault(op_id, set()).update(stated or ([int(year)] if year else []))
            phase = instance_phase(instance)
            if phase:
                instances.setdefault(op_id, {})[phase] = None
        summaries = [
            OperationSummary(
                op_id, _display_name([(name, 1)]), purposes.get(op_id), _date(first), _date(last), docs,
                kind=kind, years=tuple(sorted(years.get(op_id, ()))), phases=tuple(instances.get(op_id, ())),
            )
            for op_id, name, first, last, docs in spans
        ]
        summaries.sort(key=lambda op: (-op.source_count, op.name.casefold()))
        self._operations_cache[kind] = (self._version, tuple(summaries))
        return summaries

    async def operation(self, op_id: int) -> OperationDetail | None:
        """One operation or exercise: its summary, every spelling, and one excerpt per item naming it."""
        summaries = [*await self.operations(), *await self.exercises()]
        summary = next((s for s in summaries if s.id == op_id), None)
        if summary is None:
            return None
        spellings = await self._fetchall(
            "SELECT DISTINCT name FROM operation_mentions WHERE operation_id = ?", (op_id,)
        )
        rows = await self._fetchall(
            "SELECT i.id, i.date, i.headline, m.sentence FROM operation_mentions m "
            "JOIN items i ON i.id = m.item_id WHERE m.id IN "
            "(SELECT min(id) FROM operation_mentions WHERE operation_id = ? GROUP BY item_id) "
            "ORDER BY i.date IS NULL, i.date DESC, i.id DESC LIMIT 10",
            (op_id,),
        )
        sources = await self._sources(r[0] for r in rows)
        excerpts = tuple(OperationExcerpt(r[0], _date(r[1]), r[2], r[3], sources[r[0]]) for r in rows)
        return OperationDetail(summary, tuple(s[0] for s in spellings), excerpts)

    # The newest items (each once) of a person, and of an operation (by id: newest loaded), at most `?`:
    # co-mentions are counted in them, so that a famous person's picture costs the same at any size.
    _PERSON_NEWEST = (
        "SELECT item_id FROM (SELECT DISTINCT date, item_id FROM mentions INDEXED BY mentions_by_person_date "
        "WHERE person_id = ? ORDER BY date DESC, item_id DESC LIMIT ?)"
    )
    _OPERATION_ITEMS = "SELECT DISTINCT item_id FROM operation_mentions WHERE operation_id = ?"
    _OPERATION_NEWEST = f"{_OPERATION_ITEMS} ORDER BY item_id DESC LIMIT ?"

    async def person_timeline(
        self, person_id: int, co_mentions: int = 10, titles: int = 8, newest: int = CO_MENTION_ITEMS
    ) -> Timeline | None:
        """A person's items per month, the titles they were given (the `titles` most frequent, each as
        the span between the first and last dated item giving it) and who is named with them most in
        their `newest` items. Every step is an index range over the person's mentions, or a join from
        at most `newest` of their items."""
        rows = await self._fetchall("SELECT name FROM people WHERE id = ?", (person_id,))
        if not rows:
            return None
        # Distinct (date, item) pairs walk the index in order (as in person()): each item counted once.
        months = await self._fetchall(
            "SELECT substr(date, 1, 7), count(*) FROM (SELECT DISTINCT date, item_id FROM mentions "
            "INDEXED BY mentions_by_person_date WHERE person_id = ?) GROUP BY 1",
            (person_id,),
        )
        spans = await self._fetchall(
            "SELECT title, min(date), max(date), count(DISTINCT item_id) AS n FROM mentions "
            "INDEXED BY mentions_by_person_title WHERE person_id = ? AND title IS NOT NULL "
            "AND date IS NOT NULL GROUP BY title ORDER BY n DESC, title LIMIT ?",
            (person_id, titles),
        )
        per_month, undated = _per_month(months)
        dated = [TitleSpan(t, dt.date.fromisoformat(a), dt.date.fromisoformat(b), n) for t, a, b, n in spans]
        timeline = Timeline(
            kind="person",
            name=rows[0][0],
            months=per_month,
            undated=undated,
            titles=tuple(sorted(dated, key=lambda span: (span.first, span.title))),
            co_mentions=tuple(await self.co_mentions(person_id, co_mentions, newest)),
        )
        return dataclasses.replace(timeline, co_mention_items=min(timeline.items, newest))

    async def co_mentions(
        self, person_id: int, limit: int = 10, newest: int = CO_MENTION_ITEMS
    ) -> list[CoMention]:
        """The people named in the most of this person's `newest` items (ties by name)."""
        return await self._people_in(self._PERSON_NEWEST, (person_id, newest), limit, besides=person_id)

    async def operation_timeline(
        self, op_id: int, people: int = 10, newest: int = CO_MENTION_ITEMS
    ) -> Timeline | None:
        """An operation's items per month and the people named most in its `newest` items."""
        summary = next((s for s in await self.operations() if s.id == op_id), None)
        if summary is None:
            return None
        months = await self._fetchall(
            f"SELECT substr(i.date, 1, 7), count(*) FROM ({self._OPERATION_ITEMS}) m "
            "JOIN items i ON i.id = m.item_id GROUP BY 1",
            (op_id,),
        )
        per_month, undated = _per_month(months)
        named = await self._people_in(self._OPERATION_NEWEST, (op_id, newest), people)
        items = sum(m.items for m in per_month) + undated
        return Timeline("operation", summary.name, per_month, undated, (), tuple(named), min(items, newest))

    async def _people_in(
        self, items_sql: str, params: tuple[int, int], limit: int, besides: int | None = None
    ) -> list[CoMention]:
        """The people named in most of the items `items_sql` (a constant query taking `params`)
        selects, `besides` aside: a join from those items, linear in their mentions."""
        rows = await self._fetchall(
            "SELECT o.person_id, p.name, count(DISTINCT o.item_id) AS shared "
            f"FROM ({items_sql}) m JOIN mentions o ON o.item_id = m.item_id "
            "JOIN people p ON p.id = o.person_id WHERE o.person_id IS NOT ? "
            "GROUP BY o.person_id ORDER BY shared DESC, p.name LIMIT ?",
            (*params, besides, limit),
        )
        return [CoMention(pid, name, shared) for pid, name, shared in rows]

    async def stats(self) -> CorpusStats:
        rows = await self._fetchall(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM items), "
            "(SELECT count(*) FROM people), (SELECT count(*) FROM operations WHERE kind = 'operation'), "
            "(SELECT min(date) FROM items), (SELECT max(date) FROM items), "
            "(SELECT value FROM meta WHERE key = 'last_load')"
        )
        r = rows[0]
        last = dt.datetime.fromisoformat(r[6]) if r[6] else None
        return CorpusStats(int(r[0]), int(r[1]), int(r[2]), int(r[3]), _date(r[4]), _date(r[5]), last)

    # ----------------------------------------------------------------- subscriptions

    @_one_writer
    async def subscribe(self, chat_id: int, thread_id: int | None, filters: Sequence[str]) -> bool:
        """Subscribe a chat or update its filters and topic. True if it was already subscribed."""
        async with self._writer.execute("SELECT 1 FROM subscriptions WHERE chat_id = ?", (chat_id,)) as cur:
            existed = await cur.fetchone() is not None
        await self._writer.execute(
            "INSERT INTO subscriptions(chat_id, thread_id, filters, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET thread_id = excluded.thread_id, filters = excluded.filters",
            (chat_id, thread_id, json.dumps(list(filters), ensure_ascii=False), _now()),
        )
        return existed

    @_one_writer
    async def unsubscribe(self, chat_id: int) -> bool:
        """Remove a chat's subscription and its pending alerts. True if there was one."""
        await self._writer.execute("BEGIN IMMEDIATE")
        try:
            cur = await self._writer.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
            removed = cur.rowcount > 0
            await self._writer.execute(
                "UPDATE outbox SET state = 'dropped', last_error = 'unsubscribed' "
                "WHERE chat_id = ? AND state = 'pending'",
                (chat_id,),
            )
            await self._writer.execute("COMMIT")
        except BaseException:
            await self._writer.execute("ROLLBACK")
            raise
        return removed

    @_one_writer
    async def subscription(self, chat_id: int) -> Subscription | None:
        async with self._writer.execute(
            "SELECT chat_id, thread_id, filters, created_at FROM subscriptions WHERE chat_id = ?", (chat_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return Subscription(row[0], row[1], tuple(json.loads(row[2])), dt.datetime.fromisoformat(row[3]))

    @_one_writer
    async def subscription_count(self) -> int:
        async with self._writer.execute("SELECT count(*) FROM subscriptions") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def chat_language(self, chat_id: int) -> str | None:
        """The language code a chat chose with /language, or None (each user's own language)."""
        rows = await self._fetchall("SELECT language FROM chat_languages WHERE chat_id = ?", (chat_id,))
        return str(rows[0][0]) if rows else None

    @_one_writer
    async def set_chat_language(self, chat_id: int, language: str | None) -> None:
        """Keep a chat's reply language; None forgets it (back to each user's own language)."""
        if language is None:
            await self._writer.execute("DELETE FROM chat_languages WHERE chat_id = ?", (chat_id,))
        else:
            await self._writer.execute(
                "INSERT INTO chat_languages(chat_id, language) VALUES (?, ?) "
                "ON CONFLICT(chat_id) DO UPDATE SET language = excluded.language",
                (chat_id, language),
            )

    @_one_writer
    async def move_subscription(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: the subscription and its pending alerts follow the new id, in
        one transaction. Rows the new id already had stay where they are; the old id's leftovers are
        dropped with it, so the old, dead id is never tried again."""
        await self._writer.execute("BEGIN IMMEDIATE")
        try:
            await self._writer.execute(
                "UPDATE OR REPLACE subscriptions SET chat_id = ? WHERE chat_id = ?",
                (new_chat_id, old_chat_id),
            )
            await self._writer.execute(
                "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND state = 'pending' "
                "AND item_id NOT IN (SELECT item_id FROM outbox WHERE chat_id = ?)",
                (new_chat_id, old_chat_id, new_chat_id),
            )
            # Whatever could not move was already queued for the new id: never send it twice.
            await self._writer.execute(
                "UPDATE outbox SET state = 'dropped', last_error = 'moved' WHERE chat_id = ? AND state = 'pending'",
                (old_chat_id,),
            )
            await self._writer.execute("COMMIT")
        except BaseException:
            await self._writer.execute("ROLLBACK")
            raise

    # ----------------------------------------------------------------- outbox

    @_one_writer
    async def due_alerts(self, limit: int = 100) -> list[OutboxRow]:
        """Pending rows whose retry time has come, oldest first (claimed or not: a view for tests and
        tools; the sender takes rows with claim_due_alerts)."""
        async with self._writer.execute(
            "SELECT id, chat_id, thread_id, item_id, attempts FROM outbox "
            "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
            (time.time(), limit),
        ) as cur:
            return [OutboxRow(*row) for row in await cur.fetchall()]

    @_one_writer
    async def claim_due_alerts(self, claimant: str, limit: int, lease: float) -> list[OutboxRow]:
        """Take the due rows no other sender holds (or whose claim is older than `lease`: that sender
        died), oldest first. One UPDATE ... RETURNING takes SQLite's write lock before it reads, so two
        senders, in one process or two, never take the same row."""
        now = time.time()
        async with self._writer.execute(
            "UPDATE outbox SET claimed_by = ?1, claimed_at = ?2 WHERE id IN ("
            "  SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?2 "
            "  AND (claimed_by IS NULL OR claimed_by = ?1 OR claimed_at < ?3) ORDER BY id LIMIT ?4) "
            "RETURNING id, chat_id, thread_id, item_id, attempts",
            (claimant, now, now - lease, limit),
        ) as cur:
            rows = [OutboxRow(*row) for row in await cur.fetchall()]
        return sorted(rows, key=lambda row: row.id)

    @_one_writer
    async def alert_claimants(self) -> list[str]:
        """Who holds claims on pending rows (a sender's id: host, pid and a token)."""
        async with self._writer.execute(
            "SELECT DISTINCT claimed_by FROM outbox WHERE state = 'pending' AND claimed_by IS NOT NULL"
        ) as cur:
            return [str(row[0]) for row in await cur.fetchall()]

    @_one_writer
    async def release_claims(self, claimant: str) -> int:
        """The rows this sender holds are free again (it stopped, or it died: see bot.delivery)."""
        cur = await self._writer.execute(
            "UPDATE outbox SET claimed_by = NULL, claimed_at = NULL WHERE claimed_by = ? AND state = 'pending'",
            (claimant,),
        )
        return max(cur.rowcount, 0)

    @_one_writer
    async def meta_value(self, key: str) -> str | None:
        async with self._writer.execute("SELECT value FROM meta WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None

    @_one_writer
    async def set_meta_value(self, key: str, value: str) -> None:
        await self._writer.execute(_SET_META, (key, value))

    @_one_writer
    async def pending_alerts_per_chat(self, chat_ids: Sequence[int]) -> dict[int, int]:
        """How many alerts wait for each of these chats (due or not)."""
        counts: dict[int, int] = {}
        for chunk in _chunks(list(chat_ids)):
            async with self._writer.execute(
                f"SELECT chat_id, count(*) FROM outbox WHERE state = 'pending' AND chat_id IN ({_marks(len(chunk))}) "
                "GROUP BY chat_id",
                chunk,
            ) as cur:
                counts.update((int(chat), int(n)) for chat, n in await cur.fetchall())
        return counts

    @_one_writer
    async def alert_backlog(
        self, chat_id: int, newest: int, claimant: str, lease: float
    ) -> tuple[list[int], list[int], list[int]]:
        """Claim every alert waiting for a chat, for one digest: (the row ids whose item is in the
        corpus, the row ids whose item is gone, the ids of the `newest` items still there, newest
        first). Rows another live sender holds are left to it."""
        now = time.time()
        async with self._writer.execute(
            "UPDATE outbox SET claimed_by = ?1, claimed_at = ?2 WHERE chat_id = ?3 AND state = 'pending' "
            "AND (claimed_by IS NULL OR claimed_by = ?1 OR claimed_at < ?4) RETURNING id, item_id",
            (claimant, now, chat_id, now - lease),
        ) as cur:
            claimed = sorted((int(row[0]), int(row[1])) for row in await cur.fetchall())
        present_items: set[int] = set()
        for chunk in _chunks(sorted({item_id for _, item_id in claimed})):
            async with self._writer.execute(
                f"SELECT id FROM items WHERE id IN ({_marks(len(chunk))})", chunk
            ) as cur:
                present_items.update(int(row[0]) for row in await cur.fetchall())
        async with self._writer.execute(
            "SELECT id FROM items WHERE id IN (SELECT item_id FROM outbox WHERE chat_id = ? AND state = 'pending' "
            "AND claimed_by = ?) ORDER BY date IS NULL, date DESC, id DESC LIMIT ?",
            (chat_id, claimant, newest),
        ) as cur:
            newest_ids = [int(row[0]) for row in await cur.fetchall()]
        present = [row_id for row_id, item_id in claimed if item_id in present_items]
        gone = [row_id for row_id, item_id in claimed if item_id not in present_items]
        return present, gone, newest_ids

    @_one_writer
    async def pending_alert_count(self) -> int:
        async with self._writer.execute("SELECT count(*) FROM outbox WHERE state = 'pending'") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    @_one_writer
    async def mark_alerts_sent(self, ids: Sequence[int]) -> None:
        await self._writer.executemany(
            f"UPDATE outbox SET state = 'sent', sent_at = ?, {_UNCLAIMED} WHERE id = ?",
            [(_now(), i) for i in ids],
        )

    @_one_writer
    async def retry_alerts_later(self, ids: Sequence[int], delay: float, error: str) -> None:
        """Count a failed attempt and free the rows until `delay` seconds from now. A row is never
        given up for failing: only a permanent answer ends it (fail_alerts, drop_alerts)."""
        await self._writer.executemany(
            f"UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, {_UNCLAIMED} "
            "WHERE id = ?",
            [(time.time() + delay, error[:500], i) for i in ids],
        )

    @_one_writer
    async def fail_alerts(self, ids: Sequence[int], error: str) -> None:
        """Telegram refused these for good (a bad request): they end here, with the reason."""
        await self._writer.executemany(
            f"UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, {_UNCLAIMED} "
            "WHERE id = ? AND state = 'pending'",
            [(error[:500], i) for i in ids],
        )

    @_one_writer
    async def postpone_alerts(self, ids: Sequence[int], delay: float) -> None:
        """Flood control (429): try again after the wait, without counting an attempt."""
        await self._writer.executemany(
            f"UPDATE outbox SET next_attempt_at = ?, {_UNCLAIMED} WHERE id = ?",
            [(time.time() + delay, i) for i in ids],
        )

    @_one_writer
    async def drop_alerts(self, ids: Sequence[int], reason: str) -> None:
        await self._writer.executemany(
            f"UPDATE outbox SET state = 'dropped', last_error = ?, {_UNCLAIMED} WHERE id = ?",
            [(reason, i) for i in ids],
        )

    @_one_writer
    async def prune_outbox(self, older_than_days: float, limit: int = 5000) -> int:
        """Remove up to `limit` finished rows (sent, failed, dropped) queued more than `older_than_days`
        ago; pending rows always stay. Safe for the no-duplicate promise: an item is queued only when
        it is news (never held by the corpus before, bot.store.seen_items) and item ids never repeat,
        so no pruned row's (chat, item) can be queued again. Returns how many went."""
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=max(older_than_days, 0))).isoformat(
            timespec="seconds"
        )
        cur = await self._writer.execute(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE state <> 'pending' AND created_at <= ? "
            "ORDER BY id LIMIT ?)",
            (cutoff, limit),
        )
        return max(cur.rowcount, 0)

    @_one_writer
    async def outbox_states(self) -> dict[str, int]:
        async with self._writer.execute("SELECT state, count(*) FROM outbox GROUP BY state") as cur:
            return {row[0]: int(row[1]) for row in await cur.fetchall()}

    # ----------------------------------------------------------------- rebuild (csto-bot rebuild)

    @_one_writer
    async def restore_salvage(self, salvage: Salvage) -> None:
        """Into a new, empty database, before the corpus is loaded: the old subscriptions, and the old
        item id high-water mark (new ids start above it, so an old /doc button never shows another item)."""
        db = self._writer
        await db.execute("BEGIN IMMEDIATE")
        try:
            await db.executemany(
                "INSERT OR IGNORE INTO subscriptions(chat_id, thread_id, filters, created_at) VALUES (?, ?, ?, ?)",
                [(s.chat_id, s.thread_id, json.dumps(list(s.filters), ensure_ascii=False), s.created_at) for s in
                 salvage.subscriptions],
            )  # fmt: skip
            if salvage.items_high_water:
                await db.execute(_SET_META, ("items_high_water", str(salvage.items_high_water)))
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise

    @_one_writer
    async def forget_alerts_seen_before(self, salvage: Salvage) -> int:
        """After the rebuild's load queued an alert for every matching item: keep those for items the old
        database never had (new pages) and those still pending there; drop the rest, whose alerts were sent
        (or deliberately not sent) before. An item counts as seen if its key, or its page as it is now
        (path and hash), was in the old database. Returns how many alerts stay queued."""
        db = self._writer
        await db.execute("BEGIN IMMEDIATE")
        try:
            for ddl in (
                "CREATE TEMP TABLE seen_keys(key TEXT PRIMARY KEY)",
                "CREATE TEMP TABLE seen_pages(path TEXT, sha256 TEXT, PRIMARY KEY (path, sha256))",
                "CREATE TEMP TABLE still_pending(chat_id INTEGER, key TEXT, PRIMARY KEY (chat_id, key))",
            ):
                await db.execute(ddl)
            await db.executemany(
                "INSERT OR IGNORE INTO seen_keys VALUES (?)", [(k,) for k in salvage.item_keys]
            )
            await db.executemany("INSERT OR IGNORE INTO seen_pages VALUES (?, ?)", list(salvage.pages))
            await db.executemany("INSERT OR IGNORE INTO still_pending VALUES (?, ?)", list(salvage.pending))
            seen = (
                "1"
                if salvage.history_unknown
                else "(i.key IN (SELECT key FROM seen_keys) OR EXISTS (SELECT 1 FROM sources s JOIN documents d "
                "ON d.id = s.document_id JOIN seen_pages p ON p.path = d.path AND p.sha256 = d.sha256 "
                "WHERE s.item_id = i.id))"
            )
            await db.execute(
                "DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox o JOIN items i ON i.id = o.item_id "
                f"WHERE {seen} AND NOT EXISTS (SELECT 1 FROM still_pending k WHERE k.chat_id = o.chat_id "
                "AND k.key = i.key))"
            )
            async with db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'") as cur:
                row = await cur.fetchone()
            for table in ("seen_keys", "seen_pages", "still_pending"):
                await db.execute(f"DROP TABLE temp.{table}")
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        return int(row[0]) if row else 0


@dataclass(frozen=True, slots=True)
class SalvagedSubscription:
    chat_id: int
    thread_id: int | None
    filters: tuple[str, ...]
    created_at: str


@dataclass(frozen=True, slots=True)
class Salvage:
    """What a damaged database still tells: its subscriptions, and which items and pages it had seen."""

    subscriptions: tuple[SalvagedSubscription, ...] = ()
    item_keys: frozenset[str] = frozenset()
    pages: frozenset[tuple[str, str]] = frozenset()  # (path, sha256) of the documents it had loaded
    pending: frozenset[tuple[int, str]] = frozenset()  # (chat id, item key) of alerts not yet sent
    items_high_water: int = 0
    unreadable: tuple[str, ...] = ()  # tables that could not be read whole

    @property
    def history_unknown(self) -> bool:
        """Neither the items nor the documents could be read at all: then every item of the corpus
        counts as seen (better no alert than an alert for every page to every subscriber)."""
        return not self.item_keys and not self.pages and {"items", "documents"} <= set(self.unreadable)


_ROWID_MIN, _ROWID_MAX = -(2**63), 2**63 - 1


def _read_rows(db: sqlite3.Connection, table: str, columns: str) -> tuple[list[tuple[Any, ...]], bool]:
    """Every readable row of a rowid table, and whether the table was read whole. A scan stops at the
    first damaged page, so after one fails the rows are read one at a time by rowid; a rowid whose
    seek fails is passed over with growing steps until the seek lands past the damage."""
    try:
        return list(db.execute(f"SELECT {columns} FROM {table} ORDER BY rowid")), True
    except sqlite3.DatabaseError:
        pass
    rows: list[tuple[Any, ...]] = []
    after, step = _ROWID_MIN, 1
    one = f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1"
    while after < _ROWID_MAX:
        try:
            row = db.execute(one, (after,)).fetchone()
        except sqlite3.DatabaseError:
            after, step = min(after + step, _ROWID_MAX), step * 2
            continue
        if row is None:
            break
        rows.append(tuple(row[1:]))
        after, step = int(row[0]), 1
    return rows, False


def _salvaged_subscription(row: tuple[Any, ...]) -> SalvagedSubscription | None:
    chat_id, thread_id, filters_json, created_at = row
    try:
        filters = json.loads(filters_json)
    except (TypeError, ValueError):
        return None
    if not isinstance(chat_id, int) or not (thread_id is None or isinstance(thread_id, int)):
        return None
    if not isinstance(filters, list) or not all(isinstance(f, str) for f in filters):
        return None
    return SalvagedSubscription(chat_id, thread_id, tuple(filters), str(created_at or _now()))


def salvage(path: Path) -> Salvage:
    """Read what can be read from a (damaged) database, without writing to it (blocking: use a thread).
    A file that cannot be opened at all salvages nothing."""
    uri = path.resolve().as_uri()
    try:
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        try:  # the schema itself may be readable without the -wal
            db = sqlite3.connect(f"{uri}?immutable=1", uri=True)
        except sqlite3.DatabaseError:
            return Salvage(unreadable=("subscriptions", "items", "documents", "outbox"))
    try:
        unreadable: list[str] = []

        def rows(table: str, columns: str) -> list[tuple[Any, ...]]:
            found, whole = _read_rows(db, table, columns)
            if not whole:
                unreadable.append(table)
            return found

        subscriptions = [
            _salvaged_subscription(r)
            for r in rows("subscriptions", "chat_id, thread_id, filters, created_at")
        ]
        items = {int(iid): str(key) for iid, key in rows("items", "id, key") if isinstance(iid, int) and key}
        pages = frozenset((str(p), str(h)) for p, h in rows("documents", "path, sha256") if p and h)
        pending = frozenset(
            (int(chat), items[item])
            for chat, item, state in rows("outbox", "chat_id, item_id, state")
            if state == "pending" and item in items and isinstance(chat, int)
        )
        high_water = max(items, default=0)
        for key, value in rows("meta", "key, value"):
            if key == "items_high_water" and str(value).isdecimal():
                high_water = max(high_water, int(value))
    finally:
        db.close()
    return Salvage(
        tuple(s for s in subscriptions if s is not None),
        frozenset(items.values()),
        pages,
        pending,
        high_water,
        tuple(unreadable),
    )

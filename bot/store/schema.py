"""Schema and migrations, and opening and closing the database (the checks that refuse a file to use).

The schema is the list of MIGRATIONS: each runs once, in its own transaction, and is recorded in
schema_migrations; a database made by a newer csto-bot, or by another program, is refused with a message
that says what to do.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Self

import aiosqlite

from bot import db_health
from bot.corpus.name_keys import row_key
from bot.corpus.stems import STEMS_VERSION, stem_text
from bot.store.base import READERS, SET_META, StoreBase, StoreError, atomic, log, utc_now

APPLICATION_ID = 0x0C570B07  # marks a csto-bot database, so a foreign SQLite file is never overwritten

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
        # instead of joining every mention with its item.
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
        # items after they are written costs FTS5 about half as much, and a batch's new items always
        # have the highest ids.
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
    (
        10,
        "documents have web addresses: the page's own first line, or the corpus folder's MANIFEST.tsv",
        # documents.url is written with the document (its first line, when that is its URL). The
        # manifest changes apart from the pages and may name pages not loaded yet, so its rows are a
        # table keyed by path, replaced whole when it changes; a manifest's address wins. Forgetting the
        # rules' fingerprint makes the next load read every page again: a stored page's first-line
        # address was item text until now.
        """
        ALTER TABLE documents ADD COLUMN url TEXT;
        CREATE TABLE listed_addresses (path TEXT PRIMARY KEY, url TEXT NOT NULL) WITHOUT ROWID;
        DELETE FROM meta WHERE key = 'rules';
        """,
    ),
    (
        11,
        "search finds every inflected form: items keep a stemmed copy of their text, indexed beside it",
        # bot.corpus.stems: one Snowball stem (Russian or English) per word, so «операции» finds
        # «операцию» and "exercise" "exercises". The index holds the text as written (for prefix* and
        # the excerpt) and the stems (for whole words and phrases), with unicode61 alone: porter stemmed
        # English only. The stems are stored with the item, so an index row is always deleted with the
        # values it was made from (and FTS5's integrity-check holds). search_stems is registered on the
        # writer by _migrate and used by the corpus writes; _restem then stems the items held and fills
        # the new index (as it does whenever the stemmer changes). "Did you mean" reads the words as
        # written: the vocabulary is by column.
        """
        ALTER TABLE items ADD COLUMN headline_stems TEXT NOT NULL DEFAULT '';
        ALTER TABLE items ADD COLUMN body_stems TEXT NOT NULL DEFAULT '';
        DROP TRIGGER items_fts_delete;
        DROP TABLE items_vocab;
        DROP TABLE items_fts;
        CREATE VIRTUAL TABLE items_fts USING fts5(
            headline, body, headline_stems, body_stems, content='items', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        INSERT INTO items_fts(items_fts, rank) VALUES('rank', 'bm25(4.0, 1.0, 4.0, 1.0)');
        CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, headline, body, headline_stems, body_stems)
            VALUES ('delete', old.id, old.headline, old.body, old.headline_stems, old.body_stems);
        END;
        CREATE VIRTUAL TABLE items_vocab USING fts5vocab(items_fts, 'col');
        """,
    ),
)
STEMS_SCHEMA = 11  # the migration that made the stemmed index
STEMS_KEY = "search_stems"  # meta: the bot.corpus.stems.STEMS_VERSION the stored stems were made by
SCHEMA_VERSION = MIGRATIONS[-1][0]


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


# The writer's settings for a bulk load (`csto-bot load`, a rebuild), where no bot shares the process's
# memory: the mentions' indexes are written all over their trees, and with SQLite's default 2 MB page cache
# each insert rereads pages it just wrote; a longer write-ahead log lets a page changed by many
# transactions be copied into the database once. Beside the bot the defaults keep its memory budget.
BULK_CACHE_KIB = 32 * 1024
BULK_CHECKPOINT_PAGES = 8_000  # ~32 MB of log between checkpoints (SQLite's default: 1,000)


class SchemaMixin(StoreBase):
    """Open (create or migrate), check and close the database."""

    @classmethod
    async def open(cls, path: Path | str, *, verify: bool = False, bulk: bool = False) -> Self:
        """verify: read every page first (PRAGMA quick_check) and refuse a damaged file, naming the way out;
        `run` verifies in the background instead (Services), `load` here. bulk: the writer is tuned for
        writing many pages at once (BULK_CACHE_KIB)."""
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
            pragmas = ["journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=10000"]
            if bulk:
                pragmas += [f"cache_size=-{BULK_CACHE_KIB}", f"wal_autocheckpoint={BULK_CHECKPOINT_PAGES}"]
            for pragma in pragmas:
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
        async with db.execute("PRAGMA application_id") as cur:
            marked = (await cur.fetchone() or (0,))[0] == APPLICATION_ID
        if not marked:  # written once: opening a marked file takes no write lock (a load may hold it)
            await db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        await db.create_function("person_row_key", 1, row_key, deterministic=True)  # migration 8
        await db.create_function("search_stems", 1, stem_text, deterministic=True)  # 11, corpus writes
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
            async with atomic(db):
                for statement in split_statements(script):
                    await db.execute(statement)
                await db.execute(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, utc_now()),
                )
            log.info("database migrated to schema %d (%s)", version, name)
            applied.add(version)
        if STEMS_SCHEMA in applied:
            await SchemaMixin._restem(db)

    @staticmethod
    async def _restem(db: aiosqlite.Connection) -> None:
        """Stem every item again and rebuild the search index when the stored stems were made by another
        stemmer (or none: migration 11): queries are stemmed by this one, and must meet the same stems."""
        async with db.execute("SELECT value FROM meta WHERE key = ?", (STEMS_KEY,)) as cur:
            row = await cur.fetchone()
        if row is not None and row[0] == STEMS_VERSION:
            return
        async with atomic(db):
            await db.execute(
                "UPDATE items SET headline_stems = search_stems(headline), body_stems = search_stems(body)"
            )
            await db.execute("INSERT INTO items_fts(items_fts) VALUES('rebuild')")
            await db.execute(SET_META, (STEMS_KEY, STEMS_VERSION))
        if row is not None:
            log.info("search index rebuilt for a new stemmer (%s)", STEMS_VERSION)

    async def schema_version(self) -> int:
        rows = await self._fetchall("SELECT max(version) FROM schema_migrations")
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    async def close(self) -> None:
        for conn in (*self._readers, self._writer):
            try:
                await conn.close()
            except (sqlite3.Error, ValueError):  # already closed
                pass

"""Rebuilding from a damaged database (csto-bot rebuild): read what it still tells, and carry that into
the new one.

salvage() reads the old file without writing to it, row by row past damaged pages; the Rebuild mixin
restores the subscriptions and the item id high-water mark, and after the new load keeps only the
alerts the old database had not sent.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.store.base import SET_META, StoreBase, one_writer, utc_now


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
    return SalvagedSubscription(chat_id, thread_id, tuple(filters), str(created_at or utc_now()))


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


class Rebuild(StoreBase):
    """The writes of csto-bot rebuild, into the new database."""

    @one_writer
    async def restore_salvage(self, salvage: Salvage) -> None:
        """Into a new, empty database, before the corpus is loaded: the old subscriptions, and the old
        item id high-water mark (new ids start above it, so an old /doc button never shows another item)."""
        async with self._atomic() as db:
            await db.executemany(
                "INSERT OR IGNORE INTO subscriptions(chat_id, thread_id, filters, created_at) VALUES (?, ?, ?, ?)",
                [(s.chat_id, s.thread_id, json.dumps(list(s.filters), ensure_ascii=False), s.created_at) for s in
                 salvage.subscriptions],
            )  # fmt: skip
            if salvage.items_high_water:
                await db.execute(SET_META, ("items_high_water", str(salvage.items_high_water)))

    @one_writer
    async def forget_alerts_seen_before(self, salvage: Salvage) -> int:
        """After the rebuild's load queued an alert for every matching item: keep those for items the old
        database never had (new pages) and those still pending there; drop the rest, whose alerts were sent
        (or deliberately not sent) before. An item counts as seen if its key, or its page as it is now
        (path and hash), was in the old database. Returns how many alerts stay queued."""
        async with self._atomic() as db:
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
        return int(row[0]) if row else 0

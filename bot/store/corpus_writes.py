"""The corpus write path: what the loader calls. Documents, their items, the people and operations the
rules found in them, in one transaction per batch, with the batch's alerts (bot.store.outbox.queue_alerts).

Items are shared by content key and their ids never repeat; a person is one row across spellings and
scripts (bot.corpus.name_keys), shown by their usual spelling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.corpus import operation_key
from bot.corpus.model import DATE_LINE, ParsedItem
from bot.corpus.name_keys import display_name, is_cyrillic, is_full_key, resolve_initials, row_key, surname_of
from bot.store.base import (
    CYRILLIC_GLOB,
    FTS_COLUMNS,
    SET_META,
    StoreBase,
    chunks,
    one_writer,
    placeholders,
    utc_now,
)
from bot.store.outbox import KnownPeopleCache, queue_new_item_alerts

REREAD_SHA = ""  # a document's hash when it must be parsed again whatever its bytes (its address changed)


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
    url: str | None = None  # the page's address, when its first line gives one


@dataclass(frozen=True, slots=True)
class ApplyResult:
    new_item_ids: tuple[int, ...]
    items_removed: int
    alerts_queued: int
    items_refreshed: int = 0  # stored items rewritten as changed rules read them (refresh=True)
    items_redated: int = 0  # stored items given the date a date line on a page of this change gives


_SPELLING_WEIGHT_MAX = 50  # repeats of one spelling passed to display_name: enough to rank, bounded


def _person_display(spellings: Sequence[tuple[str, int]]) -> str:
    """A person's shown name from (spelling, count) pairs: display_name over the spellings with their
    repeats, in the script most mentions use."""
    cyrillic = sum(n for s, n in spellings if is_cyrillic(s))
    language = "ru" if 2 * cyrillic > sum(n for _, n in spellings) else "en"
    repeated = [s for s, n in spellings for _ in range(min(n, _SPELLING_WEIGHT_MAX))]
    return display_name(repeated, language).display if repeated else ""


class CorpusWrites(StoreBase):
    """Documents, items, people and operations as the loader writes them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._people_keys = KnownPeopleCache()  # for person: filters (queue_new_item_alerts)

    async def document_states_of(self, paths: Sequence[str]) -> dict[str, DocumentState]:
        """States of these documents (those the store has): a full load asks chunk by chunk as it walks
        the folder, so it never holds every document's state at once."""
        found: dict[str, DocumentState] = {}
        for chunk in chunks(list(paths)):
            rows = await self._writer.execute_fetchall(
                f"SELECT path, size, mtime_ns, sha256 FROM documents WHERE path IN ({placeholders(len(chunk))})",
                chunk,
            )
            found.update((row[0], DocumentState(*row)) for row in rows)
        return found

    @one_writer
    async def begin_scan(self) -> None:
        """A full load is about to report every file it finds (note_found), then ask which stored
        documents it did not find (unfound_document_paths). The paths found are kept in a temporary
        table of the writer's connection, not in Python, so a large folder costs the load no memory for them."""
        await self._writer.execute(
            "CREATE TEMP TABLE IF NOT EXISTS scan_found (path TEXT PRIMARY KEY) WITHOUT ROWID"
        )
        await self._writer.execute("DELETE FROM temp.scan_found")

    @one_writer
    async def note_found(self, paths: Sequence[str]) -> None:
        await self._writer.executemany(
            "INSERT OR IGNORE INTO temp.scan_found(path) VALUES (?)", [(path,) for path in paths]
        )

    @one_writer
    async def unfound_document_paths(self) -> list[str]:
        """Stored documents whose path the scan begun by begin_scan did not find (their files are gone)."""
        rows = await self._writer.execute_fetchall(
            "SELECT path FROM documents WHERE path NOT IN (SELECT path FROM temp.scan_found) ORDER BY path"
        )
        await self._writer.execute("DELETE FROM temp.scan_found")
        return [row[0] for row in rows]

    @one_writer
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

    @one_writer
    async def touch_document(self, path: str, size: int, mtime_ns: int) -> None:
        """Record a new mtime for a file whose content hash did not change (a `touch`, a copy)."""
        await self._writer.execute(
            "UPDATE documents SET size = ?, mtime_ns = ? WHERE path = ?", (size, mtime_ns, path)
        )

    @one_writer
    async def known_person_names(self) -> list[str]:
        async with self._writer.execute("SELECT name FROM people") as cur:
            return [row[0] for row in await cur.fetchall()]

    @one_writer
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
        try:
            async with self._atomic() as db:
                result = await self._apply(db, changes, removed, queue_alerts, refresh)
                await db.execute(SET_META, ("last_load", utc_now()))
        except BaseException:
            self._people_keys.forget()  # it may hold keys of the rows rolled back
            raise
        if result.new_item_ids or result.items_removed or result.items_refreshed or result.items_redated:
            self._corpus_changed()
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
        for chunk in chunks(old_doc_ids):
            async with db.execute(
                f"SELECT item_id FROM sources WHERE document_id IN ({placeholders(len(chunk))})", chunk
            ) as cur:
                candidates.update(row[0] for row in await cur.fetchall())
            await db.execute(f"DELETE FROM sources WHERE document_id IN ({placeholders(len(chunk))})", chunk)
        removed_ids = [doc_ids[p] for p in removed if p in doc_ids]
        for chunk in chunks(removed_ids):
            await db.execute(f"DELETE FROM documents WHERE id IN ({placeholders(len(chunk))})", chunk)

        # 2. Documents: update in place or create.
        now = utc_now()
        next_doc = await self._next_id(db, "documents")
        doc_rows = []
        for change in changes:
            if change.path not in doc_ids:
                doc_ids[change.path] = next_doc
                next_doc += 1
            doc_id = doc_ids[change.path]
            doc_rows.append(
                (doc_id, change.path, change.size, change.mtime_ns, change.sha256, now, change.url)
            )
        await db.executemany(
            "INSERT INTO documents(id, path, size, mtime_ns, sha256, loaded_at, url) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
            "sha256 = excluded.sha256, loaded_at = excluded.loaded_at, url = excluded.url",
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
        new_at: dict[str, int] = {}  # key -> its place in new_items
        for item in all_items:
            if item.key not in item_ids:
                item_ids[item.key] = next_item
                new_at[item.key] = len(new_items)
                new_items.append((next_item, item))
                next_item += 1
            elif item.key in new_at and _better_dated(item, new_items[new_at[item.key]][1]):
                at = new_at[item.key]
                new_items[at] = (new_items[at][0], item)
        await db.executemany(
            "INSERT INTO items(id, key, kind, headline, summary, body, date, added_at, headline_stems, body_stems) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(?9, search_stems(?4)), coalesce(?10, search_stems(?6)))",
            [
                (
                    iid,
                    it.key,
                    it.kind,
                    it.headline,
                    it.summary,
                    it.body,
                    it.date.isoformat() if it.date else None,
                    now,
                    it.headline_stems,
                    it.body_stems,
                )
                for iid, it in new_items
            ],
        )
        if new_items:
            await db.execute(
                f"INSERT INTO items_fts(rowid, {FTS_COLUMNS}) SELECT id, {FTS_COLUMNS} FROM items WHERE id >= ?",
                (new_items[0][0],),
            )
            await db.execute(SET_META, ("items_high_water", str(next_item - 1)))
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
        refreshed = (
            {item_ids[i.key]: i for i in all_items if item_ids[i.key] not in fresh_ids} if refresh else {}
        )
        await self._refresh_items(db, list(refreshed.items()))
        redated = 0 if refresh else await _redate_by_date_lines(db, all_items, item_ids, new_at)

        # 4. Items no page holds any more go, with their mentions (cascade) and FTS rows (trigger).
        items_removed = 0
        for chunk in chunks(sorted(candidates)):
            cur = await db.execute(
                f"DELETE FROM items WHERE id IN ({placeholders(len(chunk))}) "
                "AND NOT EXISTS (SELECT 1 FROM sources WHERE sources.item_id = items.id)",
                chunk,
            )
            items_removed += max(cur.rowcount, 0)
        if items_removed or refreshed:
            self._people_keys.forget()  # people may go
            await db.execute(
                "DELETE FROM people WHERE NOT EXISTS (SELECT 1 FROM mentions WHERE person_id = people.id)"
            )
            await db.execute(
                "DELETE FROM operations WHERE NOT EXISTS "
                "(SELECT 1 FROM operation_mentions WHERE operation_id = operations.id)"
            )

        # 5. Alerts for what is new, in the same transaction.
        queued = (
            await queue_new_item_alerts(db, new_items, now, self._people_keys)
            if queue_alerts and new_items
            else 0
        )
        return ApplyResult(tuple(iid for iid, _ in new_items), items_removed, queued, len(refreshed), redated)

    async def _refresh_items(self, db: aiosqlite.Connection, items: Sequence[tuple[int, ParsedItem]]) -> None:
        """Stored items as the rules now read them: their fields (and search index rows, which must be
        deleted with the values they were made from) and their people and operations."""
        for chunk in chunks(list(items)):
            ids = [iid for iid, _ in chunk]
            marks = placeholders(len(ids))
            await db.execute(
                f"INSERT INTO items_fts(items_fts, rowid, {FTS_COLUMNS}) "
                f"SELECT 'delete', id, {FTS_COLUMNS} FROM items WHERE id IN ({marks})",
                ids,
            )
            await db.executemany(
                "UPDATE items SET kind = ?1, headline = ?2, summary = ?3, body = ?4, date = ?5, "
                "headline_stems = coalesce(?7, search_stems(?2)), body_stems = coalesce(?8, search_stems(?4)) "
                "WHERE id = ?6",
                [
                    (
                        it.kind,
                        it.headline,
                        it.summary,
                        it.body,
                        it.date.isoformat() if it.date else None,
                        iid,
                        it.headline_stems,
                        it.body_stems,
                    )
                    for iid, it in chunk
                ],
            )
            await db.execute(
                f"INSERT INTO items_fts(rowid, {FTS_COLUMNS}) SELECT id, {FTS_COLUMNS} FROM items WHERE id IN ({marks})",
                ids,
            )
            await db.execute(f"DELETE FROM mentions WHERE item_id IN ({marks})", ids)
            await db.execute(f"DELETE FROM operation_mentions WHERE item_id IN ({marks})", ids)
        await self._write_people(db, items)
        await self._write_operations(db, items)

    @staticmethod
    async def _ids_by(
        db: aiosqlite.Connection, table: str, column: str, values: Sequence[str]
    ) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in chunks(list(values)):
            async with db.execute(
                f"SELECT {column}, id FROM {table} WHERE {column} IN ({placeholders(len(chunk))})", chunk
            ) as cur:
                found.update({row[0]: row[1] for row in await cur.fetchall()})
        return found

    @staticmethod
    async def _next_id(db: aiosqlite.Connection, table: str) -> int:
        async with db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 1

    async def _ensure_ids(
        self, db: aiosqlite.Connection, table: str, names: dict[str, str]
    ) -> dict[str, int]:
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

    async def _write_people(
        self, db: aiosqlite.Connection, new_items: Sequence[tuple[int, ParsedItem]]
    ) -> None:
        """Mentions under one row per person (name_keys.row_key), each with the spelling its page used;
        the spellings' counts go up, and a row whose spellings changed is shown by its usual one."""
        key_of: dict[str, str] = {}  # each spelling keyed once
        names: dict[str, str] = {}  # key -> the last spelling met
        for _, item in new_items:
            for m in item.people:
                key = key_of.get(m.name)
                if key is None:
                    key = key_of[m.name] = row_key(m.name)
                names[key] = m.name
        if not names:
            return
        had = await self._ids_by(db, "people", "key", list(names))
        ids = await self._ensure_ids(db, "people", names)
        rows = [
            (ids[key_of[m.name]], iid, m.title, m.sentence, date, m.written or m.name)
            for iid, item, date in [
                (iid, item, item.date.isoformat() if item.date else None) for iid, item in new_items
            ]
            for m in item.people
        ]
        await db.executemany(
            "INSERT INTO mentions(person_id, item_id, title, sentence, date, written) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
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
        self._people_keys.add(names)
        if len(had) < len(names):  # new people: an initials row may now have its one full name
            merged = await self._merge_initials(db)
            if merged:
                self._people_keys.forget()  # initials rows went
            touched |= merged
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
        for chunk in chunks(list(person_ids)):
            marks = placeholders(len(chunk))
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
        """Mentions under one row per family (all spellings and years of an operation, in both scripts),
        kind as last read. A row is named in Latin letters once any page writes it so (the lexicon's
        families are English names too), so one list reads the same whichever page came first."""
        families = {operation_key(o.family_name): o for _, item in new_items for o in item.operations}
        if not families:
            return
        names = {k: o.family_name for k, o in families.items()}
        for _, item in new_items:
            for o in item.operations:
                if not is_cyrillic(o.family_name):
                    names[operation_key(o.family_name)] = o.family_name
        ids = await self._ensure_ids(db, "operations", names)
        await db.executemany(
            "UPDATE operations SET name = ? WHERE id = ? AND name GLOB ?",
            [(name, ids[k], CYRILLIC_GLOB) for k, name in names.items() if not is_cyrillic(name)],
        )
        await db.executemany(
            "UPDATE operations SET kind = ? WHERE id = ? AND kind != ?",
            [(o.kind, ids[k], o.kind) for k, o in families.items()],
        )
        await db.executemany(
            "INSERT INTO operation_mentions(operation_id, item_id, name, purpose, purpose_quality, sentence, instance) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    ids[operation_key(o.family_name)],
                    iid,
                    o.name,
                    o.purpose,
                    o.purpose_quality,
                    o.sentence,
                    o.instance,
                )
                for iid, item in new_items
                for o in item.operations
            ],
        )

    @one_writer
    async def set_listed_addresses(self, addresses: Mapping[str, str]) -> list[str]:
        """Make the manifest's (path -> URL) rows these, in one transaction; the paths whose address
        changed (added, altered, dropped), [] when none did. Those documents are marked to be read
        again (an address may date a page), and answers built with the old addresses are dropped."""
        async with self._atomic() as db:
            rows = await db.execute_fetchall("SELECT path, url FROM listed_addresses")
            before = {row[0]: row[1] for row in rows}
            changed = sorted(p for p in before.keys() | addresses.keys() if before.get(p) != addresses.get(p))
            if changed:
                await db.execute("DELETE FROM listed_addresses")
                await db.executemany(
                    "INSERT INTO listed_addresses(path, url) VALUES (?, ?)", addresses.items()
                )
                await db.executemany(
                    "UPDATE documents SET sha256 = ?, mtime_ns = -1 WHERE path = ?",
                    [(REREAD_SHA, p) for p in changed],
                )
        if changed:
            self._version += 1
        return changed

    @one_writer
    async def sync_aliases(self, aliases: Mapping[str, str]) -> None:
        """Record curated aliases (alias -> canonical name) for the people present, so /who finds them."""
        wanted = [(row_key(canonical), alias) for alias, canonical in aliases.items()]
        async with self._atomic() as db:
            before = set(await db.execute_fetchall("SELECT person_id, alias FROM person_aliases"))
            ids = await self._ids_by(db, "people", "key", list({key for key, _ in wanted}))
            after = {(ids[key], alias) for key, alias in wanted if key in ids}
            changed = after != before
            if changed:  # an unchanged set is not written again (every load syncs)
                await db.execute("DELETE FROM person_aliases")
                await db.executemany(
                    "INSERT INTO person_aliases(person_id, alias) VALUES (?, ?)", sorted(after)
                )
        if changed:  # only a real change may empty the caches built on the corpus
            self._version += 1


def _better_dated(item: ParsedItem, than: ParsedItem) -> bool:
    """One item met on two pages keeps the date of the stronger evidence: any date over none, its date
    line or header over a date read in its lead. A page that gives the item no date never undates it."""
    return item.date is not None and (than.date is None or item.date_evidence > than.date_evidence)


async def _redate_by_date_lines(
    db: aiosqlite.Connection,
    items: Sequence[ParsedItem],
    item_ids: dict[str, int],
    new_at: dict[str, int],
) -> int:
    """Stored items (met on pages loaded before) take a date this change's pages give them: a date line
    replaces any other date (the store keeps no record of where a stored date came from, and two date
    lines rarely disagree); a date read in the text dates an item stored undated. Mentions carry the
    item's date."""
    changed = 0
    for it in items:
        if it.date is None or it.key in new_at:
            continue
        day, item_id = it.date.isoformat(), item_ids[it.key]
        only_undated = "" if it.date_evidence == DATE_LINE else " AND date IS NULL"
        cur = await db.execute(
            f"UPDATE items SET date = ?1 WHERE id = ?2 AND date IS NOT ?1{only_undated}", (day, item_id)
        )
        if cur.rowcount > 0:
            changed += 1
            await db.execute(
                "UPDATE mentions SET date = ?1 WHERE item_id = ?2 AND date IS NOT ?1", (day, item_id)
            )
    return changed

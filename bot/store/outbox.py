"""Subscriptions and the outbox: what /subscribe, /language, group migrations and the alert sender use.

An alert is an outbox row written in the same transaction as the item it announces (queue_new_item_alerts,
called by the corpus write path), so none is lost between ingest and send; senders claim rows with a
lease, settle them (sent, retried, failed, dropped), and finished rows are pruned.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import Iterable, Sequence

import aiosqlite

from bot.alert_filters import KnownPeople, named_hits
from bot.corpus.model import ParsedItem
from bot.records import OutboxRow, Subscription
from bot.store.base import SET_META, StoreBase, chunks, one_writer, placeholders, utc_now

SEEN_KEY_CHARS = 16  # of an item's key (hex content hash) kept in seen_items: 64 bits
_UNCLAIMED = "claimed_by = NULL, claimed_at = NULL"  # a row whose send is settled is no one's
# Every (subscription, filter) pair, for the alert queries; a person:/op: filter with a name is "named".
_FILTERS_OF_SUBSCRIPTIONS = "subscriptions s, json_each(CASE WHEN json_valid(s.filters) THEN s.filters END) f"
NAMED_FILTER_SQL = (
    "lower(substr(f.value, 1, instr(f.value, ':') - 1)) IN ('person', 'op') "
    "AND substr(f.value, instr(f.value, ':') + 1) <> ''"
)


class KnownPeopleCache:
    """The person keys of the corpus, for person: filters: read once, then kept by the loads of this
    process (add), dropped when people may go (forget), and read again after another connection's
    commit (PRAGMA data_version changes then, never for this connection's own)."""

    def __init__(self) -> None:
        self._cached: tuple[int, KnownPeople] | None = None

    def add(self, keys: Iterable[str]) -> None:
        if self._cached is not None:
            self._cached[1].add(keys)

    def forget(self) -> None:
        self._cached = None

    async def get(self, db: aiosqlite.Connection) -> KnownPeople:
        """Every person key the corpus holds, this transaction's included."""
        async with db.execute("PRAGMA data_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        if self._cached is None or self._cached[0] != version:
            async with db.execute("SELECT key FROM people") as cur:
                keys = [str(r[0]) for r in await cur.fetchall()]
            self._cached = (version, await asyncio.to_thread(KnownPeople.of_keys, keys))
        return self._cached[1]


async def queue_new_item_alerts(
    db: aiosqlite.Connection,
    new_items: Sequence[tuple[int, ParsedItem]],
    now: str,
    people_keys: KnownPeopleCache,
) -> int:
    """Outbox rows for the items that are news, for every subscription whose filters match them.

    Matching grows with items x distinct filters, never with subscriptions x text, and never runs
    on the event loop: the new items' stems (bot.corpus.stems) are indexed once in a temporary FTS5 table
    (whole words in any inflected form, case and accents aside, as the filters promise; search_stems
    turns each filter into stems the same way, on the writer) and each distinct word or
    phrase filter is one FTS5 lookup, all in one statement in SQLite's C code on aiosqlite's thread.
    person:/op: filters are resolved in a thread: a person key the corpus knows by set lookups, any
    other filter against each distinct name by rapidfuzz (C++). One INSERT ... SELECT then joins the
    hits with the subscriptions.
    """
    news = await _not_seen_before(db, new_items)
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
        for chunk in chunks([iid for iid, _ in news]):
            await db.execute(
                "INSERT INTO temp.alert_text(rowid, text) SELECT id, headline_stems || char(10) || body_stems FROM items "
                f"WHERE id IN ({placeholders(len(chunk))})",
                chunk,
            )
        async with db.execute(
            f"SELECT DISTINCT f.value FROM {_FILTERS_OF_SUBSCRIPTIONS} WHERE {NAMED_FILTER_SQL}"
        ) as cur:
            named = [str(r[0]) for r in await cur.fetchall()]
        people = {iid: [m.name for m in item.people] for iid, item in news}
        known = await people_keys.get(db)
        operations = {
            iid: [n for o in item.operations for n in (o.family_name, o.name)] for iid, item in news
        }
        # Both at once: the FTS5 lookups in aiosqlite's thread, the fuzzy names in another.
        # A filter bound as one FTS5 phrase (quotes doubled): "NEAR(", "*" or "-" are words, never syntax.
        _, hits = await asyncio.gather(
            db.execute(
                "INSERT INTO temp.alert_hits(term, item_id) SELECT t.term, a.rowid FROM "
                f"(SELECT DISTINCT f.value AS term FROM {_FILTERS_OF_SUBSCRIPTIONS} WHERE NOT ({NAMED_FILTER_SQL})) t "
                "JOIN temp.alert_text a ON a.alert_text MATCH '\"' || replace(search_stems(t.term), '\"', '\"\"') || '\"'"
            ),
            asyncio.to_thread(named_hits, named, people, operations, known),
        )
        await db.executemany("INSERT INTO temp.alert_hits(term, item_id) VALUES (?, ?)", hits)
        before = db.total_changes
        # One statement per batch, rows in (chat, item) order. A chat two of whose filters match an
        # item yields it twice: UNIQUE(chat_id, item_id), which the insert checks anyway, keeps one
        # (cheaper than a UNION's own b-tree). CROSS JOIN: the chats with no filter are found once,
        # not once per item (SQLite would otherwise read every subscription's JSON for each item).
        await db.execute(
            "INSERT OR IGNORE INTO outbox(chat_id, thread_id, item_id, created_at) "
            "SELECT chat_id, thread_id, item_id, ?1 FROM ("
            f"  SELECT s.chat_id, s.thread_id, h.item_id FROM {_FILTERS_OF_SUBSCRIPTIONS} "
            "   JOIN temp.alert_hits h ON h.term = f.value "
            "  UNION ALL SELECT s.chat_id, s.thread_id, a.rowid FROM subscriptions s CROSS JOIN temp.alert_text a "
            "   WHERE json_valid(s.filters) AND json_array_length(s.filters) = 0"
            ") ORDER BY chat_id, item_id",
            (now,),
        )
        return db.total_changes - before
    finally:
        await db.execute("DELETE FROM temp.alert_text")
        await db.execute("DELETE FROM temp.alert_hits")


async def _not_seen_before(
    db: aiosqlite.Connection, new_items: Sequence[tuple[int, ParsedItem]]
) -> list[tuple[int, ParsedItem]]:
    """The new items whose content the corpus never held before (a page removed and added again is
    not news twice), each then remembered for good."""
    prefixes = {iid: item.key[:SEEN_KEY_CHARS] for iid, item in new_items}
    seen: set[str] = set()
    for chunk in chunks(list(set(prefixes.values()))):
        async with db.execute(
            f"SELECT key_prefix FROM seen_items WHERE key_prefix IN ({placeholders(len(chunk))})", chunk
        ) as cur:
            seen.update(row[0] for row in await cur.fetchall())
    await db.executemany(
        "INSERT OR IGNORE INTO seen_items(key_prefix) VALUES (?)", [(p,) for p in set(prefixes.values())]
    )
    return [(iid, item) for iid, item in new_items if prefixes[iid] not in seen]


class Outbox(StoreBase):
    """Subscriptions, each chat's language, and the alerts waiting for them."""

    @one_writer
    async def subscribe(self, chat_id: int, thread_id: int | None, filters: Sequence[str]) -> bool:
        """Subscribe a chat or update its filters and topic. True if it was already subscribed."""
        async with self._writer.execute("SELECT 1 FROM subscriptions WHERE chat_id = ?", (chat_id,)) as cur:
            existed = await cur.fetchone() is not None
        await self._writer.execute(
            "INSERT INTO subscriptions(chat_id, thread_id, filters, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET thread_id = excluded.thread_id, filters = excluded.filters",
            (chat_id, thread_id, json.dumps(list(filters), ensure_ascii=False), utc_now()),
        )
        return existed

    @one_writer
    async def unsubscribe(self, chat_id: int) -> bool:
        """Remove a chat's subscription and its pending alerts. True if there was one."""
        async with self._atomic() as db:
            cur = await db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
            removed = cur.rowcount > 0
            await db.execute(
                "UPDATE outbox SET state = 'dropped', last_error = 'unsubscribed' "
                "WHERE chat_id = ? AND state = 'pending'",
                (chat_id,),
            )
        return removed

    @one_writer
    async def subscription(self, chat_id: int) -> Subscription | None:
        async with self._writer.execute(
            "SELECT chat_id, thread_id, filters, created_at FROM subscriptions WHERE chat_id = ?", (chat_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return Subscription(row[0], row[1], tuple(json.loads(row[2])), dt.datetime.fromisoformat(row[3]))

    @one_writer
    async def subscribed_chat_ids(self) -> list[int]:
        """Every subscribed chat, in id order (the benchmark starts its alert steps from these)."""
        async with self._writer.execute("SELECT chat_id FROM subscriptions ORDER BY chat_id") as cur:
            return [int(row[0]) for row in await cur.fetchall()]

    @one_writer
    async def subscription_count(self) -> int:
        async with self._writer.execute("SELECT count(*) FROM subscriptions") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def chat_language(self, chat_id: int) -> str | None:
        """The language code a chat chose with /language, or None (each user's own language)."""
        rows = await self._fetchall("SELECT language FROM chat_languages WHERE chat_id = ?", (chat_id,))
        return str(rows[0][0]) if rows else None

    @one_writer
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

    @one_writer
    async def move_subscription(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: the subscription and its pending alerts follow the new id, in
        one transaction. Rows the new id already had stay where they are; the old id's leftovers are
        dropped with it, so the old, dead id is never tried again."""
        async with self._atomic() as db:
            await db.execute(
                "UPDATE OR REPLACE subscriptions SET chat_id = ? WHERE chat_id = ?",
                (new_chat_id, old_chat_id),
            )
            await db.execute(
                "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND state = 'pending' "
                "AND item_id NOT IN (SELECT item_id FROM outbox WHERE chat_id = ?)",
                (new_chat_id, old_chat_id, new_chat_id),
            )
            # Whatever could not move was already queued for the new id: never send it twice.
            await db.execute(
                "UPDATE outbox SET state = 'dropped', last_error = 'moved' WHERE chat_id = ? AND state = 'pending'",
                (old_chat_id,),
            )

    # ----------------------------------------------------------------- outbox

    @one_writer
    async def due_alerts(self, limit: int = 100) -> list[OutboxRow]:
        """Pending rows whose retry time has come, oldest first (claimed or not: a view for tests and
        tools; the sender takes rows with claim_due_alerts)."""
        async with self._writer.execute(
            "SELECT id, chat_id, thread_id, item_id, attempts FROM outbox "
            "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
            (time.time(), limit),
        ) as cur:
            return [OutboxRow(*row) for row in await cur.fetchall()]

    @one_writer
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

    @one_writer
    async def alert_claimants(self) -> list[str]:
        """Who holds claims on pending rows (a sender's id: host, pid and a token)."""
        async with self._writer.execute(
            "SELECT DISTINCT claimed_by FROM outbox WHERE state = 'pending' AND claimed_by IS NOT NULL"
        ) as cur:
            return [str(row[0]) for row in await cur.fetchall()]

    @one_writer
    async def release_claims(self, claimant: str) -> int:
        """The rows this sender holds are free again (it stopped, or it died: see bot.delivery)."""
        cur = await self._writer.execute(
            "UPDATE outbox SET claimed_by = NULL, claimed_at = NULL WHERE claimed_by = ? AND state = 'pending'",
            (claimant,),
        )
        return max(cur.rowcount, 0)

    @one_writer
    async def meta_value(self, key: str) -> str | None:
        async with self._writer.execute("SELECT value FROM meta WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None

    @one_writer
    async def set_meta_value(self, key: str, value: str) -> None:
        await self._writer.execute(SET_META, (key, value))

    @one_writer
    async def pending_alerts_per_chat(self, chat_ids: Sequence[int]) -> dict[int, int]:
        """How many alerts wait for each of these chats (due or not)."""
        counts: dict[int, int] = {}
        for chunk in chunks(list(chat_ids)):
            async with self._writer.execute(
                f"SELECT chat_id, count(*) FROM outbox WHERE state = 'pending' AND chat_id IN ({placeholders(len(chunk))}) "
                "GROUP BY chat_id",
                chunk,
            ) as cur:
                counts.update((int(chat), int(n)) for chat, n in await cur.fetchall())
        return counts

    @one_writer
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
        for chunk in chunks(sorted({item_id for _, item_id in claimed})):
            async with self._writer.execute(
                f"SELECT id FROM items WHERE id IN ({placeholders(len(chunk))})", chunk
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

    @one_writer
    async def pending_alert_count(self) -> int:
        async with self._writer.execute("SELECT count(*) FROM outbox WHERE state = 'pending'") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    @one_writer
    async def mark_alerts_sent(self, ids: Sequence[int]) -> None:
        await self._writer.executemany(
            f"UPDATE outbox SET state = 'sent', sent_at = ?, {_UNCLAIMED} WHERE id = ?",
            [(utc_now(), i) for i in ids],
        )

    @one_writer
    async def retry_alerts_later(self, ids: Sequence[int], delay: float, error: str) -> None:
        """Count a failed attempt and free the rows until `delay` seconds from now. A row is never
        given up for failing: only a permanent answer ends it (fail_alerts, drop_alerts)."""
        await self._writer.executemany(
            f"UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, {_UNCLAIMED} "
            "WHERE id = ?",
            [(time.time() + delay, error[:500], i) for i in ids],
        )

    @one_writer
    async def fail_alerts(self, ids: Sequence[int], error: str) -> None:
        """Telegram refused these for good (a bad request): they end here, with the reason."""
        await self._writer.executemany(
            f"UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, {_UNCLAIMED} "
            "WHERE id = ? AND state = 'pending'",
            [(error[:500], i) for i in ids],
        )

    @one_writer
    async def postpone_alerts(self, ids: Sequence[int], delay: float) -> None:
        """Flood control (429): try again after the wait, without counting an attempt."""
        await self._writer.executemany(
            f"UPDATE outbox SET next_attempt_at = ?, {_UNCLAIMED} WHERE id = ?",
            [(time.time() + delay, i) for i in ids],
        )

    @one_writer
    async def drop_alerts(self, ids: Sequence[int], reason: str) -> None:
        await self._writer.executemany(
            f"UPDATE outbox SET state = 'dropped', last_error = ?, {_UNCLAIMED} WHERE id = ?",
            [(reason, i) for i in ids],
        )

    @one_writer
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

    @one_writer
    async def outbox_states(self) -> dict[str, int]:
        async with self._writer.execute("SELECT state, count(*) FROM outbox GROUP BY state") as cur:
            return {row[0]: int(row[1]) for row in await cur.fetchall()}

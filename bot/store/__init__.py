"""The only package with SQL, behind one `Store`: open with `await Store.open(path)`, close with
`await store.close()`.

Split by who uses it, one mixin per module, all on the connections of bot.store.base:
schema (open, migrations, checks), corpus_writes (the loader), queries and timelines (the commands), outbox
(subscriptions and the alert sender), damaged (csto-bot rebuild). Callers import from `bot.store`.
"""

from __future__ import annotations

from bot.store.base import CHUNK, PROGRESS_STEPS, READERS, USER_QUERY_SECONDS, QueryTooBroad, StoreError
from bot.store.corpus_writes import REREAD_SHA, ApplyResult, CorpusWrites, DocumentChange, DocumentState
from bot.store.damaged import Rebuild, Salvage, SalvagedSubscription, salvage
from bot.store.outbox import NAMED_FILTER_SQL, SEEN_KEY_CHARS, Outbox
from bot.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, SchemaMixin, split_statements
from bot.store.timelines import CO_MENTION_ITEMS, TimelineQueries


class Store(SchemaMixin, CorpusWrites, TimelineQueries, Outbox, Rebuild):
    """The database: one writer connection (loads, subscriptions, outbox) and a few readers (queries)."""


__all__ = [
    "APPLICATION_ID",
    "CHUNK",
    "CO_MENTION_ITEMS",
    "MIGRATIONS",
    "NAMED_FILTER_SQL",
    "PROGRESS_STEPS",
    "READERS",
    "SCHEMA_VERSION",
    "SEEN_KEY_CHARS",
    "USER_QUERY_SECONDS",
    "ApplyResult",
    "DocumentChange",
    "DocumentState",
    "REREAD_SHA",
    "QueryTooBroad",
    "Salvage",
    "SalvagedSubscription",
    "Store",
    "StoreError",
    "salvage",
    "split_statements",
]

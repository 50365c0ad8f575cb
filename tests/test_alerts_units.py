"""The alert pieces that need no bot: batching into messages, backoff, the watch filter, and the store
operations the sender relies on (moving a chat, concurrent writers)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from watchfiles import Change

from bot import corpus_sync, delivery
from bot.corpus.model import ParsedItem
from bot.records import ItemSummary, Source
from bot.render import MAX_MESSAGE, telegram_length
from bot.store import DocumentChange, Store


def summary(item_id: int, size: int) -> ItemSummary:
    headline = f"Item {item_id} <&> " + "word " * size
    text = "A summary & more " + "text " * size
    return ItemSummary(item_id, dt.date(2025, 11, 1), headline, text, (Source(f"page_{item_id}.txt"),))


@pytest.mark.parametrize(
    ("count", "size", "messages"), [(1, 10, 1), (3, 10, 1), (25, 10, 3), (25, 400, 4), (30, 5000, 4)]
)
def test_pack_carries_every_item_once_in_bounded_messages(count: int, size: int, messages: int) -> None:
    items = [summary(n, size) for n in range(1, count + 1)]
    batches = delivery.pack(items)
    carried = [item_id for _, ids in batches for item_id in ids]
    assert carried == [item.id for item in items]  # each once, in order
    for reply, ids in batches:
        assert telegram_length(reply.text) <= MAX_MESSAGE
        assert 1 <= len(ids) <= delivery.MAX_ITEMS_PER_MESSAGE
        assert [int(n) for n in re.findall(r"/doc (\d+)", reply.text)] == list(ids)
        assert reply.text.startswith("<b>New in the corpus</b>")
    assert len(batches) >= messages  # long items: fewer per message, never a message over the limit


def test_pack_of_nothing_is_nothing() -> None:
    assert delivery.pack([]) == []


def test_backoff_grows_and_is_capped() -> None:
    delays = [delivery.backoff(n, 1.0) for n in range(8)]
    for n, delay in enumerate(delays):
        expected = min(delivery.MAX_BACKOFF, delivery.BACKOFF_FACTOR**n)
        assert expected * 0.9 <= delay <= expected * 1.1
    assert delivery.backoff(50, 1.0) <= delivery.MAX_BACKOFF * 1.1


def test_retry_after_in_either_form() -> None:
    assert delivery.retry_after_seconds(dt.timedelta(seconds=3)) == 3.0
    assert delivery.retry_after_seconds(5) == 5.0


@pytest.mark.parametrize(
    ("relative", "wanted"),
    [
        ("page.txt", True),
        ("2025/11/page.html", True),
        ("page.txt.part", False),
        ("page.tmp", False),
        ("page.txt~", False),
        (".page.txt.swp", False),
        (".hidden/page.txt", False),
        ("sub/.cache/page.txt", False),
        ("flycheck_page.txt", True),  # watchfiles' DefaultFilter drops these; the loader reads them
        ("__pycache__/page.txt", True),
    ],
)
def test_watch_filter_sees_what_the_loader_reads(tmp_path: Path, relative: str, wanted: bool) -> None:
    watch = corpus_sync._CorpusFilter(tmp_path)
    assert watch(Change.added, str(tmp_path / relative)) is wanted


# ---------------------------------------------------------------------------------------------- store


def parsed(key: str, position: int) -> ParsedItem:
    return ParsedItem(
        key=key,
        kind="teaser",
        headline=key,
        summary=key,
        body=f"{key} body",
        date=None,
        position=position,
        people=(),
        operations=(),
    )


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "units.sqlite3")
    yield opened
    await opened.close()


async def test_move_subscription_leaves_nothing_pending_at_the_old_id(store: Store) -> None:
    old, new = -1, -1001
    await store.subscribe(old, None, ("body",))
    await store.subscribe(new, None, ())
    await store.apply_changes([DocumentChange("p.txt", 1, 1, "h", [parsed("k1", 0), parsed("k2", 1)])])
    queued = {(r.chat_id, r.item_id) for r in await store.due_alerts()}
    assert queued == {(old, 1), (old, 2), (new, 1), (new, 2)}
    await store.move_subscription(old, new)
    due = await store.due_alerts()
    assert {(r.chat_id, r.item_id) for r in due} == {(new, 1), (new, 2)}  # no duplicate, none at the old id
    assert await store.subscription(old) is None
    moved = await store.subscription(new)
    assert moved is not None and moved.filters == ("body",)


async def test_a_subscription_change_during_a_load_is_not_lost(store: Store) -> None:
    """One writer connection is shared: an /unsubscribe while a load's transaction is open used to
    fail with "cannot start a transaction within a transaction" (bot.store.base.one_writer)."""
    await store.subscribe(1, None, ())
    await store.subscribe(2, None, ())
    changes = [
        DocumentChange(f"p{n}.txt", 1, 1, f"h{n}", [parsed(f"k{n}-{i}", i) for i in range(40)])
        for n in range(40)
    ]
    result, removed = await asyncio.gather(store.apply_changes(changes), store.unsubscribe(2))
    assert removed is True and await store.subscription(2) is None
    assert result.alerts_queued in (1600, 3200)  # before or after the unsubscribe, never half-way
    states = await store.outbox_states()
    assert states.get("pending", 0) == 1600


async def test_two_senders_never_claim_one_row_and_a_dead_senders_claim_expires(tmp_path: Path) -> None:
    """Two bots on one database (a second line of defence behind the single-instance lock): each row
    is taken by one sender only; rows a sender took and never settled are due again after the lease,
    or at once when it releases them."""
    first = await Store.open(tmp_path / "shared.sqlite3")
    second = await Store.open(tmp_path / "shared.sqlite3")
    try:
        for chat in range(1, 6):
            await first.subscribe(chat, None, ())
        await first.apply_changes(
            [DocumentChange("p.txt", 1, 1, "h", [parsed(f"k{n}", n) for n in range(40)])]
        )
        a, b = await asyncio.gather(
            first.claim_due_alerts("host:1:a", 120, lease=60),
            second.claim_due_alerts("host:2:b", 120, lease=60),
        )
        assert len(a) + len(b) == 200 and not {r.id for r in a} & {r.id for r in b}
        assert await second.claim_due_alerts("host:3:c", 500, lease=60) == []  # all taken
        await first.mark_alerts_sent([r.id for r in a[:10]])
        taken_over = await second.claim_due_alerts("host:2:b", 500, lease=0)  # "host:1:a" died long ago
        assert {r.id for r in taken_over} == {r.id for r in a[10:]} | {r.id for r in b}
        await second.release_claims("host:2:b")
        assert len(await first.claim_due_alerts("host:1:a", 500, lease=60)) == 190
    finally:
        await first.close()
        await second.close()


def test_a_claim_of_a_dead_process_on_this_host_is_recognised() -> None:
    import os
    import socket
    import subprocess
    import sys

    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], check=True, capture_output=True, text=True
    )
    host = socket.gethostname()
    assert delivery.claimant_is_dead(f"{host}:{int(child.stdout)}:abcd")
    assert not delivery.claimant_is_dead(f"{host}:{os.getpid()}:abcd")
    assert not delivery.claimant_is_dead(f"another-host:{int(child.stdout)}:abcd")  # may be alive there
    assert not delivery.claimant_is_dead("garbage")


async def test_finished_outbox_rows_are_pruned_after_keep_days_and_pending_ones_stay(store: Store) -> None:
    await store.subscribe(1, None, ())
    await store.apply_changes([DocumentChange("p.txt", 1, 1, "h", [parsed(f"k{n}", n) for n in range(6)])])
    rows = await store.claim_due_alerts("me", 100, lease=60)
    await store.mark_alerts_sent([rows[0].id, rows[1].id])
    await store.fail_alerts([rows[2].id], "Bad Request")
    await store.drop_alerts([rows[3].id], "item no longer in the corpus")
    assert await store.prune_outbox(30) == 0  # nothing is 30 days old
    assert await store.prune_outbox(0, limit=2) == 2  # a batch at a time
    assert await store.prune_outbox(0) == 2
    assert await store.outbox_states() == {"pending": 2}  # pending rows always stay

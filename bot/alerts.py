"""New-document alerts: a folder watcher that feeds the loader, and a sender that drains the outbox.

Delivery is a message queue, not a loop of sends. The loader writes one outbox row per (chat, item) in
the ingest transaction (bot.store), and this module only moves rows on: pending -> sent once Telegram
accepted the message that carries them, or -> failed / dropped with a log line. A crash at any point
loses nothing (pending rows are simply due again at the next start) and UNIQUE(chat, item) means nothing
is ever queued twice. The one window left is a message Telegram accepted just before the process died
and before its rows were marked: stop() lets the message in flight finish to keep that window closed
on an orderly shutdown.

Two asyncio tasks we own rather than PTB's JobQueue: the sender must wake the moment a load queued
rows (an Event, not a schedule), its passes must never overlap, and stop() must let the send in flight
finish before the store closes. PTB's AIORateLimiter (set in bot.app) keeps every send under Telegram's
limits; this module handles what the limiter gives up on.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import weakref
from collections.abc import Sequence
from pathlib import Path

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from watchfiles import Change, awatch

from bot import render
from bot.context import BotApplication
from bot.loader import is_candidate
from bot.records import ItemSummary, OutboxRow, Subscription
from bot.services import Services
from bot.store import Store

log = logging.getLogger(__name__)

DUE_ROWS = 200  # outbox rows per sender pass; a pass that fills it runs again at once
MAX_ITEMS_PER_MESSAGE = 10  # items batched into one alert (fewer when they do not fit in 4,096 chars)
DIGEST_NEWEST = 5  # items a digest shows (the rest: /latest, /search)
BACKOFF_FACTOR = 4.0  # retry after interval * 4**attempts: 1 s, 4 s, 16 s ... with the default interval
MAX_BACKOFF = 600.0  # seconds
WATCH_STEP_MS = 50  # how often watchfiles looks for changes
WATCH_RETRY = 5.0  # seconds before watching again when the corpus folder cannot be watched
STOP_GRACE = 10.0  # seconds stop() waits for the send (or load) in flight before cancelling it
# The watcher loads only the paths it was told about; a full load (a scan of every file) is its safety
# net: at start, after watching restarted, after a failed load, for a burst this large (a bulk copy,
# where the kernel's event queue may have overflowed unnoticed), and every RECONCILE_EVERY seconds.
FULL_LOAD_FROM_PATHS = 1000
RECONCILE_EVERY = 3600.0

_RUNNING: weakref.WeakKeyDictionary[BotApplication, Alerts] = weakref.WeakKeyDictionary()


# ---------------------------------------------------------------------------------------------- pure helpers


def pack(
    items: Sequence[ItemSummary], limit: int = MAX_ITEMS_PER_MESSAGE
) -> list[tuple[render.Reply, tuple[int, ...]]]:
    """Items in as few alert messages as fit, each with the item ids it carries.

    Each message must know its own items: a row is marked sent only when the message holding its
    item was accepted, so a batch split over two messages can never be half-marked.
    """
    batches: list[tuple[render.Reply, tuple[int, ...]]] = []
    start = 0
    while start < len(items):
        end = min(len(items), start + max(1, limit))
        replies = render.render_new_items(items[start:end])
        while len(replies) > 1:  # one item alone always fits: render_new_items trims it
            end -= 1
            replies = render.render_new_items(items[start:end])
        batches.append((replies[0], tuple(item.id for item in items[start:end])))
        start = end
    return batches


def backoff(attempts: int, base: float) -> float:
    """Seconds before the next try after `attempts` failed ones: exponential, capped, with jitter so
    chats that failed together do not all retry in the same instant."""
    delay = min(MAX_BACKOFF, max(base, 0.01) * BACKOFF_FACTOR ** max(attempts, 0))
    return delay * random.uniform(0.9, 1.1)


def retry_after_seconds(value: float | dt.timedelta) -> float:
    """RetryAfter.retry_after is a timedelta with PTB_TIMEDELTA=1 (bot.app sets it), else seconds."""
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _chat_gone(exc: BadRequest) -> bool:
    return "chat not found" in exc.message.lower()


def _topic_gone(exc: BadRequest) -> bool:
    problem = exc.message.lower()
    return "thread not found" in problem or "topic_deleted" in problem


async def move_subscription(store: Store, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: the subscription and its pending alerts follow the new id.

    Rows the new id already had stay where they are; the old id's leftovers are dropped with it, so
    the old, dead id is never tried again.
    """
    await store.move_chat(old_chat_id, new_chat_id)
    await store.unsubscribe(old_chat_id)


class _CorpusFilter:
    """Exactly what the loader would read: no hidden paths, no temporary files of a scraper or an editor.

    A scraper writing `page.txt.part` and renaming it makes one load (for the rename), not one per
    write, and a burst of editor swap files makes none. Only the loader's rules, not watchfiles'
    DefaultFilter (which also drops names such as `flycheck_*` or `__pycache__/` the loader reads): the
    watcher loads only the paths it reports, so a page it filtered out would wait for a full load.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def __call__(self, change: Change, path: str) -> bool:
        candidate = Path(path)
        try:
            parts = candidate.resolve().relative_to(self.root).parts
        except (ValueError, OSError):
            parts = (candidate.name,)
        return bool(parts) and not any(p.startswith(".") for p in parts) and is_candidate(parts[-1])


# ---------------------------------------------------------------------------------------------- the service


class Alerts:
    """The sender and the watcher of one Application. Use start(app) / stop(app), not this directly."""

    def __init__(self, app: BotApplication) -> None:
        self.app = app
        self.services: Services = app.bot_data
        self.messages_sent = 0
        self.loads = 0
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._dirty = asyncio.Event()
        self._last_change = 0.0
        self._changed_paths: set[str] = set()  # reported since the last load began
        self._full_load_due = False
        self._last_full_load = 0.0  # loop time the last full load began
        self._stale = asyncio.Event()  # a load changed items: the caches warm_up builds are out of date
        self.started_up = asyncio.Event()  # the start-up load is over (done or failed)
        self._tasks: list[asyncio.Task[None]] = []
        self._warmer: asyncio.Task[None] | None = None

    @property
    def sending(self) -> bool:
        """False offline (the console has no Updater): rows then wait, pending, for the real bot."""
        return self.app.updater is not None

    def wake(self) -> None:
        """Something may be due now (a load queued rows): run a sender pass without waiting."""
        self._wake.set()

    async def start(self) -> None:
        settings = self.services.config
        if self.sending:
            self._tasks.append(asyncio.create_task(self._send_loop(), name="alerts-sender"))
        else:
            log.info("alerts: no Updater (offline console); pending alerts wait for the bot")
        if settings.watch:
            self._tasks.append(asyncio.create_task(self._watch(), name="alerts-watcher"))
        self._tasks.append(asyncio.create_task(self._start_up_then_reload(settings.watch), name="alerts-loader"))
        self._warmer = asyncio.create_task(self._warm_after_loads(), name="alerts-warmer")
        self._tasks.append(self._warmer)
        self.wake()  # rows left pending by a crash are due now

    async def _start_up_then_reload(self, watch: bool) -> None:
        """The start-up load, beside the bot rather than before it: commands are answered at once from
        what is stored (a first start on 100k pages loads for minutes), and /start and /stats say that
        a load is under way. Then, when watching, load what the watcher reports."""
        try:
            await self._load([], full=True)
        finally:
            self.started_up.set()
            self._stale.set()  # build the caches now, even if the load changed nothing
        if watch:
            # No catch-up scan is needed (one was, when the watcher started after the start-up load; it
            # held the loader ~5 s at 100k pages, so the first new file waited): the watcher task,
            # created first, registered its inotify watches (RustNotify is built before awatch's first
            # await) before this task took its first step, so whatever the scan did not see, it reports.
            await self._reload_on_change()

    async def stop(self) -> None:
        """Stop watching and sending; the send or load in flight may finish (up to STOP_GRACE)."""
        self._stopping.set()
        self._wake.set()
        self._dirty.set()
        if self.services.loader is not None:
            self.services.loader.request_stop()  # a long load ends after its batches in flight
        if self._warmer is not None:
            self._warmer.cancel()  # only caches: not worth a wait at shutdown (seconds at 100k pages)
        if not self._tasks:
            return
        _, late = await asyncio.wait(self._tasks, timeout=STOP_GRACE)
        for task in late:
            log.warning("alerts: %s did not finish within %.0fs; cancelled", task.get_name(), STOP_GRACE)
            task.cancel()
        results = await asyncio.gather(*self._tasks, return_exceptions=True)
        for task, result in zip(self._tasks, results, strict=True):
            if isinstance(result, Exception):
                log.error("alerts: %s had stopped on an error", task.get_name(), exc_info=result)
        self._tasks.clear()

    async def _pause(self, seconds: float) -> None:
        """Sleep, but no longer than until stop()."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), max(seconds, 0))

    # ------------------------------------------------------------------------------------------ sender

    async def _send_loop(self) -> None:
        """Drain the outbox now and every sender_interval (retries come due); never dies."""
        interval = max(self.services.config.sender_interval, 0.01)
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                # Alerts wait while a load reads many files (a bulk copy, the start-up load after one),
                # so its new items are seen whole: one digest, not one message per pass. Its end wakes us.
                if self.services.loading() is None:
                    await self.deliver_due()
            except Exception:  # a broken pass (database gone, a bug) must not end delivery for good
                log.exception("alerts: a delivery pass failed; trying again in %.1fs", interval)
            if self._stopping.is_set():
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), interval)

    async def deliver_due(self) -> int:
        """One pass: every due row, batched per chat, chats in parallel. Returns messages sent."""
        rows = await self.services.store.due_alerts(limit=DUE_ROWS)
        if not rows:
            return 0
        by_chat: dict[int, list[OutboxRow]] = {}
        for row in rows:
            by_chat.setdefault(row.chat_id, []).append(row)
        # A bulk copy of pages can queue thousands of alerts per chat: past digest_from, one digest.
        waiting = await self.services.store.pending_alerts_per_chat(list(by_chat))
        digest_from = self.services.config.alert_digest_from
        results = await asyncio.gather(
            *(
                self._deliver_chat(chat_id, chat_rows, digest=waiting.get(chat_id, 0) > digest_from)
                for chat_id, chat_rows in by_chat.items()
            ),
            return_exceptions=True,
        )
        sent = 0
        for result in results:
            if isinstance(result, BaseException):
                log.error("alerts: delivery to a chat failed", exc_info=result)
            else:
                sent += result
        if len(rows) == DUE_ROWS:
            self.wake()  # more may be due
        return sent

    async def _deliver_chat(self, chat_id: int, rows: Sequence[OutboxRow], *, digest: bool = False) -> int:
        """Send a chat its alerts; each message's rows are marked sent once Telegram accepted it.

        digest: so many alerts wait for this chat (a bulk copy of pages) that every one of them, not
        only this pass's rows, goes as one message: how many, the newest few, where to find the rest."""
        store = self.services.store
        pending = [r.id for r in rows]
        attempts = max(r.attempts for r in rows)
        sent = 0
        try:
            subscription = await store.subscription(chat_id)
            if subscription is None:  # unsubscribed after the rows were read
                await store.drop_alerts(pending, "unsubscribed")
                return 0
            pending, messages = await (self._digest(chat_id) if digest else self._messages(rows))
            thread_id = subscription.thread_id
            for reply, batch in messages:
                if self._stopping.is_set():
                    break
                try:
                    thread_id = await self._send(subscription, thread_id, reply)
                except TelegramError as exc:
                    await self._failed_send(chat_id, pending, attempts, exc)
                    return sent
                await store.mark_alerts_sent(batch)
                sent += 1
                self.messages_sent += 1
                done = set(batch)
                pending = [i for i in pending if i not in done]
        except Exception as exc:  # a bug must cost bounded retries, not a hot loop or a lost row
            log.exception("alerts: unexpected error delivering to chat %s", chat_id)
            await self._retry_later(chat_id, pending, attempts, f"{type(exc).__name__}: {exc}")
        return sent

    async def _messages(self, rows: Sequence[OutboxRow]) -> tuple[list[int], list[tuple[render.Reply, list[int]]]]:
        """(row ids still to send, [(message, its row ids)]) for this pass's rows of one chat; rows
        whose item is gone (its file removed before the alert went out) are dropped."""
        store = self.services.store
        items = await store.items_by_ids(list(dict.fromkeys(r.item_id for r in rows)))
        present = {item.id for item in items}
        gone = [r.id for r in rows if r.item_id not in present]
        if gone:
            await store.drop_alerts(gone, "item no longer in the corpus")
        rows_of: dict[int, list[int]] = {}
        for row in rows:
            rows_of.setdefault(row.item_id, []).append(row.id)
        messages = [
            (reply, [row_id for item_id in item_ids for row_id in rows_of[item_id]])
            for reply, item_ids in pack(items)
        ]
        return [r.id for r in rows if r.item_id in present], messages

    async def _digest(self, chat_id: int) -> tuple[list[int], list[tuple[render.Reply, list[int]]]]:
        """_messages for every alert waiting for the chat, as one digest message."""
        store = self.services.store
        pending, gone, newest_ids = await store.alert_backlog(chat_id, DIGEST_NEWEST)
        if gone:
            await store.drop_alerts(gone, "item no longer in the corpus")
        if not pending:
            return [], []
        by_id = {item.id: item for item in await store.items_by_ids(newest_ids)}
        newest = [by_id[i] for i in newest_ids if i in by_id]
        log.info("alerts: %d new items for chat %s go as one digest", len(pending), chat_id)
        return pending, [(render.render_alert_digest(len(pending), newest), pending)]

    async def _send(
        self, subscription: Subscription, thread_id: int | None, reply: render.Reply
    ) -> int | None:
        """Send one alert; a deleted forum topic moves the subscription to the chat's General topic."""
        chat_id = subscription.chat_id
        try:
            await self.app.bot.send_message(chat_id, reply.text, message_thread_id=thread_id)
            return thread_id
        except BadRequest as exc:
            if thread_id is None or not _topic_gone(exc):
                raise
        log.warning("alerts: topic %s of chat %s is gone; alerts go to its General topic", thread_id, chat_id)
        await self.services.store.subscribe(chat_id, None, subscription.filters)
        await self.app.bot.send_message(chat_id, reply.text)
        return None

    async def _failed_send(self, chat_id: int, ids: list[int], attempts: int, exc: TelegramError) -> None:
        """Telegram said no: each answer has its own remedy; nothing is given up silently."""
        store = self.services.store
        if isinstance(exc, RetryAfter):  # the limiter already waited and retried; wait as told
            delay = retry_after_seconds(exc.retry_after)
            log.warning("alerts: flood control for chat %s; %d alert(s) wait %.0fs", chat_id, len(ids), delay)
            await store.postpone_alerts(ids, delay)
        elif isinstance(exc, ChatMigrated):
            await move_subscription(store, chat_id, exc.new_chat_id)
            log.info("alerts: chat %s is now %s; subscription and alerts moved", chat_id, exc.new_chat_id)
            self.wake()  # resend there now
        elif isinstance(exc, Forbidden) or (isinstance(exc, BadRequest) and _chat_gone(exc)):
            await store.unsubscribe(chat_id)
            log.warning("alerts: chat %s cannot be reached (%s); subscription removed", chat_id, exc.message)
        else:  # network errors, timeouts, 5xx, and 400s that may be temporary (rights, closed topic)
            await self._retry_later(chat_id, ids, attempts, exc.message)

    async def _retry_later(self, chat_id: int, ids: list[int], attempts: int, error: str) -> None:
        settings = self.services.config
        if not ids:
            return
        delay = backoff(attempts, settings.sender_interval)
        failed = await self.services.store.retry_alerts_later(ids, delay, error, settings.alert_max_attempts)
        if failed:
            log.error(
                "alerts: %d alert(s) for chat %s failed after %d attempts, giving up: %s",
                failed, chat_id, settings.alert_max_attempts, error,
            )
        else:
            log.warning("alerts: sending to chat %s failed (%s); retrying in %.2fs", chat_id, error, delay)

    # ------------------------------------------------------------------------------------------ watcher

    def _mark_dirty(self) -> None:
        self._last_change = asyncio.get_running_loop().time()
        self._dirty.set()

    def _note_changes(self, changes: set[tuple[Change, str]]) -> None:
        """Remember the paths, whatever the kind of change: the loader looks at what is there now.
        So many that a full load is due anyway are not kept (memory stays bounded in a bulk copy)."""
        self._changed_paths.update(path for _, path in changes)
        if len(self._changed_paths) >= FULL_LOAD_FROM_PATHS:
            self._changed_paths.clear()
            self._full_load_due = True
        self._mark_dirty()

    def _request_full_load(self) -> None:
        """What happened may not be in any report (nothing was watching, a load failed): scan it all."""
        self._full_load_due = True
        self._mark_dirty()

    def _take_changes(self) -> tuple[list[str], bool]:
        """The paths to load and whether to load everything instead; resets both for the next round."""
        paths = sorted(self._changed_paths)
        full = self._full_load_due
        self._changed_paths.clear()
        self._full_load_due = False
        return paths, full

    async def _watch(self) -> None:
        """Turn file-system events into changed paths; the reloader decides when to load."""
        root = self.services.config.corpus_dir
        first = True
        while not self._stopping.is_set():
            if not first and root.is_dir():
                self._request_full_load()  # whatever landed while nothing was watching
            first = False
            try:
                async for changes in awatch(
                    root,
                    watch_filter=_CorpusFilter(root),
                    stop_event=self._stopping,
                    step=WATCH_STEP_MS,
                    recursive=True,
                ):
                    self._note_changes(changes)
            except (OSError, RuntimeError) as exc:  # folder missing or unwatchable: try again later
                log.warning("alerts: cannot watch %s (%s); trying again in %.0fs", root, exc, WATCH_RETRY)
            except Exception:  # whatever went wrong, a watcher that gave up would miss every new file
                log.exception("alerts: watching %s failed; trying again in %.0fs", root, WATCH_RETRY)
            await self._pause(WATCH_RETRY)

    async def _reload_on_change(self) -> None:
        """Load once the folder has been quiet for watch_debounce_ms, so a file still being written is
        read once, complete (watchfiles alone yields as soon as one write settles); the paths reported
        meanwhile are loaded together. A quiet folder gets a full load every RECONCILE_EVERY. Never dies."""
        quiet = max(self.services.config.watch_debounce_ms, 0) / 1000
        loop = asyncio.get_running_loop()
        while True:
            await self._wait_dirty(self._last_full_load + RECONCILE_EVERY - loop.time())
            if self._stopping.is_set():
                return
            while (remaining := self._last_change + quiet - loop.time()) > 0 and not self._stopping.is_set():
                await self._pause(remaining)
            if self._stopping.is_set():
                return
            self._dirty.clear()
            paths, full = self._take_changes()
            await self._load(paths, full)

    async def _wait_dirty(self, timeout: float) -> None:
        """Wait for a change; none within `timeout` means the periodic full load is due."""
        try:
            await asyncio.wait_for(self._dirty.wait(), max(timeout, 0))
        except TimeoutError:
            self._request_full_load()

    async def _load(self, paths: Sequence[str], full: bool) -> None:
        loader = self.services.loader
        if loader is None or not (full or paths):
            return
        if full:  # counted from the attempt: a failing full load is not retried in a loop
            self._last_full_load = asyncio.get_running_loop().time()
        try:
            report = await (loader.load() if full else loader.load_paths(paths))
        except Exception:  # a bad file or a busy database must not end watching for good
            log.exception("alerts: loading the corpus after a change failed; waiting for the next change")
            self._full_load_due = True  # the next load, a full one, finds what this one missed
            return
        self.loads += 1
        if report.new_item_ids:
            self.wake()
        if report.items_added or report.items_removed or report.items_refreshed:
            self._stale.set()

    async def _warm_after_loads(self) -> None:
        """Rebuild the people index, the vocabulary and the operations summary after a load changed
        items, beside the watcher rather than in its way (seconds at 100k pages: a file landing
        meanwhile is loaded, and alerted, without waiting). Never dies."""
        while True:
            await self._stale.wait()
            if self._stopping.is_set():
                return
            self._stale.clear()
            try:
                await self.services.warm_up()
            except Exception:  # only caches: the next command builds what it needs
                log.exception("alerts: rebuilding caches after a load failed")


# ---------------------------------------------------------------------------------------------- app hooks


async def start(app: BotApplication) -> None:
    """Called by bot.app's post_init: starts the start-up load (which queues alerts for files that
    landed while the bot was down), the sender, and the watcher."""
    if running(app) is not None:
        return
    alerts = Alerts(app)
    _RUNNING[app] = alerts
    await alerts.start()


async def stop(app: BotApplication) -> None:
    """Called by bot.app's post_stop and post_shutdown (the second call does nothing)."""
    alerts = _RUNNING.pop(app, None)
    if alerts is not None:
        await alerts.stop()


def running(app: BotApplication) -> Alerts | None:
    return _RUNNING.get(app)


async def started_up(app: BotApplication) -> None:
    """Wait for the start-up load to be over (the console waits for it before its first prompt)."""
    alerts = running(app)
    if alerts is not None:
        await alerts.started_up.wait()

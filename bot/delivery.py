"""Alert delivery: the sender that moves outbox rows to Telegram.

Delivery is a message queue, not a loop of sends. The loader writes one outbox row per (chat, item) in
the ingest transaction (bot.store), and this module only moves rows on: pending -> claimed by this
sender -> sent once Telegram accepted the message that carries them, or -> failed / dropped with a log
line when Telegram refuses for good (blocked, chat gone, bad request). Anything transient (network,
timeouts, 5xx, 429) is retried with capped backoff until delivered, however long the outage. A crash at
any point loses nothing (pending rows are due again at the next start: the claims of a dead sender are
released, or expire after CLAIM_LEASE) and UNIQUE(chat, item) means nothing is ever queued twice; a
claim means two senders on one database never send one row. The one window left is a message Telegram
accepted just before the process died and before its rows were marked: stop() lets the message in
flight finish to keep that window closed on an orderly shutdown.

PTB's AIORateLimiter (set in bot.app) keeps every send under Telegram's limits; this module handles what
the limiter gives up on. What fills the outbox (the watcher, the loads) is bot.corpus_sync's job.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import random
import secrets
import socket
from collections.abc import Callable, Sequence

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot import render
from bot.background import Background
from bot.config import Settings
from bot.i18n import ENGLISH, Lang, translator
from bot.records import ItemSummary, OutboxRow, Subscription
from bot.store import Store

log = logging.getLogger(__name__)

DUE_ROWS = 200  # outbox rows per sender pass; a pass that fills it runs again at once
MAX_ITEMS_PER_MESSAGE = 10  # items batched into one alert (fewer when they do not fit in 4,096 chars)
DIGEST_NEWEST = 5  # items a digest shows (the rest: /latest, /search)
BACKOFF_FACTOR = 4.0  # retry after interval * 4**attempts: 1 s, 4 s, 16 s ... with the default interval
MAX_BACKOFF = 600.0  # seconds; failed sends are retried at least this often until delivered
CLAIM_LEASE = 600.0  # seconds a sender's claim on a row lasts; older claims are taken over (it died)
PRUNE_EVERY = 3600.0  # seconds between two prunings of old finished outbox rows, in idle time

Messages = list[tuple[render.Reply, list[int]]]  # each message with the outbox row ids it carries


# ---------------------------------------------------------------------------------------------- pure helpers


def pack(
    items: Sequence[ItemSummary], limit: int = MAX_ITEMS_PER_MESSAGE, lang: Lang = ENGLISH
) -> list[tuple[render.Reply, tuple[int, ...]]]:
    """Items in as few alert messages as fit, in the chat's language, each with the item ids it carries.

    Each message must know its own items: a row is marked sent only when the message holding its
    item was accepted, so a batch split over two messages can never be half-marked.
    """
    batches: list[tuple[render.Reply, tuple[int, ...]]] = []
    start = 0
    while start < len(items):
        end = min(len(items), start + max(1, limit))
        replies = render.render_new_items(items[start:end], lang)
        while len(replies) > 1:  # one item alone always fits: render_new_items trims it
            end -= 1
            replies = render.render_new_items(items[start:end], lang)
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


def new_claimant() -> str:
    """This sender's id on the rows it claims: host, pid (so a restart can tell its dead predecessor's
    claims) and a token (two senders in one process stay distinct)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def claimant_is_dead(claimant: str) -> bool:
    """True for a sender of this host whose process is gone: its claims need not wait for the lease."""
    host, _, rest = claimant.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's
        return False
    return False


def _chat_gone(exc: BadRequest) -> bool:
    return "chat not found" in exc.message.lower()


def _topic_gone(exc: BadRequest) -> bool:
    problem = exc.message.lower()
    return "thread not found" in problem or "topic_deleted" in problem


# ---------------------------------------------------------------------------------------------- the sender


class Delivery:
    """The sender of one bot: drains the outbox now (wake) and every sender_interval (retries)."""

    def __init__(self, store: Store, settings: Settings, bot: Bot, loading: Callable[[], int | None]) -> None:
        self.store = store
        self.settings = settings
        self.bot = bot
        self.loading = loading  # documents read so far by a load under way, or None (Services.loading)
        self.messages_sent = 0
        self.claimant = new_claimant()
        self._background = Background(log)
        self._wake = asyncio.Event()
        self._last_prune = -PRUNE_EVERY  # loop time of the last pruning: the first idle pass prunes

    def wake(self) -> None:
        """Something may be due now (a load queued rows): run a sender pass without waiting."""
        self._wake.set()

    async def start(self) -> None:
        await self._release_dead_claims()
        self._background.spawn(self._send_loop(), "alerts-sender")
        self.wake()  # rows left pending by a crash are due now

    async def stop(self) -> None:
        """Stop sending; the send in flight may finish (up to STOP_GRACE). Rows this sender took and
        did not settle are due at the next start."""
        self._background.stopping.set()
        self._wake.set()
        await self._background.stop()
        with contextlib.suppress(Exception):
            await self.store.release_claims(self.claimant)

    async def _release_dead_claims(self) -> None:
        """Rows claimed by a sender of this host that died (kill -9) are due now, not after the lease."""
        try:
            for claimant in await self.store.alert_claimants():
                if claimant_is_dead(claimant):
                    released = await self.store.release_claims(claimant)
                    log.info("alerts: %d alert(s) claimed by a sender that died are due again", released)
        except Exception:  # the lease frees them anyway
            log.exception("alerts: could not release the claims of a dead sender")

    @property
    def _stopping(self) -> bool:
        return self._background.stopping.is_set()

    async def _send_loop(self) -> None:
        """Drain the outbox now and every sender_interval (retries come due); never dies."""
        interval = max(self.settings.sender_interval, 0.01)
        while not self._stopping:
            self._wake.clear()
            try:
                # Alerts wait while a load reads many files (a bulk copy, the start-up load after one),
                # so its new items are seen whole: one digest, not one message per pass. Its end wakes us.
                if self.loading() is None and not await self.deliver_due():
                    await self._prune_when_due()
            except Exception:  # a broken pass (database gone, a bug) must not end delivery for good
                log.exception("alerts: a delivery pass failed; trying again in %.1fs", interval)
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), interval)

    async def _prune_when_due(self) -> None:
        """In idle time, now and then: remove finished outbox rows older than alerts.keep_days, a batch
        at a time (the outbox stays bounded; bot.store.prune_outbox says why no alert can come twice)."""
        loop = asyncio.get_running_loop()
        if loop.time() - self._last_prune < PRUNE_EVERY:
            return
        self._last_prune = loop.time()
        keep_days = self.settings.outbox_keep_days
        removed = 0
        while not self._stopping and not self._wake.is_set():
            batch = await self.store.prune_outbox(keep_days)
            removed += batch
            if not batch:
                break
        if removed:
            log.info("alerts: %d outbox row(s) older than %g days removed", removed, keep_days)

    async def deliver_due(self) -> int:
        """One pass: every due row this sender could claim, batched per chat, chats in parallel.
        Returns messages sent."""
        rows = await self.store.claim_due_alerts(self.claimant, DUE_ROWS, CLAIM_LEASE)
        if not rows:
            return 0
        by_chat: dict[int, list[OutboxRow]] = {}
        for row in rows:
            by_chat.setdefault(row.chat_id, []).append(row)
        # A bulk copy of pages can queue thousands of alerts per chat: past digest_from, one digest.
        waiting = await self.store.pending_alerts_per_chat(list(by_chat))
        digest_from = self.settings.alert_digest_from
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
        store = self.store
        pending = [r.id for r in rows]
        attempts = max(r.attempts for r in rows)
        sent = 0
        try:
            subscription = await store.subscription(chat_id)
            if subscription is None:  # unsubscribed after the rows were read
                await store.drop_alerts(pending, "unsubscribed")
                return 0
            # The language the chat chose with /language; none chosen: English (a chat has no one
            # user whose Telegram language an alert could follow).
            lang = translator(await store.chat_language(chat_id))
            pending, messages = await (self._digest(chat_id, lang) if digest else self._messages(rows, lang))
            thread_id = subscription.thread_id
            for reply, batch in messages:
                if self._stopping:
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

    async def _messages(self, rows: Sequence[OutboxRow], lang: Lang) -> tuple[list[int], Messages]:
        """(row ids still to send, [(message, its row ids)]) for this pass's rows of one chat; rows
        whose item is gone (its file removed before the alert went out) are dropped."""
        items = await self.store.items_by_ids(list(dict.fromkeys(r.item_id for r in rows)))
        present = {item.id for item in items}
        gone = [r.id for r in rows if r.item_id not in present]
        if gone:
            await self.store.drop_alerts(gone, "item no longer in the corpus")
        rows_of: dict[int, list[int]] = {}
        for row in rows:
            rows_of.setdefault(row.item_id, []).append(row.id)
        messages = [
            (reply, [row_id for item_id in item_ids for row_id in rows_of[item_id]])
            for reply, item_ids in pack(items, lang=lang)
        ]
        return [r.id for r in rows if r.item_id in present], messages

    async def _digest(self, chat_id: int, lang: Lang) -> tuple[list[int], Messages]:
        """_messages for every alert waiting for the chat, as one digest message."""
        store = self.store
        pending, gone, newest_ids = await store.alert_backlog(
            chat_id, DIGEST_NEWEST, self.claimant, CLAIM_LEASE
        )
        if gone:
            await store.drop_alerts(gone, "item no longer in the corpus")
        if not pending:
            return [], []
        by_id = {item.id: item for item in await store.items_by_ids(newest_ids)}
        newest = [by_id[i] for i in newest_ids if i in by_id]
        log.info("alerts: %d new items for chat %s go as one digest", len(pending), chat_id)
        return pending, [(render.render_alert_digest(len(pending), newest, lang), pending)]

    async def _send(
        self, subscription: Subscription, thread_id: int | None, reply: render.Reply
    ) -> int | None:
        """Send one alert; a deleted forum topic moves the subscription to the chat's General topic."""
        chat_id = subscription.chat_id
        try:
            await self.bot.send_message(chat_id, reply.text, message_thread_id=thread_id)
            return thread_id
        except BadRequest as exc:
            if thread_id is None or not _topic_gone(exc):
                raise
        log.warning("alerts: topic %s of chat %s is gone; alerts go to its General topic", thread_id, chat_id)
        await self.store.subscribe(chat_id, None, subscription.filters)
        await self.bot.send_message(chat_id, reply.text)
        return None

    async def _failed_send(self, chat_id: int, ids: list[int], attempts: int, exc: TelegramError) -> None:
        """Telegram said no: each answer has its own remedy; nothing is given up silently."""
        store = self.store
        if isinstance(exc, RetryAfter):  # the limiter already waited and retried; wait as told
            delay = retry_after_seconds(exc.retry_after)
            log.warning("alerts: flood control for chat %s; %d alert(s) wait %.0fs", chat_id, len(ids), delay)
            await store.postpone_alerts(ids, delay)
        elif isinstance(exc, ChatMigrated):
            await store.move_subscription(chat_id, exc.new_chat_id)
            log.info("alerts: chat %s is now %s; subscription and alerts moved", chat_id, exc.new_chat_id)
            self.wake()  # resend there now
        elif isinstance(exc, Forbidden) or (isinstance(exc, BadRequest) and _chat_gone(exc)):
            await store.unsubscribe(chat_id)
            log.warning("alerts: chat %s cannot be reached (%s); subscription removed", chat_id, exc.message)
        elif isinstance(exc, BadRequest):  # Telegram will refuse this message however often it is sent
            await store.fail_alerts(ids, exc.message)
            log.error(
                "alerts: Telegram refused %d alert(s) for chat %s for good: %s",
                len(ids),
                chat_id,
                exc.message,
            )
        else:  # network errors, timeouts, 5xx: retried until delivered, however long the outage
            await self._retry_later(chat_id, ids, attempts, exc.message)

    async def _retry_later(self, chat_id: int, ids: list[int], attempts: int, error: str) -> None:
        if not ids:
            return
        delay = backoff(attempts, self.settings.sender_interval)
        await self.store.retry_alerts_later(ids, delay, error)
        log.warning(
            "alerts: sending %d alert(s) to chat %s failed (%s, attempt %d); retrying in %.2fs",
            len(ids),
            chat_id,
            error,
            attempts + 1,
            delay,
        )

"""The alerts test rig: a temp corpus of seed pages, the real bot against FakeBotApi, bounded waits.

    async with FakeBotApi(token=TOKEN) as api, running_bot(settings_for(tmp_path, api)) as app:
        await subscribe(api, 42)
        drop_page(corpus, "003_new.txt", seed_bytes("003"))
        alerts = await wait_alerts(api, count=1)

Start and stop follow `Application.run_polling` step by step (initialize, post_init, start_polling,
start ... updater.stop, stop, post_stop, shutdown, post_shutdown), so a test sees the real order.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update

from bot import alerts
from bot.app import build_application
from bot.config import Settings, load_settings
from bot.context import BotApplication
from bot.store import Store
from tests.fakebotapi import Call, FakeBotApi

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TOKEN = "123456:ALERTS-TEST-TOKEN"
WAIT = 8.0  # the longest any single wait may take
ALERT_HEADER = "<b>New in the corpus</b>"

# Seed pages 000 and 003 share four teasers and differ in their article (001 and 004 likewise), so
# dropping 003 next to 000 makes exactly one new item: a repeated teaser is not news.
MASADIKOV = "Taalatbek Masadikov"  # 003's article
GROUP = -100123  # a supergroup: admin 5, member 6
ADMIN, MEMBER = 5, 6


def seed_path(prefix: str) -> Path:
    (path,) = [p for p in SEEDS.iterdir() if p.name.startswith(prefix)]
    return path


def seed_bytes(prefix: str) -> bytes:
    return seed_path(prefix).read_bytes()


def make_corpus(root: Path, *prefixes: str) -> Path:
    """A corpus folder holding copies of the named seed pages."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for prefix in prefixes:
        shutil.copy(seed_path(prefix), corpus / seed_path(prefix).name)
    return corpus


def drop_page(corpus: Path, name: str, data: bytes) -> float:
    """Write a page as a scraper should (temp name, then rename). Returns time.monotonic() of the rename."""
    temp = corpus / f"{name}.part"
    temp.write_bytes(data)
    os.replace(temp, corpus / name)
    return time.monotonic()


def settings_for(tmp_path: Path, api: FakeBotApi, corpus: Path | None = None, **overrides: Any) -> Settings:
    """Real settings (bot.config) aimed at the fake API, a temp corpus and database, fast timings."""
    settings = load_settings(
        env={}, corpus=corpus or make_corpus(tmp_path, "000"), db=tmp_path / "alerts.sqlite3"
    )
    fast: dict[str, Any] = {
        "token": api.token,
        "base_url": api.base_url,
        "poll_timeout": 1,
        "watch": True,
        "watch_debounce_ms": 300,
        "sender_interval": 0.05,
        "commands_per_user": 1000,
    }
    return dataclasses.replace(settings, **{**fast, **overrides})


@asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[BotApplication]:
    """The whole bot, polling the fake API, for the duration of the block."""
    app = build_application(settings)
    assert app.updater is not None and app.post_init and app.post_stop and app.post_shutdown
    await app.initialize()
    try:
        await app.post_init(app)
        await asyncio.wait_for(alerts.started_up(app), 30)
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
        await app.start()
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.post_stop(app)
    finally:
        await app.shutdown()
        await app.post_shutdown(app)


def store_of(app: BotApplication) -> Store:
    return app.bot_data.store


def service(app: BotApplication) -> alerts.Alerts:
    running = alerts.running(app)
    assert running is not None, "alerts are not running"
    return running


def is_alert(call: Call) -> bool:
    return call.ok and (call.text or "").startswith(ALERT_HEADER)


def alerts_sent(api: FakeBotApi, after: int = 0) -> list[Call]:
    return [c for c in api.calls()[after:] if c.method == "sendMessage" and is_alert(c)]


async def command(api: FakeBotApi, chat_id: int, text: str, **push: Any) -> Call:
    """Push a message and return the bot's first answer to that chat."""
    mark = api.mark()
    api.push_message(chat_id, text, **push)
    [reply] = await api.wait_for(
        "sendMessage", lambda c: c.chat_id == chat_id and not is_alert(c), after=mark, timeout=WAIT
    )
    return reply


async def subscribe(api: FakeBotApi, chat_id: int, filters: str = "", **push: Any) -> Call:
    reply = await command(api, chat_id, f"/subscribe {filters}".strip(), **push)
    assert "ubscribed" in (reply.text or "") or "updated" in (reply.text or ""), reply.text
    return reply


async def wait_alerts(
    api: FakeBotApi,
    count: int,
    *,
    after: int = 0,
    where: Callable[[Call], bool] | None = None,
    timeout: float = WAIT,
) -> list[Call]:
    return await api.wait_for(
        "sendMessage", lambda c: is_alert(c) and (where is None or where(c)), count=count,
        timeout=timeout, after=after,
    )


async def until(condition: Callable[[], Any], timeout: float = WAIT, what: str = "condition") -> None:
    """Poll an async or plain condition until it is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.02)


async def settle(app: BotApplication, extra: float = 0.25) -> None:
    """Wait until nothing is pending in the outbox, then a few sender intervals more, so that a
    duplicate (if the sender ever made one) would have been sent before the test counts."""
    store = store_of(app)
    await until(lambda: _no_pending(store), what="an empty outbox")
    await asyncio.sleep(extra)


async def _no_pending(store: Store) -> bool:
    return await store.pending_alert_count() == 0


__all__ = [
    "ADMIN",
    "ALERT_HEADER",
    "GROUP",
    "MASADIKOV",
    "MEMBER",
    "TOKEN",
    "WAIT",
    "alerts_sent",
    "command",
    "drop_page",
    "is_alert",
    "make_corpus",
    "running_bot",
    "seed_bytes",
    "service",
    "settings_for",
    "settle",
    "store_of",
    "subscribe",
    "until",
    "wait_alerts",
]

"""Telegram misbehaving, and many users at once: over real polling against the fake Bot API.

getUpdates answering 500s, hanging past the read timeout, or no server at all for a while: the bot
recovers by itself, without a restart, and answers what was sent meanwhile. 409 Conflict (another
instance polling with the token): one clear log line and no tight retry loop. A hundred users at once:
every command answered exactly once, and no "database is locked".
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest
from telegram.error import Conflict, NetworkError

from bot.polling import CONFLICT_LOG, CONFLICT_QUIET_SECONDS, PollingErrors
from tests.html_check import assert_telegram_html
from tests.rig import BotRig, running_bot, shown

pytestmark = pytest.mark.timeout(60)

CONFLICT_WORDS = CONFLICT_LOG.split(" (", 1)[0]  # "another instance is polling with this token; stop it"


def _push_stats(bot: BotRig, chats: range) -> int:
    mark = bot.api.mark()
    for chat in chats:
        bot.api.push_message(chat, "/stats")
    return mark


async def _answered_once(bot: BotRig, chats: range, mark: int, timeout: float) -> None:
    """Every chat got exactly one /stats answer after ``mark`` (waits up to ``timeout``)."""
    await bot.api.wait_for(
        "sendMessage", lambda c: c.ok and c.chat_id in chats, count=len(chats), after=mark, timeout=timeout
    )
    await asyncio.sleep(0.2)  # anything twice would have shown up by now
    sent = [c.chat_id for c in bot.api.calls("sendMessage") if c.index >= mark and c.chat_id in chats]
    assert sorted(sent) == list(chats)


def _polling_problems(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Tracebacks or ERROR records: what recovering from a network fault must not produce."""
    return [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info or r.exc_text
    ]


@pytest.mark.asyncio
async def test_getupdates_answering_500s(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as bot:
        await bot.send("/stats")
        failing = bot.api.mark()
        bot.api.fail_next("getUpdates", 500)
        bot.api.fail_next("getUpdates", 502)
        await bot.api.wait_for("getUpdates", lambda c: not c.ok, after=failing)
        mark = _push_stats(bot, range(501, 506))  # sent while Telegram is failing
        await _answered_once(bot, range(501, 506), mark, timeout=12)
        assert [c.error_code for c in bot.api.calls("getUpdates") if not c.ok] == [500, 502]
    warnings = [r.getMessage() for r in caplog.records if "getUpdates failed; retrying" in r.getMessage()]
    assert len(warnings) == 2, warnings
    assert _polling_problems(caplog) == []


@pytest.mark.asyncio
async def test_getupdates_hanging_past_the_read_timeout(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The server holds a getUpdates for a minute: the bot's read timeout (long-poll timeout + 5 s)
    fires, it polls again at once, and what was sent meanwhile is answered long before the minute."""
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as bot:
        await bot.send("/stats")
        bot.api.hang_next("getUpdates", 60)
        started = time.monotonic()
        while bot.api.hung == 0:  # the next poll is being held
            assert time.monotonic() - started < 5, "the bot stopped polling"
            await asyncio.sleep(0.02)
        mark = _push_stats(bot, range(511, 514))
        await _answered_once(bot, range(511, 514), mark, timeout=15)
        assert time.monotonic() - started < 12
    assert _polling_problems(caplog) == []


@pytest.mark.asyncio
async def test_no_server_for_a_while(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Connections refused for 1.5 s (the server's port closed, then opened again): the bot keeps
    trying with a growing pause and answers what was sent while it could not connect."""
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as bot:
        await bot.send("/stats")
        await bot.api.refuse_for(1.5)
        mark = _push_stats(bot, range(521, 526))  # Telegram keeps updates while the bot cannot reach it
        await bot.api.reopened()
        await _answered_once(bot, range(521, 526), mark, timeout=12)
        await bot.send("/stats")  # and it goes on polling normally
    refused = [r.getMessage() for r in caplog.records if "getUpdates failed; retrying" in r.getMessage()]
    assert 1 <= len(refused) <= 4, refused
    assert _polling_problems(caplog) == []


@pytest.mark.asyncio
async def test_conflict_is_logged_once_without_a_tight_loop(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """409 Conflict: another instance polls with the same token. One clear error line, PTB's growing
    pause between attempts (not a tight loop), and polling resumes once the other instance stops."""
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as bot:
        await bot.send("/stats")
        start = bot.api.mark()
        bot.api.fail_next("getUpdates", 409, times=1000)
        [first] = await bot.api.wait_for("getUpdates", lambda c: not c.ok, after=start)
        await asyncio.sleep(2.0)
        window = [
            c for c in bot.api.calls("getUpdates") if c.index >= start and first.at <= c.at <= first.at + 2
        ]
        assert 1 <= len(window) < 10, f"{len(window)} getUpdates in 2 s"
        assert all(c.error_code == 409 for c in window)
        bot.api.clear_faults()  # the other instance stopped
        reply = await bot.send("/stats", timeout=10)
        assert shown(reply).startswith("Corpus")
    lines = [r for r in caplog.records if CONFLICT_WORDS in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert lines[0].levelno == logging.ERROR and lines[0].exc_info is None
    assert "Conflict: terminated by other getUpdates request" in lines[0].getMessage()
    others = [p for p in _polling_problems(caplog) if CONFLICT_WORDS not in p]
    assert others == []


@pytest.mark.asyncio
async def test_a_hundred_users_at_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Reads and writes together (/subscribe, /unsubscribe write to the database): each command is
    answered exactly once, every reply accepted by Telegram, and nothing is locked or lost."""
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.WARNING)
    commands = [
        "/latest 3", "/who tasmagambetov", "/search mercenary", "/doc 2", "/operations", "/stats",
        "/subscribe person:Tasmagambetov", "/subscriptions", "/unsubscribe", "/help",
    ]  # fmt: skip
    users = range(1001, 1101)
    async with running_bot(tmp_path) as bot:
        mark = bot.api.mark()
        for user in users:
            bot.api.push_message(user, commands[user % len(commands)])
        await bot.api.wait_for(
            "sendMessage", lambda c: c.chat_id in users, count=len(users), after=mark, timeout=30
        )
        await asyncio.sleep(0.3)
        sent = [c for c in bot.api.calls("sendMessage") if c.index >= mark]
        assert sorted(c.chat_id for c in sent) == list(users)  # each exactly once
        assert all(c.ok for c in sent), [c.response for c in sent if not c.ok]
        for call in sent:
            assert_telegram_html(call.text)
            assert not shown(call).startswith("Sorry"), shown(call)
        subscribed = [u for u in users if commands[u % len(commands)].startswith("/subscribe ")]
        for user in subscribed:
            assert await bot.app.bot_data.store.subscription(user) is not None
    logged = "\n".join(f"{r.levelname} {r.getMessage()}" for r in caplog.records)
    assert "locked" not in logged.lower() and "busy" not in logged.lower(), logged
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], logged


def test_a_conflict_is_logged_again_only_after_a_quiet_spell(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    errors = PollingErrors(clock=lambda: now[0])
    conflict = Conflict("Conflict: terminated by other getUpdates request")
    for at in (0, 1, 2.5, 4.75, 30, 60, 89):  # PTB's pauses: one episode, however long it lasts
        now[0] = at
        errors(conflict)
    now[0] = 89 + CONFLICT_QUIET_SECONDS + 1  # the other instance stopped, then started again
    errors(conflict)
    errors(NetworkError("httpx.ConnectError: All connection attempts failed"))
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert [level for level, text in lines if CONFLICT_WORDS in text] == ["ERROR", "ERROR"]
    assert lines[-1] == (
        "WARNING",
        "getUpdates failed; retrying: httpx.ConnectError: All connection attempts failed",
    )

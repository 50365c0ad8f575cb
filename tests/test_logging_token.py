"""The bot token never reaches a log line: not at start-up, not while polling, not in a traceback."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.logs import redact_secret
from tests.rig import PRIVATE_CHAT, TOKEN, running_bot, shown

pytestmark = pytest.mark.timeout(60)

SECRET_HALF = TOKEN.split(":", 1)[1]
APOLOGY = "Sorry, something went wrong on our side. Please try again in a moment."


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Every record at DEBUG and up, formatted as `csto-bot run` formats it, httpx included."""
    caplog.set_level(logging.DEBUG)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)


def assert_no_token(stream: io.StringIO, caplog: pytest.LogCaptureFixture) -> None:
    written = stream.getvalue() + caplog.text
    for record in caplog.records:
        written += record.getMessage() + (record.exc_text or "")
    assert TOKEN not in written
    assert SECRET_HALF not in written


async def test_an_e2e_run_never_logs_the_token(
    tmp_path: Path, all_logs: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(tmp_path) as bot:
        # the Application turns httpx down to WARNING: it logs every URL, and the token is in each one
        assert logging.getLogger("httpx").level == logging.WARNING
        # turn it back up to prove the redaction itself: every request URL is logged from here on
        logging.getLogger("httpx").setLevel(logging.DEBUG)
        await bot.send("/latest")
        first = await bot.send("/search ter*")
        await bot.press(first, "▶")
        await bot.send("/who tasmagambetow")
    assert "/bot<token>/getUpdates" in all_logs.getvalue()  # URLs were logged, with the token replaced
    assert "corpus load:" in caplog.text  # and the rest of the bot's logging is there
    assert_no_token(all_logs, caplog)


async def test_a_failed_send_is_logged_with_its_traceback_and_apologised_for(
    tmp_path: Path, all_logs: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(tmp_path) as bot:
        logging.getLogger("httpx").setLevel(logging.DEBUG)
        bot.api.fail_next("sendMessage", 500)
        mark = bot.api.mark()
        bot.api.push_message(PRIVATE_CHAT, "/latest")
        [apology] = await bot.api.wait_for(
            "sendMessage", lambda c: c.ok and c.chat_id == PRIVATE_CHAT, after=mark
        )
        failed = [c for c in bot.api.calls()[mark:] if c.method == "sendMessage" and not c.ok]
        assert len(failed) == 1 and failed[0].error_code == 500
        assert shown(apology) == APOLOGY  # one short apology, nothing else
    [error] = [r for r in caplog.records if r.getMessage() == "error while handling an update"]
    assert error.levelno == logging.ERROR
    assert "Traceback" in all_logs.getvalue() and "Internal Server Error" in all_logs.getvalue()
    assert_no_token(all_logs, caplog)


async def test_a_traceback_that_holds_the_token_is_redacted(
    tmp_path: Path, all_logs: io.StringIO, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(tmp_path) as bot:
        url = f"{bot.api.base_url}{TOKEN}/getUpdates"

        async def broken(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError(f"store unreachable while calling {url}")

        monkeypatch.setattr(bot.app.bot_data.store, "latest", broken)
        reply = await bot.send("/latest")
        assert shown(reply) == APOLOGY
        assert TOKEN not in (reply.text or "")
        still = await bot.send("/who tasmagambetow")  # one broken call does not break the bot
        assert shown(still).startswith("Imangali Tasmagambetov")
    [error] = [r for r in caplog.records if r.getMessage() == "error while handling an update"]
    assert error.exc_text and "RuntimeError: store unreachable while calling" in error.exc_text
    assert "/bot<token>/getUpdates" in error.exc_text
    formatted = all_logs.getvalue()
    assert "Traceback (most recent call last)" in formatted and "bot<token>" in formatted
    assert_no_token(all_logs, caplog)


def test_redaction_covers_arguments_and_exceptions(caplog: pytest.LogCaptureFixture) -> None:
    redact_secret(TOKEN)
    log = logging.getLogger("csto-bot.test")
    with caplog.at_level(logging.INFO):
        log.info("calling %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
        log.info("half: %s", SECRET_HALF)
        try:
            raise ValueError(TOKEN)
        except ValueError:
            log.exception("failed")
    assert TOKEN not in caplog.text and SECRET_HALF not in caplog.text
    assert "bot<token>/getMe" in caplog.text and "ValueError: <token>" in caplog.text

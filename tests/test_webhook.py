"""Webhook mode: the bot registers its URL and secret with setWebhook, answers updates Telegram posts to
it, refuses anyone without the secret (403), keeps a generated secret across restarts, deletes the
webhook when it polls again, and `csto-bot run --webhook-url` stops cleanly on SIGTERM.

The fake Bot API plays Telegram (and the reverse proxy in front of the bot): it records setWebhook and
deleteWebhook, answers getUpdates with 409 while a webhook is set, and posts updates to the bot's server
on 127.0.0.1 at the registered URL's path.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import ClientConnectorError
from telegram import Update

from bot.app import build_application
from bot.config import ConfigError, Settings, load_settings
from bot.context import BotApplication
from bot.lifecycle import serving
from bot.store import Store
from bot.webhook import SECRET_META_KEY, Webhook, start_failure, webhook_for
from fakebotapi import SECRET_HEADER, FakeBotApi
from tests.rig import BOT_USERNAME, START_UP_WAIT, TOKEN, rig_settings
from tests.test_cli_failures import PROJECT, assert_no_secret, bot_env, finish, start_bot

pytestmark = pytest.mark.timeout(90)

PUBLIC_URL = "https://bot.example.org/csto/telegram"
CHAT = 42
EPHEMERAL_PORTS = Path("/proc/sys/net/ipv4/ip_local_port_range")


def free_port() -> int:
    """A free port for the bot's server, below the range the kernel gives outgoing connections: while the
    bot starts, none of its requests (nor a test's connection attempt, which could meet itself on a port
    nobody listens on yet) can take it."""
    low = int(EPHEMERAL_PORTS.read_text().split()[0]) if EPHEMERAL_PORTS.exists() else 32768
    for port in random.sample(range(10_000, max(low, 10_200)), 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port below the ephemeral range")


def webhook_settings(tmp_path: Path, api: FakeBotApi, port: int) -> Settings:
    settings = rig_settings(tmp_path, base_url=api.base_url)
    return dataclasses.replace(settings, webhook_url=PUBLIC_URL, webhook_listen=("127.0.0.1", port))


@asynccontextmanager
async def webhook_bot(settings: Settings) -> AsyncIterator[BotApplication]:
    """The real bot serving a webhook, started as `csto-bot run --webhook-url` starts it."""
    webhook = await webhook_for(settings)
    app = build_application(settings)
    async with serving(app, webhook=webhook):
        await asyncio.wait_for(app.bot_data.started_up(), START_UP_WAIT)
        yield app


async def answer_to(api: FakeBotApi, port: int, text: str) -> str:
    """Deliver a message with the registered secret; the text of the bot's answer."""
    mark = api.mark()
    status = await api.deliver(api.new_message(CHAT, text), via=f"http://127.0.0.1:{port}")
    assert status == 200
    [reply] = await api.wait_for("sendMessage", lambda c: c.chat_id == CHAT, after=mark)
    return reply.text or ""


async def test_webhook_answers_telegram_and_refuses_requests_without_the_secret(tmp_path: Path) -> None:
    port = free_port()
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        async with webhook_bot(webhook_settings(tmp_path, api, port)) as app:
            [registered] = api.calls("setWebhook")
            secret = registered.params["secret_token"]
            assert registered.params["url"] == PUBLIC_URL
            assert registered.params["allowed_updates"] == list(Update.ALL_TYPES)
            assert secret == await app.bot_data.store.meta_value(SECRET_META_KEY)
            assert len(secret) >= 32

            assert (await answer_to(api, port, "/latest 1")).startswith("<b>Latest 1 item</b>")

            mark = api.mark()
            local = f"http://127.0.0.1:{port}"
            wrong = await api.deliver(
                api.new_message(CHAT, "/help"), via=local, headers={SECRET_HEADER: "x" + secret}
            )
            missing = await api.deliver(api.new_message(CHAT, "/help"), via=local, headers={})
            assert (wrong, missing) == (403, 403)
            # nothing was handled: the next genuine update's answer is the only message since
            assert "Corpus" in await answer_to(api, port, "/stats")
            sent = [c.text or "" for c in api.calls()[mark:] if c.method == "sendMessage"]
            assert len(sent) == 1 and "Corpus" in sent[0]
        assert api.calls("getUpdates") == []  # a webhook, not polling
        assert api.calls("deleteWebhook") == []  # a stop leaves the webhook set: Telegram queues meanwhile


async def test_generated_secret_is_kept_across_restarts_and_a_given_one_wins(tmp_path: Path) -> None:
    port = free_port()
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        settings = webhook_settings(tmp_path, api, port)
        for _ in range(2):
            async with webhook_bot(settings):
                pass
        first, second = (c.params["secret_token"] for c in api.calls("setWebhook"))
        assert first == second

        given = dataclasses.replace(settings, webhook_secret="given_secret-123")
        async with webhook_bot(given):
            assert api.webhook is not None and api.webhook["secret_token"] == "given_secret-123"
            assert "Corpus" in await answer_to(api, port, "/stats")
            status = await api.deliver(
                api.new_message(CHAT, "/help"), via=f"http://127.0.0.1:{port}", headers={SECRET_HEADER: first}
            )
            assert status == 403


async def test_polling_again_deletes_the_webhook_first(tmp_path: Path) -> None:
    port = free_port()
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        settings = webhook_settings(tmp_path, api, port)
        async with webhook_bot(settings):
            pass
        assert api.webhook is not None  # still set: Telegram's getUpdates would answer 409

        polling = dataclasses.replace(settings, webhook_url=None)
        app = build_application(polling)
        async with serving(app, poll_timeout=polling.poll_timeout):
            await asyncio.wait_for(app.bot_data.started_up(), START_UP_WAIT)
            mark = api.mark()
            api.push_message(CHAT, "/stats")
            [reply] = await api.wait_for("sendMessage", lambda c: c.chat_id == CHAT, after=mark)
            assert "Corpus" in (reply.text or "")
        assert api.webhook is None
        deleted = api.calls("deleteWebhook")[0].index
        assert deleted < api.calls("getUpdates")[0].index
        assert all(c.ok for c in api.calls("getUpdates"))  # never a 409


async def test_run_serves_a_webhook_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "run.sqlite3"
    output = tmp_path / "bot.log"  # a file, not a pipe: at DEBUG the bot writes more than a pipe holds
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        env = bot_env(api.base_url, TELEGRAM_WEBHOOK_URL=PUBLIC_URL)
        with output.open("wb") as sink:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--db", str(db), "--log-level", "DEBUG",
                "--webhook-listen", f"127.0.0.1:{port}",
                env=env, cwd=PROJECT, stdin=asyncio.subprocess.DEVNULL, stdout=sink, stderr=sink,
            )  # fmt: skip
        try:
            [registered] = await api.wait_for("setWebhook", timeout=30)
            secret = registered.params["secret_token"]
            for _ in range(100):  # the start-up load runs beside the bot: an answer meanwhile says so
                try:
                    text = await answer_to(api, port, "/latest 1")
                except ClientConnectorError:  # the server listens just after setWebhook
                    await asyncio.sleep(0.1)
                    continue
                if "Loading the corpus" not in text:
                    break
                await asyncio.sleep(0.1)
            assert text.startswith("<b>Latest 1 item</b>")
            process.send_signal(signal.SIGTERM)
            status = await asyncio.wait_for(process.wait(), 30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    logged = output.read_text(errors="replace")
    assert status == 0, logged[-3000:]
    assert "Application.stop() complete" in logged  # an orderly shutdown, not a kill
    assert_no_secret(logged)
    assert secret not in logged  # PTB logs setWebhook's parameters at DEBUG: redacted
    assert not db.with_name(db.name + "-wal").exists()  # the store was closed (SQLite removes its WAL)
    assert api.calls("getUpdates") == []
    store = await Store.open(db)
    try:
        assert await store.meta_value(SECRET_META_KEY) == secret
    finally:
        await store.close()


async def test_a_refused_webhook_url_is_one_line_without_the_token(tmp_path: Path) -> None:
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        api.fail_next("setWebhook", 400, "Bad Request: bad webhook: Failed to resolve host")
        env = bot_env(api.base_url, TELEGRAM_WEBHOOK_URL=PUBLIC_URL)
        process = await start_bot(
            "run",
            "--db",
            str(tmp_path / "db.sqlite3"),
            "--webhook-listen",
            f"127.0.0.1:{free_port()}",
            env=env,
        )
        status, logged = await finish(process)
    assert status == 1
    [line] = [line for line in logged.splitlines() if line.startswith("csto-bot:")]
    assert line.startswith(f"csto-bot: Telegram refused the webhook {PUBLIC_URL} (BadRequest: ")
    assert "failed to resolve host" in line.lower() and "TELEGRAM_WEBHOOK_URL" in line
    assert_no_secret(logged)


def test_a_busy_listening_address_is_named_with_the_setting() -> None:
    webhook = Webhook(url=PUBLIC_URL, listen="127.0.0.1", port=8080, secret="s")
    busy = OSError(98, "Address already in use")
    line = start_failure(busy, webhook)
    assert line is not None and "cannot listen on 127.0.0.1:8080" in line and "CSTO_WEBHOOK_LISTEN" in line
    assert start_failure(OSError(5, "Input/output error"), webhook) is None  # not the webhook's: _guard's


def test_settings_flags_override_the_environment_and_polling_is_the_default() -> None:
    assert load_settings(env={}).webhook_url is None
    assert load_settings(env={}).webhook_listen == ("127.0.0.1", 8080)
    env = {
        "TELEGRAM_WEBHOOK_URL": "https://a.example/x",
        "CSTO_WEBHOOK_LISTEN": "0.0.0.0:9000",
        "TELEGRAM_WEBHOOK_SECRET": "abc_DEF-1",
    }
    settings = load_settings(env=env)
    assert (settings.webhook_url, settings.webhook_listen, settings.webhook_secret) == (
        "https://a.example/x", ("0.0.0.0", 9000), "abc_DEF-1",
    )  # fmt: skip
    flagged = load_settings(env=env, webhook_url="https://b.example/y", webhook_listen="[::1]:8443")
    assert (flagged.webhook_url, flagged.webhook_listen) == ("https://b.example/y", ("::1", 8443))


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"TELEGRAM_WEBHOOK_URL": "http://bot.example.org/hook"}, "must be a public https URL"),
        ({"TELEGRAM_WEBHOOK_URL": "bot.example.org"}, "must be a public https URL"),
        ({"CSTO_WEBHOOK_LISTEN": "8080"}, "must be host:port"),
        ({"CSTO_WEBHOOK_LISTEN": "127.0.0.1:99999"}, "must be host:port"),
        ({"TELEGRAM_WEBHOOK_SECRET": "has space"}, "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters"),
    ],
)
def test_bad_webhook_settings_say_what_to_fix(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=says) as raised:
        load_settings(env=env)
    assert "has space" not in str(raised.value)  # a secret is never quoted back

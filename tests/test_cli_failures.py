"""`csto-bot run` as a process when things go wrong: the Bot API refuses it (401, 404, nobody there),
getUpdates fails while it runs, or a second bot starts on the same database. Each failure is one line
that says what to do; the token is never written, and nothing prints a traceback."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot import crash
from fakebotapi import FakeBotApi
from tests.rig import BOT_USERNAME, SEEDS, TOKEN

pytestmark = pytest.mark.timeout(90)

PROJECT = Path(__file__).resolve().parent.parent
SECRET_HALF = TOKEN.split(":", 1)[1]


def bot_env(base_url: str, token: str = TOKEN, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CSTO_", "TELEGRAM_"))}
    env.update(TELEGRAM_BOT_TOKEN=token, TELEGRAM_BASE_URL=base_url, PTB_TIMEDELTA="1", **extra)
    return env


async def start_bot(*args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=PROJECT, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def finish(process: asyncio.subprocess.Process, timeout: float = 30) -> tuple[int, str]:
    """Wait for the process (bounded) and return its exit status and everything it wrote."""
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return process.returncode or 0, stdout.decode() + stderr.decode()


def assert_no_secret(output: str, token: str = TOKEN) -> None:
    assert token not in output and token.split(":", 1)[1] not in output
    assert "Traceback" not in output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (
            "revoked token",
            "csto-bot: Telegram rejected the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN",
        ),
        ("wrong base URL", "answered 404 Not Found: check TELEGRAM_BASE_URL"),
        ("nobody listening", "csto-bot: cannot reach the Bot API at http://127.0.0.1:"),
    ],
)
async def test_a_bot_api_that_refuses_the_start_is_one_line_without_the_token(
    tmp_path: Path, fault: str, expected: str
) -> None:
    used_token = "424242:REVOKED-secret-never-printed" if fault == "revoked token" else TOKEN
    async with FakeBotApi(token=TOKEN) as api:
        base_url = {
            "revoked token": api.base_url,
            "wrong base URL": api.base_url.replace("/bot", "/telegram/bot"),
            "nobody listening": f"http://127.0.0.1:{free_port()}/bot",
        }[fault]
        process = await start_bot(
            "run", "--db", str(tmp_path / "db.sqlite3"), env=bot_env(base_url, used_token)
        )
        status, output = await finish(process)
    assert status == 1
    [line] = output.splitlines()
    assert line.startswith(expected) or expected in line, line
    assert_no_secret(output, used_token)


async def test_failed_get_updates_while_running_are_one_warning_line_each(tmp_path: Path) -> None:
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        process = await start_bot("run", "--db", str(tmp_path / "db.sqlite3"), env=bot_env(api.base_url))
        try:
            await api.wait_for("getUpdates", timeout=30)
            mark = api.mark()
            api.fail_next("getUpdates", 502, times=2)
            api.push_message(42, "/help")  # answers the poll in flight: the next two fail
            await api.wait_for("getUpdates", lambda c: c.error_code == 502, count=2, after=mark, timeout=30)
            mark = api.mark()
            api.push_message(42, "/start")
            await api.wait_for("sendMessage", lambda c: c.chat_id == 42, after=mark, timeout=30)  # recovered
            # and a Bot API still failing when the bot stops (PTB's last getUpdates at shutdown)
            api.fail_next("getUpdates", 500, times=1000)
            mark = api.mark()
            api.push_message(42, "/help")
            await api.wait_for("getUpdates", lambda c: not c.ok, after=mark, timeout=30)
            process.send_signal(signal.SIGINT)
        finally:
            status, output = await finish(process)
    assert status == 0, output[-3000:]
    failures = [
        line for line in output.splitlines() if "Bad Gateway" in line or "Internal Server Error" in line
    ]
    assert len(failures) >= 4  # two while polling, at least one more, and the one at shutdown
    assert all(" WARNING " in line for line in failures), failures
    assert any("getUpdates failed; retrying: Bad Gateway" in line for line in failures)
    assert_no_secret(output)


_STATUS_401 = re.compile(r"(?<![,.\d])401\b")


async def test_a_token_revoked_while_running_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    """PTB gives up polling on a 401 and its stop() then re-raised it: the bot hung, even on Ctrl-C."""
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        process = await start_bot("run", "--db", str(tmp_path / "db.sqlite3"), env=bot_env(api.base_url))
        await api.wait_for("getUpdates", timeout=30)
        api.fail_next("getUpdates", 401, times=1000)
        api.push_message(42, "/help")  # answers the poll in flight; the next one is refused
        status, output = await finish(process)
    assert status == 1, output[-3000:]
    # "401" as a status, not the milliseconds of a log line's time ("12:01:02,401")
    [line] = [line for line in output.splitlines() if _STATUS_401.search(line) or "token" in line.lower()]
    assert line.endswith(" ERROR bot.app: stopping: " + crash.TOKEN_REJECTED)
    assert "Application.stop() complete" in output  # an orderly stop: the store was closed
    assert_no_secret(output)


def test_the_last_resort_hooks_print_one_redacted_line() -> None:
    """An exception nothing catches, in the main thread, a thread or the event loop: one line each."""
    script = f"""
import asyncio, logging, threading
from bot import crash
crash.install({TOKEN!r})
logging.basicConfig(level=logging.INFO)
loop = asyncio.new_event_loop()
crash.install_loop_handler(loop)
loop.call_exception_handler({{"message": "Task exception was never retrieved",
                              "exception": RuntimeError("calling https://api/bot{TOKEN}/getMe")}})
def fail(): raise ValueError("thread saw {TOKEN}")
thread = threading.Thread(target=fail, name="worker"); thread.start(); thread.join()
print("stdout would say {TOKEN}")
raise RuntimeError("main saw {TOKEN}")
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, cwd=PROJECT, check=False
    )
    assert result.returncode == 1
    assert result.stdout == "stdout would say <token>\n"
    hint = " (run with --log-level DEBUG to see where)"
    assert result.stderr.splitlines() == [
        "ERROR:csto-bot:Task exception was never retrieved: RuntimeError: calling https://api/bot<token>/getMe"
        + hint,
        "csto-bot: stopped on an unexpected error in thread worker: ValueError: thread saw <token>" + hint,
        "csto-bot: stopped on an unexpected error: RuntimeError: main saw <token>" + hint,
    ]


# ------------------------------------------------------------------------------ one bot per database


@asynccontextmanager
async def running(
    args: list[str], env: dict[str, str], api: FakeBotApi
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A `csto-bot run` polling the fake API, its start-up load done; stopped with Ctrl-C on the way out."""
    mark = api.mark()
    process = await start_bot("run", *args, env=env)
    try:
        await api.wait_for("getUpdates", after=mark, timeout=30)
        assert process.stderr is not None
        async with asyncio.timeout(30):  # and its start-up load (beside it) is over
            while b"corpus load:" not in await process.stderr.readline():
                pass
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
        await finish(process)


async def test_a_second_bot_on_the_same_database_exits_at_once_naming_the_first(tmp_path: Path) -> None:
    db = str(tmp_path / "db.sqlite3")
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        env = bot_env(api.base_url)
        async with running(["--db", db], env, api) as first:
            mark = api.mark()
            status, output = await finish(await start_bot("run", "--db", db, env=env))
            assert status == 1
            assert output.strip() == (
                f"csto-bot: another csto-bot (pid {first.pid}, csto-bot run) is running on {db}: only one bot "
                "may use a database (it would send every alert twice). Stop it first, or give this one another --db."
            )
            assert api.calls("getMe")[-1].index < mark  # it never talked to Telegram
            # another database is another bot
            async with running(["--db", str(tmp_path / "other.sqlite3")], env, api):
                pass
            first.kill()  # kill -9: the kernel releases the lock with the process
            await first.wait()
        async with running(["--db", db], env, api) as third:
            assert third.returncode is None


async def test_load_beside_a_running_bot_queues_alerts_the_bot_sends_once(tmp_path: Path) -> None:
    corpus, db = tmp_path / "corpus", str(tmp_path / "db.sqlite3")
    corpus.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds[:-1]:
        shutil.copy(seed, corpus)
    config = tmp_path / "config.yaml"
    config.write_text("corpus:\n  watch: false\nalerts:\n  sender_interval_seconds: 0.2\n", "utf-8")
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        env = bot_env(api.base_url, CSTO_CONFIG=str(config))
        # loaded first, so that the bot's start-up load (beside it) finds nothing new to alert
        assert (await finish(await start_bot("load", "--db", db, "--corpus", str(corpus), env=env)))[0] == 0
        async with running(["--db", db, "--corpus", str(corpus)], env, api):
            mark = api.mark()
            api.push_message(42, "/subscribe")
            await api.wait_for("sendMessage", lambda c: c.chat_id == 42, after=mark, timeout=30)
            shutil.copy(seeds[-1], corpus)
            mark = api.mark()
            load = await start_bot("load", "--db", db, "--corpus", str(corpus), env=env)
            status, output = await finish(load)
            assert status == 0, output
            assert "1 files read" in output
            added = int(re.search(r"\(\+(\d+) -0\)", output).group(1))  # type: ignore[union-attr]
            alerts = await api.wait_for(
                "sendMessage", lambda c: c.chat_id == 42, count=added, after=mark, timeout=30
            )
            # the console beside the bot runs too: it queues, it never sends
            console = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "console", "--db", db, "--corpus", str(corpus), env=env, cwd=PROJECT,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            out, err = await asyncio.wait_for(console.communicate(b"/stats\nquit\n"), 30)
            assert console.returncode == 0 and b"Traceback" not in err and b"Items: " in out
        sent = [c.text for c in api.calls("sendMessage") if c.chat_id == 42 and c.index >= alerts[0].index]
    assert added >= 1 and len(sent) == added and len(set(sent)) == added  # each new item alerted, once

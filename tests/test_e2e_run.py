"""`csto-bot run` as a process: it polls the fake Bot API, answers, and stops cleanly on Ctrl-C.

The whole entry point (command line, logging set-up, run_polling, signals) with TELEGRAM_BASE_URL
pointed at 127.0.0.1, and every line it logs (at DEBUG) checked for the token.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from fakebotapi import FakeBotApi
from tests.rig import BOT_USERNAME, TOKEN

pytestmark = pytest.mark.timeout(60)

PROJECT = Path(__file__).resolve().parent.parent


async def test_run_polls_answers_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CSTO_", "TELEGRAM_"))}
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url, PTB_TIMEDELTA="1")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--db", str(tmp_path / "run.sqlite3"), "--log-level", "DEBUG",
            env=env, cwd=PROJECT, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        # Read what it logs (DEBUG: much) while it runs: a full pipe would block the bot's writes.
        assert process.stdout is not None and process.stderr is not None
        drained = asyncio.gather(process.stdout.read(), process.stderr.read())
        try:
            [menu, *_] = await api.wait_for(
                "setMyCommands", timeout=30
            )  # the default menu, then per language
            assert "latest" in [c["command"] for c in menu.params["commands"]]
            await api.wait_for("getUpdates", timeout=10)

            for _ in range(50):  # the start-up load runs beside the bot: an answer meanwhile says so
                seen = api.mark()
                api.push_message(42, "/latest 1")
                [reply] = await api.wait_for("sendMessage", timeout=10, after=seen)
                if "Loading the corpus" not in (reply.text or ""):
                    break
                await asyncio.sleep(0.1)
            assert reply.chat_id == 42 and reply.parse_mode == "HTML"
            assert reply.text and reply.text.startswith(
                "<b>Latest 1 of 16 items</b> — 10 dated, 6 undated\n<i>The undated ones:</i>"
            )

            process.send_signal(signal.SIGINT)
            await asyncio.wait_for(process.wait(), timeout=20)
            stdout, stderr = await asyncio.wait_for(drained, timeout=20)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
            drained.cancel()
    logged = stderr.decode() + stdout.decode()
    assert process.returncode == 0, logged[-3000:]
    assert "corpus load: 5 files read" in logged
    assert "Application.stop() complete" in logged  # an orderly shutdown, not a kill
    assert "Traceback" not in logged
    assert TOKEN not in logged and TOKEN.split(":", 1)[1] not in logged
    assert "bot<token>" in logged  # PTB logged its URLs at DEBUG: redacted before the first line

"""`csto-bot console` interrupted with Ctrl-C: a clean exit (130), no traceback.

It used to call post_shutdown, then Application.shutdown() while the application was still running,
so an interrupted session ended in "RuntimeError: This Application is still running!".
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(150)]

PROJECT = Path(__file__).resolve().parent.parent


async def test_ctrl_c_in_the_console_exits_cleanly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CSTO_", "TELEGRAM_"))}
    env["PTB_TIMEDELTA"] = "1"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "console", "--db", str(tmp_path / "console.sqlite3"),
        env=env, cwd=PROJECT, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    try:
        seen = b""
        while b"\n> " not in seen:  # the first prompt: the corpus is loaded, the session runs
            chunk = await asyncio.wait_for(process.stdout.read(200), timeout=30)
            assert chunk, (seen + await process.stderr.read()).decode()[-2000:]
            seen += chunk
        process.send_signal(signal.SIGINT)  # stdin stays open: Ctrl-C alone must end the session
        # Generous: the parsing process the console keeps ends with it, slow to start on a loaded machine.
        stdout, stderr = await asyncio.wait_for(_output_until_exit(process), timeout=60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    output = (seen + stdout + stderr).decode()
    assert "Traceback" not in output, output[-3000:]
    assert process.returncode == 130, output[-3000:]


async def _output_until_exit(process: asyncio.subprocess.Process) -> tuple[bytes, bytes]:
    """What the process still prints until it exits, its stdin left open (as a terminal's would be)."""
    assert process.stdout is not None and process.stderr is not None
    stdout, stderr = await asyncio.gather(process.stdout.read(), process.stderr.read())
    await process.wait()
    return stdout, stderr

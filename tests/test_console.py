"""`csto-bot console`: the same handlers offline, driven through stdin and stdout."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.console import run_console
from tests.rig import SEEDS

pytestmark = pytest.mark.timeout(60)

PROJECT = Path(__file__).resolve().parent.parent


async def console(tmp_path: Path, lines: list[str]) -> str:
    settings = load_settings(env={}, corpus=SEEDS, db=tmp_path / "console.sqlite3")
    settings = dataclasses.replace(settings, watch=False)
    out = io.StringIO()
    assert await run_console(settings, io.StringIO("".join(f"{line}\n" for line in lines)), out) == 0
    return out.getvalue()


def answers(transcript: str) -> list[str]:
    """What the bot printed for each input line, in order (the prompt is "> ")."""
    return [part.strip() for part in transcript.split("\n> ")[1:]]


async def test_a_session_reads_as_plain_text_with_numbered_buttons(tmp_path: Path) -> None:
    transcript = await console(
        tmp_path,
        [
            "/latest",
            "/who tasmagambetow",
            "/search ter*",
            "1",
            "9",
            "hello",
            "/who <b>x</b>",
            "quit",
            "/stats",
        ],
    )
    assert transcript.startswith("csto-bot console: type /help")
    latest, who, search, turned, no_button, hello, hostile, last_prompt = answers(transcript)
    assert latest.startswith(
        "Latest 5 of 16 items — 10 dated, 6 undated\nThe undated ones: /latest undated\n\n"
        "1. 31 Oct 2025 — On October 31, 2025, in Astana"
    )
    assert "/doc " in latest and "<b>" not in latest and "<code>" not in latest
    assert who.startswith("Imangali Tasmagambetov\nMentioned in ")
    assert "• CSTO Secretary General — 31 Oct 2025 · /doc " in who
    assert search.startswith("Results 1–5 of 6 for ter*") and search.endswith("[1] ▶")
    assert turned.startswith("(edited)\nResults 6–") and turned.endswith("[1] ◀")
    assert no_button == "(no button 9: the last message has buttons 1–1)"
    assert hello == "(no reply)"
    assert hostile.startswith("No one called <b>x</b> in the corpus.")  # entities decoded for the terminal
    assert last_prompt == ""  # `quit` ends the session: /stats was never read


async def test_choosing_a_person_and_the_end_of_input(tmp_path: Path) -> None:
    transcript = await console(tmp_path, ["/who Sa", "2"])
    choices, chosen, last_prompt = answers(transcript)
    assert choices.startswith("Several people match Sa — pick one:")
    assert "[1] Sadyr Japarov" in choices or "[1] Safar Umarzoda" in choices
    chosen_name = choices.split("[2] ", 1)[1].split("\n", 1)[0].strip()
    assert chosen.startswith(f"(edited)\n{chosen_name}\nMentioned in 1 item")
    assert last_prompt == ""  # the end of input ends the session like `quit`


def test_console_as_a_user_runs_it_without_a_token(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "CSTO_CONFIG")}
    env["PTB_TIMEDELTA"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--db", str(tmp_path / "c.sqlite3")],
        input="/latest 2\n/who Sergey Kuzhugetovich\n/search mercenary\nquit\n",
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=PROJECT,
    )
    assert result.returncode == 0, result.stderr
    latest, who, search, _ = answers(result.stdout)
    assert latest.startswith(
        "Latest 2 of 16 items — 10 dated, 6 undated\nThe undated ones: /latest undated\n\n1. 31 Oct 2025"
    )
    assert who.startswith("Sergey Shoigu\nAlso written: Sergey Kuzhugetovich")
    assert search.startswith("Results 1–2 of 2 for mercenary")
    assert "000_d0de08699f229ee4.txt" in search and "001_504378d597eb2cf0.txt" in search
    assert "Traceback" not in result.stderr

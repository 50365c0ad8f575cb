"""The start-up load runs beside the bot: the first start on a big folder loads for minutes, and the
bot answers meanwhile from what is stored, saying that a load is under way; a stop ends it cleanly."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path

import pytest

from bot.background import STOP_GRACE
from tests.loader_hooks import delay_parsing
from tests.rig import running_bot, shown

pytestmark = pytest.mark.timeout(60)

LOADING = "Loading the corpus"


def held_parser(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """The loader's parse step waits until released: (entered, release)."""
    entered, release = threading.Event(), threading.Event()

    async def held() -> None:
        entered.set()
        await asyncio.to_thread(release.wait, 20)

    delay_parsing(monkeypatch, held)
    return entered, release


async def test_commands_are_answered_during_the_start_up_load_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = held_parser(monkeypatch)
    async with running_bot(tmp_path, wait_for_start_up=False) as rig:
        assert await asyncio.to_thread(entered.wait, 10)  # the load is under way, and held
        stats = shown(await rig.send("/stats"))
        assert "Documents: 0" in stats and f"⏳ {LOADING}; answers cover what is loaded." in stats
        assert LOADING in shown(await rig.send("/start"))
        latest = shown(await rig.send("/latest"))
        assert latest.startswith("The corpus is empty") and LOADING in latest
        assert LOADING in shown(await rig.send("/search mercenary"))

        release.set()
        await asyncio.wait_for(rig.app.bot_data.started_up(), 20)
        latest = shown(await rig.send("/latest 1"))
        assert (
            latest.startswith("Latest 1 of 16 items") and LOADING not in latest
        )  # not a cached partial answer
        stats = shown(await rig.send("/stats"))
        assert "Documents: 5" in stats and LOADING not in stats


async def test_a_stop_during_the_start_up_load_is_prompt_and_keeps_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    entered, release = held_parser(monkeypatch)
    with caplog.at_level(logging.INFO):
        async with running_bot(tmp_path, wait_for_start_up=False, batch_files=1):
            assert await asyncio.to_thread(entered.wait, 10)
            loop = asyncio.get_running_loop()
            loop.call_later(0.2, release.set)  # the batches in hand finish while the bot stops
            started = loop.time()
        stopped_in = loop.time() - started
    assert stopped_in < STOP_GRACE  # ended between batches, not waited out and cancelled
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("corpus load (stopped early): ") for m in messages)
    assert not [m for m in messages if "did not finish" in m]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    async with running_bot(tmp_path) as rig:  # the next start reads the rest
        assert "Documents: 5" in shown(await rig.send("/stats"))

"""Holding or slowing the bot's parsing from a test. The bot parses in a parsing process, so a test can
no longer patch the parse function (the process runs its own copy); it delays the hand-over of each
batch to the parsing process instead, in the bot's process, where the test's events and clocks are."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.parsing_processes import ParsingProcesses


def delay_parsing(monkeypatch: pytest.MonkeyPatch, before: Callable[[], Awaitable[object]]) -> None:
    """Each batch the bot hands to its parsing process waits for `before()` first."""
    real_parse = ParsingProcesses.parse

    def parse(self: ParsingProcesses, *args: Any) -> asyncio.Future[Any]:
        async def after_the_delay() -> Any:
            await before()
            return await real_parse(self, *args)

        return asyncio.ensure_future(after_the_delay())

    monkeypatch.setattr(ParsingProcesses, "parse", parse)

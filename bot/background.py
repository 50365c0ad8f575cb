"""The asyncio tasks a service owns beside the bot (the alert sender, the corpus watcher): started
together, paused with an eye on stop, stopped with grace.

Our own tasks rather than PTB's JobQueue: the sender must wake the moment a load queued rows (an Event,
not a schedule), its passes must never overlap, and stop must let the send or load in flight finish
before the store closes. One helper so bot.delivery and bot.corpus_sync stop the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

STOP_GRACE = 10.0  # seconds stop() waits for the send (or load) in flight before cancelling it


class Background:
    """A set of named tasks and the one `stopping` event they all watch."""

    def __init__(self, log: logging.Logger) -> None:
        self.log = log
        self.stopping = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        task = asyncio.create_task(work, name=name)
        self.tasks.append(task)
        return task

    async def pause(self, seconds: float) -> None:
        """Sleep, but no longer than until stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), max(seconds, 0))

    async def stop(self) -> None:
        """Tell every task to stop and wait for them, up to STOP_GRACE; a task still running then is
        cancelled, and one that had ended on an error says so in the log."""
        self.stopping.set()
        if not self.tasks:
            return
        _, late = await asyncio.wait(self.tasks, timeout=STOP_GRACE)
        for task in late:
            self.log.warning("alerts: %s did not finish within %.0fs; cancelled", task.get_name(), STOP_GRACE)
            task.cancel()
        results = await asyncio.gather(*self.tasks, return_exceptions=True)
        for task, result in zip(self.tasks, results, strict=True):
            if isinstance(result, Exception):
                self.log.error("alerts: %s had stopped on an error", task.get_name(), exc_info=result)
        self.tasks.clear()

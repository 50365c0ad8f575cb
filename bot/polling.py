"""Polling that logs like an operator wants: one line per failed getUpdates, one clear line for 409."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from telegram.error import Conflict, InvalidToken, TelegramError
from telegram.ext import Updater

log = logging.getLogger(__name__)

CONFLICT_QUIET_SECONDS = 60.0  # a 409 after this long without one starts a new episode (logged again)
CONFLICT_LOG = "another instance is polling with this token; stop it (Telegram said: %s)"


class PollingErrors:
    """The Updater's error_callback: a failed getUpdates in one log line, not a traceback per retry.

    PTB retries by itself, pausing 1 s, then 1.5 times longer after each failure, up to 30 s (a read
    timeout is retried at once), and forgets the pause after a success: this only decides what is
    logged. 409 Conflict means another process polls with the same token; it is logged once per
    episode, as an error that says what to do.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_conflict: float | None = None

    def __call__(self, exc: TelegramError) -> None:
        now = self._clock()
        if isinstance(exc, Conflict):
            if self._last_conflict is None or now - self._last_conflict > CONFLICT_QUIET_SECONDS:
                log.error(CONFLICT_LOG, exc.message)
            self._last_conflict = now
            return
        log.warning("getUpdates failed; retrying: %s", exc)


class PollingUpdater(Updater):
    """PTB's Updater whose failed getUpdates always go to PollingErrors, whoever starts it.

    run_polling (and bot.lifecycle.serving, which copies it) passes an error_callback that hands each
    failure to the application's error handlers: a traceback per retry, and a 409 logged on every
    attempt. That callback is replaced here, so `csto-bot run` logs what the tests check.
    """

    __slots__ = ("on_token_rejected", "polling_errors")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.polling_errors = PollingErrors()
        self.on_token_rejected: Callable[[], None] | None = None

    async def start_polling(self, **kwargs: Any) -> asyncio.Queue[object]:  # type: ignore[override]
        """Updater.start_polling's keyword arguments; any error_callback given is replaced."""
        queue = await super().start_polling(**{**kwargs, "error_callback": self.polling_errors})
        # A token revoked while running ends PTB's polling task for good (InvalidToken) and tells no
        # one: watch that task, so that the bot stops and says why.
        task = getattr(self, "_Updater__polling_task", None)
        if isinstance(task, asyncio.Task):
            task.add_done_callback(self._polling_ended)
        return queue

    def _polling_ended(self, task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and isinstance(task.exception(), InvalidToken) and self.on_token_rejected:
            self.on_token_rejected()

    async def stop(self) -> None:
        """PTB's stop() re-raises the InvalidToken that ended polling, and run_polling then skips the
        Application's stop and shutdown (the store stays open and the process never exits)."""
        try:
            await super().stop()
        except InvalidToken:
            pass  # reported when it happened (on_token_rejected)

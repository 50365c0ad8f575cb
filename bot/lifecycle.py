"""Start and stop an Application the way `Application.run_polling` or `run_webhook` does, as an async block.

`csto-bot run` calls PTB's run_polling or run_webhook, which own the event loop and block until a
signal. Everything that needs the same bot inside its own loop (the console, the tests, the benchmark)
uses `serving` instead, so they run the steps `csto-bot run` runs, in PTB's order (PTB 22,
`Application.__run`, shared by both):

    initialize, post_init, updater.start_polling or updater.start_webhook (when the app has an
    Updater), start
    ... the block ...
    updater.stop (if running), stop and post_stop (if started), shutdown, post_shutdown

A webhook is started with the arguments `csto-bot run` gives run_webhook (bot.webhook.Webhook).

The stop half runs however the block ends (an exception, a cancellation, a start that failed half
way), and runs only what is needed, as run_polling's `finally` does. Unlike run_polling, an exception
is not swallowed: it reaches the caller once the application is shut down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

if TYPE_CHECKING:
    from bot.webhook import Webhook

AnyApplication = TypeVar("AnyApplication", bound=Application[Any, Any, Any, Any, Any, Any])

DEFAULT_POLL_TIMEOUT = dt.timedelta(seconds=10)  # run_polling's default long-poll


@asynccontextmanager
async def serving(
    app: AnyApplication,
    *,
    poll_timeout: int | dt.timedelta = DEFAULT_POLL_TIMEOUT,
    poll_interval: float = 0.0,
    webhook: Webhook | None = None,
) -> AsyncIterator[AnyApplication]:
    """The application started (and polling, or serving `webhook`, when it has an Updater) for the
    duration of the block.

    Polling asks for every update type, and a failed getUpdates goes to the application's error
    handlers, as with run_polling's arguments in `csto-bot run` (an Updater may log it otherwise:
    bot.polling.PollingUpdater does).
    """

    def error_callback(exc: TelegramError) -> None:
        app.create_task(app.process_error(error=exc, update=None))

    try:
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        if app.updater is not None and webhook is not None:
            await app.updater.start_webhook(**webhook.start_arguments())
        elif app.updater is not None:
            await app.updater.start_polling(
                poll_interval=poll_interval,
                timeout=poll_timeout,
                allowed_updates=Update.ALL_TYPES,
                error_callback=error_callback,
            )
        await app.start()
        yield app
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            if app.post_stop:  # only after a stop, as run_polling
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


__all__ = ["serving"]

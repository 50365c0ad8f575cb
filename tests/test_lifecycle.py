"""bot.lifecycle.serving starts and stops an Application exactly as PTB's run_polling does.

The reference is run_polling itself (in a thread with its own loop, stopped by Application.stop_running),
so the test follows PTB if a release changes the order: the console, the test rig and the benchmark
then still run the steps `csto-bot run` runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from telegram.ext import Application, ApplicationBuilder, Updater

from bot.lifecycle import serving
from fakebotapi import FakeBotApi

pytestmark = pytest.mark.timeout(60)

TOKEN = "515151:LIFECYCLE"


class PostInitFailed(Exception):
    """What a post_init that cannot open its resources raises."""


class RecordingUpdater(Updater):
    async def start_polling(self, *args: Any, **kwargs: Any) -> asyncio.Queue[object]:
        steps_of(self).append("updater.start_polling")
        return await super().start_polling(*args, **kwargs)

    async def stop(self) -> None:
        steps_of(self).append("updater.stop")
        await super().stop()


class RecordingApplication(Application):  # type: ignore[type-arg]
    """Records each step; a subclass without __slots__, so it can carry the list."""

    steps: list[str]

    async def initialize(self) -> None:
        self.steps.append("initialize")
        await super().initialize()

    async def start(self) -> None:
        self.steps.append("start")
        await super().start()

    async def stop(self) -> None:
        self.steps.append("stop")
        await super().stop()

    async def shutdown(self) -> None:
        self.steps.append("shutdown")
        await super().shutdown()


_UPDATER_STEPS: dict[int, list[str]] = {}


def steps_of(updater: Updater) -> list[str]:
    return _UPDATER_STEPS[id(updater)]


def recording_app(
    api: FakeBotApi,
    *,
    post_init_fails: bool,
    on_started: Callable[[Application], Any],  # type: ignore[type-arg]
) -> RecordingApplication:
    """An Application whose every step (methods and post_* hooks) lands in app.steps, in order."""
    steps: list[str] = []
    watchers: list[asyncio.Task[None]] = []

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        steps.append("post_init")
        if post_init_fails:
            raise PostInitFailed("the store cannot be opened")
        watchers.append(asyncio.get_running_loop().create_task(_when_running(app, on_started)))

    async def post_stop(app: Application) -> None:  # type: ignore[type-arg]
        steps.append("post_stop")

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        steps.append("post_shutdown")

    app = (
        ApplicationBuilder()
        .application_class(RecordingApplication)
        .token(TOKEN)
        .base_url(api.base_url)
        .updater(None)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    assert isinstance(app, RecordingApplication)
    app.steps = steps
    app.updater = RecordingUpdater(bot=app.bot, update_queue=app.update_queue)
    _UPDATER_STEPS[id(app.updater)] = steps
    return app


async def _when_running(app: Application, then: Callable[[Application], Any]) -> None:  # type: ignore[type-arg]
    """Call `then(app)` once start() has returned (for run_polling: its loop.run_forever is running,
    which Application.stop_running stops, as a signal would)."""
    while not app.running:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    then(app)


async def steps_of_run_polling(post_init_fails: bool) -> tuple[list[str], BaseException | None]:
    async with FakeBotApi(token=TOKEN) as api:
        app = recording_app(api, post_init_fails=post_init_fails, on_started=Application.stop_running)
        try:  # in a thread: run_polling makes and closes its own event loop
            await asyncio.to_thread(app.run_polling, timeout=1, stop_signals=None)
        except PostInitFailed as exc:
            return app.steps, exc
        return app.steps, None


async def steps_of_serving(post_init_fails: bool) -> tuple[list[str], BaseException | None]:
    async with FakeBotApi(token=TOKEN) as api:
        started = asyncio.Event()
        app = recording_app(api, post_init_fails=post_init_fails, on_started=lambda _: started.set())
        try:
            async with serving(app, poll_timeout=1):
                await asyncio.wait_for(started.wait(), 10)
        except PostInitFailed as exc:
            return app.steps, exc
        return app.steps, None


async def test_serving_takes_run_pollings_steps_in_its_order() -> None:
    expected, error = await steps_of_run_polling(post_init_fails=False)
    assert error is None
    assert expected == [  # PTB 22; the comparison below is what matters
        "initialize", "post_init", "updater.start_polling", "start",
        "updater.stop", "stop", "post_stop", "shutdown", "post_shutdown",
    ]  # fmt: skip
    steps, error = await steps_of_serving(post_init_fails=False)
    assert error is None
    assert steps == expected


async def test_a_failed_start_is_shut_down_as_run_polling_does_and_the_error_reaches_the_caller() -> None:
    expected, expected_error = await steps_of_run_polling(post_init_fails=True)
    assert isinstance(expected_error, PostInitFailed)
    assert expected == ["initialize", "post_init", "shutdown", "post_shutdown"]  # nothing was started
    steps, error = await steps_of_serving(post_init_fails=True)
    assert isinstance(error, PostInitFailed)
    assert steps == expected


async def test_an_error_in_the_block_stops_the_application_and_reaches_the_caller() -> None:
    async with FakeBotApi(token=TOKEN) as api:
        app = recording_app(api, post_init_fails=False, on_started=lambda _: None)
        with pytest.raises(LookupError, match="a handler's bug"):
            async with serving(app, poll_timeout=1):
                raise LookupError("a handler's bug")
    assert app.steps[-5:] == ["updater.stop", "stop", "post_stop", "shutdown", "post_shutdown"]
    assert not app.running and app.updater is not None and not app.updater.running

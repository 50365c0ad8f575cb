"""The `heavy` step: how long one user waits for /latest while another sends broad prefix searches at
the shipped flood limit (bursts of ten every five seconds), never the same twice: in turn sixteen two-letter prefixes OR-ed (the search of
issue 12, which the bot now refuses at once) and four (the broadest it runs).

The bot is served as shipped (bench.worker `serve`, polling the fake Bot API in this process) on the
benchmark's database. Quiet users send a cheap command every QUIET_EVERY seconds, not waiting for answers: `/latest n`
(n cycling 1-20; after the first twenty, a kept answer) and `/doc id` (a new id each time: a query on a
reader every time). The figure is the p99 of both together; the same measured first with no heavy user
is the floor. Latency is from the push to the fake
server's receipt of the reply, both on this process's monotonic clock.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from bench.floors import percentile

if TYPE_CHECKING:
    from bench.run import Runner

QUIET_USER = 9_100_001
HEAVY_USER = 9_100_002
PHASE_SECONDS = 15.0  # each phase, at 7,500 pages and more; a tiny corpus (the smoke test) gets 3 s
QUIET_EVERY = 0.2  # seconds between two cheap commands (each from its own user)
FLOOD_LIMIT = (10, 5.0)  # the shipped flood guard: 10 commands per 5 seconds, sent as one burst
# Common starts of English words: each prefix expands to hundreds of indexed words.
PREFIXES = (
    "co", "se", "de", "re", "pr", "in", "st", "ma", "pa", "ca", "di", "tr", "th", "an", "mi", "ex",
    "po", "mo", "fo", "su", "pe", "ac", "ad", "ar",
)  # fmt: skip
BROADEST = 16  # prefixes in the search of issue 12 (bot.search_query.MAX_TERMS keeps 16 terms)
MAX_PREFIXES = 4  # bot.search_query.MAX_PREFIXES: the broadest search the bot runs rather than refuses


def heavy_searches() -> Iterator[str]:
    """Distinct searches of two-letter prefixes OR-ed, BROADEST of them then MAX_PREFIXES, in turn."""
    broadest = itertools.combinations(PREFIXES, BROADEST)
    for combo in itertools.combinations(PREFIXES, MAX_PREFIXES):
        for chosen in (next(broadest), combo):
            yield "/search " + " OR ".join(f"{p}*" for p in chosen)


async def _quiet_users(api: Any, until: float, numbers: Iterator[int]) -> dict[str, list[float]]:
    """A cheap command every QUIET_EVERY seconds until `until`, each from a new user (so each answer is
    known by its chat, however many are late): /latest and /doc in turn. Their latencies in seconds."""
    pushed: dict[int, tuple[str, float]] = {}
    mark = api.mark()
    while time.monotonic() < until:
        n = next(numbers)
        kind = "latest" if n % 2 == 0 else "doc"
        text = f"/latest {1 + (n // 2) % 20}" if kind == "latest" else f"/doc {1 + n // 2}"
        pushed[QUIET_USER + n] = (kind, time.monotonic())
        api.push_message(QUIET_USER + n, text)
        await asyncio.sleep(QUIET_EVERY)
    replies = await api.wait_for(
        "sendMessage", lambda c: c.chat_id in pushed, count=len(pushed), timeout=120, after=mark
    )
    latencies: dict[str, list[float]] = {"latest": [], "doc": []}
    for reply in {c.chat_id: c for c in reversed(replies)}.values():  # the first answer to each
        kind, at = pushed[reply.chat_id]
        latencies[kind].append(reply.at - at)
    return latencies


async def _heavy_user(api: Any, until: float) -> int:
    """Push FLOOD_LIMIT's worth of new broad searches at once, every period, until `until`; how many."""
    burst, period = FLOOD_LIMIT
    searches = heavy_searches()
    sent = 0
    while time.monotonic() < until:
        for text in itertools.islice(searches, burst):
            api.push_message(HEAVY_USER, text)
            sent += 1
        await asyncio.sleep(period)
    return sent


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": percentile(values, 50) * 1e3, "p99_ms": percentile(values, 99) * 1e3, "n": len(values)}


async def step_heavy(runner: Runner) -> None:
    from bench.run import TOKEN, served
    from fakebotapi import FakeBotApi

    await runner.ensure_loaded()
    phase = min(PHASE_SECONDS, max(3.0, runner.opts.size / 500))
    numbers = itertools.count()
    async with FakeBotApi(token=TOKEN) as api:
        args = runner.bot_args(api, watch=False, rate_limiter="shipped")
        async with served("serve", args, runner.log("heavy"), ready_timeout=600) as session:
            await runner.warm_up(api)
            quiet = await _quiet_users(api, time.monotonic() + phase, numbers)
            mark = api.mark()
            until = time.monotonic() + phase
            heavy_task = asyncio.ensure_future(_heavy_user(api, until))
            loaded = await _quiet_users(api, until, numbers)
            heavy_sent = await heavy_task
            try:  # the heavy user's answers, however long the last ones take
                await api.wait_for("sendMessage", lambda c: c.chat_id == HEAVY_USER, count=heavy_sent,
                                   timeout=120, after=mark)  # fmt: skip
            except AssertionError:
                pass
            calls = api.calls("sendMessage")
            answers = [c.text or "" for c in calls if c.index >= mark and c.chat_id == HEAVY_USER]
        runner.serving_peaks["heavy"] = session.peak_mb
    too_broad = sum(text.startswith("Too broad") for text in answers)
    cheap, floor = loaded["latest"] + loaded["doc"], quiet["latest"] + quiet["doc"]
    runner.say(
        f"  /latest & /doc p99 {percentile(cheap, 99) * 1e3:.0f} ms beside {heavy_sent} heavy searches "
        f"({too_broad} too broad); alone {percentile(floor, 99) * 1e3:.0f} ms"
    )
    runner.put(
        "latest_heavy_p99", percentile(cheap, 99) * 1e3, percentile(floor, 99) * 1e3,
        latest=_summary(loaded["latest"]), doc=_summary(loaded["doc"]),
        alone_latest=_summary(quiet["latest"]), alone_doc=_summary(quiet["doc"]), heavy_sent=heavy_sent, heavy_answered=len(answers),
        heavy_too_broad=too_broad, heavy_example=next(heavy_searches()),
    )  # fmt: skip

"""python -m bench.timeline --db FILE: the time to serve a Timeline picture, and what it costs in memory.

On a loaded database (``csto-bot load --corpus DIR --db FILE``), for the person with the most mentions
and the operation with the most sources, through bot.timelines as the handler uses it: the store
queries alone, the first picture (the drawing process is spawned and imports matplotlib), a picture
drawn by the running process, and one served from the cache; the event loop's longest stall while a
picture is drawn; the resident memory of this process (matplotlib never imported here) and of the
drawing process. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import psutil

from bot.callbacks import TimelineButton
from bot.store import Store
from bot.timeline import caption
from bot.timelines import Timelines

TICK = 0.005  # seconds between two looks at the event loop's lateness


async def _ms(action: Callable[[], Awaitable[object]], rounds: int) -> float:
    """Median milliseconds of `rounds` runs of `action`."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 3)


async def _longest_stall(work: Awaitable[object]) -> tuple[float, float]:
    """(ms `work` took, the longest ms a TICK-second sleep overran meanwhile): how long the loop was held."""
    worst = 0.0
    done = False

    async def watch() -> None:
        nonlocal worst
        while not done:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            worst = max(worst, time.perf_counter() - started - TICK)

    watcher = asyncio.create_task(watch())
    started = time.perf_counter()
    await work
    took = time.perf_counter() - started
    done = True
    await watcher
    return round(took * 1000, 1), round(worst * 1000, 1)


async def _subject(
    store: Store, timelines: Timelines, kind: str, subject_id: int, rounds: int
) -> dict[str, Any]:
    async def queries() -> object:
        return (
            await store.person_timeline(subject_id)
            if kind == "p"
            else await store.operation_timeline(subject_id)
        )

    async def served() -> object:
        return await timelines.picture(await timelines.find(store, kind, subject_id))  # type: ignore[arg-type]

    def forget() -> None:
        timelines._pictures.clear()  # a bench of the drawing itself: no cache

    timeline = await queries()
    first_ms, first_stall = await _longest_stall(served())
    forget()
    _, drawn_stall = await _longest_stall(served())

    async def drawn() -> object:
        forget()
        return await served()

    picture = await timelines.picture(await timelines.find(store, kind, subject_id))  # type: ignore[arg-type]
    return {
        "name": getattr(timeline, "name", "?"),
        "items": getattr(timeline, "items", 0),
        "months": len(getattr(timeline, "months", ())),
        "queries_ms": await _ms(queries, rounds),
        "first_picture_ms": first_ms,  # includes spawning the process and importing matplotlib when cold
        "first_picture_loop_stall_ms": first_stall,
        "drawn_ms": await _ms(drawn, rounds),  # the queries and a draw in the running process
        "drawn_loop_stall_ms": drawn_stall,
        "cached_ms": await _ms(served, rounds),
        "png_bytes": len(picture.png),
        "caption_chars": len(caption(picture.timeline)),
    }


def _rss_mb(pid: int) -> float:
    return round(psutil.Process(pid).memory_info().rss / 2**20, 1)


async def measure(db: Path, rounds: int) -> dict[str, Any]:
    store = await Store.open(db)
    timelines = Timelines()
    try:
        people = await store.person_names()
        person = max(people, key=lambda p: p.mention_count)
        operation = (await store.operations())[0]  # the most sources first
        result: dict[str, Any] = {"db": str(db), "people": len(people)}
        result["person"] = await _subject(store, timelines, TimelineButton.PERSON, person.id, rounds)
        result["operation"] = await _subject(store, timelines, TimelineButton.OPERATION, operation.id, rounds)
        pool = timelines._executor()  # its process, for its memory
        workers = list(pool._processes)
        result["bench_process_rss_mb"] = _rss_mb(psutil.Process().pid)
        result["matplotlib_in_this_process"] = "matplotlib" in sys.modules
        result["drawing_process_rss_mb"] = [_rss_mb(pid) for pid in workers]
        result["cache_bytes"] = timelines.nbytes
        return result
    finally:
        await timelines.close()
        await store.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.timeline", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a database made by `csto-bot load`")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(measure(args.db, args.rounds)), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Subscription filters under load: 300 new pages loaded beside 10,000 subscriptions with varied filters,
against the same load with no subscription, with the event loop's lag measured throughout.

    python -m bench.filters [--subscriptions 10000] [--pages 300] [--base 300] [--seed 0] [--rounds 2]

Each run loads the same `base` pages first (untimed, no subscription), then the `pages` new ones with
the real Loader; a task that sleeps 10 ms records how late it wakes (the loop's lag). Filters are words
and two-word phrases from the new pages' own vocabulary, person:<name> from the generator's people,
op:<name>, and a few chats with no filter (every new item): most match a few items, some none.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.floors import percentile
from bench.generate import extra_pages, person_pool
from bot.lexicon import load_lexicon
from bot.loader import Loader
from bot.store import Store

LAG_TICK = 0.010  # seconds the lag probe sleeps between two looks at the clock
OPERATIONS = ("Channel", "Proxy", "Illegal", "Cobalt", "Thunder", "Interaction", "Rubezh", "Search")


def varied_filters(texts: Sequence[str], count: int, seed: int) -> list[tuple[str, ...]]:
    """`count` subscriptions' filters: 1 to 3 each; of the filters half words, a quarter "two-word
    phrases", a fifth person:<surname>, a twentieth op:<name>; 0.5% of the chats with none."""
    rng = random.Random(seed)
    runs = [re.findall(r"[^\W\d_]+", text) for text in texts]
    pages_with: dict[str, int] = {}
    for run in runs:
        for word in {w.casefold() for w in run}:
            pages_with[word] = pages_with.get(word, 0) + 1
    # What a reader follows: a place, a name, a rare term, not "security" (in every page); each
    # filter then matches a few items, as subscriptions do, and the run measures matching rather than
    # writing millions of outbox rows (which a filter matching everything costs with or without FTS5).
    rare = max(2, len(texts) // 20)
    words = sorted(w for w, n in pages_with.items() if len(w) >= 5 and n <= rare)
    people = person_pool(seed)
    filters: list[tuple[str, ...]] = []
    for _ in range(count):
        if rng.random() < 0.005:
            filters.append(())
            continue
        chosen: list[str] = []
        for _ in range(rng.randint(1, 3)):
            kind = rng.random()
            if kind < 0.5:
                chosen.append(rng.choice(words))
            elif kind < 0.75:
                run = rng.choice(runs)
                start = rng.randrange(max(1, len(run) - 1))
                while start < len(run) - 2 and pages_with[run[start].casefold()] > rare:
                    start += 1  # a phrase starting with a rare word
                chosen.append('"' + " ".join(run[start : start + 2]) + '"')
            elif kind < 0.95:
                chosen.append("person:" + rng.choice(people).split()[-1])
            else:
                chosen.append("op:" + rng.choice(OPERATIONS))
        filters.append(tuple(chosen))
    return filters


async def _lag_probe(samples: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        await asyncio.sleep(LAG_TICK)
        samples.append(max(0.0, loop.time() - started - LAG_TICK))


async def timed_load(
    work: Path, base: Sequence[str], new: Sequence[str], subscriptions: Sequence[Sequence[str]]
) -> dict[str, Any]:
    """Load `base` (untimed), subscribe, then time loading `new` with the loop's lag measured."""
    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    for n, text in enumerate(base):
        (corpus / f"base_{n:05d}.txt").write_text(text, encoding="utf-8")
    store = await Store.open(work / "filters.sqlite3")
    try:
        loader = Loader(store, corpus, load_lexicon(), workers=1)
        await loader.load()
        for chat, filters in enumerate(subscriptions, start=1):
            await store.subscribe(chat, None, filters)
        paths = []
        for n, text in enumerate(new):
            path = corpus / f"new_{n:05d}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        lags: list[float] = []
        stop = asyncio.Event()
        probe = asyncio.create_task(_lag_probe(lags, stop))
        started = time.perf_counter()
        report = await loader.load_paths(paths)
        seconds = time.perf_counter() - started
        stop.set()
        await probe
        return {
            "seconds": round(seconds, 3),
            "new_items": len(report.new_item_ids),
            "alerts_queued": await store.pending_alert_count(),
            "lag_p99_ms": round(percentile(lags, 99) * 1000, 1),
            "lag_max_ms": round(max(lags) * 1000, 1),
        }
    finally:
        await store.close()


async def measure(
    subscriptions: int = 10_000, pages: int = 300, base: int = 300, seed: int = 0, rounds: int = 2
) -> dict[str, Any]:
    """Both loads, each in a fresh folder, `rounds` times in turn; the ratio is the fastest load with
    subscriptions over the fastest with none (on a shared machine a neighbour's burst lands on one run,
    not on all), the loop's lag the worst p99 of the loads with subscriptions."""
    texts = list(extra_pages(0, base + pages, seed))
    old, new = texts[:base], texts[base:]
    filters = varied_filters(new, subscriptions, seed)
    distinct = {f for chosen in filters for f in chosen}
    nones: list[dict[str, Any]] = []
    manys: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="csto-bench-filters-") as temp:
        for round_ in range(max(1, rounds)):
            for runs, name, subscribed in ((nones, "none", []), (manys, "many", filters)):
                work = Path(temp) / f"{name}{round_}"
                runs.append(await timed_load(work, old, new, subscribed))
                shutil.rmtree(work)
    none = min(nones, key=lambda r: r["seconds"])
    many = dict(min(manys, key=lambda r: r["seconds"]))
    many["lag_p99_ms"] = max(r["lag_p99_ms"] for r in manys)
    many["lag_max_ms"] = max(r["lag_max_ms"] for r in manys)
    return {
        "subscriptions": subscriptions,
        "distinct_filters": len(distinct),
        "pages": pages,
        "rounds": len(manys),
        "seconds_without": [r["seconds"] for r in nones],
        "seconds_with": [r["seconds"] for r in manys],
        "without_subscriptions": none,
        "with_subscriptions": many,
        "load_ratio": round(many["seconds"] / none["seconds"], 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.filters", description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--base", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.subscriptions, args.pages, args.base, args.seed, args.rounds))
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

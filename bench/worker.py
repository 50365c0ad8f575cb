"""What the benchmark runs in a fresh subprocess, one task per process, so figures never contaminate each
other (memory above all) and a load's peak RSS is that load's alone.

    python -m bench.worker TASK '{"json": "arguments"}'

prints progress on stderr and, as its last stdout line, ``RESULT {json}``. Tasks:

floor_load  the raw floor: sqlite3 executemany + FTS5 of the same pages, no parsing (bench.floors)
load        the bot's Loader into a store (cold: a new database; warm: the same one again)
queries     /search, /who, /latest, /operations latencies through the real handler callbacks, each
            interleaved with its raw floor on the same database
growth      RSS before/after N commands through the whole Application (process_update), in-process
serve       the real bot polling a fake Bot API (bot.app.build_application), until stdin closes
echo        a bare python-telegram-bot echo bot polling the same fake server, until stdin closes

The /…-latency task drives the real handler coroutines (handlers.search.search_command …) with a
minimal fake Update and context: argument parsing, the store call(s), rendering and the reply keyboard
are all the product's code; only PTB's dispatch and the HTTP send are left out ("no network").
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import gc
import json
import logging
import os
import resource
import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from itertools import count
from pathlib import Path
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "1")

log = logging.getLogger("bench.worker")


# ------------------------------------------------------------------------------------------- helpers


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def bench_settings(args: dict[str, Any]) -> Any:
    """The shipped defaults (config/default.yaml, no environment), pointed at the benchmark's corpus/db.

    Changes for the benchmark, all through dataclasses.replace and listed in the results JSON:
    the flood guard is relaxed (many commands per user per second are the point of a throughput test),
    and the token / base URL point at the fake server.
    """
    from bot.config import load_settings

    settings = load_settings(env={}, corpus=args["corpus"], db=args["db"], log_level="WARNING")
    changes: dict[str, Any] = {"commands_per_user": 1_000_000_000, "per_seconds": 1.0}
    if "token" in args:
        changes["token"] = args["token"]
    if "base_url" in args:
        changes["base_url"] = args["base_url"]
    if "watch" in args:
        changes["watch"] = bool(args["watch"])
    if "poll_timeout" in args:
        changes["poll_timeout"] = int(args["poll_timeout"])
    return dataclasses.replace(settings, **changes)


def percentiles_ms(values: Sequence[float]) -> dict[str, float]:
    from bench.floors import percentile

    return {
        "p50": percentile(values, 50) * 1e3,
        "p99": percentile(values, 99) * 1e3,
        "n": len(values),
    }


# ------------------------------------------------------------------------------------------- loads


def task_floor_load(args: dict[str, Any]) -> dict[str, Any]:
    from bench.floors import corpus_rows, raw_insert_floor

    pages = [0]

    def counted() -> Iterator[tuple[str, str]]:
        for row in corpus_rows(Path(args["corpus"])):
            pages[0] += 1
            yield row

    seconds = raw_insert_floor(counted(), Path(args["db"]))
    return {"seconds": seconds, "pages": pages[0], "maxrss_mb": maxrss_mb()}


async def task_load(args: dict[str, Any]) -> dict[str, Any]:
    from bot.lexicon import load_lexicon
    from bot.loader import Loader
    from bot.store import Store

    db = Path(args["db"])
    if args.get("fresh"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    settings = bench_settings(args)
    started = time.perf_counter()
    store = await Store.open(db)
    try:
        loader = Loader.from_settings(
            store,
            dataclasses.replace(settings, corpus_dir=Path(args["corpus"])),
            load_lexicon(settings.lexicon_path),
        )
        report = await loader.load(queue_alerts=False)
    finally:
        await store.close()
    seconds = time.perf_counter() - started  # opening the store is part of a restart
    return {
        "seconds": seconds,
        "load_seconds": report.seconds,
        "files_read": report.files_read,
        "files_unchanged": report.files_unchanged,
        "files_skipped": report.files_skipped,
        "items": report.items_total,
        "people": report.people,
        "operations": report.operations,
        "maxrss_mb": maxrss_mb(),
        "children_maxrss_mb": maxrss_mb(resource.RUSAGE_CHILDREN),
    }


# ------------------------------------------------------------------------------------------- handler path


class FakeMessage:
    """Enough of telegram.Message for the handlers: the text, and reply_text recording the reply."""

    def __init__(self, text: str, chat_id: int = 1) -> None:
        self.text = text
        self.chat_id = chat_id
        self.replies = 0
        self.last: tuple[str, Any] | None = None

    async def reply_text(self, text: str, reply_markup: Any = None, **_: Any) -> None:
        self.replies += 1
        self.last = (text, reply_markup)


class FakeUpdate:
    def __init__(self, message: FakeMessage) -> None:
        self.effective_message = message
        self.message = message
        self.callback_query = None
        self.effective_user = None
        self.effective_chat = None


class FakeContext:
    """What the handlers reach through BotContext: services, store, matches."""

    def __init__(self, services: Any) -> None:
        self.services = services
        self.bot_data = services
        self.matches = None

    @property
    def store(self) -> Any:
        return self.services.store


def bounded_rounds(rounds: int, budget: float, minimum: int = 3) -> Iterator[int]:
    """Round numbers up to `rounds`, stopping early once `budget` seconds are spent (after `minimum`)."""
    started = time.perf_counter()
    for n in range(rounds):
        if n >= minimum and time.perf_counter() - started > budget:
            return
        yield n


async def _timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return time.perf_counter() - started


async def task_queries(args: dict[str, Any]) -> dict[str, Any]:
    from rapidfuzz import fuzz, process

    from bench.floors import raw_match
    from bot.answer_cache import AnswerCache
    from bot.search_query import parse_search_query, stemmed_match
    from bot.services import Services
    from bot.store import Store
    from handlers.latest import latest_command
    from handlers.operations import operations_command
    from handlers.search import search_command
    from handlers.who import who_command

    settings = bench_settings(args)
    rounds = int(args["rounds"])
    budget = float(args.get("budget", 1e9))  # seconds per command family: at 100k /operations is slow
    store = await Store.open(settings.db_path)
    raw = sqlite3.connect(f"file:{settings.db_path}?mode=ro", uri=True)
    services = Services(settings=settings)
    services.store = store
    # Latency is the work of answering a question never asked before: kept answers (bot.answer_cache)
    # would turn every timed repeat into a lookup. The throughput runs keep them, as shipped.
    services.answers = AnswerCache(capacity=0)
    context = FakeContext(services)
    out: dict[str, Any] = {}

    async def handler(command: Callable[[Any, Any], Awaitable[None]], text: str) -> None:
        message = FakeMessage(text)
        await command(FakeUpdate(message), context)
        if message.replies != 1:
            raise RuntimeError(f"{text!r} answered {message.replies} times")

    try:
        # /search: every query once through the handler and once raw, interleaved, per round.
        # The floor runs the expression the store runs: whole words as their stems (stemmed_match).
        searches = [(text, parse_search_query(text).match_expression()) for text in args["search"]]
        bad = [t for t, m in searches if m is None]
        if bad:
            raise RuntimeError(f"search texts without a MATCH expression: {bad}")
        bot_lat: dict[str, list[float]] = {t: [] for t, _ in searches}
        raw_lat: dict[str, list[float]] = {t: [] for t, _ in searches}
        for text, match in searches:  # warm-up, untimed
            raw_match(raw, stemmed_match(str(match)), "items_fts")
            await handler(search_command, f"/search {text}")
        for _ in bounded_rounds(rounds, budget):
            for text, match in searches:
                started = time.perf_counter()
                raw_match(raw, stemmed_match(str(match)), "items_fts")
                raw_lat[text].append(time.perf_counter() - started)
                bot_lat[text].append(
                    await _timed(functools.partial(handler, search_command, f"/search {text}"))
                )
        frequent = args["frequent"]
        out["search"] = {
            "bot": percentiles_ms([v for vs in bot_lat.values() for v in vs]),
            "raw": percentiles_ms([v for vs in raw_lat.values() for v in vs]),
            "frequent_bot": percentiles_ms(bot_lat[frequent]),
            "frequent_raw": percentiles_ms(raw_lat[frequent]),
            "per_query": {
                t: {"bot": percentiles_ms(bot_lat[t]), "raw": percentiles_ms(raw_lat[t])} for t in bot_lat
            },
        }

        # /who: the handler (fuzzy resolve over the people index, then the profile query) vs one raw
        # rapidfuzz extract over the same names.
        names = [p.name for p in await store.person_names()]
        await services.people()  # the index is built once per corpus version: not a per-query cost
        who_bot: list[float] = []
        who_raw: list[float] = []
        for q in args["who"]:
            process.extract(q, names, scorer=fuzz.WRatio, limit=5)
            await handler(who_command, f"/who {q}")
        for _ in bounded_rounds(rounds, budget):
            for q in args["who"]:
                started = time.perf_counter()
                process.extract(q, names, scorer=fuzz.WRatio, limit=5)
                who_raw.append(time.perf_counter() - started)
                who_bot.append(await _timed(functools.partial(handler, who_command, f"/who {q}")))
        out["who"] = {"bot": percentiles_ms(who_bot), "raw": percentiles_ms(who_raw), "names": len(names)}

        # /latest and /operations: reported, no floor.
        for key, command, texts in (
            ("latest", latest_command, ("/latest", "/latest 20")),
            ("operations", operations_command, ("/operations", "/operations channel")),
        ):
            for text in texts:
                await handler(command, text)
            lat = []
            for _ in bounded_rounds(rounds, budget):
                for text in texts:
                    lat.append(await _timed(functools.partial(handler, command, text)))
            out[key] = {"bot": percentiles_ms(lat), "texts": list(texts)}
    finally:
        raw.close()
        await store.close()
    return out


# ------------------------------------------------------------------------------------------- in-process app


def _request_class() -> type:
    """The console's in-process Bot API, printing nothing: the handlers without a network."""
    from bot.console import ConsoleRequest

    return functools.partial(ConsoleRequest, None)  # type: ignore[return-value]


def command_mix(corpus: dict[str, Any]) -> list[str]:
    """A cycle of 12 commands for the throughput and memory runs, weighted like everyday use: mostly
    /latest, /search and /who, one /operations. A term found in most pages is left out: it is timed on
    its own, and at 100k it would turn a fixed count of commands into minutes of ranking."""
    people = corpus["people_queries"] or ["Petrov"]
    names = corpus["sample_people"] or ["Petrov"]
    return [
        "/latest",
        f"/search {corpus['rare_term']}",
        f"/who {people[0]}",
        "/latest 10",
        f"/search {names[-1]}",
        f"/who {people[len(people) // 2]}",
        "/stats",
        f'/search "{names[0]}"',
        f"/who {people[-1]}",
        "/help",
        "/doc 1",
        "/operations",
    ]


def distinct_commands(corpus: dict[str, Any], count: int) -> list[str]:
    """`count` commands whose /search, /who and /doc never repeat (a different person each time, every
    third surname misspelt) and whose /latest varies its count: kept answers can hardly help, so this
    is the throughput of answering questions for the first time."""
    people = corpus["person_pool"] or ["Ivan Petrov"]
    out: list[str] = []
    for n in range(count):
        first, *_, surname = people[n % len(people)].split()
        typo = surname[:-2] + surname[-1] if n % 3 == 0 and len(surname) > 4 else surname
        out.append(
            (
                f'/search "{first} {surname}"',
                f"/who {first} {typo}",
                f"/latest {1 + n % 20}",
                f"/search {first} {surname}",
                f"/who {surname} {first}",
                f"/doc {1 + n}",
            )[n % 6]
        )
    return out


def lift_rate_limiter() -> None:
    """Benchmark only: the bot's AIORateLimiter keeps it under Telegram's 30 msg/s, which would cap the
    bot, not its handlers; lifting it measures what the bot itself can answer. Whatever limits bot.app
    asks for are replaced by none (AIORateLimiter's 0 = off); everything else stays as shipped."""
    from telegram.ext import AIORateLimiter

    import bot.app

    def unlimited(*_: Any, **kwargs: Any) -> AIORateLimiter:
        return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=kwargs.get("max_retries", 0))

    bot.app.AIORateLimiter = unlimited  # type: ignore[attr-defined,assignment]


async def task_growth(args: dict[str, Any]) -> dict[str, Any]:
    from telegram import Update

    from bot.app import build_application
    from bot.lifecycle import serving

    lift_rate_limiter()  # 10,000 commands at Telegram's 30/s would take 6 minutes and measure nothing more
    settings = dataclasses.replace(bench_settings(args), watch=False)
    request = _request_class()()
    app = build_application(settings, request=request, polling=False)
    mix = command_mix(args["corpus_info"])
    users = int(args.get("users", 50))
    ids = count(1)

    async def run(n: int, until: float = float("inf")) -> int:
        for done in range(n):
            if time.perf_counter() > until:
                return done
            uid = next(ids)
            user = 1000 + uid % users
            text = mix[uid % len(mix)]
            raw = {
                "update_id": uid,
                "message": {
                    "message_id": uid,
                    "date": int(time.time()),
                    "chat": {"id": user, "type": "private", "first_name": "U"},
                    "from": {"id": user, "is_bot": False, "first_name": "U"},
                    "text": text,
                    "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
                },
            }
            await app.process_update(Update.de_json(raw, app.bot))
        return n

    async with serving(app):
        await _started_up(app)
        warmup, commands = int(args["warmup"]), int(args["commands"])
        budget = float(args.get("seconds", 1e9))
        warmup = await run(warmup, until=time.perf_counter() + budget / 4)  # caches filled, not timed
        gc.collect()
        before = rss_mb()
        samples = []
        started = time.perf_counter()
        step = max(1, min(500, commands // 20))
        done = 0
        while done < commands:
            n = await run(min(step, commands - done), until=started + budget)
            done += n
            samples.append(round(rss_mb(), 2))
            if time.perf_counter() > started + budget:
                break
        seconds = time.perf_counter() - started
        gc.collect()
        after = rss_mb()
    return {
        "warmup": warmup,
        "commands": done,
        "commands_wanted": commands,
        "replies": request.sent,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "growth_mb": after - before,
        "samples_mb": samples,
        "commands_per_s": done / seconds if seconds else None,
        "maxrss_mb": maxrss_mb(),
    }


# ------------------------------------------------------------------------------------------- served bots


async def _started_up(app: Any) -> None:
    """Measure the bot on its corpus, not during its start-up load (which runs beside the bot)."""
    await app.bot_data.started_up()


async def _serve_until_stdin_closes(app: Any, *, timeout: int, wait_start_up: bool = True) -> None:
    """Started and stopped as `csto-bot run` does (bot.lifecycle.serving copies run_polling)."""
    from bot.lifecycle import serving

    async with serving(app, poll_timeout=timeout):
        if wait_start_up:
            await _started_up(app)
        print("READY", flush=True)
        await asyncio.to_thread(sys.stdin.read)


async def task_serve(args: dict[str, Any]) -> dict[str, Any]:
    import bot.app

    settings = bench_settings(args)
    if args.get("rate_limiter") == "lifted":
        lift_rate_limiter()
    app = bot.app.build_application(settings)
    wait = bool(args.get("wait_start_up", True))
    await _serve_until_stdin_closes(app, timeout=settings.poll_timeout, wait_start_up=wait)
    return {"maxrss_mb": maxrss_mb(), "children_maxrss_mb": maxrss_mb(resource.RUSAGE_CHILDREN)}


async def task_echo(args: dict[str, Any]) -> dict[str, Any]:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message and update.message.text:
            await update.message.reply_text(update.message.text)

    # Bare: no rate limiter, no defaults; concurrent updates like the bot, or it would be a slower floor.
    app = (
        ApplicationBuilder().token(args["token"]).base_url(args["base_url"]).concurrent_updates(True).build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    await _serve_until_stdin_closes(app, timeout=int(args.get("poll_timeout", 1)), wait_start_up=False)
    return {"maxrss_mb": maxrss_mb()}


TASKS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "floor_load": task_floor_load,
    "load": task_load,
    "queries": task_queries,
    "growth": task_growth,
    "serve": task_serve,
    "echo": task_echo,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) != 2 or argv[0] not in TASKS:
        print(f"usage: python -m bench.worker {{{','.join(TASKS)}}} JSON", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    task, args = TASKS[argv[0]], json.loads(argv[1])
    result = task(args)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

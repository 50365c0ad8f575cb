"""The benchmark runner: generate (or reuse) the corpus, measure every figure next to its floor in the
same run, print the table, write the JSON.

Each measurement runs in a fresh subprocess (bench.worker) while this process samples the memory of
that subprocess and its children; the fake Telegram server (fakebotapi.FakeBotApi) runs here,
so the bot under test and the server it talks to never share a CPU core's event loop.

Everything is bounded: loopback only, fixed counts, and a timeout on every wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.figures import FIGURE_NAMES, Result, results_json, table
from bench.generate import NAVIGATION, GeneratedCorpus, extra_pages, generate_corpus
from fakebotapi import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent

TOKEN = "777000:BENCH-TOKEN"
LATENCY_CHAT = 9_000_001
FANOUT_CHAT0 = 8_000_000
USER0 = 100_000
TELEGRAM_LIMIT = 30.0  # messages per second, what the fake server enforces for the fan-out
NEW_PAGES = "zz-bench-new"  # sub-folder of the corpus where the alert steps drop new pages (removed after)

# Which measurement produces which figures; --only selects figures, and their steps run.
STEPS: dict[str, tuple[str, ...]] = {
    "load": ("cold_load", "warm_restart", "first_answer_cold", "rss_load_peak"),
    "queries": (
        "search_p50", "search_p99", "search_frequent_p99", "who_p50", "who_p99", "latest_p99", "operations_p99",
    ),
    "growth": ("rss_growth",),
    "throughput": ("throughput", "throughput_distinct"),
    "alerts": ("throughput_shipped", "alert_latency_p50", "alert_latency_p99"),
    "fanout": ("fanout_rate", "fanout_429s"),
    "heavy": ("latest_heavy_p99",),
    "filters": ("filter_load", "filter_loop_lag_p99"),
    "hostile": ("hostile",),  # its own table and bench/out/hostile.json (bench/hostile.py); only when asked
}  # fmt: skip
SERVING = ("throughput", "alerts", "fanout")  # steps whose bot process counts for rss_serving_peak


@dataclass
class Options:
    size: int = 1000
    seed: int = 0
    out: Path | None = None
    only: frozenset[str] = frozenset(FIGURE_NAMES)
    cache: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "csto-bench")
    work: Path | None = None  # databases and logs; a temporary folder (removed) when None
    keep: bool = False
    reuse_db: bool = False  # steps after `load` use the work folder's database as it is, if there is one
    rounds: int = 25  # query rounds (each round runs every query once, bot and floor)
    commands: int = 2000  # commands pushed for the throughput figure
    users: int = 200  # simulated users sending them
    shipped_commands: int = 300  # commands for the as-shipped throughput (capped at 30/s: ~10 s)
    growth_commands: int = 10_000
    growth_warmup: int = 1000
    query_seconds: float = 60.0  # per command family; fewer rounds (at least 3) when they take longer
    growth_seconds: float = 240.0  # the command run stops here if the commands take longer
    pump_seconds: float = 180.0  # the longest a throughput run waits for its answers
    alert_rounds: int = 5
    fanout_chats: int = 1000
    timeout: float = 1800.0  # for any one subprocess step
    quiet: bool = False

    def steps(self) -> list[str]:
        wanted = [s for s, names in STEPS.items() if self.only & set(names)]
        if "rss_serving_peak" in self.only and not set(wanted) & set(SERVING):
            wanted.append("throughput")
        return wanted


class BenchError(RuntimeError):
    pass


# ------------------------------------------------------------------------------------------- corpus cache


def _generator_digest() -> str:
    return hashlib.sha256((ROOT / "bench" / "generate.py").read_bytes()).hexdigest()[:16]


def ensure_corpus(cache: Path, size: int, seed: int, say: Callable[[str], None]) -> GeneratedCorpus:
    """The corpus for (size, seed), generated once and reused while bench/generate.py is unchanged.

    The manifest sits next to the folder (a file inside it would be read by the bot as a page).
    """
    dest = cache / f"corpus-{size}-s{seed}"
    manifest = cache / f"corpus-{size}-s{seed}.json"
    digest = _generator_digest()
    if manifest.is_file() and dest.is_dir():
        data = json.loads(manifest.read_text())
        if data.get("generator") == digest and data.get("pages") == size:
            count = sum(1 for e in os.scandir(dest) if e.is_file() and e.name.endswith(".txt"))
            if count == size:
                shutil.rmtree(dest / NEW_PAGES, ignore_errors=True)  # left by an interrupted run
                data.pop("generator")
                data["dest"] = Path(data["dest"])
                data = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
                say(f"corpus: reusing {size} pages in {dest}")
                return GeneratedCorpus(**data)
    manifest.unlink(missing_ok=True)
    if dest.exists():
        shutil.rmtree(dest)
    say(f"corpus: generating {size} pages into {dest} …")
    started = time.perf_counter()
    corpus = generate_corpus(dest, size, seed)
    say(f"corpus: {corpus.bytes_written / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")
    data = asdict(corpus) | {"dest": str(corpus.dest), "generator": digest}
    manifest.write_text(json.dumps(data))
    return corpus


def corpus_info(corpus: GeneratedCorpus) -> dict[str, Any]:
    return {
        "pages": corpus.pages,
        "bytes": corpus.bytes_written,
        "people_written": len(corpus.person_names),
        "operations_written": len(corpus.operation_names),
        "rare_term": corpus.rare_term,
        "frequent_term": corpus.frequent_term,
        "frequent_term_pages": corpus.frequent_term_pages,
        "sample_people": list(corpus.sample_people),
        "people_queries": list(corpus.people_queries),
        "person_pool": list(corpus.person_names),
    }


def search_texts(corpus: GeneratedCorpus) -> list[str]:
    """What /search is timed with: the generator's graded terms, people, and every query form."""
    texts = [corpus.rare_term, corpus.frequent_term, *corpus.sample_people]
    texts += ['"illegal migration"', "secur*", "operation -drug"]
    return list(dict.fromkeys(texts))


# ------------------------------------------------------------------------------------------- subprocesses


class RssSampler:
    """Peak memory of a process and all its children, summed: RSS (what `ps` shows; shared pages counted
    in every process) and PSS (shared pages split between the processes that share them).

    Every 100 ms; the list of children is refreshed once a second (walking /proc costs more than reading
    a few smaps_rollup files), so the sampler itself stays well under 1 % of a core.
    """

    def __init__(self, pid: int, interval: float = 0.1, rescan: float = 1.0) -> None:
        self.pid = pid
        self.interval = interval
        self.rescan = rescan
        self.peak_mb = 0.0
        self.peak_pss_mb = 0.0
        self._procs: list[Any] = []
        self._scanned = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> float:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        return self.peak_mb

    def sample(self) -> None:
        import psutil

        now = time.monotonic()
        if not self._procs or now - self._scanned >= self.rescan:
            try:
                root = psutil.Process(self.pid)
                self._procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            self._scanned = now
        rss = pss = 0
        for proc in self._procs:
            with contextlib.suppress(psutil.Error):
                info = proc.memory_full_info()  # Linux: one read of smaps_rollup
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
        self.peak_mb = max(self.peak_mb, rss / 2**20)
        self.peak_pss_mb = max(self.peak_pss_mb, pss / 2**20)

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)


def _worker_cmd(task: str, args: dict[str, Any]) -> list[str]:
    return [sys.executable, "-m", "bench.worker", task, json.dumps(args)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PTB_TIMEDELTA"] = "1"
    for secret in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_BASE_URL",
        "CSTO_CONFIG",
        "CSTO_CORPUS_DIR",
        "CSTO_DB_PATH",
    ):
        env.pop(secret, None)
    return env


def _parse_result(stdout: bytes, log_path: Path) -> dict[str, Any]:
    for line in reversed(stdout.decode(errors="replace").splitlines()):
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT ") :]))
    tail = log_path.read_text(errors="replace")[-1500:] if log_path.exists() else ""
    raise BenchError(f"worker gave no result; log {log_path}:\n{tail}")


async def run_task(
    task: str, args: dict[str, Any], log_path: Path, timeout: float
) -> tuple[dict[str, Any], RssSampler]:
    """Run one worker task to completion. Returns its result and the memory sampler of its process tree."""
    with log_path.open("ab") as log:
        proc = await asyncio.create_subprocess_exec(
            *_worker_cmd(task, args), stdout=asyncio.subprocess.PIPE, stderr=log, cwd=ROOT, env=_env()
        )
        sampler = RssSampler(proc.pid)
        sampler.start()
        try:
            stdout, _ = await asyncio.wait_for(proc.communicate(), timeout)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise BenchError(f"{task} did not finish within {timeout:.0f} s") from None
        finally:
            await sampler.stop()
    if proc.returncode != 0:
        raise BenchError(f"{task} exited with {proc.returncode}; see {log_path}")
    return _parse_result(stdout, log_path), sampler


@dataclass
class Session:
    """A bot (or echo bot) process polling the fake server."""

    proc: asyncio.subprocess.Process
    sampler: RssSampler
    result: dict[str, Any] = field(default_factory=dict)
    peak_mb: float = 0.0


@asynccontextmanager
async def served(
    task: str, args: dict[str, Any], log_path: Path, ready_timeout: float
) -> AsyncIterator[Session]:
    with log_path.open("ab") as log:
        proc = await asyncio.create_subprocess_exec(
            *_worker_cmd(task, args),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            cwd=ROOT,
            env=_env(),
        )
    assert proc.stdout is not None and proc.stdin is not None
    session = Session(proc, RssSampler(proc.pid))
    session.sampler.start()
    try:
        while True:
            line = await asyncio.wait_for(proc.stdout.readline(), ready_timeout)
            if not line:
                tail = log_path.read_text(errors="replace")[-1500:]
                raise BenchError(f"{task} ended before it was ready; log {log_path}:\n{tail}")
            if line.strip() == b"READY":
                break
        yield session
    finally:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            proc.stdin.close()
        try:
            stdout = await asyncio.wait_for(proc.stdout.read(), 60)
            await asyncio.wait_for(proc.wait(), 10)
            session.result = _parse_result(stdout, log_path) if proc.returncode == 0 else {}
        except (TimeoutError, BenchError):
            proc.kill()
            await proc.wait()
        session.peak_mb = await session.sampler.stop()


# ------------------------------------------------------------------------------------------- the runner


class Runner:
    def __init__(self, opts: Options) -> None:
        self.opts = opts
        self.results: dict[str, Result] = {}
        self.meta: dict[str, Any] = {}
        self.step_seconds: dict[str, float] = {}
        self.serving_peaks: dict[str, float] = {}
        self.corpus: GeneratedCorpus | None = None
        self.echo_floor: float | None = None  # the throughput floor, reused by throughput_shipped
        self.work = Path()
        self.db = Path()
        self._db_loaded = False

    def say(self, text: str) -> None:
        if not self.opts.quiet:
            print(text, file=sys.stderr, flush=True)

    def put(self, name: str, value: float | None, floor: float | None = None, **details: Any) -> None:
        if name in self.opts.only:
            self.results[name] = Result(name, value, floor, details)

    def fail(self, names: Iterable[str], error: str) -> None:
        error = error if len(error) <= 400 else error[:400] + " …"
        for name in names:
            if name in self.opts.only and name not in self.results:
                self.results[name] = Result(name, None, None, {}, error)

    def log(self, step: str) -> Path:
        return self.work / f"{step}.log"

    # --------------------------------------------------------------------------------- orchestration

    async def run(self) -> dict[str, Any]:
        opts = self.opts
        started = time.perf_counter()
        temp = None
        if opts.work is None:
            temp = tempfile.mkdtemp(prefix="csto-bench-")
            self.work = Path(temp)
        else:
            self.work = opts.work
            self.work.mkdir(parents=True, exist_ok=True)
        self.db = self.work / "bot.sqlite3"
        try:
            self.corpus = ensure_corpus(opts.cache, opts.size, opts.seed, self.say)
            for step in opts.steps():
                self.say(f"[{step}] …")
                t0 = time.perf_counter()
                try:
                    await getattr(self, f"step_{step}")()
                except Exception as exc:  # noqa: BLE001 -- one broken measurement must not hide the others
                    self.say(f"[{step}] FAILED: {str(exc)[:400]}")
                    self.fail(STEPS[step], f"{type(exc).__name__}: {exc}")
                self.step_seconds[step] = round(time.perf_counter() - t0, 2)
                self.say(f"[{step}] {self.step_seconds[step]:.1f} s")
            if "rss_serving_peak" in opts.only:
                if self.serving_peaks:
                    self.put(
                        "rss_serving_peak", max(self.serving_peaks.values()), sessions_mb=self.serving_peaks
                    )
                else:
                    self.fail(["rss_serving_peak"], "no serving session ran")
        finally:
            if temp is not None and not opts.keep:
                shutil.rmtree(temp, ignore_errors=True)
        self.meta = {
            "size": opts.size,
            "seed": opts.seed,
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 1),
            "step_seconds": self.step_seconds,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "sqlite": sqlite3.sqlite_version,
            },
            "corpus": corpus_info(self.corpus) if self.corpus else None,
            "counts": {
                k: v for k, v in asdict(opts).items()
                if k in ("rounds", "commands", "users", "shipped_commands", "growth_commands", "growth_warmup",
                         "query_seconds", "growth_seconds", "pump_seconds", "alert_rounds", "fanout_chats")
            },
            "method": {
                "handler_path": (
                    "the real handler coroutines (handlers.search.search_command, who_command, latest_command, "
                    "operations_command) awaited with a minimal fake Update/context: parsing, store queries, "
                    "rendering and the reply keyboard are the product's; PTB dispatch and HTTP are not"
                ),
                "floors_interleaved": "each query is timed raw and through the handler in turn, on the bot's db",
                "settings_changed": [
                    "flood guard relaxed: commands_per_user=1e9 per 1 s (dataclasses.replace)",
                    "token/base_url point at the local fake Bot API",
                    (
                        "throughput and the memory command run: AIORateLimiter's overall 30/s and group limits "
                        "lifted (benchmark only); throughput_shipped, alerts and fan-out keep it as shipped"
                    ),
                ],
                "memory": "peak RSS (and PSS) summed over the measured process and its children, every 100 ms",
            },
        }  # fmt: skip
        return results_json(self.ordered(), self.meta)

    def ordered(self) -> list[Result]:
        return [self.results[n] for n in FIGURE_NAMES if n in self.results]

    async def ensure_loaded(self) -> None:
        """The measured steps after `load` need a loaded database; load it (untimed) if `load` did not run."""
        if self._db_loaded:
            return
        if self.opts.reuse_db and self.db.exists():
            self.say(f"  reusing the database {self.db}")
            self._db_loaded = True
            return
        assert self.corpus is not None
        self.say("  loading the database (untimed) …")
        await run_task(
            "load",
            {"corpus": str(self.corpus.dest), "db": str(self.db), "fresh": True},
            self.log("load-untimed"),
            self.opts.timeout,
        )
        self._db_loaded = True

    # --------------------------------------------------------------------------------- steps

    async def step_load(self) -> None:
        assert self.corpus is not None
        corpus = str(self.corpus.dest)
        floor, _ = await run_task(
            "floor_load",
            {"corpus": corpus, "db": str(self.work / "floor.sqlite3")},
            self.log("floor"),
            self.opts.timeout,
        )
        (self.work / "floor.sqlite3").unlink(missing_ok=True)
        self.say(f"  floor: {floor['pages']} pages in {floor['seconds']:.2f} s")
        cold, cold_mem = await run_task(
            "load",
            {"corpus": corpus, "db": str(self.db), "fresh": True},
            self.log("load-cold"),
            self.opts.timeout,
        )
        self._db_loaded = True
        self.say(f"  cold load: {cold['files_read']} files, {cold['items']} items in {cold['seconds']:.2f} s, "
                 f"peak {cold_mem.peak_mb:.0f} MB")  # fmt: skip
        warm, _ = await run_task(
            "load", {"corpus": corpus, "db": str(self.db)}, self.log("load-warm"), self.opts.timeout
        )
        self.say(f"  warm restart: {warm['seconds']:.3f} s ({warm['files_unchanged']} unchanged)")
        pages = self.corpus.pages
        self.put(
            "cold_load", pages / cold["seconds"], floor["pages"] / floor["seconds"],
            seconds=cold["seconds"], floor_seconds=floor["seconds"], items=cold["items"], people=cold["people"],
            operations=cold["operations"], files_read=cold["files_read"], files_skipped=cold["files_skipped"],
        )  # fmt: skip
        self.put(
            "warm_restart", warm["seconds"], cold["seconds"],
            files_unchanged=warm["files_unchanged"], files_read=warm["files_read"],
        )  # fmt: skip
        if "first_answer_cold" in self.opts.only:
            seconds, text = await self.first_answer_cold()
            self.say(f"  first answer on a cold start: {seconds:.2f} s")
            self.put("first_answer_cold", seconds, cold["seconds"], says_loading="Loading the corpus" in text)
        self.put(
            "rss_load_peak", cold_mem.peak_mb, pss_mb=cold_mem.peak_pss_mb,
            main_maxrss_mb=cold["maxrss_mb"], largest_child_maxrss_mb=cold["children_maxrss_mb"],
        )  # fmt: skip

    async def first_answer_cold(self) -> tuple[float, str]:
        """Seconds from launching the bot on an empty database to its answer to a /stats (the
        start-up load runs beside the bot), and that answer's text. The bot is stopped right after,
        which ends its load early."""

        db = self.work / "first-answer.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        async with FakeBotApi(token=TOKEN) as api:
            args = {**self.bot_args(api, watch=False), "db": str(db), "wait_start_up": False}
            started = time.monotonic()
            async with served("serve", args, self.log("first-answer"), ready_timeout=self.opts.timeout):
                mark = api.mark()
                api.push_message(USER0, "/stats")
                [reply] = await api.wait_for("sendMessage", timeout=self.opts.timeout, after=mark)
                seconds = time.monotonic() - started
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return seconds, reply.text or ""

    async def step_queries(self) -> None:
        assert self.corpus is not None
        await self.ensure_loaded()
        texts = search_texts(self.corpus)
        out, _ = await run_task(
            "queries",
            {
                "corpus": str(self.corpus.dest),
                "db": str(self.db),
                "rounds": self.opts.rounds,
                "budget": self.opts.query_seconds,
                "search": texts,
                "frequent": self.corpus.frequent_term,
                "who": list(self.corpus.people_queries),
            },
            self.log("queries"),
            self.opts.timeout,
        )
        s, w = out["search"], out["who"]
        self.put(
            "search_p50", s["bot"]["p50"], s["raw"]["p50"], samples=s["bot"]["n"], per_query=s["per_query"]
        )
        self.put("search_p99", s["bot"]["p99"], s["raw"]["p99"], samples=s["bot"]["n"])
        self.put(
            "search_frequent_p99", s["frequent_bot"]["p99"], s["frequent_raw"]["p99"],
            term=self.corpus.frequent_term, pages_with_term=self.corpus.frequent_term_pages,
            p50=s["frequent_bot"]["p50"], floor_p50=s["frequent_raw"]["p50"], samples=s["frequent_bot"]["n"],
        )  # fmt: skip
        self.put("who_p50", w["bot"]["p50"], w["raw"]["p50"], names=w["names"], samples=w["bot"]["n"])
        self.put("who_p99", w["bot"]["p99"], w["raw"]["p99"], names=w["names"], samples=w["bot"]["n"])
        for key in ("latest", "operations"):
            self.put(
                f"{key}_p99",
                out[key]["bot"]["p99"],
                None,
                p50=out[key]["bot"]["p50"],
                texts=out[key]["texts"],
            )

    async def step_growth(self) -> None:
        assert self.corpus is not None
        await self.ensure_loaded()
        out, mem = await run_task(
            "growth",
            {
                "corpus": str(self.corpus.dest),
                "db": str(self.db),
                "commands": self.opts.growth_commands,
                "warmup": self.opts.growth_warmup,
                "seconds": self.opts.growth_seconds,
                "corpus_info": corpus_info(self.corpus),
            },
            self.log("growth"),
            self.opts.timeout,
        )
        self.say(
            f"  {out['commands']} commands: RSS {out['rss_before_mb']:.1f} → {out['rss_after_mb']:.1f} MB"
        )
        self.put(
            "rss_growth", out["growth_mb"], None,
            commands=out["commands"], commands_wanted=out["commands_wanted"],
            time_limited=out["commands"] < out["commands_wanted"], warmup=out["warmup"],
            before_mb=out["rss_before_mb"], after_mb=out["rss_after_mb"], samples_mb=out["samples_mb"],
            peak_mb=mem.peak_mb,
            in_process_commands_per_s=out["commands_per_s"],
        )  # fmt: skip

    async def step_filters(self) -> None:
        """bench/filters.py: a load beside 10,000 filtered subscriptions (fewer at tiny sizes)."""
        from bench.filters import measure

        size = self.opts.size
        got = await measure(min(10_000, 10 * size), min(300, size), min(300, size), self.opts.seed)
        many, none = got["with_subscriptions"], got["without_subscriptions"]
        self.say(
            f"  {got['subscriptions']} subscriptions: {many['seconds']:.2f} s against {none['seconds']:.2f} s"
        )
        self.put("filter_load", many["seconds"], none["seconds"], **got)
        self.put("filter_loop_lag_p99", many["lag_p99_ms"], None, **got)

    # --------------------------------------------------------------------------------- serving steps

    @property
    def debounce_s(self) -> float:
        from bot.config import load_settings

        return load_settings(env={}).watch_debounce_ms / 1000

    def bot_args(self, api: Any, **extra: Any) -> dict[str, Any]:
        assert self.corpus is not None
        return {
            "corpus": str(self.corpus.dest),
            "db": str(self.db),
            "token": TOKEN,
            "base_url": api.base_url,
            "poll_timeout": 1,
            **extra,
        }

    def command_list(self, count: int) -> list[tuple[int, str]]:
        from bench.worker import command_mix

        assert self.corpus is not None
        mix = command_mix(corpus_info(self.corpus))
        users = max(1, min(self.opts.users, count))
        return [(USER0 + n % users, mix[(n + n // users) % len(mix)]) for n in range(count)]

    async def pump(self, api: Any, commands: Sequence[tuple[int, str]], timeout: float) -> dict[str, Any]:
        """Push every command at once (many users), wait for as many answers; answers per second."""
        mark = api.mark()
        started = time.monotonic()
        for chat, text in commands:
            api.push_message(chat, text)
        deadline = started + timeout
        while True:
            answers = [c for c in api.calls("sendMessage") if c.index >= mark and c.ok]
            if len(answers) >= len(commands):
                break
            if time.monotonic() > deadline:  # time-limited: the rate of what was answered so far
                if not answers:
                    raise BenchError(f"no command answered in {timeout:.0f} s")
                break
            await asyncio.sleep(0.02)
        answers = answers[: len(commands)]
        last = max(c.at for c in answers)
        return {
            "commands": len(commands),
            "answered": len(answers),
            "complete": len(answers) == len(commands),
            "seconds": last - started,
            "per_s": len(answers) / (last - started),
        }

    def distinct_command_list(self, count: int) -> list[tuple[int, str]]:
        from bench.worker import distinct_commands

        assert self.corpus is not None
        texts = distinct_commands(corpus_info(self.corpus), count)
        users = max(1, min(self.opts.users, count))
        return [(USER0 + n % users, text) for n, text in enumerate(texts)]

    async def warm_up(self, api: Any) -> None:
        await self.pump(api, self.command_list(24), timeout=120)

    async def step_throughput(self) -> None:

        await self.ensure_loaded()
        commands = self.command_list(self.opts.commands)
        distinct = self.distinct_command_list(len(commands))
        runs: dict[str, list[dict[str, Any]]] = {"echo": [], "bot": [], "distinct": []}
        # the floor before and after: the machine is shared and noisy
        for kind in ("echo", "bot", "distinct", "echo"):
            task = "echo" if kind == "echo" else "serve"
            async with FakeBotApi(token=TOKEN) as api:  # a fresh server: no update left over from a run
                args = self.bot_args(api, watch=False, rate_limiter="lifted")
                async with served(task, args, self.log(f"throughput-{kind}"), ready_timeout=600) as session:
                    await self.warm_up(api)
                    got = await self.pump(
                        api, distinct if kind == "distinct" else commands, self.opts.pump_seconds
                    )
            runs[kind].append(got)
            if kind != "echo":
                self.serving_peaks[f"throughput-{kind}"] = session.peak_mb
            self.say(
                f"  {kind}: {got['per_s']:.0f} commands/s ({got['answered']}/{got['commands']} answered)"
            )
        floor = sum(r["per_s"] for r in runs["echo"]) / len(runs["echo"])
        self.echo_floor = floor
        bot = runs["bot"][0]
        self.put(
            "throughput", bot["per_s"], floor,
            commands=len(commands), users=min(self.opts.users, len(commands)), answered=bot["answered"],
            complete=bot["complete"], echo_runs=[r["per_s"] for r in runs["echo"]],
        )  # fmt: skip
        fresh = runs["distinct"][0]
        self.put(
            "throughput_distinct", fresh["per_s"], floor,
            commands=len(distinct), answered=fresh["answered"], complete=fresh["complete"],
        )  # fmt: skip

    async def _subscribe_only(self, chats: Sequence[int]) -> None:
        """Exactly these chats subscribed, with no alert history: the alert steps start from a clean slate
        (this isolates the steps of a --reuse-db run). Done with the bot's own Store calls: every other
        chat unsubscribed (its pending alerts dropped), then every finished alert pruned."""
        from bot.store import Store

        store = await Store.open(self.db)
        try:
            for chat in await store.subscribed_chat_ids():
                await store.unsubscribe(chat)
            while await store.prune_outbox(older_than_days=0):
                pass
            for chat in chats:
                await store.subscribe(chat, None, ())
        finally:
            await store.close()

    def new_page_paths(self, first: int = 0) -> Iterator[tuple[Path, bytes]]:
        """New pages, one per call: the generator's pages after the corpus's last (from `first` on), each
        ending with a line no other page has, so its article is new content even if the same generated
        page was dropped (and removed) before, in this run or an earlier one on the same database."""
        assert self.corpus is not None
        folder = self.corpus.dest / NEW_PAGES
        folder.mkdir(exist_ok=True)
        stamp = f"{os.getpid()}-{time.time_ns()}"
        pages = extra_pages(self.corpus.pages + first, 10_000, self.corpus.seed)
        for n, text in enumerate(pages):
            lines = text.rstrip().split("\n")
            end = len(lines)  # the marker goes into the article, before the navigation lines
            while end > 1 and (lines[end - 1].strip() in NAVIGATION or not lines[end - 1].strip()):
                end -= 1
            lines.insert(end, f"The reference number of this report is {stamp}-{n}.")
            yield folder / f"new-{stamp}-{n:04d}.txt", ("\n".join(lines) + "\n").encode()

    def drop(self, path: Path, data: bytes) -> float:
        """Write a page as a scraper should (temporary name, then rename); returns the rename's monotonic time."""
        temp = path.with_name(path.name + ".part")
        temp.write_bytes(data)
        os.replace(temp, path)
        return time.monotonic()

    def clean_new_pages(self) -> None:
        assert self.corpus is not None
        shutil.rmtree(self.corpus.dest / NEW_PAGES, ignore_errors=True)

    async def step_alerts(self) -> None:
        from bench.floors import percentile

        await self.ensure_loaded()
        await self._subscribe_only([LATENCY_CHAT])
        commands = self.command_list(self.opts.shipped_commands)
        latencies: list[float] = []
        try:
            async with FakeBotApi(token=TOKEN) as api:
                args = self.bot_args(api, watch=True, rate_limiter="shipped")
                async with served("serve", args, self.log("alerts"), ready_timeout=600) as session:
                    # The watcher loads once, debounced, right after start-up: let that pass first, so
                    # this measures steady serving (a load invalidates the bot's caches).
                    await asyncio.sleep(self.debounce_s + 1.0)
                    await self.warm_up(api)
                    # Alerts first, on a bot with no backlog: the latency of the pipeline itself.
                    pages = self.new_page_paths()
                    for _ in range(self.opts.alert_rounds):
                        path, data = next(pages)
                        mark = api.mark()
                        written = self.drop(path, data)
                        try:
                            calls = await api.wait_for(
                                "sendMessage",
                                lambda c: c.chat_id == LATENCY_CHAT and c.ok,
                                timeout=60,
                                after=mark,
                            )
                        except AssertionError:
                            raise BenchError("no alert reached the subscribed chat within 60 s") from None
                        latencies.append(calls[0].at - written)
                        self.say(f"  alert after {latencies[-1]:.2f} s")
                        await asyncio.sleep(0.5)
                    self.put("alert_latency_p50", percentile(latencies, 50), None, samples=latencies)
                    self.put("alert_latency_p99", percentile(latencies, 99), None, samples=latencies)
                    got = await self.pump(api, commands, self.opts.pump_seconds)
                    self.say(
                        f"  as shipped: {got['per_s']:.1f} commands/s ({got['answered']}/{got['commands']})"
                    )
                    self.put(
                        "throughput_shipped", got["per_s"], self.echo_floor,
                        commands=len(commands), answered=got["answered"], complete=got["complete"],
                    )  # fmt: skip
                self.serving_peaks["alerts"] = session.peak_mb
        finally:
            self.clean_new_pages()

    async def step_fanout(self) -> None:

        await self.ensure_loaded()
        chats = [FANOUT_CHAT0 + i for i in range(self.opts.fanout_chats)]
        await self._subscribe_only(chats)
        wanted = set(chats)
        try:
            async with FakeBotApi(token=TOKEN) as api:
                api.limit_rate(per_second=TELEGRAM_LIMIT)
                args = self.bot_args(api, watch=True, rate_limiter="shipped")
                async with served("serve", args, self.log("fanout"), ready_timeout=600) as session:
                    await asyncio.sleep(self.debounce_s + 1.0)  # the watcher's start-up load
                    api.rate_limited = 0
                    mark = api.mark()
                    path, data = next(self.new_page_paths(first=100))
                    written = self.drop(path, data)
                    deadline = written + 120 + 5 * len(chats) / TELEGRAM_LIMIT
                    while True:
                        sent = [
                            c
                            for c in api.calls("sendMessage")
                            if c.index >= mark and c.ok and c.chat_id in wanted
                        ]
                        if {c.chat_id for c in sent} >= wanted and await self._outbox_pending() == 0:
                            break
                        if time.monotonic() > deadline:
                            raise BenchError(
                                f"fan-out: {len({c.chat_id for c in sent})} of {len(chats)} chats reached in time"
                            )
                        await asyncio.sleep(0.25)
                    await asyncio.sleep(1.0)  # anything still in flight
                    sent = [
                        c
                        for c in api.calls("sendMessage")
                        if c.index >= mark and c.ok and c.chat_id in wanted
                    ]
                    refused = api.rate_limited
                self.serving_peaks["fanout"] = session.peak_mb
        finally:
            self.clean_new_pages()
        first, last = min(c.at for c in sent), max(c.at for c in sent)
        rate = (len(sent) - 1) / (last - first) if len(sent) > 1 and last > first else float(len(sent))
        self.say(f"  {len(sent)} alerts to {len(chats)} chats at {rate:.1f}/s, {refused} × 429")
        self.put(
            "fanout_rate", rate, TELEGRAM_LIMIT,
            chats=len(chats), messages=len(sent), first_after_s=first - written, last_after_s=last - written,
        )  # fmt: skip
        self.put("fanout_429s", float(refused), None, chats=len(chats))

    async def step_heavy(self) -> None:
        from bench.heavy import step_heavy

        await step_heavy(self)

    async def step_hostile(self) -> None:
        from bench import hostile

        await hostile.step(self)

    async def _outbox_pending(self) -> int:
        """Alerts the bot has yet to send, read through its own Store (beside the running bot)."""
        from bot.store import Store

        store = await Store.open(self.db)
        try:
            return await store.pending_alert_count()
        finally:
            await store.close()


def run(opts: Options) -> tuple[dict[str, Any], list[Result]]:
    runner = Runner(opts)
    data = asyncio.run(runner.run())
    return data, runner.ordered()


def write_outputs(opts: Options, data: dict[str, Any], results: list[Result]) -> Path:
    out = opts.out or ROOT / "bench" / "out" / f"results-{opts.size}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"\nsize {opts.size} pages, {data['seconds']:.0f} s; JSON: {out}")
    return out

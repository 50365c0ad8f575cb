"""python -m bench --size 10000 [--out FILE] [--only figure,...]: the benchmark suite (see bench/run.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.figures import FIGURE_NAMES, SPECS
from bench.run import STEPS, Options, run, write_outputs


def parse_args(argv: Sequence[str] | None) -> Options:
    defaults = Options()
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark csto-bot against raw floors measured in the same run; prints a table, writes JSON.",
        epilog="figures: " + ", ".join(FIGURE_NAMES) + "; steps: " + ", ".join(STEPS),
    )
    parser.add_argument("--size", type=int, default=defaults.size, help="pages in the generated corpus")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--out", type=Path, help="JSON file (default bench/out/results-SIZE.json)")
    parser.add_argument("--only", help="comma-separated figure or step names (default: all)")
    parser.add_argument("--cache", type=Path, default=defaults.cache, help="where generated corpora are kept")
    parser.add_argument("--work", type=Path, help="folder for databases and logs (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument(
        "--reuse-db", action="store_true", help="with --work: skip the untimed load when its database exists"
    )
    parser.add_argument("--rounds", type=int, default=defaults.rounds, help="rounds of every timed query")
    parser.add_argument("--commands", type=int, default=defaults.commands, help="commands for throughput")
    parser.add_argument("--users", type=int, default=defaults.users, help="users sending them")
    parser.add_argument("--shipped-commands", type=int, default=defaults.shipped_commands)
    parser.add_argument("--growth-commands", type=int, default=defaults.growth_commands)
    parser.add_argument("--growth-warmup", type=int, default=defaults.growth_warmup)
    parser.add_argument(
        "--query-seconds",
        type=float,
        default=defaults.query_seconds,
        help="time budget per command family in the latency step",
    )
    parser.add_argument("--growth-seconds", type=float, default=defaults.growth_seconds)
    parser.add_argument(
        "--pump-seconds",
        type=float,
        default=defaults.pump_seconds,
        help="the longest a throughput run waits for its answers",
    )
    parser.add_argument("--alert-rounds", type=int, default=defaults.alert_rounds)
    parser.add_argument("--fanout-chats", type=int, default=defaults.fanout_chats)
    parser.add_argument(
        "--timeout", type=float, default=defaults.timeout, help="seconds any one step may take"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    only = frozenset(FIGURE_NAMES)
    if args.only:
        wanted: set[str] = set()
        for name in (n.strip() for n in args.only.split(",") if n.strip()):
            if name in STEPS:
                wanted.update(STEPS[name])
            elif name in FIGURE_NAMES:
                wanted.add(name)
            else:
                parser.error(f"unknown figure or step {name!r}")
        only = frozenset(wanted)
    if args.size < 1:
        parser.error("--size must be at least 1")
    return Options(
        size=args.size, seed=args.seed, out=args.out, only=only, cache=args.cache, work=args.work,
        keep=args.keep, reuse_db=args.reuse_db, rounds=max(1, args.rounds), commands=max(1, args.commands),
        users=max(1, args.users), shipped_commands=max(1, args.shipped_commands),
        growth_commands=max(1, args.growth_commands), growth_warmup=max(0, args.growth_warmup),
        query_seconds=args.query_seconds, growth_seconds=args.growth_seconds, pump_seconds=args.pump_seconds,
        alert_rounds=max(1, args.alert_rounds), fanout_chats=max(1, args.fanout_chats), timeout=args.timeout,
        quiet=args.quiet,
    )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(argv)
    data, results = run(opts)
    write_outputs(opts, data, results)
    missing = [
        s.name for s in SPECS if s.name in opts.only and data["figures"].get(s.name, {}).get("value") is None
    ]
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

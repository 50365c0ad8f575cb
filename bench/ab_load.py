"""python -m bench.ab_load REV_A REV_B [--size N] [--rounds K]: cold-load speed of two revisions, A/B.

Why: a change to the load path (here: stemming every item for search) is judged by its cost on the same
machine at the same time; the machine is shared and noisy, so the two revisions run alternately
(A, B, A, B, …) on one generated corpus (bench.generate, cached as `python -m bench` caches it) and the
ratio of their medians is the figure. Each revision is a detached git worktree in a temporary folder,
run with this interpreter (nothing is installed) and PYTHONPATH at that worktree: a cold
`python -m bot load` into a new database, timed from start to exit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.run import Options, ensure_corpus

REPO = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout


def add_worktree(revision: str, folder: Path) -> Path:
    """A detached checkout of `revision` in `folder` (removed by remove_worktree)."""
    _git("worktree", "add", "--detach", str(folder), revision)
    return folder


def remove_worktree(folder: Path) -> None:
    _git("worktree", "remove", "--force", str(folder))


def cold_load(checkout: Path, corpus: Path, db: Path) -> float:
    """Seconds of one `python -m bot load` of `corpus` into a new database, with `checkout`'s code."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CSTO_", "TELEGRAM_"))}
    env["PYTHONPATH"] = str(checkout)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "load",
            "--corpus",
            str(corpus),
            "--db",
            str(db),
            "--log-level",
            "WARNING",
        ],
        cwd=checkout,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("rev_a")
    parser.add_argument("rev_b")
    parser.add_argument("--size", type=int, default=10_000, help="pages in the generated corpus")
    parser.add_argument("--rounds", type=int, default=3, help="cold loads of each revision")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    defaults = Options()
    corpus = ensure_corpus(defaults.cache, args.size, args.seed, print)
    pages = corpus.pages
    with tempfile.TemporaryDirectory(prefix="csto-ab-") as tmp:
        work = Path(tmp)
        checkouts = {
            "A": add_worktree(args.rev_a, work / "a"),
            "B": add_worktree(args.rev_b, work / "b"),
        }
        times: dict[str, list[float]] = {"A": [], "B": []}
        try:
            for round_no in range(1, args.rounds + 1):
                for side in ("A", "B"):
                    seconds = cold_load(checkouts[side], corpus.dest, work / f"{side}.sqlite3")
                    times[side].append(seconds)
                    print(
                        f"round {round_no} {side}: {seconds:.2f} s, {pages / seconds:.0f} pages/s", flush=True
                    )
        finally:
            for checkout in checkouts.values():
                remove_worktree(checkout)
    median = {side: statistics.median(values) for side, values in times.items()}
    for side, revision in (("A", args.rev_a), ("B", args.rev_b)):
        print(f"{side} {revision}: median {median[side]:.2f} s, {pages / median[side]:.0f} pages/s")
    print(f"B/A pages/s: {median['A'] / median['B']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

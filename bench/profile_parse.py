"""Time (and optionally profile) bot.corpus.parse_page on a folder of pages, the way the loader calls it.

    .venv/bin/python -m bench.profile_parse [DIR] [-n 2000] [--profile] [--dump FILE] [--seeds]
                                            [--repeat 3] [--cold-every 800]

The loader (bot/loader.py, process_batch) decodes each file, then calls parse_page(text, lexicon, known)
with one Lexicon object for every page and `known` = frozenset of the names seen so far, renewed per batch
of 200 files. This script replays that sequence; decoding is done up front and not timed.

--dump writes repr(ParsedPage) of every page (one line per page, after its file name) so two versions of
the rules can be diffed. --cold-every N starts every N pages with a fresh Lexicon object (cold caches), as
a loader worker process that is replaced every few batches does.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

from bot.corpus import Lexicon, decode_page, parse_page
from bot.lexicon import DEFAULT_LEXICON_PATH, load_lexicon

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = Path("/tmp/csto-bench/corpus-10000-s0")
BATCH_FILES = 200  # the loader's default batch size: `known` is renewed once per batch


def load_pages(folder: Path, limit: int | None) -> list[tuple[str, str]]:
    """(file name, decoded text) of the first `limit` .txt pages of a folder, in name order."""
    paths = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    if limit:
        paths = paths[:limit]
    return [(p.name, decode_page(p.read_bytes())) for p in paths]


def run(pages: list[tuple[str, str]], lexicon: Lexicon, cold_every: int = 0) -> list[object]:
    """Parse every page as the loader does; returns the ParsedPages in order."""
    known = set(lexicon.aliases.values())
    out: list[object] = []
    lex = lexicon
    for start in range(0, len(pages), BATCH_FILES):
        batch_known = frozenset(known)
        batch = []
        for i, (_, text) in enumerate(pages[start : start + BATCH_FILES], start):
            if cold_every and i % cold_every == 0:
                lex = dataclasses.replace(lexicon)  # a new object: cold per-lexicon caches
            batch.append(parse_page(text, lex, batch_known))
        known.update(m.name for page in batch for item in page.items for m in item.people)
        out.extend(batch)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("-n", type=int, default=2000, help="pages to parse (0: all)")
    ap.add_argument("--seeds", action="store_true", help="also parse the real seed pages (after the others)")
    ap.add_argument(
        "--repeat", type=int, default=1, help="timed runs, each with a fresh Lexicon; median shown"
    )
    ap.add_argument("--cold-every", type=int, default=0, help="fresh Lexicon object every N pages")
    ap.add_argument("--profile", action="store_true", help="cProfile one run, print the top functions")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--dump", type=Path, help="write repr of every ParsedPage to this file")
    args = ap.parse_args(argv)

    pages = load_pages(args.dir, args.n)
    if args.seeds:
        pages += load_pages(ROOT / "seeds", None)
    base = load_lexicon(DEFAULT_LEXICON_PATH)

    times = []
    result: list[object] = []
    for _ in range(max(1, args.repeat)):
        lexicon = dataclasses.replace(base)  # each run starts with cold per-lexicon caches
        started = time.perf_counter()
        result = run(pages, lexicon, args.cold_every)
        times.append(time.perf_counter() - started)
    per_page = [t * 1000 / len(pages) for t in times]
    print(
        f"{len(pages)} pages: "
        + ", ".join(f"{t:.3f}" for t in per_page)
        + f" ms/page; median {statistics.median(per_page):.3f} ms/page"
    )

    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for (name, _), page in zip(pages, result, strict=True):
                fh.write(f"{name}\t{page!r}\n")
        print(f"dump: {args.dump}")

    if args.profile:
        prof = cProfile.Profile()
        lexicon = dataclasses.replace(base)
        prof.enable()
        run(pages, lexicon, args.cold_every)
        prof.disable()
        for key in ("tottime", "cumulative"):
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats(key).print_stats(args.top)
            text = buf.getvalue()
            print(text[text.find("   ncalls") :] if "   ncalls" in text else text)


if __name__ == "__main__":
    sys.exit(main())

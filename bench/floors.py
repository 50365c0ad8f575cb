"""The floors the benchmark compares the bot against, measured on the same generated data.

Why: a latency or ingest figure means little alone; next to "plain sqlite3 + FTS5 with no parsing"
and "one rapidfuzz call over the name list" it shows how much the bot's own work costs on top of
the libraries it cannot beat. Pure stdlib + rapidfuzz, no bot imports.
"""

from __future__ import annotations

import argparse
import math
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from rapidfuzz import fuzz, process

TOKENIZE = "porter unicode61 remove_diacritics 2"
SEARCH_SQL = (
    "SELECT rowid, snippet(fts, 1, '[', ']', '…', 12) FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 5"
)
_BATCH = 1000


def corpus_rows(dest: Path) -> Iterator[tuple[str, str]]:
    """(headline, body) per page file, cheaply: first non-empty line as headline, the whole text as body.

    Streams in file-name order, so feeding it to raw_insert_floor also counts reading the files,
    which the bot's ingest has to do too. Reads every *.txt directly in `dest` (flat layout).
    """
    names = sorted(e.name for e in os.scandir(dest) if e.is_file() and e.name.endswith(".txt"))
    for name in names:
        text = (Path(dest) / name).read_text(encoding="utf-8")
        headline = next((line.strip() for line in text.splitlines() if line.strip()), "")
        yield headline, text


def raw_insert_floor(rows: Iterable[tuple[str, str]], db_path: Path) -> float:
    """Seconds to executemany rows into a plain table and index them in FTS5 (db_path is replaced).

    The FTS5 table is external-content (content='docs'), so the text is stored once, like an index
    over a table would be; WAL + synchronous=NORMAL, one transaction, batches of 1,000 rows.
    """
    db_path = Path(db_path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    con = sqlite3.connect(db_path)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("CREATE TABLE docs(id INTEGER PRIMARY KEY, headline TEXT NOT NULL, body TEXT NOT NULL)")
        con.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(headline, body, content='docs', content_rowid='id', "
            f"tokenize='{TOKENIZE}')"
        )
        it = iter(rows)
        with con:
            while batch := list(islice(it, _BATCH)):
                first = con.execute("SELECT coalesce(max(id), 0) + 1 FROM docs").fetchone()[0]
                con.executemany("INSERT INTO docs(headline, body) VALUES (?, ?)", batch)
                con.execute(
                    "INSERT INTO fts(rowid, headline, body) SELECT id, headline, body FROM docs WHERE id >= ?",
                    (first,),
                )
    finally:
        con.close()
    return time.perf_counter() - started


def fts_query(term: str) -> str:
    """Quote each word so user text (hyphens, apostrophes) is never read as FTS5 syntax; words are ANDed."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in term.split())


def raw_search_floor(db_path: Path, terms: Sequence[str], repeats: int) -> list[float]:
    """Per-query latencies (seconds) of the ranked FTS5 snippet query, `repeats` rounds over `terms`.

    One untimed warm-up round first, so the figures are warm-cache, warm-connection latencies
    like a running bot's.
    """
    con = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True)
    try:
        queries = [fts_query(t) for t in terms]
        for q in queries:
            con.execute(SEARCH_SQL, (q,)).fetchall()
        latencies: list[float] = []
        for _ in range(repeats):
            for q in queries:
                started = time.perf_counter()
                con.execute(SEARCH_SQL, (q,)).fetchall()
                latencies.append(time.perf_counter() - started)
        return latencies
    finally:
        con.close()


def raw_match(con: sqlite3.Connection, match: str, table: str = "fts") -> list[tuple[int, str]]:
    """One raw ranked FTS5 query with snippet() for an already-built MATCH expression (SEARCH_SQL on `table`).

    The benchmark times this against the bot's /search on the bot's own database (table items_fts),
    with the very expression the bot's query parser made, so the two differ only in the bot's work.
    """
    sql = (
        f"SELECT rowid, snippet({table}, 1, '[', ']', '…', 12) FROM {table} WHERE {table} MATCH ? "
        "ORDER BY rank LIMIT 5"
    )
    return con.execute(sql, (match,)).fetchall()


def raw_fuzzy_floor(names: Sequence[str], queries: Sequence[str], repeats: int) -> list[float]:
    """Per-query latencies (seconds) of one rapidfuzz WRatio top-5 extract over the whole name list."""
    choices = list(names)
    latencies: list[float] = []
    for _ in range(repeats):
        for q in queries:
            started = time.perf_counter()
            process.extract(q, choices, scorer=fuzz.WRatio, limit=5)
            latencies.append(time.perf_counter() - started)
    return latencies


def percentile(values: Sequence[float], p: float) -> float:
    """p-th percentile (0..100), linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError("p must be within 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(rank), math.ceil(rank)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (rank - lo)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: python -m bench.floors --corpus /tmp/corpus [--db /tmp/floor.sqlite3] — prints the floors."""
    from bench.generate import person_pool

    parser = argparse.ArgumentParser(prog="python -m bench.floors")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--db", type=Path, default=Path("/tmp/csto-floor.sqlite3"))
    parser.add_argument("--terms", nargs="*", default=["security", "Channel", "speleological"])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    count = [0]

    def counted() -> Iterator[tuple[str, str]]:
        for row in corpus_rows(args.corpus):
            count[0] += 1
            yield row

    seconds = raw_insert_floor(counted(), args.db)
    print(f"insert floor: {seconds:.2f} s for {count[0]} pages (reading the files included)")
    search = raw_search_floor(args.db, args.terms, args.repeats)
    print(
        f"search floor: p50 {percentile(search, 50) * 1e3:.2f} ms, p95 {percentile(search, 95) * 1e3:.2f} ms"
    )
    names = person_pool()
    fuzzy = raw_fuzzy_floor(names, [names[7][:-1], names[100].split()[1], names[2000].lower()], args.repeats)
    print(f"fuzzy floor:  p50 {percentile(fuzzy, 50) * 1e3:.2f} ms, p95 {percentile(fuzzy, 95) * 1e3:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

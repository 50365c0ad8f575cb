"""Hostile pages: text shaped to make a corpus rule slow, for the `hostile` bench step and the guard tests.

Each pattern is a function from a size in bytes to a page of about that size. Every one aims at a rule
that was (or could be) super-linear: regexes that backtrack over a run of punctuation or brackets,
capitalised runs, title-name runs that create a person each, repeated dates, long words.

The step (`python -m bench --only hostile`) measures, for pages of SIZES bytes of each pattern:
- parsing: seconds per MB of bot.corpus.parse_page on the hostile page against an ordinary page of the
  same size made of generated pages (seed text), each in a fresh process with cold rule caches
  (target: ratio <= PARSE_RATIO_TARGET);
- the bot's answer latency to /stats, through the fake Bot API, while the page (dropped into the watched
  corpus folder) loads (target: p99 <= STATS_P99_TARGET_S).
It prints its own table and writes bench/out/hostile.json (next to --out when given).

    python -m bench.hostile parse '{"pattern": "dots", "sizes": [20000]}'   # one parse measurement
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import json
import math
import random
import string
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.run import Runner
    from bot.store import Store

_SYLLABLES = ("ka", "ro", "mi", "te", "su", "va", "no", "le", "di", "ga", "pe", "zo", "bu", "ri", "sha")


def _names(seed: int) -> Iterator[str]:
    """Endless distinct capitalised words ("Kamite", "Rosuva", ...) that no lexicon lists."""
    rnd = random.Random(seed)
    for n in itertools.count():
        word = "".join(rnd.choice(_SYLLABLES) for _ in range(3)) + string.ascii_lowercase[n % 26]
        yield word.capitalize() + "".join(string.ascii_lowercase[int(d)] for d in str(n))


LINE_CHARS = 4_000  # under the rules' sentence cap, so a line-shaped page is read by every rule


def _units(unit: str) -> Iterator[str]:
    return itertools.repeat(unit)


def _one_line(units: Iterator[str], size: int, head: str = "", tail: str = "") -> str:
    """head, units until the page holds about size bytes, tail: one paragraph."""
    parts = [head]
    total = len(head.encode())
    for unit in units:
        if total >= size:
            break
        parts.append(unit)
        total += len(unit.encode())
    parts.append(tail)
    return "".join(parts)


def _lines(units: Iterator[str], size: int, head: str = "", tail: str = "") -> str:
    """Lines of about LINE_CHARS, each head + units + tail, until the page holds about size bytes.
    A "{}" in head is a distinct capitalised word on each line, so no line repeats another (a repeated
    line would be read once and remembered)."""
    lines: list[str] = []
    total = 0
    words = _names(99)
    while total < size:
        line = _one_line(units, min(LINE_CHARS, size - total), head.format(next(words)), tail)
        lines.append(line)
        total += len(line.encode()) + 1
    return "\n".join(lines)


def _people(seed: int, template: str) -> Iterator[str]:
    names = _names(seed)
    while True:
        yield template.format(next(names), next(names))


def dots(size: int) -> str:
    return _one_line(_units("."), size)


def dots_spaced(size: int) -> str:
    return _one_line(_units(". . .."), size, "Start")


def sentence_ends(size: int) -> str:
    return _one_line(_units("!?\u2026.\u201d)"), size, "Word")


def abbreviations(size: int) -> str:
    return _one_line(_units("Mr. "), size)


def closing_brackets(size: int) -> str:
    return _lines(_units(")"), size, 'The operation "Channel {}" to curb trafficking', "x")


def opening_brackets(size: int) -> str:
    return _lines(_units("("), size, "The Minister {} ")


def brackets_and_words(size: int) -> str:
    return _lines(_units("(Abc) "), size)


def capitalised_words(size: int) -> str:
    return _lines((w + " " for w in _names(1)), size)


def title_name_runs(size: int) -> str:
    return _lines(_people(2, "Minister {} {} and "), size)


def title_name_line(size: int) -> str:
    """The same as one endless line (one "sentence")."""
    return _one_line(_people(2, "Minister {} {} and "), size)


def title_name_sentences(size: int) -> str:
    """A person per sentence: what a junk page made to fill the store with people looks like."""
    return _one_line(_people(3, "Minister {} {} spoke. "), size)


def known_surnames(size: int) -> str:
    """Titled names first, then lines of their surnames: a search per known surname."""
    names = _names(4)
    people = [(next(names), next(names)) for _ in range(max(1, size // 400))]
    head = "".join(f"Minister {first} {last} spoke.\n" for first, last in people)
    return head + _lines(itertools.cycle([f"{last} and " for _, last in people]), size - len(head))


def repeated_dates(size: int) -> str:
    return _lines(_units("31 October 2025, October 31, 2025 and 07.07.2025, 2025-10-31 "), size)


def dates_without_years(size: int) -> str:
    return _lines(_units("31 October 31 October 1 2 3 4 5 6 7 8 9 10 11 12 "), size)


def no_spaces(size: int) -> str:
    return _lines(_units("Abcdefghij"), size)


def hyphens_and_apostrophes(size: int) -> str:
    return _lines(_units("Ab-c'd\u2019e-"), size, "Minister {} ")


def quoted_operations(size: int) -> str:
    return _lines((f'"{w}" to ' for w in _names(5)), size, "The operations {} ")


def operation_purposes(size: int) -> str:
    return _lines((f'in order to curb it, the operation "{w}" aimed at ' for w in _names(6)), size)


def russian_operations(size: int) -> str:
    return _lines(
        _units(
            "\u043e\u043f\u0435\u0440\u0430\u0446\u0438\u044f \u00ab\u041a\u0430\u043d\u0430\u043b\u00bb "
        ),
        size,
    )


def addresses(size: int) -> str:
    return _lines(_people(7, "Dear {} Ivanovich {}, "), size)


def whitespace_runs(size: int) -> str:
    return _lines(_units("\u2028"), size, "Operation \u201cChannel {}\u201d to curb", "x")


def short_lines(size: int) -> str:
    """Many short lines of capitalised words: one paragraph and one block per line."""
    return _one_line(_people(8, "{} {} Xxx Yyy\n"), size)


PATTERNS: dict[str, Callable[[int], str]] = {
    "dots": dots,
    "dots_spaced": dots_spaced,
    "sentence_ends": sentence_ends,
    "closing_brackets": closing_brackets,
    "opening_brackets": opening_brackets,
    "brackets_and_words": brackets_and_words,
    "capitalised_words": capitalised_words,
    "title_name_runs": title_name_runs,
    "title_name_line": title_name_line,
    "title_name_sentences": title_name_sentences,
    "known_surnames": known_surnames,
    "repeated_dates": repeated_dates,
    "dates_without_years": dates_without_years,
    "no_spaces": no_spaces,
    "hyphens_and_apostrophes": hyphens_and_apostrophes,
    "quoted_operations": quoted_operations,
    "operation_purposes": operation_purposes,
    "russian_operations": russian_operations,
    "addresses": addresses,
    "abbreviations": abbreviations,
    "whitespace_runs": whitespace_runs,
    "short_lines": short_lines,
}


# ------------------------------------------------------------------------------------------- the bench step

SIZES = (20_000, 200_000, 2_000_000)
PARSE_RATIO_TARGET = 3.0
STATS_P99_TARGET_S = 0.5
ORDINARY = "ordinary"
PARSE_TIMEOUT_S = 600.0  # one pattern, every size; a rule gone quadratic shows as a timeout
LOAD_TIMEOUT_S = 120.0  # the longest one page may take to be loaded by the running bot
_STATS_USERS = 50  # /stats senders, in turn


def ordinary_page(size: int) -> str:
    """Generated pages (seed text, varied names and dates) joined into one page of about size bytes."""
    from bench.generate import extra_pages

    return _one_line(itertools.chain.from_iterable(extra_pages(0, 10**6)), size)


def page(pattern: str, size: int) -> str:
    return ordinary_page(size) if pattern == ORDINARY else PATTERNS[pattern](size)


def parse_seconds(text: str, repeats: int) -> float:
    """The best of `repeats` parses of text, each with cold rule caches (a new Lexicon object)."""
    from bot.corpus import parse_page
    from bot.lexicon import DEFAULT_LEXICON_PATH, load_lexicon

    lexicon = load_lexicon(DEFAULT_LEXICON_PATH)
    best = float("inf")
    for _ in range(repeats):
        fresh = dataclasses.replace(lexicon)
        started = time.perf_counter()
        parse_page(text, fresh)
        best = min(best, time.perf_counter() - started)
    return best


def task_parse(args: dict[str, Any]) -> dict[str, Any]:
    """Seconds to parse a page of each size of one pattern (run in its own process)."""
    out: dict[str, float] = {}
    for size in args["sizes"]:
        text = page(args["pattern"], size)
        out[str(size)] = parse_seconds(text, 3 if size <= 200_000 else 1)
    return {"seconds": out}


async def _parse_in_process(runner: Runner, pattern: str, sizes: Sequence[int]) -> dict[str, float] | None:
    """task_parse in a fresh process; None when it ran out of time."""
    from bench.run import ROOT, _env, _parse_result

    log = runner.log("hostile-parse")
    with log.open("ab") as err:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.hostile", "parse", json.dumps({"pattern": pattern, "sizes": list(sizes)}),
            stdout=asyncio.subprocess.PIPE, stderr=err, cwd=ROOT, env=_env(),
        )  # fmt: skip
        try:
            stdout, _ = await asyncio.wait_for(proc.communicate(), PARSE_TIMEOUT_S)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            return None
    return {k: float(v) for k, v in _parse_result(stdout, log)["seconds"].items()}


async def _loaded(store: Store, rel: str) -> bool:
    """The bot has loaded the page at `rel` (read through its own Store, beside the running bot)."""
    return bool(await store.document_states_of([rel]))


async def stats_while_loading(runner: Runner, api: Any, path: Path, data: bytes) -> dict[str, Any]:
    """Drop a page into the watched corpus and ask /stats, one at a time, until the bot has loaded it:
    every answer's latency (seconds from the push to the bot's sendMessage)."""
    from bot.store import Store

    assert runner.corpus is not None
    rel = path.relative_to(runner.corpus.dest).as_posix()
    latencies: list[float] = []
    store = await Store.open(runner.db)  # before the drop: the load is what is timed
    try:
        written = runner.drop(path, data)
        loaded_after: float | None = None
        for n in itertools.count():
            chat = 7_000_000 + n % _STATS_USERS
            mark = api.mark()
            asked = time.monotonic()
            api.push_message(chat, "/stats")
            [reply] = await api.wait_for(
                "sendMessage", lambda c, chat=chat: c.chat_id == chat, timeout=60, after=mark
            )
            latencies.append(reply.at - asked)
            if await _loaded(store, rel):
                loaded_after = time.monotonic() - written
                break
            if time.monotonic() - written > LOAD_TIMEOUT_S:
                break
            await asyncio.sleep(0.05)
    finally:
        await store.close()
    return {"latencies": latencies, "loaded_after_s": loaded_after}


async def _latencies(
    runner: Runner, pages: Sequence[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Any]]:
    from bench.run import NEW_PAGES, TOKEN, served
    from fakebotapi import FakeBotApi

    assert runner.corpus is not None
    await runner.ensure_loaded()
    folder = runner.corpus.dest / NEW_PAGES
    folder.mkdir(exist_ok=True)
    out: dict[tuple[str, int], dict[str, Any]] = {}
    try:
        async with FakeBotApi(token=TOKEN) as api:
            args = runner.bot_args(api, watch=True, rate_limiter="lifted")
            async with served("serve", args, runner.log("hostile-serve"), ready_timeout=600):
                await asyncio.sleep(runner.debounce_s + 1.0)  # the watcher's start-up load
                await runner.warm_up(api)
                stamp = time.time_ns()
                for pattern, size in pages:
                    path = folder / f"hostile-{stamp}-{pattern}-{size}.txt"
                    out[pattern, size] = got = await stats_while_loading(
                        runner, api, path, page(pattern, size).encode()
                    )
                    runner.say(
                        f"  {pattern} {size // 1000} KB: /stats p99 {_p99(got['latencies']):.3f} s "
                        f"({len(got['latencies'])} answers), loaded after {got['loaded_after_s']} s"
                    )
    finally:
        runner.clean_new_pages()
    return out


def _p99(values: Sequence[float]) -> float:
    from bench.floors import percentile

    return percentile(values, 99) if values else float("nan")


def _per_mb(seconds: float | None, size: int) -> float | None:
    return None if seconds is None else seconds / (size / 1e6)


async def step(runner: Runner) -> None:
    """The `hostile` step: parse ratios, then /stats latency while each hostile page loads."""
    parse: dict[str, dict[str, float] | None] = {}
    for pattern in (ORDINARY, *PATTERNS):
        parse[pattern] = seconds = await _parse_in_process(runner, pattern, SIZES)
        runner.say(
            f"  parse {pattern}: "
            + (", ".join(f"{k}: {v:.3f} s" for k, v in seconds.items()) if seconds else "TIMEOUT")
        )
    stats = await _latencies(runner, [(p, s) for p in PATTERNS for s in SIZES])
    rows = []
    for pattern in PATTERNS:
        for size in SIZES:
            mine, ordinary = parse[pattern], parse[ORDINARY]
            hostile_per_mb = _per_mb(mine[str(size)] if mine else None, size)
            ordinary_per_mb = _per_mb(ordinary[str(size)] if ordinary else None, size)
            answers: dict[str, Any] = stats.get((pattern, size), {"latencies": [], "loaded_after_s": None})
            ratio = hostile_per_mb / ordinary_per_mb if hostile_per_mb and ordinary_per_mb else None
            p99 = _p99(answers["latencies"])
            rows.append({
                "pattern": pattern, "size": size, "parse_s_per_mb": hostile_per_mb,
                "ordinary_s_per_mb": ordinary_per_mb, "ratio": ratio, "stats_p99_s": p99,
                "stats_max_s": max(answers["latencies"], default=None), "answers": len(answers["latencies"]),
                "loaded_after_s": answers["loaded_after_s"],
                "ok": ratio is not None and ratio <= PARSE_RATIO_TARGET and p99 <= STATS_P99_TARGET_S,
            })  # fmt: skip
    print(report(rows))
    out = (runner.opts.out.parent if runner.opts.out else Path(__file__).parent / "out") / "hostile.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"targets": {"parse_ratio": PARSE_RATIO_TARGET, "stats_p99_s": STATS_P99_TARGET_S},
                               "rows": rows}, indent=2) + "\n")  # fmt: skip
    runner.say(f"  hostile: {out}")


def report(rows: Sequence[dict[str, Any]]) -> str:
    """A Markdown table: one row per pattern and size."""

    def num(value: float | None, digits: int = 3) -> str:
        return "—" if value is None or math.isnan(value) else f"{value:.{digits}f}"

    lines = [
        f"hostile pages (targets: parse ≤ {PARSE_RATIO_TARGET:g}× an ordinary page, /stats p99 ≤ {STATS_P99_TARGET_S:g} s)",
        "| pattern | size | parse s/MB | ordinary s/MB | ratio | /stats p99 s | /stats max s | loaded after s | verdict |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['pattern']} | {r['size'] // 1000} KB | {num(r['parse_s_per_mb'])} | {num(r['ordinary_s_per_mb'])} "
            f"| {num(r['ratio'], 2)} | {num(r['stats_p99_s'])} | {num(r['stats_max_s'])} "
            f"| {num(r['loaded_after_s'], 1)} | {'ok' if r['ok'] else 'MISS'} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if len(argv) != 2 or argv[0] != "parse":
        print("usage: python -m bench.hostile parse JSON", file=sys.stderr)
        return 2
    print("RESULT " + json.dumps(task_parse(json.loads(argv[1]))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

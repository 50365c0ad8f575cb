"""The benchmark's figures: what each one measures, its floor, its target, and how a result is judged.

One place for the table's rows, so the runner, the printed table, the JSON and the smoke test agree on
what "every figure" means. A figure's ratio is always value / floor, both measured in the same run on
the same data; a target compares either that ratio or (when there is no floor) the value itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["ratio", "value", "report"]
Op = Literal["<=", ">=", "=="]


@dataclass(frozen=True, slots=True)
class Spec:
    """A row of the table: what is measured, against what, and what counts as good."""

    name: str
    label: str
    unit: str
    floor: str  # what the floor is ("" when the figure has none)
    kind: Kind  # what the target compares: the ratio, the value, or nothing (report only)
    op: Op | None = None
    bound: float | None = None
    note: str = ""  # when the target applies ("at 100k"), or what "aim" means

    @property
    def target(self) -> str:
        if self.kind == "report":
            return f"report {self.note}".strip()
        if self.kind == "ratio":
            text = f"{self.op} {self.bound:g}×"
        else:
            text = f"{self.op} {self.bound:g} {self.unit}"
        return f"{text} {self.note}".strip()


SPECS: tuple[Spec, ...] = (
    Spec(
        "cold_load", "cold load", "pages/s", "raw sqlite3 executemany + FTS5, no parsing", "ratio", ">=", 0.5
    ),
    Spec(
        "warm_restart",
        "warm restart, unchanged corpus",
        "s",
        "cold load time",
        "ratio",
        "<=",
        0.05,
        "(at 100k)",
    ),
    Spec(
        "first_answer_cold",
        "first answer, cold start",
        "s",
        "cold load time",
        "report",
        note="(a /stats during the start-up load)",
    ),
    Spec(
        "search_p50",
        "/search p50 (handler)",
        "ms",
        "raw FTS5 MATCH+rank+snippet p50",
        "ratio",
        "<=",
        1.5,
        "(at 100k)",
    ),
    Spec(
        "search_p99",
        "/search p99 (handler)",
        "ms",
        "raw FTS5 MATCH+rank+snippet p99",
        "ratio",
        "<=",
        1.5,
        "(at 100k)",
    ),
    Spec(
        "search_frequent_p99",
        "/search p99, term in most pages",
        "ms",
        "raw FTS5 query, same term, p99",
        "ratio",
        "<=",
        1.0,
    ),
    Spec("who_p50", "/who p50 (handler)", "ms", "raw rapidfuzz extract p50, same names", "ratio", "<=", 2.0),
    Spec("who_p99", "/who p99 (handler)", "ms", "raw rapidfuzz extract p99, same names", "ratio", "<=", 2.0),
    Spec("latest_p99", "/latest p99 (handler)", "ms", "", "report"),
    Spec("operations_p99", "/operations p99 (handler)", "ms", "", "report"),
    Spec(
        "throughput",
        "commands/s via fake Bot API",
        "cmd/s",
        "bare PTB echo bot, same server",
        "ratio",
        ">=",
        0.8,
        "(rate limiter lifted)",
    ),
    Spec(
        "throughput_distinct",
        "commands/s, no question repeated",
        "cmd/s",
        "bare PTB echo bot, same server",
        "ratio",
        ">=",
        0.8,
        "(no kept answer can help)",
    ),
    Spec(
        "throughput_shipped",
        "commands/s, as shipped",
        "cmd/s",
        "bare PTB echo bot, same server",
        "report",
        note="(AIORateLimiter on)",
    ),
    Spec("alert_latency_p50", "alert latency p50", "s", "", "value", "<=", 2.0, "(aim)"),
    Spec("alert_latency_p99", "alert latency p99", "s", "", "value", "<=", 2.0, "(aim)"),
    Spec(
        "fanout_rate",
        "alert fan-out rate",
        "msg/s",
        "Telegram limit enforced by the fake (30/s)",
        "ratio",
        ">=",
        0.9,
    ),
    Spec("fanout_429s", "fan-out 429 answers", "count", "", "value", "==", 0),
    Spec(
        "latest_heavy_p99",
        "/latest, /doc p99 beside heavy searches",
        "ms",
        "the same, no heavy user",
        "value",
        "<=",
        500,
    ),
    Spec(
        "filter_load",
        "load of 300 new pages, 10,000 filtered subscriptions",
        "s",
        "the same load, none",
        "ratio",
        "<=",
        2.0,
    ),
    Spec("filter_loop_lag_p99", "event-loop lag p99 during that load", "ms", "", "value", "<=", 100),
    Spec("rss_load_peak", "peak RSS, cold load", "MB", "", "value", "<=", 200),
    Spec("rss_serving_peak", "peak RSS, serving", "MB", "", "value", "<=", 200),
    Spec("rss_growth", "RSS growth over the command run", "MB", "", "value", "<=", 5, "(≈ no growth)"),
)
SPEC_BY_NAME: dict[str, Spec] = {s.name: s for s in SPECS}
FIGURE_NAMES: tuple[str, ...] = tuple(s.name for s in SPECS)


@dataclass(slots=True)
class Result:
    """One measured figure. `value` None means it could not be measured (see `error`)."""

    name: str
    value: float | None
    floor: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def spec(self) -> Spec:
        return SPEC_BY_NAME[self.name]

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.floor is None or self.floor == 0:
            return None
        return self.value / self.floor

    @property
    def verdict(self) -> str:
        spec = self.spec
        if self.value is None:
            return "ERROR"
        if spec.kind == "report":
            return "report"
        subject = self.ratio if spec.kind == "ratio" else self.value
        if subject is None or spec.bound is None or math.isnan(subject):
            return "ERROR"
        ok = {
            "<=": subject <= spec.bound,
            ">=": subject >= spec.bound,
            "==": subject == spec.bound,
        }[spec.op or "<="]
        return "ok" if ok else "MISS"

    def to_json(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "label": spec.label,
            "value": self.value,
            "unit": spec.unit,
            "floor": self.floor,
            "floor_is": spec.floor or None,
            "ratio": self.ratio,
            "target": spec.target,
            "verdict": self.verdict,
            "details": self.details,
            "error": self.error,
        }


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit == "count":
        return f"{value:.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def table(results: Iterable[Result]) -> str:
    """The printed table: figure, value, floor, ratio, target, verdict (a Markdown table)."""
    rows = [("figure", "value", "floor", "ratio", "target", "verdict")]
    for r in results:
        spec = r.spec
        rows.append(
            (
                spec.label,
                f"{_num(r.value, spec.unit)} {spec.unit}",
                f"{_num(r.floor, spec.unit)} {spec.unit}" if r.floor is not None else "—",
                f"{r.ratio:.2f}×" if r.ratio is not None else "—",
                spec.target,
                r.verdict if r.error is None else f"ERROR: {r.error[:60]}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def results_json(results: Iterable[Result], meta: Mapping[str, Any]) -> dict[str, Any]:
    return {**meta, "figures": {r.name: r.to_json() for r in results}}


def spec_json() -> list[dict[str, Any]]:
    return [asdict(s) | {"target": s.target} for s in SPECS]

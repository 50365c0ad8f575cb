"""The benchmark must not rot: run the whole suite on a tiny corpus and check every figure comes out.

No timing is asserted (these machines are shared and noisy); what is checked is that each figure was
measured, with its floor where it has one, and that the table and the JSON agree.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.figures import FIGURE_NAMES, SPECS, Result, table

ROOT = Path(__file__).resolve().parent.parent
SMALL = [
    "--size", "50", "--rounds", "2", "--commands", "60", "--users", "10", "--shipped-commands", "20",
    "--growth-commands", "200", "--growth-warmup", "20", "--alert-rounds", "2", "--fanout-chats", "20",
    "--timeout", "90", "--pump-seconds", "60", "--quiet",
]  # fmt: skip


@pytest.mark.timeout(110)
def test_the_suite_produces_every_figure_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    args = [*SMALL, "--out", str(out), "--cache", str(tmp_path / "cache"), "--work", str(tmp_path / "work")]
    run = subprocess.run(
        [sys.executable, "-m", "bench", *args],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=100,
    )
    logs = "\n".join(f"{p.name}: {p.read_text()[-800:]}" for p in (tmp_path / "work").glob("*.log"))
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}\n{logs}"

    data = json.loads(out.read_text())
    assert data["size"] == 50 and data["corpus"]["pages"] == 50
    figures = data["figures"]
    assert list(figures) == list(FIGURE_NAMES)
    for spec in SPECS:
        figure = figures[spec.name]
        assert figure["error"] is None, (spec.name, figure["error"])
        assert isinstance(figure["value"], int | float), spec.name
        assert figure["verdict"] in ("ok", "MISS", "report"), spec.name
        if spec.floor:  # a floor measured in the same run, and the ratio to it
            assert isinstance(figure["floor"], int | float) and figure["floor"] > 0, spec.name
            assert figure["ratio"] == pytest.approx(figure["value"] / figure["floor"]), spec.name
    for spec in SPECS:  # the printed table has a row for every figure
        assert f"| {spec.label} " in run.stdout


def test_a_verdict_compares_the_ratio_or_the_value_with_the_target() -> None:
    assert Result("throughput", 90.0, 100.0).verdict == "ok"
    assert Result("throughput", 70.0, 100.0).verdict == "MISS"
    assert Result("rss_load_peak", 150.0).verdict == "ok"
    assert Result("rss_load_peak", 250.0).verdict == "MISS"
    assert Result("fanout_429s", 0.0).verdict == "ok"
    assert Result("latest_p99", 3.0).verdict == "report"
    assert Result("search_p50", None, 1.0, error="broke").verdict == "ERROR"
    assert "ERROR" in table([Result("search_p50", None, 1.0, error="broke")])

"""benchmarks/bench_snapshots.py: a child measures one step and prints JSON lines.

Only what the lessons promise is asserted (memory kept, recursion), never timings.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import load_benchmark

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_snapshots.py"
KEPT_KEYS = {
    "step",
    "measure",
    "kept_elements",
    "kept_graphs",
    "graph_arrays_mb",
    "kept_mb",
    "kept_after_collect_mb",
    "collected_objects",
}
TINY_KEPT = ["--size", "kept_elements=10000", "--size", "kept_graphs=5"]


def run_one(step: int, measure: str, *args: str) -> dict:
    """Run the script's child mode for one step; return its single JSON record."""
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--one", str(step), "--measure", measure, *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, proc.stdout
    return json.loads(lines[0])


def test_step16_keeps_dropped_graphs_and_step17_frees_them():
    r16 = run_one(16, "kept", *TINY_KEPT)
    r17 = run_one(17, "kept", *TINY_KEPT)
    for step, record in ((16, r16), (17, r17)):
        assert KEPT_KEYS <= set(record), record
        assert (record["step"], record["measure"]) == (step, "kept")
        assert (record["kept_elements"], record["kept_graphs"]) == (10000, 5)
    assert r16["graph_arrays_mb"] == pytest.approx(3 * 5 * 10000 * 8 / 1e6)
    assert r16["kept_mb"] > r17["kept_mb"]
    # the Function <-> output cycle keeps every array; weak references keep none
    assert r16["kept_mb"] >= r16["graph_arrays_mb"]
    assert r17["kept_mb"] < 0.1 * r16["graph_arrays_mb"]


def test_only_step07_fails_the_deep_chain():
    r7 = run_one(7, "deep")
    r8 = run_one(8, "deep")
    assert r7["deep_ok"] is False and r7["error"].startswith("RecursionError")
    assert r8["deep_ok"] is True and r8["error"] is None


def test_step_selection_and_expectations():
    bench = load_benchmark("bench_snapshots")
    assert bench.parse_steps("7, 8,16-18") == [7, 8, 16, 17, 18]
    with pytest.raises(Exception, match="not a step"):
        bench.parse_steps("7,x")
    # a result that contradicts a lesson is reported
    results = {7: {"deep": {"deep_ok": True}}, 8: {"deep": {"deep_ok": True}}}
    assert bench.expectations(results) == ["step 07: deep chain ok=True"]

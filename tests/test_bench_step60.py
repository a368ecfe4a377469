"""benchmarks/bench_step60.py: B1-B6 against PyTorch, on tiny sizes.

The dry runs start every child (one process per benchmark and framework) and let
the parent check what it checks before a timing counts: one thread, float32, and
DeZero's results equal to PyTorch's (outputs, gradients, losses). Timings are
never asserted.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import load_benchmark

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_step60.py"


bench = load_benchmark("bench_step60")  # imports neither NumPy nor torch
needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None,
    reason="PyTorch is not installed (optional; `make torch` installs torch==2.13.0)",
)
has_fashion = bench.mlp.fashion_available(bench.mlp.FASHION_DIR)


def dry_run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, list]:
    out, records = tmp_path / "RESULTS.md", tmp_path / "records.jsonl"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("MAKELEVEL", None)
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--dry-run", "--out", str(out)]
        + ["--json", str(records), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not out.exists(), "a dry run writes no results file"
    assert "FAILED" not in proc.stderr
    return proc, [json.loads(line) for line in records.read_text().splitlines()]


@needs_torch
def test_dry_run_of_every_benchmark_agrees_with_pytorch(tmp_path):
    proc, records = dry_run(tmp_path)
    ran = {(r["bench"], r.get("framework", "?")) for r in records}
    benches = {r["bench"] for r in records}
    expected = set(bench.BENCHES) - (set() if has_fashion else {"B1"})
    assert benches == expected
    for rec in records:
        assert all(str(v) == "1" for v in rec["threads"].values() if v is not None)
        if rec["bench"] != "B1":
            assert len(rec["seconds"]) == 1  # --dry-run: one timed repetition
    if has_fashion:
        assert {f for b, f in ran if b == "B1"} == {"dezero", "torch", "numpy"}
    table = proc.stdout
    for b in expected:
        assert f"| {b} " in table
    assert "B1 floor" in table if has_fashion else "left out" in table
    # the agreement each benchmark reached is printed per round
    for line in proc.stdout.splitlines():
        if line.startswith("round 1/1") and "B6" not in line:
            assert "agree to" in line, line


def test_dezero_alone_without_torch(tmp_path):
    """The path a machine without PyTorch takes: DeZero measured, no ratio."""
    proc, records = dry_run(tmp_path, "--no-torch", "--only", "B2c,B2p,B5")
    assert {r["bench"] for r in records} == {"B2c", "B2p", "B5"}
    assert "no ratios" in proc.stdout
    (row,) = [ln for ln in proc.stdout.splitlines() if ln.startswith("| B5 ")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0] == "B5" and float(cells[3]) > 0  # DeZero's µs/op
    assert cells[5] == cells[7] == "-"  # no PyTorch, no ratio


def test_children_compute_the_same_convolution(tmp_path):
    """The check compares saved arrays: equal ones pass, a changed one fails."""
    np = pytest.importorskip("numpy")
    y = np.arange(12, dtype=np.float32).reshape(3, 4)
    np.savez(tmp_path / "B2c-dezero.npz", y=y, gx=y)
    np.savez(tmp_path / "B2c-torch.npz", y=y * (1 + 1e-6), gx=y)
    one = {"threads": {"OMP_NUM_THREADS": "1"}}
    got = {"dezero": one, "torch": one}
    problems, worst = bench.check("B2c", got, tmp_path)
    assert problems == [] and 0 < worst < 1e-5
    np.savez(tmp_path / "B2c-torch.npz", y=y + 1, gx=y)
    problems, _ = bench.check("B2c", got, tmp_path)
    assert len(problems) == 1 and problems[0].startswith("y differs by")
    np.savez(tmp_path / "B2c-dezero.npz", y=y.astype(np.float64) + 1, gx=y)
    problems, _ = bench.check("B2c", got, tmp_path)
    assert problems == ["dezero's y is float64, not float32"]
    two = {"threads": {"OMP_NUM_THREADS": "2"}}
    problems, _ = bench.check("B2c", {"dezero": two, "torch": one}, tmp_path)
    assert problems[0] == "dezero not on one thread: {'OMP_NUM_THREADS': '2'}"


def test_flop_counts():
    # VGG16 at 224 x 224: about 15.5 G multiply-adds
    assert bench.vgg_flops(224) == pytest.approx(30.95e9, rel=0.01)
    # B1 per sample: forward and gW of both layers, gx of the second only
    per_sample = 2 * (3 * (784 * 1000 + 1000 * 10) - 784 * 1000)
    assert bench.b1_flops(1) == per_sample


def test_results_section_is_its_own_and_kept_by_bench_snapshots(tmp_path):
    snapshots = load_benchmark("bench_snapshots")
    path = tmp_path / "RESULTS.md"
    mlp_block = f"{bench.mlp.BEGIN}\n\nmlp\n\n{bench.mlp.END}\n"
    path.write_text("# Snapshots\n\ntable\n\n" + mlp_block, encoding="utf-8")
    block = f"{bench.BEGIN}\n\n## B1-B6\n\nfirst\n\n{bench.END}\n"
    bench.write_section(path, block)
    bench.write_section(path, block.replace("first", "second"))
    text = path.read_text()
    assert text == "# Snapshots\n\ntable\n\n" + mlp_block + "\n" + block.replace(
        "first", "second"
    )
    assert (bench.mlp.BEGIN, bench.mlp.END) == (
        "<!-- bench_mlp.py: begin -->",
        "<!-- bench_mlp.py: end -->",
    )
    kept = snapshots.other_sections(path)
    assert mlp_block in kept and "second" in kept


def test_options_of_other_benchmarks_are_ignored():
    """`make bench ARGS=...` passes the other scripts' options here too."""
    args = bench.parse_args(["bench_step60.py", "--steps", "16,17", "--no-write"])
    assert args.ignored == ["--steps", "16,17"] and args.no_write
    assert args.rounds == 3 and args.benches == list(bench.BENCHES)
    quick = bench.parse_args(["bench_step60.py", "--quick", "--only", "B5,B2c"])
    assert quick.rounds == 1 and quick.benches == ["B2c", "B5"]
    with pytest.raises(SystemExit):
        bench.parse_args(["bench_step60.py", "--only", "B7"])

"""benchmarks/bench_mlp.py: step 51's training loop, DeZero against PyTorch.

The dry runs train 3 batches on each side and check what the script checks (same
data, same initial weights, losses that agree); timings are never asserted.
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
SCRIPT = ROOT / "benchmarks" / "bench_mlp.py"


bench = load_benchmark("bench_mlp")  # imports neither NumPy nor torch
needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None,
    reason="PyTorch is not installed (optional; `make torch` installs torch==2.13.0)",
)
needs_fashion = pytest.mark.skipif(
    not bench.fashion_available(bench.FASHION_DIR),
    reason=f"Fashion-MNIST is not in {bench.FASHION_DIR} "
    "(optional; apt-get install dataset-fashion-mnist)",
)


def run(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("MAKELEVEL", None)
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def dry_run(tmp_path: Path, *args: str) -> list[dict]:
    """Run --dry-run; return its raw records (one per child), after the basics."""
    out, records = tmp_path / "RESULTS.md", tmp_path / "records.jsonl"
    proc = run("--dry-run", "--out", str(out), "--json", str(records), *args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not out.exists(), "a dry run writes no results file"
    assert "FAILED" not in proc.stderr
    return [json.loads(line) for line in records.read_text().splitlines()]


def check_pair(records: list[dict], data: str) -> None:
    ours, ref = records
    assert (ours["framework"], ref["framework"]) == ("dezero", "torch")
    for rec in records:
        assert rec["data"] == data and rec["train_size"] == 300
        assert rec["dtypes"] == ["float32"]
        assert len(rec["first_losses"]) == 3 and len(rec["epoch_seconds"]) == 1
        assert all(str(v) == "1" for v in rec["threads"].values() if v is not None)
    assert ref["threads"]["torch"] == 1
    assert ours["data_sha256"] == ref["data_sha256"]
    for a, b in zip(ours["first_losses"], ref["first_losses"], strict=True):
        assert a == pytest.approx(b, rel=1e-4)
    # 3 batches of SGD(lr=0.01) from random weights: still near ln(10)
    assert 1.5 < ours["first_losses"][0] < 3.5


@needs_torch
@needs_fashion
def test_dry_run_on_fashion_mnist(tmp_path):
    check_pair(dry_run(tmp_path, "--data", "fashion"), "fashion")


@needs_torch
def test_dry_run_on_synthetic_data(tmp_path):
    check_pair(dry_run(tmp_path, "--data", "synthetic"), "synthetic")


def test_dezero_alone_without_torch(tmp_path):
    """The path a machine without PyTorch takes: DeZero measured, no ratio."""
    records = dry_run(tmp_path, "--data", "synthetic", "--no-torch")
    assert [r["framework"] for r in records] == ["dezero"]


def test_dezero_child_writes_the_initial_weights(tmp_path):
    np = pytest.importorskip("numpy")
    weights = tmp_path / "w.npz"
    args = ["--child", "dezero", "--data", "synthetic", "--train-size", "200"]
    proc = run(*args, "--check-batches", "2", "--weights", str(weights))
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout.splitlines()[-1])
    assert record["version"] == "step 51" and len(record["first_losses"]) == 2
    with np.load(weights) as w:
        shapes = {name: w[name].shape for name in w.files}
        assert {w[name].dtype for name in w.files} == {np.dtype(np.float32)}
    assert shapes == {"W0": (784, 1000), "b0": (1000,), "W1": (1000, 10), "b1": (10,)}


def fake(framework: str, **changes) -> dict:
    record = {
        "framework": framework,
        "dtypes": ["float32"],
        "data_sha256": "abc",
        "first_losses": [2.4, 2.3, 2.35],
        "epoch_losses": [2.2],
        "threads": {"OMP_NUM_THREADS": "1", "openblas": 1},
    }
    record.update(changes)
    return record


def test_check_round_catches_disagreement():
    ok, compared = bench.check_round(fake("dezero"), fake("torch"), 1e-4)
    assert ok == [] and compared == {"first": 0.0, "epoch": 0.0}
    off = fake("torch", first_losses=[2.4, 2.3, 2.35 * (1 + 1e-3)])
    bad, _ = bench.check_round(fake("dezero"), off, 1e-4)
    assert len(bad) == 1 and "first 3 batches" in bad[0]
    bad, _ = bench.check_round(fake("dezero"), fake("torch", data_sha256="x"), 1e-4)
    assert bad == ["the two children did not read the same images and labels"]
    two = fake("torch", threads={"torch": 2})
    assert bench.check_round(fake("dezero"), two, 1e-4)[0] == [
        "not one thread: {'torch': 2}"
    ]
    f64 = fake("dezero", dtypes=["float32", "float64"])
    assert "not float32 only" in bench.check_round(f64, None, 1e-4)[0][0]


def test_results_section_is_replaced_and_kept_by_bench_snapshots(tmp_path):
    snapshots = load_benchmark("bench_snapshots")
    path = tmp_path / "RESULTS.md"
    path.write_text("# Snapshots\n\ntable\n", encoding="utf-8")
    block = f"{bench.BEGIN}\n\n## MLP\n\nfirst\n\n{bench.END}\n"
    bench.write_section(path, block)
    assert path.read_text() == "# Snapshots\n\ntable\n\n" + block
    bench.write_section(path, block.replace("first", "second"))
    assert path.read_text() == "# Snapshots\n\ntable\n\n" + block.replace(
        "first", "second"
    )
    # bench_snapshots.py rewrites its part and appends the other sections
    kept = snapshots.other_sections(path)
    assert kept == "\n" + block.replace("first", "second")
    assert snapshots.other_sections(tmp_path / "missing.md") == ""


def test_options_of_other_benchmarks_are_ignored():
    """`make bench ARGS=...` passes bench_snapshots.py's options here too."""
    args = bench.parse_args(["bench_mlp.py", "--steps", "16,17", "--no-write"])
    assert args.steps == ["16,17"] and args.no_write
    assert (args.train_size, args.rounds) == (10000, 3)
    full = bench.parse_args(["bench_mlp.py", "--full", "--quick"])
    assert (full.train_size, full.rounds) == (60000, 1)

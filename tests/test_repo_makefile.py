"""The Makefile's targets expand to the right commands (make -n runs nothing)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_is_the_default_and_lists_the_targets():
    proc = make()
    assert proc.returncode == 0, proc.stderr
    for target in ("demo", "test", "diff", "lint", "check", "bench", "clean", "help"):
        assert f"make {target} " in proc.stdout


@pytest.mark.parametrize("step", ["7", "07"])
def test_demo_accepts_both_spellings(step):
    proc = make("-n", "demo", f"STEP={step}", "ARGS=--flag 1")
    assert proc.returncode == 0, proc.stderr
    assert ".venv/bin/python step07/demo.py --flag 1" in proc.stdout


def test_test_with_a_step_runs_that_step_only():
    proc = make("-n", "test", "STEP=08")
    assert proc.returncode == 0, proc.stderr
    assert "tools/run_tests.py --steps 8 --no-top" in proc.stdout


def test_test_without_a_step_runs_everything():
    proc = make("-n", "test")
    assert proc.returncode == 0, proc.stderr
    runs = [line for line in proc.stdout.splitlines() if "tools/run_tests.py" in line]
    assert runs and "--steps" not in runs[0] and "--no-top" not in runs[0]


def test_diff_passes_from_and_step():
    assert "tools/stepdiff.py 1 10" in make("-n", "diff", "FROM=1", "STEP=10").stdout
    assert "tools/stepdiff.py  7" in make("-n", "diff", "STEP=07").stdout


def test_notebook_opens_the_step_in_jupyterlab_installed_on_first_use():
    proc = make("-n", "notebook", "STEP=9", "ARGS=--no-browser")
    assert proc.returncode == 0, proc.stderr
    assert "pip install --disable-pip-version-check -q jupyterlab==4.6.6" in proc.stdout
    opens = ".venv/bin/jupyter-lab --ServerApp.root_dir=. step09/step09.ipynb"
    assert f"{opens} --no-browser" in proc.stdout
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert "jupyterlab" not in requirements  # make test does not need it


def test_a_missing_step_is_refused():
    proc = make("demo", "STEP=99")
    assert proc.returncode != 0
    assert "step99" in proc.stderr


def test_bench_runs_every_benchmark_script():
    # A dry run (-n) lists the commands without measuring anything.
    proc = make("-n", "bench")
    assert proc.returncode == 0, proc.stderr
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        assert f"benchmarks/{script.name}" in proc.stdout


@pytest.mark.parametrize(
    ("from_step", "message"),
    [
        ("abc", "make diff: FROM=abc is not a step number (expected e.g. FROM=7 or "),
        ("7x", "make diff: FROM=7x is not a step number (expected e.g. FROM=7 or "),
        ("77", "make diff: no directory step77/ for FROM=77 (steps here: step01.."),
    ],
)
def test_diff_refuses_a_bad_from_like_a_bad_step(from_step, message):
    # Before, FROM=abc was dropped and `make diff` showed 7 -> 8 with status 0.
    proc = make("diff", f"FROM={from_step}", "STEP=8")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith(message)
    assert "stepdiff" not in proc.stdout


def test_diff_accepts_from_in_both_spellings():
    proc = make("-n", "diff", "FROM=07", "STEP=08")
    assert proc.returncode == 0, proc.stderr
    assert "tools/stepdiff.py 7 8" in proc.stdout


VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


def has_gpu() -> bool:
    """Whether the venv's CuPy imports and sees a CUDA device."""
    probe = "import cupy; assert cupy.cuda.runtime.getDeviceCount() > 0"
    return (
        subprocess.run([str(VENV_PYTHON), "-c", probe], capture_output=True).returncode
        == 0
    )


@pytest.mark.skipif(not VENV_PYTHON.exists(), reason="needs the .venv (make venv)")
def test_test_gpu_without_cupy_says_so_in_one_line():
    if has_gpu():
        pytest.skip("CuPy and a GPU are here: make test-gpu would run the GPU tests")
    # -o: take the venv as built (no pip install from inside a test).
    proc = make("-o", ".venv/.requirements-installed", "test-gpu")
    assert proc.returncode != 0
    assert proc.stdout == ""
    # make's own "Error 1" line: "make:" alone, "make[1]:" under another make (CI).
    ours = [
        line
        for line in proc.stderr.splitlines()
        if not re.match(r"make(\[\d+\])?: ", line)
    ]
    assert len(ours) == 1, proc.stderr
    assert ours[0].startswith("make test-gpu: needs CuPy and an NVIDIA GPU (")
    assert "pip install cupy-cuda12x" in ours[0]


@pytest.mark.skipif(not VENV_PYTHON.exists(), reason="needs the .venv (make venv)")
def test_test_gpu_goes_on_when_cupy_sees_a_gpu(tmp_path):
    # A stand-in CuPy that reports one device; STEPS= leaves no step to run, so
    # getting past the check shows as the loop's own message.
    fake = tmp_path / "cupy"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "class runtime:\n    getDeviceCount = staticmethod(lambda: 1)\n\n\n"
        "class cuda:\n    runtime = runtime\n"
    )
    proc = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT)]
        + ["-o", ".venv/.requirements-installed", "test-gpu", "STEPS="],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert proc.returncode == 2  # make's status for a failed recipe
    assert "no step has GPU tests yet" in proc.stdout
    assert "needs CuPy" not in proc.stderr

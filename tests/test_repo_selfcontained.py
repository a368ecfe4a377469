"""A step directory copied alone, away from the repository, still runs and passes."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STEPS = sorted(p.name for p in ROOT.glob("step[0-9][0-9]") if p.is_dir())
# The first snapshot, the last single-module one, the first package, and the newest.
SAMPLE = sorted({s for s in ("step01", "step09", "step22", "step23") if s in STEPS})
SAMPLE += STEPS[-1:] if STEPS and STEPS[-1] not in SAMPLE else []

IGNORED = shutil.ignore_patterns(
    "output", "__pycache__", ".pytest_cache", ".hypothesis"
)


def run(args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["MPLBACKEND"] = "Agg"
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("step", SAMPLE)
def test_copied_step_runs_its_demo_and_passes_its_tests(tmp_path, step):
    copy = tmp_path / step
    shutil.copytree(ROOT / step, copy, ignore=IGNORED)
    demo = run(["demo.py"], copy)
    assert demo.returncode == 0, demo.stderr[-2000:]
    tests = run(["-m", "pytest", "-q", "-p", "no:cacheprovider"], copy)
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout and " failed" not in tests.stdout

"""Run the shared corpus (tests/corpus/) against every snapshot in its range.

Each corpus module declares SINCE (and optionally UNTIL), the steps whose framework
it applies to, like a per-chapter test manifest. Each step runs its modules in a
pytest process of its own, because every snapshot is called `dezero`.
"""

import ast
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
STEPS = sorted(int(p.name[4:]) for p in ROOT.glob("step[0-9][0-9]") if p.is_dir())


def step_range(module):
    """(SINCE, UNTIL) read from the module's source without importing it."""
    found = {}
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in ("SINCE", "UNTIL"):
                    found[target.id] = node.value.value
    if "SINCE" not in found:
        raise ValueError(f"{module.name} declares no SINCE")
    return found["SINCE"], found.get("UNTIL", 60)


def modules_for(step):
    """The corpus modules whose range includes step."""
    return [
        m
        for m in sorted(CORPUS.glob("test_*.py"))
        if step_range(m)[0] <= step <= step_range(m)[1]
    ]


def run_corpus(step):
    """Run the step's corpus modules in one fresh pytest process."""
    env = dict(os.environ, DEZERO_STEP_DIR=str(ROOT / f"step{step:02d}"))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    return subprocess.run(
        command + [str(m) for m in modules_for(step)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def results():
    """Every step's corpus run, started together over the cores."""
    steps = [s for s in STEPS if modules_for(s)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(steps, pool.map(run_corpus, steps), strict=True))


def test_every_corpus_module_declares_its_range():
    modules = sorted(CORPUS.glob("test_*.py"))
    assert modules, "the corpus is empty"
    for module in modules:
        since, until = step_range(module)
        assert 1 <= since <= until <= 60


@pytest.mark.parametrize("step", [s for s in STEPS if modules_for(s)])
def test_corpus_passes_on_step(results, step):
    result = results[step]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " skipped" not in result.stdout

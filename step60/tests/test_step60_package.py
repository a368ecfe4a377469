"""Step 23: the framework is the package dezero, with its core in core_simple."""

import os
import subprocess
import sys

import numpy as np

import dezero
import dezero.core
from dezero import Variable

STEP_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_this_snapshot_is_the_one_imported():
    assert os.path.dirname(dezero.__file__) == os.path.join(STEP_DIR, "dezero")


def test_public_names_come_from_core_simple():
    for name in ["Variable", "Function", "Config", "using_config", "no_grad"]:
        assert getattr(dezero, name) is getattr(dezero.core, name)
    for name in ["as_array", "as_variable", "setup_variable"]:
        assert getattr(dezero, name) is getattr(dezero.core, name)


def test_operators_work_right_after_import():
    x = Variable(np.array(2.0))
    y = -((x * 3 + 1 - x / 2) ** 2)
    assert isinstance(y, Variable)
    assert y.data == -((2.0 * 3 + 1 - 2.0 / 2) ** 2)


def run_demo(cwd):
    script = os.path.join(STEP_DIR, "demo.py")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, script, "--help"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_demo_imports_this_snapshot_from_any_directory(tmp_path):
    # With argparse, --help exits after the imports: enough to prove they resolve.
    result = run_demo(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_is_simple_core_is_a_fact_about_this_snapshot():
    assert dezero.is_simple_core is False
    assert dezero.Variable is dezero.core.Variable


def test_the_books_core_simple_preamble_runs():
    # Steps 28 and 29 of the book start like this, to get ndarray gradients.
    import dezero.core_simple

    if not dezero.is_simple_core:
        from dezero.core_simple import Variable, setup_variable

        setup_variable()
    else:
        from dezero import Variable
    x = Variable(np.array(2.0))
    y = x**3 - 2 * x
    y.backward()
    assert isinstance(x.grad, (np.ndarray, np.generic))  # not a Variable
    assert x.grad == 3 * 2.0**2 - 2

"""tools/check_steps.py on synthetic snapshots: what it catches and what it allows."""

import subprocess
from pathlib import Path

import helpers

BASE = '''\
"""A tiny framework."""

import numpy as np


class Variable:
    def __init__(self, data):
        self.data = data

    def backward(self):
        funcs = [self]
        while funcs:
            f = funcs.pop()

            f.grad = 1


def square(x):
    return x * x


def exp(x):
    return np.exp(x)
'''

ADDED = """

def cube(x):
    return x * x * x
"""


def make_step(root: Path, num: int, framework: str | dict, readme: str = ""):
    """A snapshot with every required file; framework text or {relpath: text}."""
    files = {"dezero.py": framework} if isinstance(framework, str) else framework
    return helpers.make_step(
        root,
        num,
        {
            "README.md": f"# Step {num:02d}\n\n{readme}\n",
            "demo.py": "def main():\n    pass\n",
            "conftest.py": "import sys\n",
            f"tests/test_step{num:02d}_x.py": "def test_x():\n    pass\n",
            **files,
        },
    )


def check(root: Path, *args: str) -> subprocess.CompletedProcess:
    return helpers.run_tool("check_steps", root, *args, timeout=120)


def test_a_clean_lesson_passes(tmp_path):
    make_step(tmp_path, 1, BASE)
    method = "        self.data = data\n        self.grad = None\n"
    make_step(tmp_path, 2, BASE.replace("        self.data = data\n", method) + ADDED)
    proc = check(tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "clean" in proc.stdout


def test_a_removed_method_is_caught(tmp_path):
    make_step(tmp_path, 1, BASE)
    start = BASE.index("    def backward")
    end = BASE.index("\n\ndef square")
    make_step(tmp_path, 2, BASE[:start].rstrip() + "\n" + BASE[end:])
    proc = check(tmp_path)
    assert proc.returncode == 1
    assert "`Variable.backward`" in proc.stdout
    assert "Replaces:" in proc.stdout


def test_a_removal_listed_under_replaces_passes(tmp_path):
    make_step(tmp_path, 1, BASE)
    without = BASE.replace("\n\ndef exp(x):\n    return np.exp(x)\n", "")
    make_step(tmp_path, 2, without, "Replaces: `exp`, `Variable.nothing`")
    renamed = without.replace("def square", "def power")
    make_step(tmp_path, 3, renamed, "## Replaces\n\n- `square` — now power\n")
    proc = check(tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "note: step02/README.md replaces `Variable.nothing`" in proc.stdout


def test_only_the_replaces_section_counts(tmp_path):
    make_step(tmp_path, 1, BASE)
    readme = "## Replaces\n\n- none\n\n## Next\n\n- `exp` comes back later"
    make_step(tmp_path, 2, BASE.replace("def exp", "def power"), readme)
    proc = check(tmp_path)
    assert proc.returncode == 1
    assert "`exp` (step01/dezero.py) is gone" in proc.stdout


def test_a_reordered_function_is_caught(tmp_path):
    make_step(tmp_path, 1, BASE)
    square = "def square(x):\n    return x * x\n\n\n"
    exp = "def exp(x):\n    return np.exp(x)\n"
    swapped = BASE.replace(square + exp, exp + "\n\n" + square.rstrip() + "\n")
    assert swapped != BASE
    make_step(tmp_path, 2, swapped)
    proc = check(tmp_path)
    assert proc.returncode == 1
    assert "moved" in proc.stdout and (
        "`exp`" in proc.stdout or "`square`" in proc.stdout
    )


def test_a_whitespace_only_change_is_caught(tmp_path):
    make_step(tmp_path, 1, BASE)
    make_step(tmp_path, 2, BASE.replace("return x * x", "return x*x"))
    make_step(tmp_path, 3, BASE.replace("return x*x", "return x * x") + "\n")
    proc = check(tmp_path, "--steps", "2")
    assert proc.returncode == 1
    assert "step02/dezero.py line 19: only whitespace changes" in proc.stdout
    proc = check(tmp_path, "--steps", "3")
    assert proc.returncode == 1, "a blank line added at the end is whitespace too"


def test_reindenting_under_a_new_block_is_not_whitespace_noise(tmp_path):
    make_step(tmp_path, 1, BASE)
    wrapped = BASE.replace(
        "            f = funcs.pop()\n\n            f.grad = 1\n",
        "            with np.errstate(all='ignore'):\n"
        "                f = funcs.pop()\n\n                f.grad = 1\n",
    )
    assert wrapped != BASE
    make_step(tmp_path, 2, wrapped)
    proc = check(tmp_path)
    assert proc.returncode == 0, proc.stdout


def test_a_file_moved_into_the_package_is_followed(tmp_path):
    make_step(tmp_path, 1, BASE)
    init = "from dezero.core_simple import Variable\n"
    make_step(
        tmp_path,
        2,
        {"dezero/__init__.py": init, "dezero/core_simple.py": BASE + ADDED},
    )
    proc = check(tmp_path)
    assert proc.returncode == 0, proc.stdout
    without_exp = BASE.replace("\n\ndef exp(x):\n    return np.exp(x)\n", "")
    swapped = without_exp.replace(
        "class Variable", "def exp(x):\n    return np.exp(x)\n\n\nclass Variable"
    )
    make_step(
        tmp_path,
        3,
        {"dezero/__init__.py": init, "dezero/core_simple.py": swapped + ADDED},
    )
    proc = check(tmp_path, "--steps", "3")
    assert proc.returncode == 1
    assert "step03/dezero/core_simple.py: `exp` moved" in proc.stdout


def test_missing_files_are_caught(tmp_path):
    make_step(tmp_path, 1, BASE)
    step = make_step(tmp_path, 2, BASE)
    (step / "demo.py").unlink()
    (step / "tests" / "test_step02_x.py").rename(step / "tests" / "test_x.py")
    (step / "dezero.py").unlink()
    proc = check(tmp_path)
    assert proc.returncode == 1
    assert "step02: missing demo.py" in proc.stdout
    assert "step02: tests/ has no test_step02_*.py" in proc.stdout
    assert "step02: no framework" in proc.stdout
    proc = check(tmp_path, "--steps", "1")
    assert proc.returncode == 0, "step01 alone is fine"


def test_a_syntax_error_is_reported(tmp_path):
    make_step(tmp_path, 1, BASE)
    make_step(tmp_path, 2, BASE + "def broken(:\n")
    proc = check(tmp_path)
    assert proc.returncode == 1
    assert "step02/dezero.py: syntax error" in proc.stdout

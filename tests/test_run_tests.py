"""tools/run_tests.py: one process per step, counts, summary line, exit status."""

import re
import subprocess
import sys
from pathlib import Path

import helpers

SUMMARY = re.compile(r"^\d+ passed, \d+ failed, \d+ skipped$")

CONFTEST = """\
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
"""

VERSION_TEST = """\
import os

import dezero


def test_version():
    assert dezero.VERSION == {expected}


def test_own_snapshot():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    assert os.path.dirname(os.path.abspath(dezero.__file__)) == here
"""


def load_runner():
    return helpers.load_tool("run_tests", "run_tests_under_test")


def make_step(root: Path, num: int, version: int, test_text: str | None = None):
    """A minimal snapshot whose dezero.py says which step it is."""
    if test_text is None:
        test_text = VERSION_TEST.format(expected=version)
    return helpers.make_step(
        root,
        num,
        {
            "dezero.py": f"VERSION = {version}\n",
            "conftest.py": CONFTEST,
            f"tests/test_step{num:02d}_version.py": test_text,
        },
    )


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return helpers.run_tool("run_tests", root, *args, timeout=600)


def summary_of(stdout: str) -> str:
    lines = [line for line in stdout.splitlines() if SUMMARY.match(line)]
    assert len(lines) == 1, stdout
    return lines[0]


def test_two_snapshots_named_dezero_each_see_their_own(tmp_path):
    make_step(tmp_path, 1, 1)
    make_step(tmp_path, 2, 2)
    proc = run(tmp_path, "--no-top", "-j", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary_of(proc.stdout) == "4 passed, 0 failed, 0 skipped"
    assert re.search(r"^step01\s+2 passed\s+\d+\.\ds$", proc.stdout, re.M)
    assert re.search(r"^step02\s+2 passed\s+\d+\.\ds$", proc.stdout, re.M)


def test_the_same_steps_in_one_process_would_clash(tmp_path):
    """The hazard the runner exists for: one process caches one `dezero`."""
    make_step(tmp_path, 1, 1)
    make_step(tmp_path, 2, 2)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        + ["step01/tests", "step02/tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stdout


def test_a_failing_step_fails_the_run_and_is_listed(tmp_path):
    make_step(tmp_path, 1, 1)
    make_step(tmp_path, 2, 2)
    bad = VERSION_TEST.format(expected=4).replace("def test_own", "def _not_a_test")
    make_step(tmp_path, 3, 3, bad)
    proc = run(tmp_path, "--no-top")
    assert proc.returncode == 1
    out = proc.stdout.splitlines()
    assert summary_of(proc.stdout) == "4 passed, 1 failed, 0 skipped"
    after = out[out.index("4 passed, 1 failed, 0 skipped") + 1 :]
    assert after == ["step03: test_step03_version::test_version"]
    assert "assert 3 == 4" in proc.stdout  # the tail of the failing output


def test_skipped_tests_are_counted(tmp_path):
    make_step(
        tmp_path,
        1,
        1,
        "import pytest\n\n\ndef test_a():\n    pass\n\n\n"
        "@pytest.mark.skip(reason='demo')\ndef test_b():\n    pass\n",
    )
    proc = run(tmp_path, "--no-top")
    assert proc.returncode == 0
    assert summary_of(proc.stdout) == "1 passed, 0 failed, 1 skipped"


def test_a_step_that_collects_nothing_is_a_failure(tmp_path):
    make_step(tmp_path, 1, 1)
    make_step(tmp_path, 2, 2, "# no tests here\n")
    proc = run(tmp_path, "--no-top")
    assert proc.returncode == 1
    assert summary_of(proc.stdout) == "2 passed, 1 failed, 0 skipped"
    assert "step02: (pytest collected no tests)" in proc.stdout


def test_a_step_whose_pytest_crashes_is_a_failure(tmp_path):
    step = make_step(tmp_path, 1, 1)
    (step / "conftest.py").write_text("raise RuntimeError('broken conftest')\n")
    proc = run(tmp_path, "--no-top")
    assert proc.returncode == 1
    assert summary_of(proc.stdout) == "0 passed, 1 failed, 0 skipped"
    assert "ERROR: pytest crashed" in proc.stdout
    assert "broken conftest" in proc.stdout


def test_a_collection_error_names_the_module(tmp_path):
    make_step(tmp_path, 1, 1, "import no_such_module_anywhere\n")
    proc = run(tmp_path, "--no-top")
    assert proc.returncode == 1
    assert "step01: test_step01_version (collection error)" in proc.stdout


def test_steps_option_selects_and_top_tests_run_last(tmp_path):
    make_step(tmp_path, 1, 1)
    make_step(tmp_path, 2, 2)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_top_level.py").write_text("def test_top():\n    pass\n")
    proc = run(tmp_path, "--steps", "2")
    assert proc.returncode == 0, proc.stdout
    assert "step01" not in proc.stdout
    lines = proc.stdout.splitlines()
    assert (
        lines[-2].startswith("tests ") and lines[-1] == "3 passed, 0 failed, 0 skipped"
    )


def test_the_notebooks_run_last_on_a_line_of_their_own(tmp_path):
    make_step(tmp_path, 1, 1)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_top_level.py").write_text("def test_top():\n    pass\n")
    (tmp_path / "tests" / "test_notebooks.py").write_text(
        "def test_a():\n    pass\n\n\ndef test_b():\n    pass\n"
    )
    proc = run(tmp_path)
    assert proc.returncode == 0, proc.stdout
    lines = proc.stdout.splitlines()
    assert re.fullmatch(r"tests\s+1 passed\s+\d+\.\ds", lines[-3]), proc.stdout
    assert re.fullmatch(r"notebooks\s+2 passed\s+\d+\.\ds", lines[-2]), proc.stdout
    assert lines[-1] == "5 passed, 0 failed, 0 skipped"


def test_unknown_step_is_a_usage_error(tmp_path):
    make_step(tmp_path, 1, 1)
    proc = run(tmp_path, "--steps", "9", "--no-top")
    assert proc.returncode == 2
    assert "step09" in proc.stderr


def test_summary_line_format():
    runner = load_runner()
    ok = runner.Result("step01", passed=3)
    bad = runner.Result("step02", passed=1, failed=2, skipped=1)
    crashed = runner.Result("step03", problem="pytest collected no tests")
    assert runner.summary_line([ok]) == "3 passed, 0 failed, 0 skipped"
    assert runner.summary_line([ok, bad, crashed]) == "4 passed, 3 failed, 1 skipped"


def test_readme_and_ci_describe_the_line_the_runner_prints():
    """README promises the summary line's form and .ci/run greps for it."""
    line = load_runner().summary_line([load_runner().Result("step01", passed=2)])
    assert line == "2 passed, 0 failed, 0 skipped"
    root = Path(__file__).resolve().parent.parent
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    promised = re.search(r"ends with one line `([^`]+)`", readme)
    assert promised, "README no longer says which line the runner ends with"
    assert re.fullmatch(promised.group(1).replace("N", r"\d+"), line)
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    grep = re.search(r"grep -E '([^']+)' \"\$log\"", ci)
    assert grep, ".ci/run no longer greps the log for the summary line"
    assert re.search(grep.group(1), line)  # this ERE is also a Python regex

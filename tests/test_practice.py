"""Tests of tools/practice.py: synthetic steps for the behaviour, then the proof
that every real step with something to write makes a working exercise.

The proof runs `practice.py prove` in one process per core (NumPy and PyTorch are
then imported once per process, not once per step) and checks, for each step:
the untouched copy imports and its tests are collected, at least one of them
fails; with the real bodies back (the framework files byte for byte the step's)
the checker calls every definition done on a sample of each one's tests; one body
with a deliberate slip (an operator flipped) is reported not done.
"""

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from helpers import ROOT, TOOLS, load_tool, make_step, run_tool

practice = load_tool("practice")

CONFTEST = (
    "import os, sys\nsys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))\n"
)
STEP1 = '''"""Tiny framework."""

SCALE = 2


def double(x):
    """Twice x."""
    return SCALE * x
'''
TESTS1 = (
    "from dezero import double\n\n\ndef test_double():\n    assert double(3) == 6\n"
)
STEP2 = '''"""Tiny framework."""

SCALE = 2
TABLE = {}


def register(name):
    """Record a name; the module calls it while it imports."""
    TABLE[name] = True
    return name


def double(x):
    """Twice x."""
    return x + x


def add(a, b):
    """The sum of a and b."""
    return a + b


class Box:
    """Holds one value."""

    def __init__(self, value):
        self.value = value

    def get(self):
        """The value."""
        return self.value


register("double")
'''
TESTS2 = """from dezero import Box, add, double


def test_double():
    assert double(3) == 6


def test_add():
    assert add(2, 5) == 7


def test_box():
    assert Box(4).get() == 4


def test_scale():
    from dezero import SCALE
    assert SCALE == 2
"""
README2 = """# Step 02

## What this step adds, and why

`add(a, b)` sums. `double` now adds x to itself. `Box` holds a value and `get`
returns it; `register` records names.

## Read the code

1. `add`, then `double`.
"""


def make_root(tmp_path):
    """A repository with two synthetic steps (dezero.py, tests, lesson)."""
    root = tmp_path / "repo"
    common = {"conftest.py": CONFTEST, "README.md": "# Step\n"}
    make_step(
        root,
        1,
        {
            **common,
            "dezero.py": STEP1,
            "tests/test_step01_a.py": TESTS1,
        },
    )
    make_step(
        root,
        2,
        {
            **common,
            "dezero.py": STEP2,
            "README.md": README2,
            "tests/test_step02_a.py": TESTS2,
        },
    )
    return root


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """make_root with `make 2` done once; tests get a copy of it (saves the two
    pytest runs of every `make`)."""
    root = make_root(tmp_path_factory.mktemp("made"))
    proc = tool(root, "make", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, proc.stdout


@pytest.fixture
def root2(made, tmp_path):
    """A fresh copy of the repository with practice/step02/ made."""
    root = tmp_path / "repo"
    shutil.copytree(made[0], root)
    return root


def tool(root, *args, timeout=120):
    return run_tool("practice", root, *args, timeout=timeout)


def solve(copy, source=STEP2):
    """The perfect student: the real file back."""
    (copy / "dezero.py").write_text(source, encoding="utf-8")


def test_targets_are_the_added_and_changed_definitions(tmp_path):
    root = make_root(tmp_path)
    targets = practice.find_targets(root / "step01", root / "step02")
    assert [(t.name, t.action) for t in targets] == [
        ("register", "added"),
        ("double", "changed"),
        ("add", "added"),
        ("Box.__init__", "added"),
        ("Box.get", "added"),
    ]


def test_a_docstring_only_change_is_nothing_to_write(tmp_path):
    root = make_root(tmp_path)
    make_step(root, 3, {"dezero.py": STEP2.replace("The sum of a and b.", "a + b.")})
    assert practice.find_targets(root / "step02", root / "step03") == []
    proc = tool(root, "make", "3")
    assert proc.returncode == 0, proc.stderr
    assert "nothing to write" in proc.stdout
    assert "make demo STEP=3" in proc.stdout
    assert not (root / "practice" / "step03").exists()


def test_make_stubs_bodies_keeps_docstrings_and_what_runs_at_import(made):
    root, stdout = made
    copy = root / "practice" / "step02"
    source = (copy / "dezero.py").read_text()
    assert '    """The sum of a and b."""\n    raise NotImplementedError(' in source
    assert "step 02: write add (in dezero.py)" in source
    assert 'step02/README.md line 5, \\"What this step adds, and why\\"' in source or (
        "step02/README.md line 5" in source
    )
    assert "return a + b" not in source and "def add(a, b):" in source
    # register runs while dezero imports: a stub there would stop every test
    assert "TABLE[name] = True" in source
    assert "kept real: register" in stdout
    guide = (copy / "PRACTICE.md").read_text()
    assert guide.index("`double`") < guide.index("`add`") < guide.index("`Box.get`")
    assert "`test_step02_a.py`: `test_add`" in guide
    assert "## Kept real" in guide and "`register`" in guide
    assert json.loads((copy / ".practice.json").read_text())["kept_real"] == [
        "register"
    ]
    # everything else is the step's own
    assert (copy / "tests/test_step02_a.py").read_text() == TESTS2
    assert (copy / "README.md").read_text() == README2


def test_one_line_definition_is_stubbed(tmp_path):
    source = "def f(x): return x\n"
    target = practice.Target("f", "dezero.py", "added", lesson="README.md")
    out = practice.stub_source(source, 4, [target])
    assert out.startswith("def f(x):\n    raise NotImplementedError(")
    assert practice.stubbed_names(out) == {"f"}


def test_check_reports_progress_and_passes_only_when_all_pass(root2, tmp_path):
    root = root2
    copy = root / "practice" / "step02"
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    proc = tool(root, "check", "2")
    assert proc.returncode == 1
    assert "0 of 4 definitions done" in proc.stdout
    assert "add                            not yet (still the stub)" in proc.stdout
    assert "test_scale" not in proc.stdout  # it passes: no new code under it
    assert "next: write double in dezero.py" in proc.stdout
    after = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    assert after == before  # the checker never changes the student's files
    # a slip: add subtracts
    solve(copy, STEP2.replace("return a + b", "return a - b"))
    proc = tool(root, "check", "2")
    assert proc.returncode == 1
    assert "3 of 4 definitions done" in proc.stdout
    assert "-- add" in proc.stdout and "test_add" in proc.stdout
    assert "assert -3 == 7" in proc.stdout  # the first line of why
    solve(copy)
    proc = tool(root, "check", "2")
    assert proc.returncode == 0, proc.stdout
    assert "4 of 4 definitions done" in proc.stdout
    assert "that was the last step" in proc.stdout
    progress = tool(root, "progress")
    assert "1 step(s) passed" in progress.stdout and "step02  passed" in progress.stdout


def test_syntax_error_names_file_and_line_and_reports_the_rest(root2, tmp_path):
    root = root2
    copy = root / "practice" / "step02"
    text = (copy / "dezero.py").read_text() + "\n\ndef broken(:\n    pass\n"
    (copy / "dezero.py").write_text(text)
    line = text.count("\n") - 1
    proc = tool(root, "check", "2")
    assert proc.returncode == 1
    assert f"SYNTAX ERROR in practice/step02/dezero.py line {line}:" in proc.stdout
    for name in ("double", "add", "Box.__init__", "Box.get"):
        assert f"-- {name}" in proc.stdout
    assert "next: fix the syntax error" in proc.stdout
    assert (copy / "dezero.py").read_text() == text  # untouched


def test_a_hanging_test_is_stopped_and_named(root2, tmp_path):
    root = root2
    copy = root / "practice" / "step02"
    solve(copy, STEP2.replace("return a + b", "while True:\n        pass"))
    proc = tool(root, "check", "2", "--limit", "1")
    assert proc.returncode == 1
    assert "test_add" in proc.stdout
    assert "this test ran longer than 1s (the limit per test)" in proc.stdout


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("99", "there is no step 99 here (steps: step01..step02)"),
        ("abc", "STEP='abc' is not a step number: expected a number such as 9"),
    ],
)
def test_bad_step_numbers(tmp_path, step, message):
    root = make_root(tmp_path)
    for command in ("make", "check", "solution", "hint"):
        proc = tool(root, command, step)
        assert proc.returncode == 2
        assert message in proc.stderr


def test_copies_made_from_another_step_or_half_deleted(root2, tmp_path):
    root = root2
    copy = root / "practice" / "step02"
    mine = (copy / "dezero.py").read_text().replace('"""Twice x."""', "# mine")
    (copy / "dezero.py").write_text(mine)
    # a copy of step 2 put where step 1's goes
    shutil.copytree(copy, root / "practice" / "step01")
    proc = tool(root, "check", "1")
    assert proc.returncode == 2
    assert "practice/step01/ was made from step 2, not step 1" in proc.stderr
    proc = tool(root, "make", "1")
    assert proc.returncode == 2 and "nothing was changed" in proc.stderr
    # half deleted: the checker says what is missing, make puts back only that
    (copy / "tests" / "test_step02_a.py").unlink()
    (copy / "conftest.py").unlink()
    proc = tool(root, "check", "2")
    assert proc.returncode == 2
    assert "missing 2 file(s): conftest.py, tests/test_step02_a.py" in proc.stderr
    proc = tool(root, "make", "2")
    assert proc.returncode == 0, proc.stderr
    assert (copy / "tests" / "test_step02_a.py").is_file()
    assert (copy / "dezero.py").read_text() == mine  # the student's work is kept
    # the manifest gone: refused, then FORCE keeps the old copy aside
    (copy / ".practice.json").unlink()
    proc = tool(root, "check", "2")
    assert proc.returncode == 2 and "has no .practice.json" in proc.stderr
    assert tool(root, "make", "2").returncode == 2
    proc = tool(root, "make", "2", "--force")
    assert proc.returncode == 0, proc.stderr
    kept = [p for p in (root / "practice").iterdir() if p.name.startswith("step02.old")]
    assert len(kept) == 1 and (kept[0] / "dezero.py").read_text() == mine


@pytest.mark.skipif(shutil.which("git") is None, reason="FROM=mine merges with git")
def test_from_mine_merges_the_students_step_and_reports_conflicts(tmp_path):
    root = make_root(tmp_path)
    assert tool(root, "make", "1").returncode == 0
    mine1 = root / "practice" / "step01" / "dezero.py"
    own = STEP1.replace(
        "    return SCALE * x", "    # my own words\n    return x * SCALE"
    )
    mine1.write_text(own.replace('"""Tiny framework."""', '"""My framework."""'))
    proc = tool(root, "make", "2", "--from-mine")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    merged = (root / "practice" / "step02" / "dezero.py").read_text()
    assert merged.startswith('"""My framework."""')  # the student's line is kept
    assert "step 02: write add" in merged and "step 02: write double" in merged
    assert "# my own words" not in merged  # double is blanked again for step 2
    assert "TABLE[name] = True" in merged  # kept real, as before
    # a conflict: the student changed a line step 2 changes too
    step3 = STEP2.replace("SCALE = 2", "SCALE = 3").replace("a + b", "b + a")
    make_step(
        root,
        3,
        {
            "dezero.py": step3,
            "conftest.py": CONFTEST,
            "README.md": README2,
            "tests/test_step03_a.py": TESTS2,
        },
    )
    mine2 = root / "practice" / "step02" / "dezero.py"
    mine2.write_text(mine2.read_text().replace("SCALE = 2", "SCALE = 20"))
    proc = tool(root, "make", "3", "--from-mine")
    assert proc.returncode == 1
    assert "merge conflicts" in proc.stdout and "dezero.py line 3" in proc.stdout
    text = (root / "practice" / "step03" / "dezero.py").read_text()
    assert "<<<<<<< yours (practice/step02/dezero.py)" in text
    assert "SCALE = 20" in text and "SCALE = 3" in text  # nothing resolved silently


def test_solution_diffs_the_copy_against_the_step(root2, tmp_path):
    root = root2
    proc = tool(root, "solution", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("practice/step02 (yours) -> step02 (the book's)")
    assert "+    return a + b" in proc.stdout
    page = tmp_path / "out" / "solution.html"
    proc = tool(root, "solution", "2", "--html", str(page))
    assert proc.returncode == 0 and page.read_text().startswith("<!DOCTYPE html>")


def test_hint_shows_the_lesson_never_the_code(root2, tmp_path):
    root = root2
    proc = tool(root, "hint", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("hint for double (dezero.py), from step02/README.md")
    assert "`double` now adds x to itself" in proc.stdout
    assert "return x + x" not in proc.stdout


def test_the_proof_on_a_synthetic_step(tmp_path):
    root = make_root(tmp_path)
    result = practice.prove_step(root, 2, tmp_path / "proof")
    assert result["problems"] == []
    assert result["kept"] == ["register"]
    assert result["failing"] == ["tests/test_step02_a.py::test_double"]  # first
    name = result["slip"].split(" (")[0]
    assert name in {"double", "add", "Box.__init__", "Box.get"}, result["slip"]


def test_the_proof_fails_when_stubs_break_the_imports(tmp_path, monkeypatch):
    root = make_root(tmp_path)
    # without the import check, register's stub stops `import dezero`
    monkeypatch.setattr(
        practice, "keep_import_safe", lambda copy, *_: practice.run_pytest(copy)
    )
    result = practice.prove_step(root, 2, tmp_path / "proof")
    assert any(
        p.startswith("untouched copy:") and "test_step02_a.py" in p
        for p in result["problems"]
    ), result["problems"]


def test_slips_flip_one_operator_in_the_body():
    found = practice.slips(STEP2, "add")
    assert found[0][0].count("return a - b") == 1
    assert found[0][1] == "line 20: '+' -> '-'"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_makefile_targets_validate_the_step():
    def make(*args):
        return subprocess.run(
            ["make", "--no-print-directory", "-C", str(ROOT), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )

    proc = make("-n", "practice", "STEP=09", "FROM=mine", "FORCE=1")
    assert "tools/practice.py make 9 --from-mine --force" in proc.stdout
    for target in ("practice-check", "practice-solution", "practice-hint"):
        assert (
            f"tools/practice.py {target.split('-')[1]} 9"
            in make("-n", target, "STEP=9").stdout
        )
    proc = make("practice", "STEP=abc")
    assert proc.returncode != 0 and "usage: make practice STEP=N" in proc.stderr
    proc = make("practice", "STEP=99")
    assert proc.returncode != 0 and "no directory step99/" in proc.stderr


# --- The proof over every real step ----------------------------------------------

STEPS = sorted(practice.find_steps(ROOT))


@pytest.fixture(scope="module", autouse=True)
def proof_workers(request):
    """Start `practice.py prove` over every step, one worker process per core, as
    soon as this module starts (the other tests here then overlap with it), when
    the proof is among the selected tests."""
    wanted = [
        item.callspec.params["num"]
        for item in request.session.items
        if item.name.startswith("test_every_step")
    ]
    if not wanted:
        yield None
        return
    jobs = max(1, min(os.cpu_count() or 1, 4, len(wanted)))
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTEST_ADDOPTS", None)
    workers = []
    for share in (wanted[i::jobs] for i in range(jobs)):
        cmd = [sys.executable, str(TOOLS / "practice.py"), "prove"]
        cmd += ["--steps", ",".join(map(str, share))]
        workers.append(
            subprocess.Popen(
                cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=ROOT,
            )
        )
    yield workers
    for worker in workers:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()


@pytest.fixture(scope="module")
def proof(proof_workers):
    """The proof's result for each step (waits for the workers)."""
    results, errors = {}, []
    with ThreadPoolExecutor(max_workers=len(proof_workers)) as pool:
        outputs = list(pool.map(lambda w: w.communicate(timeout=1500), proof_workers))
    for out, err in outputs:
        results.update({row["step"]: row for row in map(json.loads, out.splitlines())})
        errors.append(err[-3000:])
    results["stderr"] = "\n".join(errors)
    return results


@pytest.mark.parametrize("num", STEPS)
def test_every_step_makes_a_working_exercise(proof, num):
    result = proof.get(num)
    assert result is not None, f"step {num} gave no result:\n{proof['stderr']}"
    assert result["problems"] == [], "\n".join(result["problems"])
    if "nothing" in result:
        return  # nothing to write: the tool says so and what to do instead
    assert result["collected"] > 0 and result["failing"]
    assert result["restored_tests"] > 0 and result["slip"]

"""Every step directory present in the repository is a complete snapshot."""

import ast
import configparser
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STEPS = sorted(p for p in ROOT.glob("step??") if re.fullmatch(r"step\d\d", p.name))
STEP_IDS = [p.name for p in STEPS]


def number(step: Path) -> str:
    return step.name.removeprefix("step")


def test_step_directories_use_two_digits():
    odd = [p.name for p in ROOT.iterdir() if re.fullmatch(r"step\d+", p.name)]
    assert sorted(set(odd) - set(STEP_IDS)) == []


def test_step_numbers_have_no_gaps():
    numbers = [int(number(p)) for p in STEPS]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_step_has_its_files(step):
    for name in ("README.md", "demo.py", "conftest.py", "pytest.ini"):
        assert (step / name).is_file(), f"{step.name}/{name} is missing"
    framework = (step / "dezero.py").is_file() or (
        step / "dezero/__init__.py"
    ).is_file()
    assert framework, f"{step.name} has neither dezero.py nor dezero/__init__.py"


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_readme_title(step):
    readme = step / "README.md"
    if not readme.is_file():
        pytest.fail(f"{step.name}/README.md is missing")
    lines = [line for line in readme.read_text(encoding="utf-8").splitlines() if line]
    title = lines[0] if lines else ""
    assert re.match(rf"# Step {number(step)}(?!\d)", title), (
        f"{step.name}/README.md should open with '# Step {number(step)}', not {title!r}"
    )


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_tests_are_named_after_the_step(step):
    tests = sorted((step / "tests").glob("test_*.py"))
    assert tests, f"{step.name}/tests has no test_step{number(step)}_*.py"
    prefix = f"test_step{number(step)}_"
    wrong = [p.name for p in tests if not p.name.startswith(prefix)]
    assert wrong == [], f"{step.name}: test files must start with {prefix}"


def test_test_basenames_are_unique_across_the_repo():
    files = [p for step in STEPS for p in (step / "tests").glob("test_*.py")]
    files += list((ROOT / "tests").glob("test_*.py"))
    counts = Counter(p.name for p in files)
    assert [name for name, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_pytest_ini_makes_the_step_its_own_rootdir(step):
    ini = configparser.ConfigParser()
    ini.read(step / "pytest.ini", encoding="utf-8")
    assert ini.has_section("pytest"), f"{step.name}/pytest.ini has no [pytest]"
    assert ini.get("pytest", "testpaths", fallback="").split() == ["tests"]


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_conftest_puts_the_step_first_on_sys_path(step):
    tree = ast.parse((step / "conftest.py").read_text(encoding="utf-8"))
    calls = [
        ast.unparse(node.func)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and node.args
    ]
    assert "sys.path.insert" in calls, f"{step.name}/conftest.py"


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_demo_has_main_under_a_guard(step):
    tree = ast.parse((step / "demo.py").read_text(encoding="utf-8"))
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert "main" in names, f"{step.name}/demo.py defines no main()"
    guards = [
        n
        for n in tree.body
        if isinstance(n, ast.If) and "__name__" in ast.unparse(n.test)
    ]
    assert guards, f"{step.name}/demo.py has no `if __name__ == '__main__':`"


def test_top_readme_links_every_step():
    readme = ROOT / "README.md"
    if not readme.is_file():
        pytest.skip("the top-level README.md does not exist yet")
    text = readme.read_text(encoding="utf-8")
    missing = [
        step.name
        for step in STEPS
        if not re.search(rf"\]\((?:\./)?{step.name}(?:/[^)]*)?\)", text)
    ]
    assert missing == [], "README.md has no link to these steps"

"""A lesson's "Expected output" shows the files a demo writes as the demo prints them.

Demos print what they wrote relative to the current folder (`make demo` runs them
from the repository root, so `wrote step45/output/model.png`), and absolute only
for a folder outside it. Lessons show those lines the same way: never a machine's
absolute path, never an ellipsis for the part that differs.
"""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STEPS = sorted(p for p in ROOT.glob("step??") if re.fullmatch(r"step\d\d", p.name))
VERBS = ("wrote", "saved", "loaded")
FILE_LINE = re.compile(r"\b(?:wrote|saved|loaded) (\S+)")


def expected_blocks(readme: Path) -> list[list[str]]:
    """The fenced code blocks of the lesson's "## Expected output" section."""
    text = readme.read_text(encoding="utf-8")
    match = re.search(r"^## Expected output\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not match:
        return []
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", match.group(1), re.M | re.S)
    return [block.splitlines() for block in blocks]


def printed_paths(demo: Path) -> list[tuple[int, str]]:
    """(line, source) of each f-string that starts 'wrote '/'saved '/'loaded ' and
    does not pass its first value through shown()."""
    bad = []
    for node in ast.walk(ast.parse(demo.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.JoinedStr) or not node.values:
            continue
        head = node.values[0]
        if (
            not (isinstance(head, ast.Constant) and head.value.startswith(VERBS))
            or len(node.values) < 2
        ):
            continue
        value = node.values[1].value
        called = isinstance(value, ast.Call) and getattr(value.func, "id", "")
        if called != "shown":
            bad.append((node.lineno, ast.unparse(node)))
    return bad


@pytest.mark.parametrize("step", STEPS, ids=[p.name for p in STEPS])
def test_expected_output_shows_paths_as_the_demo_prints_them(step):
    for block in expected_blocks(step / "README.md"):
        for line in block:
            for path in FILE_LINE.findall(line):
                assert path.startswith(f"{step.name}/"), (
                    f"{step.name}/README.md: {line!r} should name the file as "
                    f"`make demo` prints it: {step.name}/output/..."
                )
                assert "..." not in path and not os.path.isabs(path)


@pytest.mark.parametrize("step", STEPS, ids=[p.name for p in STEPS])
def test_demos_print_written_files_through_shown(step):
    assert printed_paths(step / "demo.py") == [], (
        f"{step.name}/demo.py prints a path without shown() (relative to the "
        "current folder when it lies below it)"
    )


def test_a_demo_run_from_the_root_prints_what_its_lesson_shows():
    # Step 25 is the cheapest demo that writes files (well under a second).
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed: the lesson shows its image line")
    result = subprocess.run(
        [sys.executable, "step25/demo.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (block,) = expected_blocks(ROOT / "step25" / "README.md")
    assert result.stdout.splitlines() == block


def test_shown_falls_back_to_the_absolute_path_outside_the_current_folder(
    tmp_path, monkeypatch
):
    namespace = {"os": os}
    demo = ast.parse((ROOT / "step45" / "demo.py").read_text(encoding="utf-8"))
    (shown,) = [n for n in demo.body if getattr(n, "name", "") == "shown"]
    exec(compile(ast.Module([shown], []), "shown", "exec"), namespace)
    inside = tmp_path / "step45" / "output" / "model.png"
    monkeypatch.chdir(tmp_path)
    assert namespace["shown"](str(inside)) == os.path.join(
        "step45", "output", "model.png"
    )
    outside = str(tmp_path.parent / "elsewhere" / "model.png")
    assert namespace["shown"](outside) == outside

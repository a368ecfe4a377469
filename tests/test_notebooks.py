"""Every step's notebook: as tools/notebooks.py writes it, valid, and runnable.

The notebooks run top to bottom in real kernels (nbclient + ipykernel), all cores
at once, each in a copy of its step directory alone, so that nothing is written
into the repository. tools/run_tests.py runs this module as a phase of its own.
"""

import json
import os
import re
import shutil
import time
from pathlib import Path

import helpers
import nbformat
import pytest

notebooks = helpers.load_tool("notebooks")
ROOT = helpers.ROOT
STEPS = sorted(p for p in ROOT.glob("step[0-9][0-9]") if p.is_dir())
WITH_NOTEBOOK = [s for s in STEPS if notebooks.notebook_path(s).is_file()]
IDS = [s.name for s in WITH_NOTEBOOK]


def demo_of(step: Path):
    return notebooks.read_demo((step / "demo.py").read_text(encoding="utf-8"))


def code_cells(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def tree_state(dirs: list[Path]) -> dict[str, tuple[int, int]]:
    """Every file under dirs (git-ignored ones too): size and modification time."""
    return {
        str(p.relative_to(ROOT)): (p.stat().st_size, p.stat().st_mtime_ns)
        for d in dirs
        for p in sorted(d.rglob("*"))
        if p.is_file()
    }


# --- The committed notebooks ----------------------------------------------------


@pytest.mark.parametrize("step", STEPS, ids=[s.name for s in STEPS])
def test_the_notebook_is_what_the_tool_writes(step):
    problems = notebooks.problems(step)
    assert problems == [], (
        "\n".join(problems)
        + f"\nnever edit a notebook by hand: run .venv/bin/python tools/notebooks.py"
        f" --steps {int(step.name[4:])}"
    )


@pytest.mark.parametrize("step", WITH_NOTEBOOK, ids=IDS)
def test_the_notebook_is_valid_and_carries_no_outputs(step):
    path = notebooks.notebook_path(step)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert [c.id for c in nb.cells] == [
        f"{step.name}-{i:02d}" for i in range(len(nb.cells))
    ]
    assert all(
        c.outputs == [] and c.execution_count is None
        for c in nb.cells
        if c.cell_type == "code"
    )
    text = path.read_text(encoding="utf-8")
    assert str(ROOT) not in text, "a notebook must not name this checkout's path"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# Step ")
    pip = re.search(r"`pip install ([^`]*)`", first.source)
    assert pip and {"numpy", "jupyterlab"} <= set(pip.group(1).split())
    assert ("graphviz" in first.source) == demo_of(step).draws_graphs


@pytest.mark.parametrize("step", WITH_NOTEBOOK, ids=IDS)
def test_the_code_cells_are_the_demo_line_for_line(step):
    """demo.py's lines all appear, in order; the tool adds only comments and glue."""
    demo = (step / "demo.py").read_text(encoding="utf-8").splitlines()
    expected = []
    for i, line in enumerate(demo):
        line = line.strip()
        if not line or line == 'if __name__ == "__main__":':
            continue
        if i == 0 and line.startswith('"""'):
            expected += ['__doc__ = """\\', line[3:]]
            continue
        exit_call = re.fullmatch(r"sys\.exit\((.*)\)", line)
        expected.append(exit_call.group(1) if exit_call else line)
    nb = nbformat.read(notebooks.notebook_path(step), as_version=4)
    got = [
        line.strip()
        for cell in code_cells(nb)[len(notebooks.setup_cells(demo_of(step))) :]
        for line in cell.splitlines()
        if line.strip()
    ]
    glue = {'sys.argv = ["demo.py"]', "with show_figures():"}
    rest = iter(got)
    for line in expected:
        for candidate in rest:
            if candidate == line:
                break
            assert candidate.startswith("# ") or candidate in glue, (
                f"{step.name}: {candidate!r} is not in demo.py"
            )
        else:
            pytest.fail(f"{step.name}: demo.py's line {line!r} is missing or moved")


# --- Running them ------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(request):
    """Every notebook executed in a copy of its step, all cores at once."""
    jobs = os.cpu_count() or 1
    before = tree_state(WITH_NOTEBOOK)
    start = time.monotonic()
    done = notebooks.execute_copies(WITH_NOTEBOOK, jobs)
    total = time.monotonic() - start
    after = tree_state(WITH_NOTEBOOK)
    if done:
        slowest = max(done, key=lambda run: run.seconds)
        line = (
            f"notebooks: {len(done)} ran in {total:.1f}s, {jobs} at a time "
            f"(slowest: {slowest.step}, {slowest.seconds:.1f}s)"
        )
        plugins = request.config.pluginmanager
        reporter = plugins.get_plugin("terminalreporter")
        capture = plugins.get_plugin("capturemanager")
        if reporter is not None and capture is not None:
            with capture.global_and_fixture_disabled():  # shown even under -q
                reporter.write_line(line)
    return {"runs": {run.step: run for run in done}, "before": before, "after": after}


@pytest.mark.parametrize("step", WITH_NOTEBOOK, ids=IDS)
def test_the_notebook_runs_top_to_bottom_in_a_kernel(runs, step):
    run = runs["runs"][step.name]
    assert run.error is None, run.error


FIGURES = [s for s in WITH_NOTEBOOK if demo_of(s).writes_figures]


@pytest.mark.parametrize("step", FIGURES, ids=[s.name for s in FIGURES])
def test_figures_and_graphs_show_inline(runs, step):
    run = runs["runs"][step.name]
    assert run.error is None, run.error
    shown = {kind for o in outputs(run.notebook) for kind in o.get("data", {})}
    if demo_of(step).draws_graphs:
        if shutil.which("dot") is None:
            pytest.skip("Graphviz's dot is not installed: the graphs are not drawn")
        assert "image/svg+xml" in shown, f"{step.name}: no graph drawn as SVG"
    else:
        assert "image/png" in shown, f"{step.name}: no figure shown"


def test_running_the_notebooks_writes_nothing_into_the_repository(runs):
    assert runs["runs"], "no notebooks ran"
    before, after = runs["before"], runs["after"]
    changed = sorted(
        k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
    )
    assert changed == []


def test_a_step_copied_alone_runs_its_notebook_against_its_own_snapshot(tmp_path):
    step = next((s for s in WITH_NOTEBOOK if demo_of(s).draws_graphs), None)
    if step is None:
        pytest.skip("no step with graphs has a notebook yet")
    copy = tmp_path / "elsewhere" / step.name
    shutil.copytree(step, copy, ignore=notebooks.COPY_IGNORE)
    where = "import dezero\n\nprint(dezero.__file__)"
    run = notebooks.execute(notebooks.notebook_path(copy), extra=(where,))
    assert run.error is None, run.error
    printed = run.notebook.cells[-1].outputs[0]["text"].strip()
    assert Path(printed).resolve().is_relative_to(copy.resolve()), printed
    assert (copy / "output").is_dir()  # the demo wrote beside the copied notebook
    if shutil.which("dot"):
        assert any("image/svg+xml" in o.get("data", {}) for o in outputs(run.notebook))


# --- The tool, on synthetic steps ------------------------------------------------

README = """\
# Step 0{n} — A synthetic lesson

Stage 1 · book step 0{n}

Replaces: none

## What this step adds

Prose, with a fenced block that is not a heading:

```
## not a heading
```

## Expected output

```
5
```

## Exercises

1. Nothing.
"""

ARGV_DEMO = '''\
"""Step 02 demo: options on the command line, parsed inside main."""

import argparse
import sys

import dezero

LIMIT = 3  # a constant joins the imports' cell


# A comment above a definition goes with it.
def twice(x):
    """2 x."""
    return 2 * x


class Box:
    """Holds a value."""

    value = dezero.VALUE


def main(argv=None):
    """Parse the options, as a later demo may, inside main()."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--times", type=int, default=1)
    args = parser.parse_args(argv)
    print(twice(args.times) + LIMIT + Box.value)
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''

BROKEN_DEMO = '''\
"""Step 01 demo: divides by zero."""

import dezero


def main():
    """Divide by zero."""
    return dezero.VALUE / 0


if __name__ == "__main__":
    main()
'''


def synthetic(root: Path, n: int, demo: str) -> Path:
    return helpers.make_step(
        root,
        n,
        {"README.md": README.format(n=n), "demo.py": demo, "dezero.py": "VALUE = 1\n"},
    )


def test_cells_follow_the_lesson_and_the_top_level_definitions(tmp_path):
    step = synthetic(tmp_path, 2, ARGV_DEMO)
    nb = notebooks.build(step)
    kinds = [(c.cell_type, c.source.splitlines()[0]) for c in nb.cells]
    assert kinds == [
        ("markdown", "# Step 02 — A synthetic lesson"),
        ("markdown", "## What this step adds"),
        ("markdown", notebooks.DEMO_HEADING),
        ("code", notebooks.SETUP.splitlines()[0]),
        ("code", '__doc__ = """\\'),
        ("code", "# A comment above a definition goes with it."),
        ("code", "class Box:"),
        ("code", "def main(argv=None):"),
        ("code", '# The script\'s `if __name__ == "__main__":` block.'),
        ("markdown", "## Expected output"),
        ("markdown", "## Exercises"),
    ]
    head, run = code_cells(nb)[1], code_cells(nb)[-1]
    assert head.endswith("LIMIT = 3  # a constant joins the imports' cell")
    assert "(options: --times)" in run
    assert 'sys.argv = ["demo.py"]' in run
    assert run.endswith("\nmain()") and "sys.exit" not in run.replace("# sys.exit", "")
    assert "## not a heading" in nb.cells[1].source


def test_argparse_inside_main_and_sys_exit_run_in_a_kernel(tmp_path):
    step = synthetic(tmp_path, 2, ARGV_DEMO)
    notebooks.notebook_path(step).write_text(notebooks.render(step), encoding="utf-8")
    run = notebooks.execute(notebooks.notebook_path(step))
    assert run.error is None, run.error
    last = [c for c in run.notebook.cells if c.cell_type == "code"][-1].outputs
    assert [o.get("text") for o in last if o.output_type == "stream"] == ["6\n"]
    assert [
        o["data"]["text/plain"] for o in last if o.output_type == "execute_result"
    ] == ["0"]


def test_a_failing_cell_names_its_step_and_its_source(tmp_path):
    step = synthetic(tmp_path, 1, BROKEN_DEMO)
    notebooks.notebook_path(step).write_text(notebooks.render(step), encoding="utf-8")
    run = notebooks.execute(notebooks.notebook_path(step))
    assert run.error is not None
    assert run.error.startswith("step01: cell ")
    assert "\n    main()" in run.error  # the failing cell's source, indented
    assert "ZeroDivisionError" in run.error and "dezero.VALUE / 0" in run.error
    assert "\x1b[" not in run.error


def test_output_is_deterministic(tmp_path):
    step = synthetic(tmp_path, 2, ARGV_DEMO)
    text = notebooks.render(step)
    assert text == notebooks.render(step)
    data = json.loads(text)
    assert [c["id"] for c in data["cells"]] == [f"step02-{i:02d}" for i in range(11)]
    assert data["metadata"] == notebooks.METADATA and text.endswith("}\n")


def test_check_finds_missing_edited_and_stray_notebooks(tmp_path):
    synthetic(tmp_path, 1, BROKEN_DEMO)
    step = synthetic(tmp_path, 2, ARGV_DEMO)

    def tool(*args):
        return helpers.run_tool("notebooks", tmp_path, *args, timeout=120)

    proc = tool("--check")
    assert proc.returncode == 1
    assert "step01/step01.ipynb is missing" in proc.stdout
    assert tool("--steps", "1-2").stdout.splitlines() == [
        "wrote step01/step01.ipynb",
        "wrote step02/step02.ipynb",
    ]
    assert tool("--check").returncode == 0
    path = notebooks.notebook_path(step)
    path.write_text(path.read_text().replace("Nothing.", "Edited."), encoding="utf-8")
    shutil.copy(path, step / "step01.ipynb")  # as `cp -r step01 step02` would leave
    proc = tool("--check", "--steps", "2")
    assert proc.returncode == 1
    assert "step02/step02.ipynb differs" in proc.stdout
    assert "step02/step01.ipynb: not this step's name" in proc.stdout
    assert tool("--steps", "2").stdout == "wrote step02/step02.ipynb\n"

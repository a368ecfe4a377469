"""Every step's notebook: as tools/notebooks.py writes it, valid, runnable, readable.

The notebooks run top to bottom in real kernels (nbclient + ipykernel), all cores
at once, each in a copy of its step directory alone, so that nothing is written
into the repository; their outputs must fit the page (no cell prints more than
MAX_OUTPUT_LINES lines or shows a raw return value, no image is shown wider than
MAX_IMAGE_PX). tools/run_tests.py runs this module as a phase of its own.
"""

import ast
import base64
import json
import os
import re
import shutil
import struct
import time
import zlib
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
    hidden = [
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("jupyter", {}).get("source_hidden")
    ]
    assert hidden == [1], "one set-up cell, the second, with its source hidden"
    assert nb.cells[1].source == notebooks.setup_cell(demo_of(step))


def without_semicolon(line: str) -> str:
    """A cell's last line as demo.py has it: the tool may add `;` to an expression."""
    return re.sub(r";(\s*#.*)?$", r"\1", line).rstrip()


@pytest.mark.parametrize("step", WITH_NOTEBOOK, ids=IDS)
def test_the_code_cells_are_the_demo_line_for_line(step):
    """demo.py's lines all appear, in order; the tool adds only comments and glue."""
    demo = (step / "demo.py").read_text(encoding="utf-8").splitlines()
    expected = []
    for i, line in enumerate(demo):
        line = line.strip()
        if not line:
            continue
        if i == 0 and line.startswith('"""'):
            expected += ['__doc__ = """\\', line[3:]]
            continue
        exit_call = re.fullmatch(r"sys\.exit\((.*)\)", line)
        expected.append(exit_call.group(1) if exit_call else line)
    nb = nbformat.read(notebooks.notebook_path(step), as_version=4)
    got = []
    for cell in code_cells(nb)[1:]:  # after the set-up cell
        lines = [line.strip() for line in cell.splitlines() if line.strip()]
        got += lines[:-1] + [without_semicolon(lines[-1])]
    glue = {'sys.argv = ["demo.py"]'}
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
    assert list(rest) == []


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
    if demo_of(step).draws_graphs and shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed: the graphs are not drawn")
    assert "image/png" in shown, f"{step.name}: no figure shown"
    links = [
        o["data"]["text/markdown"]
        for o in outputs(run.notebook)
        if "text/markdown" in o.get("data", {})
    ]
    assert links and all(re.match(r"\[output/\S+\.png\]\(output/", t) for t in links)


# Demos that print more than a notebook cell should: the demo has to change.
TOO_LONG: dict[str, str] = {}  # step name -> why its output may not fit yet


@pytest.mark.parametrize("step", WITH_NOTEBOOK, ids=IDS)
def test_the_outputs_fit_the_page(runs, step):
    """No cell prints more than a screen or a raw return value; images fit the page."""
    run = runs["runs"][step.name]
    assert run.error is None, run.error
    problems = notebooks.output_problems(run.notebook)
    if step.name in TOO_LONG:
        long = [p for p in problems if re.fullmatch(r"cell \d+ prints \d+ lines.*", p)]
        assert long, f"{step.name} fits the page now: take it out of TOO_LONG"
        problems = [p for p in problems if p not in long]
    assert problems == []


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
        assert any("image/png" in o.get("data", {}) for o in outputs(run.notebook))


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
        ("code", notebooks.SETUP_HEAD.splitlines()[0]),
        ("markdown", "## What this step adds"),
        ("code", '__doc__ = """\\'),
        ("code", "# A comment above a definition goes with it."),
        ("code", "class Box:"),
        ("code", "def main(argv=None):"),
        ("code", RUN_COMMENT),
        ("markdown", "## Expected output"),
        ("markdown", "## Exercises"),
    ]
    head, run = code_cells(nb)[1], code_cells(nb)[-1]
    assert head.endswith("LIMIT = 3  # a constant joins the imports' cell")
    assert "(options: --times)" in run
    assert 'sys.argv = ["demo.py"]' in run
    assert run.endswith('\nif __name__ == "__main__":\n    main()')
    assert "sys.exit(main" not in run and "# sys.exit(...) is left out" in run
    assert "## not a heading" in nb.cells[2].source
    assert nb.cells[1].metadata == notebooks.HIDDEN


RUN_COMMENT = "# The script's last lines: a notebook's __name__ is \"__main__\" too."

LESSON = """\
# Step 03 — Where the code goes

Stage 1 · book step 03

## What this step adds, and why

An opening paragraph that names no code.

**Doubling.** `twice(x)` doubles its argument; the paragraph goes on
over two lines, to a colon:

- a list after a colon stays with its paragraph

**Boxes.** Nothing is named here.

**The constant.** `Box.value` is read from `dezero.VALUE`:

    an indented block stays with its paragraph

## Read the code

1. `step03/demo.py`: `twice`, `Box`, then `main`, which prints the sum.
2. `step03/tests/`: nothing.

## Run it

    python step03/demo.py

## Expected output

```
6
```
"""


def test_each_definition_follows_the_paragraph_that_explains_it(tmp_path):
    step = helpers.make_step(
        tmp_path,
        3,
        {"README.md": LESSON, "demo.py": ARGV_DEMO, "dezero.py": "VALUE = 1\n"},
    )
    nb = notebooks.build(step)
    kinds = [(c.cell_type, c.source.splitlines()[0]) for c in nb.cells]
    assert kinds == [
        ("markdown", "# Step 03 — Where the code goes"),
        ("code", notebooks.SETUP_HEAD.splitlines()[0]),
        ("markdown", "## What this step adds, and why"),
        (
            "markdown",
            "**Doubling.** `twice(x)` doubles its argument; the paragraph goes on",
        ),
        ("code", '__doc__ = """\\'),  # the imports go with the first definition
        ("code", "# A comment above a definition goes with it."),
        ("markdown", "**Boxes.** Nothing is named here."),  # a bold lead-in: a cell
        ("markdown", "**The constant.** `Box.value` is read from `dezero.VALUE`:"),
        ("code", "class Box:"),
        ("markdown", "## Read the code"),
        ("code", "def main(argv=None):"),  # named in the list's first item
        ("markdown", "2. `step03/tests/`: nothing."),
        ("markdown", "## Run it"),
        ("code", RUN_COMMENT),
        ("markdown", "## Expected output"),
    ]
    assert "An opening paragraph" in nb.cells[2].source
    doubling = nb.cells[3].source
    assert doubling.endswith("- a list after a colon stays with its paragraph")
    constant = nb.cells[7].source
    assert constant.endswith("    an indented block stays with its paragraph")
    assert nb.cells[9].source.endswith("which prints the sum.")


def test_placements_keep_both_orders_and_prefer_the_paragraph_naming_a_cell():
    cells = [
        notebooks.DemoCell("a", {"first"}, {"alpha"}),
        notebooks.DemoCell("b", {"second"}, {"beta"}),
        notebooks.DemoCell("c", {"third"}, set()),
    ]
    chunk = notebooks.Chunk
    chunks = [
        chunk("`second` is named first", 1.0, True),
        chunk("`first` and `alpha`", 1.0, True),
        chunk("`second`, again, and `beta`", 1.0, True),
        chunk("nothing", 1.0, True),
    ]
    # "second" is named before "first", but the code's order stays: b after a;
    # c, named nowhere, goes as late as it can.
    assert notebooks.placements(cells, chunks) == [1, 2, 3]
    # Named in a summary ("Read the code") and in the lesson: the lesson wins.
    summary = [chunk("`first`", notebooks.SUMMARY_WEIGHT, True), *chunks]
    assert notebooks.placements(cells, summary) == [2, 3, 4]
    assert notebooks.placements(cells, []) == [0, 0, 0]


def test_a_cell_ending_in_an_expression_shows_no_value():
    source = "x = 1\nprint(x)\nround(x)  # a value\n"
    tree = ast.parse(source)
    lines = source.splitlines()
    assert notebooks.quiet(lines[1], tree.body[1]) == "print(x)"
    assert notebooks.quiet(lines[2], tree.body[2]) == "round(x);  # a value"
    assert notebooks.quiet(lines[0], tree.body[0]) == "x = 1"


def test_argparse_inside_main_and_sys_exit_run_in_a_kernel(tmp_path):
    step = synthetic(tmp_path, 2, ARGV_DEMO)
    notebooks.notebook_path(step).write_text(notebooks.render(step), encoding="utf-8")
    run = notebooks.execute(notebooks.notebook_path(step))
    assert run.error is None, run.error
    last = [c for c in run.notebook.cells if c.cell_type == "code"][-1].outputs
    assert [o.get("text") for o in last if o.output_type == "stream"] == ["6\n"]
    assert [o for o in last if o.output_type == "execute_result"] == []
    assert notebooks.output_problems(run.notebook) == []


def png(width: int, height: int) -> bytes:
    """A grey PNG image of this size, written without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


FIGURE_DEMO = '''\
"""Step 04 demo: writes a wide image and a tall one to output/."""

import base64
import os

WIDE = "{wide}"
TALL = "{tall}"


def main():
    """Write output/wide.png and output/tall.png."""
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "output")
    os.makedirs(out, exist_ok=True)
    for name, data in (("wide.png", WIDE), ("tall.png", TALL)):
        with open(os.path.join(out, name), "wb") as f:
            f.write(base64.b64decode(data))
        print(f"wrote output/{{name}}")
    return 42


if __name__ == "__main__":
    main()
'''


def test_images_are_shown_scaled_to_the_page_with_a_link(tmp_path):
    demo = FIGURE_DEMO.format(
        wide=base64.b64encode(png(2000, 100)).decode(),
        tall=base64.b64encode(png(300, 3000)).decode(),
    )
    step = synthetic(tmp_path, 4, demo)
    assert notebooks.read_demo(demo).writes_figures
    notebooks.notebook_path(step).write_text(notebooks.render(step), encoding="utf-8")
    run = notebooks.execute(notebooks.notebook_path(step))
    assert run.error is None, run.error
    shown = code_cells_of(run.notebook)[-1].outputs  # the run cell's
    images = [o for o in shown if "image/png" in o.get("data", {})]
    widths = [o["metadata"]["image/png"]["width"] for o in images]
    most = notebooks.MAX_IMAGE_PX
    assert widths == [300 * most // 3000, most]  # tall.png, then wide.png
    links = [
        o["data"]["text/markdown"]
        for o in shown
        if "text/markdown" in o.get("data", {})
    ]
    assert links == [
        "[output/tall.png](output/tall.png) (300 × 3000 px)",
        "[output/wide.png](output/wide.png) (2000 × 100 px)",
    ]
    assert notebooks.output_problems(run.notebook) == []
    # Run again, as a student would: the rewritten images are shown again, once.
    rerun = notebooks.execute(notebooks.notebook_path(step), extra=(RERUN,))
    assert rerun.error is None, rerun.error
    again = code_cells_of(rerun.notebook)[-1].outputs
    assert sum("image/png" in o.get("data", {}) for o in again) == 2


RERUN = "import time\n\ntime.sleep(0.01)\nmain()"


def code_cells_of(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def output(kind: str, **fields):
    return nbformat.v4.new_output(kind, **fields)


def test_output_problems_finds_long_output_wide_images_and_raw_values():
    wide = base64.b64encode(png(1200, 10)).decode()
    scaled = {"image/png": {"width": 900}}
    value = {"text/plain": "(1, 2)"}
    outputs_of_cells = [
        [output("stream", name="stdout", text="x\n" * 41)],
        [output("stream", name="stdout", text="x\n" * 40)],
        [output("display_data", data={"image/png": wide})],
        [output("display_data", data={"image/png": wide}, metadata=scaled)],
        [output("display_data", data={"image/svg+xml": '<svg width="700pt">'})],
        [output("execute_result", data=value, execution_count=1)],
    ]
    nb = nbformat.v4.new_notebook()
    for outs in outputs_of_cells:
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = outs
        nb.cells.append(cell)
    assert notebooks.output_problems(nb) == [
        "cell 0 prints 41 lines (limit 40)",
        "cell 2 shows an image 1200 px wide (limit 900)",
        "cell 4 shows an SVG 933 px wide (limit 900)",
        "cell 5 shows the value it returns: '(1, 2)'",
    ]


def test_a_failing_cell_names_its_step_and_its_source(tmp_path):
    step = synthetic(tmp_path, 1, BROKEN_DEMO)
    notebooks.notebook_path(step).write_text(notebooks.render(step), encoding="utf-8")
    run = notebooks.execute(notebooks.notebook_path(step))
    assert run.error is not None
    assert run.error.startswith("step01: cell ")
    assert "\n        main()" in run.error  # the failing cell's source, indented
    assert "ZeroDivisionError" in run.error and "dezero.VALUE / 0" in run.error
    assert "\x1b[" not in run.error


def test_output_is_deterministic(tmp_path):
    step = synthetic(tmp_path, 2, ARGV_DEMO)
    text = notebooks.render(step)
    assert text == notebooks.render(step)
    data = json.loads(text)
    assert [c["id"] for c in data["cells"]] == [f"step02-{i:02d}" for i in range(10)]
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

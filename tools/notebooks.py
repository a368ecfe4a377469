#!/usr/bin/env python3
"""Generate each step's Jupyter notebook, stepNN/stepNN.ipynb, from its own files.

    python tools/notebooks.py                  # write the notebook of every step
    python tools/notebooks.py --steps 37-51    # only these steps
    python tools/notebooks.py --check          # exit 1 when one is missing or stale
    python tools/notebooks.py --execute        # run each one in a kernel, timed

Run it with the venv's Python (.venv/bin/python): it needs nbformat, and
--execute also needs nbclient and ipykernel (all in requirements.txt).

A notebook is the lesson (README.md, one Markdown cell per `## ` section) with
the demo (demo.py) placed before the lesson's "Expected output" section. The demo
is split without any marker in demo.py, which stays a plain script:

- a setup cell puts the notebook's own folder first on sys.path, so `import
  dezero` finds the snapshot beside it, even in a step folder copied alone;
- the demo's docstring, imports and constants form one cell, then each top-level
  function or class is a cell of its own, with the comments above it;
- the script's `if __name__ == "__main__":` block becomes the cell that runs the
  demo. A kernel's sys.argv holds the kernel's own arguments, so that cell first
  sets sys.argv to the demo's command line (when the demo reads it), and
  sys.exit(x) becomes x, because SystemExit would be an error in a kernel.
  When the demo writes figures to output/, the block runs inside
  show_figures(), which displays the new images inline and draws .dot graphs
  as SVG with Graphviz's dot.

The notebooks carry no outputs, and the output is deterministic (cell ids are
derived from the step and the cell's index), so --check can compare bytes.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from steplib import REPO_ROOT, choose_steps, find_steps

try:
    import nbformat
except ImportError:  # pragma: no cover - depends on the interpreter
    sys.exit("tools/notebooks.py needs nbformat: run it with .venv/bin/python")

DEMO_HEADING = "## The demo, cell by cell"
BEFORE_HEADING = "Expected output"  # the demo goes before this section
PIP_NAMES = {"PIL": "pillow", "cv2": "opencv-python", "sklearn": "scikit-learn"}
OPTIONAL = {"cupy": "cupy for a GPU"}  # imported only where a GPU is used
COPY_IGNORE = shutil.ignore_patterns(
    "output", "__pycache__", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints"
)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
DEFAULT_TIMEOUT = 600  # seconds allowed to one cell
METADATA = {
    "kernelspec": {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    },
    "language_info": {"name": "python"},
}

SETUP = """\
# Setup: this step's own dezero, the snapshot beside this notebook, comes first.
import os
import sys

STEP_DIR = os.path.abspath("")  # Jupyter starts the kernel in the notebook's folder
if not os.path.isfile(os.path.join(STEP_DIR, "demo.py")):
    raise RuntimeError(f"start the kernel in the step's folder, not in {{STEP_DIR}}")
if sys.path[0] != STEP_DIR:
    sys.path.insert(0, STEP_DIR)
for name in [m for m in sys.modules if m.split(".")[0] == "dezero"]:
    del sys.modules[name]  # a dezero imported before may be another step's
{rest}"""

SETUP_FILE = '__file__ = os.path.join(STEP_DIR, "demo.py")  # demo.py reads __file__\n'


SHOW_FIGURES = '''\
# show_figures(): the images that the with-block writes to output/, shown inline.
import contextlib


@contextlib.contextmanager
def show_figures(folder="output"):
    """Run the with-block, then show the images it wrote to folder, graphs as SVG."""
    import shutil
    import subprocess

    from IPython.display import SVG, Image, display

    folder = os.path.join(STEP_DIR, folder)

    def stamps():
        if not os.path.isdir(folder):
            return {}
        return {e.name: e.stat().st_mtime_ns for e in os.scandir(folder)}

    before = stamps()
    yield
    new = sorted(name for name, stamp in stamps().items() if before.get(name) != stamp)
    graphs = {os.path.splitext(name)[0] for name in new if name.endswith(".dot")}
    for name in new:
        path = os.path.join(folder, name)
        stem, ext = os.path.splitext(name)
        if ext == ".dot" and shutil.which("dot") is None:
            print(f"{name}: install Graphviz to see this graph")
        elif ext == ".dot":
            print(f"{name}, drawn by Graphviz:")
            svg = subprocess.run(["dot", "-Tsvg", path], capture_output=True, text=True)
            display(SVG(svg.stdout))
        elif ext == ".png" and stem not in graphs:
            display(Image(filename=path))
        elif ext == ".svg" and stem not in graphs:
            display(SVG(filename=path))
'''

DEMO_INTRO = """\
The cells below are `{step}/demo.py`, split at its top-level definitions. Run \
them in order (Shift-Enter), then change one and run it again: a redefined \
function is used by every cell run after it. The first cell imports the \
snapshot beside this notebook; the last one runs the demo as `python demo.py` \
would{figures}. Your edits stay in the notebook; `demo.py` does not change."""


# --- Reading a step ------------------------------------------------------------


@dataclass
class Demo:
    """What the notebook needs to know about a demo.py."""

    source: str
    tree: ast.Module
    lines: list[str]  # its source lines, the docstring assigned to __doc__
    reads_argv: bool  # argparse or sys.argv: the run cell sets sys.argv
    reads_file: bool  # __file__: the setup cell defines it
    writes_figures: bool  # output/, savefig or plot_dot_graph: show_figures()
    draws_graphs: bool  # Graphviz's dot: the install line names it
    options: list[str]  # the command-line options, for the run cell's comment


def read_demo(source: str) -> Demo:
    """Parse demo.py and note the names and strings the notebook depends on."""
    tree = ast.parse(source)
    lines = source.splitlines()
    names, attributes, strings, calls = set(), set(), set(), set()
    options = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            attributes.add(node.attr)
            if isinstance(node.value, ast.Name):
                attributes.add(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.add(node.value)
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else None
            called = func.id if isinstance(func, ast.Name) else called
            calls.add(called)
            if called == "add_argument":
                options += [
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant)
                    and str(a.value).startswith("--")
                    and a.value not in options
                ]
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
        )
    }
    if ast.get_docstring(tree, clean=False) is not None:
        # A kernel's __doc__ is IPython's, and a string atop a cell is no docstring
        # (ruff: E402 for the imports below it): assign the docstring to __doc__.
        # `"""\` + newline starts the same string on the next line, so no line
        # grows (the element keeps its index: AST line numbers stay valid).
        first = tree.body[0].lineno - 1
        quote = re.match(r'(?:"""|\'\'\')', lines[first])
        if quote:
            lines[first] = f"__doc__ = {quote.group()}\\\n{lines[first][3:]}"
        else:
            lines[first] = "__doc__ = " + lines[first]
    return Demo(
        source=source,
        tree=tree,
        lines=lines,
        reads_argv="argparse" in imported or "sys.argv" in attributes,
        reads_file="__file__" in names,
        writes_figures=bool(
            any(s.endswith((".png", ".svg", ".pdf", ".dot")) for s in strings)
            or {"savefig", "plot_dot_graph"} & calls
        ),
        draws_graphs=bool(
            "dot" in strings
            or "plot_dot_graph" in names | attributes
            or "graphviz" in source.lower()  # e.g. "Model.plot (needs Graphviz)"
        ),
        options=options,
    )


def third_party_imports(paths: list[Path]) -> set[str]:
    """Top-level modules imported by these files that are neither stdlib nor dezero."""
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "dezero"}


def install_note(step: Path, demo: Demo) -> str:
    """The first cell's note: what to install, how to open it, where it comes from."""
    sources = [step / "demo.py", *sorted(step.glob("dezero.py"))]
    sources += sorted((step / "dezero").rglob("*.py"))
    modules = third_party_imports(sources)
    needed = sorted(PIP_NAMES.get(m, m) for m in modules if m not in OPTIONAL)
    parts = [f"`pip install {' '.join([*needed, 'jupyterlab'])}`"]
    parts += [OPTIONAL[m] for m in sorted(modules) if m in OPTIONAL]
    if demo.draws_graphs:
        parts.append(
            "Graphviz for the graphs (`sudo apt-get install graphviz` or "
            "`brew install graphviz`)"
        )
    needs = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return (
        f"> **To run this notebook:** Python 3.11 or later, {needs}. Then run "
        f"`jupyter lab {step.name}.ipynb` in this folder, or "
        f"`make notebook STEP={int(step.name[4:])}` in the repository.\n>\n"
        "> This notebook is generated by `tools/notebooks.py` from this folder's "
        "`README.md` and `demo.py`: edit those files, not the notebook."
    )


# --- Splitting the lesson and the demo -------------------------------------------


def lesson_sections(text: str) -> list[str]:
    """The README split before each `## ` heading (outside fenced code blocks)."""
    sections, current, fence = [], [], None
    for line in text.splitlines():
        marker = re.match(r"\s*(```|~~~)", line)
        if marker and fence is None:
            fence = marker.group(1)
        elif marker and line.strip().startswith(fence):
            fence = None
        if fence is None and line.startswith("## ") and current:
            sections.append(current)
            current = []
        current.append(line)
    sections.append(current)
    return [s for s in ("\n".join(lines).strip("\n") for lines in sections) if s]


def is_main_guard(node: ast.stmt) -> bool:
    """True for `if __name__ == "__main__":`."""
    test = node.test if isinstance(node, ast.If) else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def exit_call(node: ast.stmt) -> tuple[bool, ast.expr | None]:
    """(True, x) for sys.exit(x), exit(x) or raise SystemExit(x), else (False, None)."""
    call = None
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        if (isinstance(func, ast.Name) and func.id in ("exit", "quit")) or (
            isinstance(func, ast.Attribute)
            and func.attr == "exit"
            and isinstance(func.value, ast.Name)
            and func.value.id == "sys"
        ):
            call = node.value
    elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
        func = node.exc.func
        if isinstance(func, ast.Name) and func.id == "SystemExit":
            call = node.exc
    if call is None or len(call.args) > 1 or call.keywords:
        return False, None
    return True, call.args[0] if call.args else None


def segment(lines: list[str], first: int, last: int) -> str:
    """Source lines first..last (1-based, inclusive) without blank edges."""
    return "\n".join(lines[first - 1 : last]).strip("\n")


def run_cell(demo: Demo, guard: ast.If, first: int) -> str:
    """The cell for the script's `if __name__ == "__main__":` block."""
    lines = demo.lines
    comments = [line for line in lines[first - 1 : guard.lineno - 1] if line.strip()]
    body, exits = [], False
    start = guard.body[0].lineno
    for stmt in guard.body:
        is_exit, value = exit_call(stmt)
        body += lines[start - 1 : stmt.lineno - 1]
        if not is_exit:
            body += lines[stmt.lineno - 1 : stmt.end_lineno]
        else:
            exits = True
            indent = lines[stmt.lineno - 1][: stmt.col_offset]
            if value is not None:
                text = ast.get_source_segment(demo.source, value)
                body += (indent + text).splitlines()
        start = stmt.end_lineno + 1
    body += lines[start - 1 : guard.end_lineno]
    body_text = "\n".join(body)

    head = [*comments, '# The script\'s `if __name__ == "__main__":` block.']
    if exits:
        head.append(
            "# sys.exit would be an error in a kernel: the cell shows its value."
        )
    if demo.reads_argv:
        options = ", ".join(demo.options)
        head.append(
            "# A kernel's sys.argv holds the kernel's own arguments, so set the demo's"
        )
        head += textwrap.wrap(
            "command line here" + (f" (options: {options})." if options else "."),
            width=86,
            initial_indent="# ",
            subsequent_indent="# ",
        )
        head.append('sys.argv = ["demo.py"]')
    if demo.writes_figures:
        return "\n".join([*head, "with show_figures():", body_text])
    return "\n".join([*head, textwrap.dedent(body_text)])


def demo_cells(demo: Demo) -> list[str]:
    """demo.py as code cells: head, one per definition, the run cell.

    Every line of demo.py lands in exactly one cell; comments and blank lines
    between two cells go to the later one.
    """
    body = demo.tree.body
    cells, first = [], 1
    for i, node in enumerate(body):
        end = node.end_lineno
        if is_main_guard(node):
            cells.append(run_cell(demo, node, first))
            first = end + 1
            continue
        nxt = body[i + 1] if i + 1 < len(body) else None
        definition = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        joins_next = (
            nxt is not None
            and not isinstance(node, definition)
            and not isinstance(nxt, definition)
            and not is_main_guard(nxt)
        )
        if joins_next:
            continue
        cells.append(segment(demo.lines, first, end))
        first = end + 1
    if first <= len(demo.lines) and segment(demo.lines, first, len(demo.lines)):
        cells[-1] += "\n\n" + segment(demo.lines, first, len(demo.lines))
    return [c for c in cells if c.strip()]


def setup_cells(demo: Demo) -> list[str]:
    """The code cells before the demo: sys.path, and show_figures() if it draws."""
    cells = [SETUP.format(rest=SETUP_FILE if demo.reads_file else "").rstrip("\n")]
    return cells + ([SHOW_FIGURES.rstrip("\n")] if demo.writes_figures else [])


# --- Building and writing notebooks ----------------------------------------------


def build(step: Path) -> nbformat.NotebookNode:
    """The notebook of one step directory, from its README.md and demo.py."""
    demo = read_demo((step / "demo.py").read_text(encoding="utf-8"))
    sections = lesson_sections((step / "README.md").read_text(encoding="utf-8"))
    title, *lines = sections[0].splitlines()
    first = "\n".join([title, "", install_note(step, demo), *lines]).rstrip()
    sections[0] = first
    figures = (
        ", and shows the figures it writes to `output/`" if demo.writes_figures else ""
    )
    intro = DEMO_INTRO.format(step=step.name, figures=figures)
    code = [*setup_cells(demo), *demo_cells(demo)]
    at = next(
        (
            i
            for i, s in enumerate(sections)
            if i and s.splitlines()[0].strip("# ").strip() == BEFORE_HEADING
        ),
        len(sections),
    )
    cells = [("markdown", s) for s in sections[:at]]
    cells += [("markdown", f"{DEMO_HEADING}\n\n{intro}")]
    cells += [("code", c) for c in code]
    cells += [("markdown", s) for s in sections[at:]]
    made = []
    for i, (kind, source) in enumerate(cells):
        cell_id = f"{step.name}-{i:02d}"
        if kind == "code":
            made.append(nbformat.v4.new_code_cell(source, id=cell_id))
        else:
            made.append(nbformat.v4.new_markdown_cell(source, id=cell_id))
    nb = nbformat.v4.new_notebook(cells=made, metadata=METADATA)
    nbformat.validate(nb)
    return nb


def notebook_path(step: Path) -> Path:
    """stepNN/stepNN.ipynb: a file name unique across the repository."""
    return step / f"{step.name}.ipynb"


def render(step: Path) -> str:
    """The notebook's file contents, byte for byte."""
    return nbformat.writes(build(step), version=4) + "\n"


def problems(step: Path) -> list[str]:
    """Why the step's committed notebook is not what this tool writes."""
    path = notebook_path(step)
    rel = f"{step.name}/{path.name}"
    found = []
    for stray in sorted(step.glob("*.ipynb")):
        if stray != path:
            found.append(f"{step.name}/{stray.name}: not this step's name; delete it")
    missing = [n for n in ("README.md", "demo.py") if not (step / n).is_file()]
    if missing:
        return [*found, f"{step.name}: no {' or '.join(missing)}: cannot build {rel}"]
    if not path.is_file():
        found.append(f"{rel} is missing")
    elif path.read_text(encoding="utf-8") != render(step):
        found.append(f"{rel} differs from what the tool writes (edited or saved?)")
    return found


# --- Executing notebooks -----------------------------------------------------------


@dataclass
class Run:
    """One notebook executed top to bottom in a fresh kernel."""

    step: str
    seconds: float
    error: str | None  # None when every cell ran
    notebook: object  # the executed NotebookNode, outputs included


def failure(step: str, nb, index: int | None, exc: BaseException) -> str:
    """The step, the failing cell's source and its error, readable in a test log."""
    if index is None:
        return f"{step}: {type(exc).__name__}: {exc}"
    cell = nb.cells[index]
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"].index(index)
    lines = [f"{step}: cell {index} (code cell {code + 1}) failed:"]
    lines += ["    " + line for line in cell.source.splitlines()]
    stderr = "".join(
        o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stderr"
    )
    lines += stderr.splitlines()[-20:]  # e.g. argparse's "error: unrecognized ..."
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        traceback = ANSI.sub("", "\n".join(errors[0].traceback))
        lines += traceback.splitlines()
    else:
        lines.append(f"{type(exc).__name__}: {ANSI.sub('', str(exc)).strip()}")
    return "\n".join(lines)


def execute(path: Path, timeout: float = DEFAULT_TIMEOUT, extra: tuple = ()) -> Run:
    """Run the notebook at path in a fresh kernel whose cwd is the notebook's folder.

    The kernel is this interpreter's ipykernel (no other kernelspec is looked up),
    talks over IPC sockets, and keeps its connection file and IPython profile in
    a temporary folder, so nothing is written beside the notebook but what its
    cells write. extra: source of code cells to append (tests use it).
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    for source in extra:
        nb.cells.append(nbformat.v4.new_code_cell(source, id=f"extra-{len(nb.cells)}"))
    current = {"index": None}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nbkernel_") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
        env.pop("MPLBACKEND", None)  # Jupyter's own default: the inline backend
        env["IPYTHONDIR"] = os.path.join(tmp, "ipython")
        km = AsyncKernelManager(
            kernel_name="python3",
            kernel_spec_manager=KernelSpecManager(kernel_dirs=[]),
            transport="ipc",
            connection_file=os.path.join(tmp, "kernel.json"),
        )
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            on_cell_start=on_cell_start,
            shutdown_kernel="immediate",
            resources={"metadata": {"path": str(path.parent)}},
        )
        error = None
        try:
            client.execute(cleanup_kc=True, env=env)  # shut the kernel down after
        except Exception as exc:  # every failure is reported, with its cell
            error = failure(path.parent.name, nb, current["index"], exc)
    return Run(path.parent.name, time.monotonic() - start, error, nb)


def execute_copies(
    steps: list[Path], jobs: int, timeout: float = DEFAULT_TIMEOUT, on_done=None
) -> list[Run]:
    """Copy each step directory alone into a temporary folder and run its notebook.

    jobs notebooks run at once, each in its own kernel process; nothing is
    written into the steps themselves. on_done(run) is called as each finishes.
    """

    def one(step: Path) -> Run:
        with tempfile.TemporaryDirectory(prefix="nbstep_") as tmp:
            copy = Path(tmp) / step.name
            shutil.copytree(step, copy, ignore=COPY_IGNORE)
            return execute(notebook_path(copy), timeout)

    runs = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for future in as_completed([pool.submit(one, step) for step in steps]):
            runs.append(future.result())
            if on_done:
                on_done(runs[-1])
    order = {step.name: i for i, step in enumerate(steps)}
    return sorted(runs, key=lambda run: order[run.step])


# --- Command line ------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write stepNN/stepNN.ipynb from each step's README.md and demo.py."
    )
    parser.add_argument("--steps", help="steps: 7, 1-10 or 3,5,7 (default: all)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="fail when a notebook is missing or stale"
    )
    mode.add_argument(
        "--execute", action="store_true", help="run the notebooks in kernels, timed"
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="for --execute"
    )
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    available = find_steps(root)
    try:
        chosen = choose_steps(available, args.steps, root) if args.steps else available
    except ValueError as exc:
        parser.error(str(exc))
    steps = [available[n] for n in chosen]
    if not steps:
        parser.error(f"no step directories under {root}")

    if args.check:
        found = [p for step in steps for p in problems(step)]
        for problem in found:
            print(problem)
        if found:
            print("regenerate with: .venv/bin/python tools/notebooks.py --steps N")
            return 1
        print(f"{len(steps)} notebooks are up to date")
        return 0

    if args.execute:
        runnable = [s for s in steps if notebook_path(s).is_file()]
        width = max(len(s.name) for s in steps)
        for step in sorted(set(steps) - set(runnable)):
            print(f"{step.name:<{width}}  no notebook")
        print(f"running {len(runnable)} notebooks, {max(1, args.jobs)} at a time")
        start = time.monotonic()

        def report(run: Run) -> None:
            status = "ok" if run.error is None else "FAILED"
            print(f"{run.step:<{width}}  {status}  {run.seconds:.1f}s", flush=True)

        runs = execute_copies(runnable, args.jobs, on_done=report)
        failed = [run for run in runs if run.error]
        total = time.monotonic() - start
        print(f"{len(runs)} notebooks ran in {total:.1f}s, {len(failed)} failed")
        for run in failed:
            print(run.error)
        return 1 if failed or len(runnable) < len(steps) else 0

    for step in steps:
        missing = [n for n in ("README.md", "demo.py") if not (step / n).is_file()]
        if missing:
            print(f"{step.name}: skipped, no {' or '.join(missing)}")
            continue
        path, text = notebook_path(step), render(step)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.write_text(text, encoding="utf-8")
        print(f"wrote {step.name}/{path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

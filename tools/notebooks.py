#!/usr/bin/env python3
"""Generate each step's Jupyter notebook, stepNN/stepNN.ipynb, from its own files.

    python tools/notebooks.py                  # write the notebook of every step
    python tools/notebooks.py --steps 37-51    # only these steps
    python tools/notebooks.py --check          # exit 1 when one is missing or stale
    python tools/notebooks.py --execute -j 2   # run each in a kernel, check outputs

Run it with the venv's Python (.venv/bin/python): it needs nbformat, and
--execute also needs nbclient and ipykernel (all in requirements.txt).

A notebook tells the lesson (README.md) with the demo's code (demo.py) between
its paragraphs, so that a student reads it top to bottom: the words, the code
they explain, its output. Nothing in demo.py or README.md marks the cells:

- the first cell is the lesson's title and what to install. The second is the
  set-up, one cell whose source is hidden (collapsed): it puts the notebook's own
  folder first on sys.path, so `import dezero` finds the snapshot beside it, even
  in a step folder copied alone. When the demo writes images, it also hooks a
  function to the end of every cell that shows the images the cell wrote to
  output/, scaled to at most MAX_IMAGE_PX wide and high, each with a link to
  the full-size file;
- the lesson before "Expected output" is cut into paragraphs (a list or a code
  block stays with the paragraph that introduces it, a list of its own is cut
  into items), and the demo into cells: its docstring, imports and constants go
  with the first definition, then each top-level function or class is a cell of
  its own. Each cell goes after the paragraph that explains it best: the one
  that names it in backquotes, else the one that introduces most of the names
  it uses (placements), while the lesson and the code both keep their order;
- the script's `if __name__ == "__main__":` block is the cell that runs the demo,
  at the end of the lesson's "Run it", before "Expected output". It is kept as
  it is (a kernel runs its cells as __main__ too), so Jupyter prints no value
  that main() returns; a kernel's sys.argv holds the kernel's own arguments, so
  the cell first sets sys.argv to the demo's command line (when the demo reads
  it), and sys.exit(x) becomes x, since SystemExit would be an error in a kernel.
  Any other cell that ends with an expression gets a `;` for the same reason.

The notebooks carry no outputs, and the output is deterministic (cell ids are
derived from the step and the cell's index), so --check can compare bytes.
--execute runs them and reports outputs over the limits (output_problems).
"""

from __future__ import annotations

import argparse
import ast
import base64
import builtins
import json
import keyword
import os
import re
import shutil
import struct
import sys
import tempfile
import textwrap
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from steplib import REPO_ROOT, choose_steps, find_steps

try:
    import nbformat
except ImportError:  # pragma: no cover - depends on the interpreter
    sys.exit("tools/notebooks.py needs nbformat: run it with .venv/bin/python")

BEFORE_HEADING = "Expected output"  # the demo runs before this section
SUMMARY_HEADINGS = ("read the code", "run it")  # naming a definition counts less
PIP_NAMES = {"PIL": "pillow", "cv2": "opencv-python", "sklearn": "scikit-learn"}
MODULE_OF = {"cupyx": "cupy"}  # cupyx comes with cupy
OPTIONAL = {"cupy": "cupy for a GPU"}  # imported only where a GPU is used
COPY_IGNORE = shutil.ignore_patterns(
    "output", "__pycache__", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints"
)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
DEFAULT_TIMEOUT = 600  # seconds allowed to one cell
MAX_OUTPUT_LINES = 40  # what one cell may print: a screen, not a page
MAX_IMAGE_PX = 900  # an image's displayed width (and height): the page's width
METADATA = {
    "kernelspec": {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    },
    "language_info": {"name": "python"},
}
# JupyterLab shows the set-up's input collapsed; Jupyter Book and nbconvert's
# TagRemovePreprocessor read the tag.
HIDDEN = {"jupyter": {"source_hidden": True}, "tags": ["hide-input"]}

SETUP_HEAD = """\
# Set-up: `import dezero` must find this step's snapshot, the folder of this notebook.
import os
import sys
"""

SETUP_HEAD_IMAGES = """\
# Set-up: `import dezero` must find this step's snapshot, the folder of this notebook,
# and the images that a cell writes to output/ are shown below it, scaled to the page.
import os
import struct
import sys

from IPython import get_ipython
from IPython.display import Image, Markdown, display
"""

SETUP = """
STEP_DIR = os.path.abspath("")  # Jupyter starts the kernel in the notebook's folder
if not os.path.isfile(os.path.join(STEP_DIR, "demo.py")):
    raise RuntimeError(f"start Jupyter in the step's folder, not in {STEP_DIR}")
if sys.path[0] != STEP_DIR:
    sys.path.insert(0, STEP_DIR)
for name in [m for m in sys.modules if m.split(".")[0] == "dezero"]:
    del sys.modules[name]  # a dezero imported before may be another step's
"""

SETUP_FILE = '__file__ = os.path.join(STEP_DIR, "demo.py")  # demo.py reads __file__\n'

SETUP_IMAGES = """
SHOWN = {{}}  # output/*.png: the modification time when last shown


def show_new_images(result=None, most={most}):
    folder = os.path.join(STEP_DIR, "output")
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        path = os.path.join(folder, name)
        if name.endswith(".png") and SHOWN.get(name) != os.stat(path).st_mtime_ns:
            SHOWN[name] = os.stat(path).st_mtime_ns
            with open(path, "rb") as f:
                w, h = struct.unpack(">II", f.read(24)[16:])
            if result is not None:  # after a cell (the call below notes the old ones)
                width = min(w, most, w * most // h)
                link = f"[output/{{name}}](output/{{name}}) ({{w}} × {{h}} px)"
                display(Image(filename=path, width=width), Markdown(link))


show_new_images()
hooks = get_ipython().events.callbacks["post_run_cell"]
hooks[:] = [h for h in hooks if h.__name__ != "show_new_images"] + [show_new_images]
"""

# Names too common to tie a cell to a paragraph (builtins count neither).
COMMON_NAMES = {"self", "np", "numpy", "dezero", "main", "py", "data"}
NAMED = 10.0  # a paragraph that names a definition in backquotes
SHARED_MOST = 3.0  # the most that the names a definition uses can add up to
SHARED_LEAST = 1.0  # less is chance: one name introduced there, or two named again
KEYWORD_WEIGHT = 0.5  # a keyword argument (stride=1) says less than a call
SUMMARY_WEIGHT = 0.6  # "Read the code" and "Run it" only list what is explained above


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
    modules = {MODULE_OF.get(m, m) for m in third_party_imports(sources)}
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
        f"> The code cells are `{step.name}/demo.py`, cut at its definitions and "
        "placed after the words that explain them; the hidden first cell makes "
        "`import dezero` find the snapshot in this folder. Run the cells in order "
        "(Shift-Enter), then change one and run it again: a redefined function is "
        "used by every cell run after it.\n>\n"
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


def quiet(line: str, stmt: ast.stmt) -> str:
    """line, the last of stmt, with `;` after stmt when it is an expression.

    IPython prints the value of a cell's last expression; `;` suppresses it.
    """
    if not isinstance(stmt, ast.Expr) or isinstance(stmt.value, ast.Constant):
        return line
    func = stmt.value.func if isinstance(stmt.value, ast.Call) else None
    if isinstance(func, ast.Name) and func.id == "print":
        return line  # None: nothing to suppress
    end = len(line.encode("utf-8")[: stmt.end_col_offset].decode("utf-8"))
    return line[:end] + ";" + line[end:]


def run_cell(demo: Demo, guard: ast.If, first: int) -> str:
    """The cell for the script's `if __name__ == "__main__":` block, kept as it is.

    A kernel runs its cells as __main__, so the block runs the demo; nothing is
    shown but what it prints, since an expression inside a block shows no value.
    sys.exit(x) becomes x: SystemExit would be an error in a kernel.
    """
    lines = demo.lines
    comments = [line for line in lines[first - 1 : guard.lineno - 1] if line.strip()]
    body, exits = [], False
    start = guard.lineno
    for stmt in guard.body:
        is_exit, value = exit_call(stmt)
        if not is_exit:
            continue
        exits = True
        body += lines[start - 1 : stmt.lineno - 1]
        indent = lines[stmt.lineno - 1][: stmt.col_offset]
        text = "pass" if value is None else ast.get_source_segment(demo.source, value)
        body += (indent + text).splitlines()
        start = stmt.end_lineno + 1
    body += lines[start - 1 : guard.end_lineno]

    head = [
        *comments,
        "# The script's last lines: a notebook's __name__ is \"__main__\" too.",
    ]
    if exits:
        head.append("# sys.exit(...) is left out: SystemExit would stop the kernel.")
    if demo.reads_argv:
        options = ", ".join(demo.options)
        head += textwrap.wrap(
            "A kernel's sys.argv holds the kernel's own arguments, so the demo's "
            "command line is set here"
            + (f" (options: {options})." if options else "."),
            width=86,
            initial_indent="# ",
            subsequent_indent="# ",
        )
        head.append('sys.argv = ["demo.py"]')
    return "\n".join([*head, *body])


@dataclass
class DemoCell:
    """A code cell cut from demo.py, with the names that tie it to the lesson."""

    source: str
    defines: set[str] = field(default_factory=set)  # the def or class it holds
    uses: set[str] = field(default_factory=set)  # names and attributes it reads
    keywords: set[str] = field(default_factory=set)  # keyword arguments it passes
    is_head: bool = False  # the docstring, imports and constants
    is_run: bool = False  # the `if __name__ == "__main__":` block


def names_in(nodes: list[ast.stmt]) -> tuple[set[str], set[str], set[str]]:
    """What these statements define at the top level, the names and attributes
    they use, and the keyword arguments they pass."""
    definition = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    defines = {n.name for n in nodes if isinstance(n, definition)}
    uses, keywords = set(), set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                uses.add(sub.id)
            elif isinstance(sub, ast.Attribute):
                uses.add(sub.attr)
            elif isinstance(sub, ast.keyword) and sub.arg:
                keywords.add(sub.arg)  # F.dropout(x, dropout_ratio=0.3)
    return defines, uses, keywords - uses


def demo_cells(demo: Demo) -> list[DemoCell]:
    """demo.py as code cells: head, one per definition, the run cell.

    Every line of demo.py lands in exactly one cell; comments and blank lines
    between two cells go to the later one.
    """
    body = demo.tree.body
    definition = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    cells, first, nodes = [], 1, []
    for i, node in enumerate(body):
        end = node.end_lineno
        if is_main_guard(node):
            cells.append(DemoCell(run_cell(demo, node, first), is_run=True))
            first, nodes = end + 1, []
            continue
        nodes.append(node)
        nxt = body[i + 1] if i + 1 < len(body) else None
        joins_next = (
            nxt is not None
            and not isinstance(node, definition)
            and not isinstance(nxt, definition)
            and not is_main_guard(nxt)
        )
        if joins_next:
            continue
        lines = list(demo.lines)
        lines[end - 1] = quiet(lines[end - 1], node)  # a cell's last expression
        defines, uses, keywords = names_in(nodes)
        is_head = not cells and not defines
        source = segment(lines, first, end)
        cells.append(DemoCell(source, defines, uses, keywords, is_head))
        first, nodes = end + 1, []
    rest = segment(demo.lines, first, len(demo.lines))
    if first <= len(demo.lines) and rest and cells:
        cells[-1].source += "\n\n" + rest
    return [c for c in cells if c.source.strip()]


def setup_cell(demo: Demo) -> str:
    """The one code cell before the demo: sys.path, __file__, the image hook."""
    head = SETUP_HEAD_IMAGES if demo.writes_figures else SETUP_HEAD
    source = head + SETUP + (SETUP_FILE if demo.reads_file else "")
    if demo.writes_figures:
        source += SETUP_IMAGES.format(most=MAX_IMAGE_PX)
    return source.rstrip("\n")


# --- Cutting the lesson into paragraphs --------------------------------------------


LIST_ITEM = re.compile(r"(\d+[.)]|[-*+]) ")


@dataclass
class Chunk:
    """A paragraph of the lesson: where a demo cell may follow."""

    text: str
    weight: float  # how much naming a definition here counts
    starts_cell: bool  # a heading or a bold lead-in opens a markdown cell


def blocks(text: str) -> list[str]:
    """text split at blank lines outside fenced code blocks."""
    found, current, fence = [], [], None
    for line in text.splitlines():
        marker = re.match(r"\s*(```|~~~)", line)
        if marker and fence is None:
            fence = marker.group(1)
        elif marker and line.strip().startswith(fence):
            fence = None
        if fence is None and not line.strip():
            if current:
                found.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        found.append("\n".join(current))
    return found


def list_items(block: str) -> list[str]:
    """A list block cut before each item that starts in the first column."""
    items = []
    for line in block.splitlines():
        if LIST_ITEM.match(line) or not items:
            items.append(line)
        else:
            items[-1] += "\n" + line
    return items


def paragraphs(section: str) -> list[str]:
    """A section's paragraphs: a heading joins the paragraph after it; a block
    after a colon, an indented or fenced block, a table, or a block that starts
    in lower case (a sentence going on) joins the one before it; a list of its
    own is cut into its items."""
    found, heading = [], ""
    for block in blocks(section):
        is_list = bool(LIST_ITEM.match(block))
        attached = (
            block[0].isspace()
            or block[0].islower()
            or block.startswith(("```", "~~~", "|"))
            or bool(found)
            and found[-1].endswith(":")
        )
        if found and not heading and attached:
            found[-1] += "\n\n" + block
            continue
        parts = list_items(block) if is_list else [block]
        if block.startswith("#") and len(block.splitlines()) == 1:
            heading += block + "\n\n"
            continue
        found += [heading + parts[0], *parts[1:]]
        heading = ""
    if heading:
        found.append(heading.rstrip("\n"))
    return found


def lesson_chunks(sections: list[str]) -> list[Chunk]:
    """The paragraphs of these lesson sections, weighted by section."""
    chunks = []
    for section in sections:
        title = section.splitlines()[0].lstrip("#").strip().lower()
        weight = SUMMARY_WEIGHT if title.startswith(SUMMARY_HEADINGS) else 1.0
        for text in paragraphs(section):
            opens = text.startswith(("#", "**", "__"))
            chunks.append(Chunk(text, weight, opens))
    return chunks


def code_names(text: str, parameters: bool = True) -> set[str]:
    """The identifiers inside the backquoted spans of a Markdown paragraph;
    without the parameters (`train` in `MNIST(train=True)`) unless asked."""
    spans = re.findall(r"`([^`]+)`", text)  # a span may go on over a line break
    if not parameters:
        spans = [re.sub(r"\b\w+\s*=(?!=)", " ", span) for span in spans]
    return {name for span in spans for name in re.findall(r"[A-Za-z_]\w*", span)}


def placements(cells: list[DemoCell], chunks: list[Chunk]) -> list[int]:
    """For each cell, the index of the chunk it follows.

    A cell scores NAMED where a chunk names what it defines (not as a
    parameter: `train` in `MNIST(train=True)` is not the demo's train), plus
    the names it uses that the chunk also names (each worth 1 where the lesson
    names it first, which is where it is introduced, else 1 / twice the number
    of chunks naming it; a keyword argument half that, and a parameter that the
    chunk names, as `to_file` in `show(to_file=None)`, only as a keyword;
    counted from SHARED_LEAST up to SHARED_MOST), times the chunk's weight.
    The best total over placements that keep both orders wins; on a tie a cell
    goes as late as it can, so a cell that no paragraph explains goes with the
    next one. The head cell goes with the first definition.
    """
    if not chunks:
        return [0] * len(cells)  # after the (empty) lesson
    named = [code_names(c.text) for c in chunks]
    referred = [code_names(c.text, parameters=False) for c in chunks]
    rarity = Counter(name for names in named for name in names)
    first = {}  # name: the chunk that names it first, where it is introduced
    for k, names in enumerate(named):
        for name in names:
            first.setdefault(name, k)
    ignored = COMMON_NAMES | set(dir(builtins)) | set(keyword.kwlist)

    def worth(name: str, k: int) -> float:
        return 1.0 if first[name] == k else 0.5 / rarity[name]

    def score(cell: DemoCell, k: int) -> float:
        shared = sum(
            worth(n, k) * (1.0 if n in cell.uses else KEYWORD_WEIGHT)
            for n in cell.uses & referred[k] | cell.keywords & named[k]
            if n not in ignored and len(n) > 2 and n not in cell.defines
        )
        hit = NAMED if cell.defines & referred[k] else 0.0
        shared = min(SHARED_MOST, shared) if shared >= SHARED_LEAST else 0.0
        return chunks[k].weight * (hit + shared)

    scored = [i for i, c in enumerate(cells) if not c.is_head]
    m = len(chunks)
    best = []  # best[j][k]: the best total for scored[:j + 1], the last after k
    for j, i in enumerate(scored):
        row = [score(cells[i], k) for k in range(m)]
        if j:
            running = float("-inf")
            for k in range(m):
                running = max(running, best[j - 1][k])
                row[k] += running
        best.append(row)
    where, limit = {}, m - 1
    for j in reversed(range(len(scored))):
        top = max(best[j][: limit + 1])
        limit = max(k for k in range(limit + 1) if best[j][k] >= top - 1e-9)
        where[scored[j]] = limit
    after = m - 1
    for i in reversed(range(len(cells))):
        after = where.get(i, after)  # the head cell takes the next cell's place
        where[i] = after
    return [where[i] for i in range(len(cells))]


# --- Building and writing notebooks ----------------------------------------------


def build(step: Path) -> nbformat.NotebookNode:
    """The notebook of one step directory, from its README.md and demo.py."""
    demo = read_demo((step / "demo.py").read_text(encoding="utf-8"))
    sections = lesson_sections((step / "README.md").read_text(encoding="utf-8"))
    title, *lines = sections[0].splitlines()
    first = "\n".join([title, "", install_note(step, demo), *lines]).rstrip()
    at = next(
        (
            i
            for i, s in enumerate(sections)
            if i and s.splitlines()[0].strip("# ").strip() == BEFORE_HEADING
        ),
        len(sections),
    )
    chunks = lesson_chunks(sections[1:at])
    code = demo_cells(demo)
    runs = [c for c in code if c.is_run]
    defs = [c for c in code if not c.is_run]
    where = placements(defs, chunks)

    placed = {k: [c for c, w in zip(defs, where, strict=True) if w == k] for k in where}
    cells = [("markdown", first, {}), ("code", setup_cell(demo), HIDDEN)]
    for k, chunk in enumerate(chunks):
        if chunk.starts_cell or cells[-1][0] == "code" or k == 0:
            cells.append(("markdown", chunk.text, {}))
        else:
            kind, text, meta = cells[-1]
            cells[-1] = (kind, text + "\n\n" + chunk.text, meta)
        cells += [("code", c.source, {}) for c in placed.get(k, [])]
    cells += [("code", c.source, {}) for c in placed.get(len(chunks), [])]
    cells += [("code", c.source, {}) for c in runs]
    cells += [("markdown", s, {}) for s in sections[at:]]
    made = []
    for i, (kind, source, meta) in enumerate(cells):
        cell_id = f"{step.name}-{i:02d}"
        if kind == "code":
            made.append(
                nbformat.v4.new_code_cell(
                    source, id=cell_id, metadata=json.loads(json.dumps(meta))
                )
            )
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


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG image, from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("png_size: not a PNG image (bad signature)")
    return struct.unpack(">II", data[16:24])


def svg_width(svg: str) -> float | None:
    """The displayed width of an SVG in px (pt converted), None when relative."""
    root = re.search(r"<svg\b[^>]*>", svg)
    width = re.search(r'\swidth="([\d.]+)(px|pt)?"', root.group()) if root else None
    if width is None:
        return None
    return float(width.group(1)) * (4 / 3 if width.group(2) == "pt" else 1)


def output_problems(nb, lines: int = MAX_OUTPUT_LINES, px: int = MAX_IMAGE_PX):
    """What in an executed notebook a student should not have to scroll past.

    A code cell's text (printed, and any value shown) over `lines` lines; an
    image displayed wider than `px`; a value Jupyter printed because a cell ended
    with an expression (an execute_result: a raw return value).
    """
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"cell {index}"
        text = ""
        for out in cell.outputs:
            kind = out.get("output_type")
            data = out.get("data", {})
            if kind == "stream":
                text += out.get("text", "")
            elif kind == "execute_result":
                shown = data.get("text/plain", "")
                found.append(f"{where} shows the value it returns: {shown[:60]!r}")
                text += shown + "\n"
            if "image/png" in data:
                meta = out.get("metadata", {}).get("image/png", {})
                width = (
                    meta.get("width")
                    or png_size(base64.b64decode(data["image/png"]))[0]
                )
                if width > px:
                    found.append(f"{where} shows an image {width} px wide (limit {px})")
            if "image/svg+xml" in data:
                width = svg_width(data["image/svg+xml"])
                if width is not None and width > px:
                    found.append(
                        f"{where} shows an SVG {width:.0f} px wide (limit {px})"
                    )
        count = len(text.splitlines())
        if count > lines:
            found.append(f"{where} prints {count} lines (limit {lines})")
    return found


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
        "--execute",
        action="store_true",
        help="run the notebooks in kernels, timed, and check that outputs fit the page",
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
            if run.error is None:
                run.error = (
                    "\n".join(f"{run.step}: {p}" for p in output_problems(run.notebook))
                    or None
                )
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

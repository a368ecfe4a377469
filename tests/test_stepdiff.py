"""Tests of tools/stepdiff.py on synthetic step directories (and real ones)."""

import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import load_tool

REPO = Path(__file__).resolve().parent.parent
stepdiff = load_tool("stepdiff")

HEAD = '''"""Tiny framework."""

import numpy as np


class Variable:
    def __init__(self, data):
        self.data = data
        self.grad = None
        self.creator = None

    def set_creator(self, func):
        self.creator = func
'''
RECURSIVE = """
    def backward(self):
        f = self.creator
        if f is not None:
            x = f.input
            x.grad = f.backward(self.grad)
            x.backward()
"""
LOOP = """
    def backward(self):
        funcs = [self.creator]
        while 0 < len(funcs):
            f = funcs.pop()
            x = f.input
            x.grad = f.backward(f.output.grad)
            if x.creator is not None:
                funcs.append(x.creator)
"""
TAIL = '''

class Function:
    def __call__(self, input):
        x = input.data
        y = self.forward(x)
        output = Variable(y)
        output.set_creator(self)
        self.input = input
        self.output = output
        return output

    def forward(self, x):
        raise NotImplementedError()

    def backward(self, gy):
        raise NotImplementedError()


class Square(Function):
    def forward(self, x):
        return x**2

    def backward(self, gy):
        return 2 * self.input.data * gy


def is_negative(x):
    """True for x < 0."""
    return x < 0
'''
ADD = """

def add(x0, x1):
    return Add()(x0, x1)


Variable.__add__ = add
"""
CONFIG = """

class Config:
    enable_backprop = True
"""
STEP01 = HEAD + RECURSIVE + TAIL
# Reformatted set_creator (same AST) and the loop version of backward.
STEP02 = (HEAD + LOOP + TAIL).replace(
    "self.creator = func", "self.creator = (func)  # a link back"
)
CLEARGRAD = "\n    def cleargrad(self):\n        self.grad = None\n"
STEP03 = STEP02.replace(LOOP, LOOP + CLEARGRAD) + ADD
STEP04_CORE = STEP03 + CONFIG


def write(root, files):
    """Create files {relative path: text} under root."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def root(tmp_path):
    """Four synthetic steps: loop backward, move into a package, copy to core."""
    write(
        tmp_path,
        {
            "step01/dezero.py": STEP01,
            "step01/demo.py": "print('step 1')\n",
            "step02/dezero.py": STEP02,
            "step02/demo.py": "print('step 2')\n",
            "step02/README.md": "# Step 2\n\nclass Foo: def if < while\n",
            "step02/output/figure.png": "not really a png",
            "step01/step01.ipynb": '{"cells": []}\n',  # generated from README + demo
            "step02/step02.ipynb": '{"cells": ["print(2)"]}\n',
            "step02/__pycache__/dezero.cpython-311.pyc": "bytecode",
            "step02/.pytest_cache/v/cache": "{}",
            "step03/dezero/__init__.py": "from dezero.core_simple import Variable\n",
            "step03/dezero/core_simple.py": STEP03,
            "step04/dezero/__init__.py": "from dezero.core_simple import Variable\n",
            "step04/dezero/core_simple.py": STEP03,
            "step04/dezero/core.py": STEP04_CORE,
        },
    )
    return tmp_path


def run(capsys, root, *args):
    """Run the CLI without colour; return (exit status, stdout, stderr)."""
    status = stepdiff.main([*map(str, args), "--root", str(root), "--color=never"])
    out, err = capsys.readouterr()
    return status, out, err


def section(text, headline):
    """The lines of one file's diff in the text output, headline included."""
    lines = text.splitlines()
    start = lines.index(headline)
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_summary_lists_exactly_the_changed_method(capsys, root):
    status, out, err = run(capsys, root, 1, 2, "--summary")
    assert (status, err) == (0, "")
    assert out == (
        "step01 -> step02: 1 file changed (+7 -5)\n"
        "\n"
        "dezero.py: +7 -5\n"
        "  changed: Variable.backward\n"
        "(demo.py also changed, +1 -1: --all shows it)\n"
    )


def test_one_step_is_compared_with_its_predecessor(capsys, root):
    assert run(capsys, root, 2) == run(capsys, root, 1, 2)
    assert run(capsys, root, "step02")[1].startswith("step01 -> step02: ")


def test_formatting_and_comments_are_not_structural_changes():
    old = "def f(x):\n    return x + 1\n"
    new = "def f(x):  # comment\n    return (x +\n            1)\n"
    assert stepdiff.outline_changes(old, new) == []
    docstring = 'def f(x):\n    """Add one."""\n    return x + 1\n'
    assert stepdiff.outline_changes(old, docstring) == [("changed", ["f"])]


def test_summary_reports_module_level_assignments_and_imports():
    old = "import numpy as np\n\nclass V:\n    pass\n"
    new = old + "\ndef add(a, b):\n    return a\n\nV.__add__ = add\nV.__mul__ = add\n"
    new = new.replace("import numpy as np", "import numpy as np\nimport weakref")
    assert stepdiff.outline_changes(old, new) == [
        ("added", ["add"]),
        ("added assignments", ["V.__add__", "V.__mul__"]),
        ("added imports", ["weakref"]),
    ]
    assert stepdiff.outline_changes(new, old) == [
        ("removed", ["add"]),
        ("removed assignments", ["V.__add__", "V.__mul__"]),
        ("removed imports", ["weakref"]),
    ]


def test_module_docstring_is_listed_only_for_an_existing_module():
    doc = '"""Docs."""\n\nx = 1\n'
    assert stepdiff.outline_changes("", doc) == [("added assignments", ["x"])]
    assert stepdiff.outline_changes("x = 1\n", doc) == [("added", ["module docstring"])]
    changed = doc.replace("Docs", "More docs")
    assert stepdiff.outline_changes(doc, changed) == [("changed", ["module docstring"])]


def test_new_class_is_listed_without_its_methods():
    new = "class C:\n    x = 1\n\n    def f(self):\n        pass\n"
    assert stepdiff.outline_changes("", new) == [("added", ["C"])]
    changed_body = new.replace("x = 1", "x = 2")
    assert stepdiff.outline_changes(new, changed_body) == [("changed", ["C"])]


def test_move_into_a_package_is_a_rename_with_only_the_small_hunk(capsys, root):
    status, out, _ = run(capsys, root, 2, 3)
    assert status == 0
    assert out.splitlines()[0] == "step02 -> step03: 2 files changed (+11 -0)"
    assert "deleted: dezero.py" not in out
    assert "added: dezero/core_simple.py" not in out
    lines = section(out, "renamed: dezero.py -> dezero/core_simple.py (91% similar)")
    assert lines[1:3] == ["--- step02/dezero.py", "+++ step03/dezero/core_simple.py"]
    changed = [line for line in lines[3:] if line[:1] in "+-"]
    assert changed == [
        "+",
        "+    def cleargrad(self):",
        "+        self.grad = None",
        "+",
        "+",
        "+def add(x0, x1):",
        "+    return Add()(x0, x1)",
        "+",
        "+",
        "+Variable.__add__ = add",
    ]
    summary = out.split("\n\n")[1].splitlines()
    assert summary == [
        "dezero/__init__.py (new file): +1 -0",
        "  added imports: dezero.core_simple.Variable",
        "dezero.py -> dezero/core_simple.py: +10 -0",
        "  added: Variable.cleargrad, add",
        "  added assignments: Variable.__add__",
        "(demo.py is gone, +0 -1: --all shows it)",
    ]


def test_new_modified_copy_of_a_kept_file_is_a_copy(capsys, root):
    status, out, _ = run(capsys, root, 3, 4)
    assert status == 0
    assert out.splitlines()[:5] == [
        "step03 -> step04: 1 file changed (+4 -0)",
        "",
        "dezero/core.py (copy of dezero/core_simple.py): +4 -0",
        "  added: Config",
        "",
    ]
    lines = section(
        out, "copied: dezero/core.py (copy of dezero/core_simple.py, 97% similar)"
    )
    assert lines[1:3] == [
        "--- step03/dezero/core_simple.py",
        "+++ step04/dezero/core.py",
    ]
    # Identical files are not shown at all.
    assert "dezero/__init__.py" not in out
    assert "modified: dezero/core_simple.py" not in out


def test_best_match_wins_for_renames(tmp_path):
    body = [f"line {i}" for i in range(20)]
    write(
        tmp_path,
        {
            "step01/dezero/a.py": "\n".join(body) + "\n",
            "step01/dezero/b.py": "\n".join(body[:12] + ["other"] * 8) + "\n",
            "step02/dezero/c.py": "\n".join(body[:19] + ["new"]) + "\n",
        },
    )
    diff = stepdiff.compare(tmp_path / "step01", tmp_path / "step02")
    assert [(c.status, c.old_path, c.new_path) for c in diff.files] == [
        ("deleted", "dezero/b.py", None),
        ("renamed", "dezero/a.py", "dezero/c.py"),
    ]


def test_all_adds_demo_readme_and_skips_generated_files(capsys, root):
    _, framework_only, _ = run(capsys, root, 1, 2)
    assert "modified: demo.py" not in framework_only
    assert "\n(demo.py also changed, +1 -1: --all shows it)\n" in framework_only
    _, out, _ = run(capsys, root, 1, 2, "--all", "--no-summary")
    headlines = [line for line in out.splitlines() if line.split(":")[0].isalpha()]
    assert headlines == ["added: README.md", "modified: demo.py", "modified: dezero.py"]
    assert out.splitlines()[0] == "step01 -> step02: 3 files changed (+11 -6)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((9,), "stepdiff: error: step09 not found in "),
        ((1, 9), "stepdiff: error: step09 not found in "),
        (("x",), "stepdiff: error: bad step number: 'x' (expected 1 to 99)"),
        ((0, 1), "stepdiff: error: bad step number: '0' (expected 1 to 99)"),
        ((1,), "stepdiff: error: step01 has no predecessor; name two steps"),
    ],
)
def test_bad_steps_exit_2_with_a_message(capsys, root, args, message):
    status, out, err = run(capsys, root, *args)
    assert (status, out) == (2, "")
    assert err.startswith(message)


def test_color_only_when_asked(capsys, root, monkeypatch):
    args = ["1", "2", "--root", str(root)]
    assert stepdiff.main([*args, "--color", "always"]) == 0
    colored = capsys.readouterr().out
    assert "\033[31m-            x.backward()\033[0m" in colored
    assert "  \033[33mchanged\033[0m: Variable.backward" in colored
    assert stepdiff.main([*args, "--color", "never"]) == 0
    assert "\033[" not in capsys.readouterr().out
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not stepdiff.use_color("auto")
    monkeypatch.delenv("NO_COLOR")
    assert stepdiff.use_color("auto")


class PageChecker(HTMLParser):
    """Checks tag nesting and collects the text of each row's code cells."""

    VOID = {"meta", "col", "br", "hr", "img", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.rows, self.cell = [], [], None
        self.spans = []  # colspan of every code cell, in order

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "tr":
            self.rows.append([])
        css = dict(attrs).get("class") or ""
        if tag == "td" and css.split()[:1] == ["code"]:
            self.cell = [css, ""]
            self.rows[-1].append(self.cell)
            self.spans.append(int(dict(attrs).get("colspan") or 1))

    def handle_endtag(self, tag):
        assert self.stack.pop() == tag, f"</{tag}> closes something else"
        if tag == "td":
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def check_page(page):
    """Parse a page; return its table rows as [[class, text], ...] lists."""
    assert page.startswith("<!DOCTYPE html>\n")
    checker = PageChecker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    return checker.rows


def test_html_page_is_self_contained_and_side_by_side(capsys, root, tmp_path):
    target = tmp_path / "out" / "diff.html"
    status, out, _ = run(capsys, root, 1, 2, "--html", target)
    assert (status, out) == (0, f"wrote {target}\n")
    page = target.read_text()
    for banned in ("http://", "https://", "<script", "<link", "@import", "url("):
        assert banned not in page
    assert stepdiff.CSS_PATH.read_text() in page
    assert "</span> &lt; len(funcs):" in page and "< len" not in page
    assert '<span class="changed">changed:</span> Variable.backward' in page
    rows = check_page(page)
    pairs = [(left[1], right[1]) for left, right in (r for r in rows if len(r) == 2)]
    assert ("        if f is not None:", "        while 0 < len(funcs):") in pairs
    assert ("", "                funcs.append(x.creator)") in pairs
    assert (
        "        self.creator = func",
        "        self.creator = (func)  # a link back",
    ) in pairs
    # Python is highlighted, intra-line changes are marked.
    assert '<span class="t-kw">def</span> <span class="t-def">backward</span>' in page
    assert '<span class="t-com chg"># a link back</span>' in page
    assert 'f.backward(<span class="chg">self</span>.grad)</td>' in page
    assert 'f.backward(<span class="chg">f.output</span>.grad)</td>' in page


def test_html_collapses_long_unchanged_runs(tmp_path):
    lines = [f"x{i} = {i}" for i in range(1, 31)]
    write(tmp_path, {"step01/dezero.py": "\n".join(lines) + "\n"})
    lines[14] = "x15 = 'fifteen'"
    write(tmp_path, {"step02/dezero.py": "\n".join(lines) + "\n"})
    diff = stepdiff.compare(tmp_path / "step01", tmp_path / "step02")
    page = stepdiff.render_html(diff)
    rows = check_page(page)
    assert "… 11 unchanged lines" in page and "… 12 unchanged lines" in page
    assert len(rows) == 1 + 1 + 3 + 1 + 3 + 1  # head, skip, context, change, ...
    assert rows[5][1] == ["code ins", "x15 = 'fifteen'"]


def test_html_of_rename_copy_and_text_files(root, capsys, tmp_path):
    for args in ((2, 3), (3, 4), (1, 4, "--all")):
        target = tmp_path / "page.html"
        assert run(capsys, root, *args, "--html", target)[0] == 0
        rows = check_page(target.read_text())
        assert rows
    page = stepdiff.render_html(
        stepdiff.compare(root / "step01", root / "step02", True)
    )
    readme = page.split("added: README.md")[1].split("</section>")[0]
    assert "class Foo: def if &lt; while" in readme
    assert "t-kw" not in readme
    page = stepdiff.render_html(stepdiff.compare(root / "step03", root / "step04"))
    assert (
        "<h2>copied: dezero/core.py (copy of dezero/core_simple.py, 97% similar)</h2>"
        in page
    )


def test_programmatic_api_returns_strings(root):
    diff = stepdiff.compare(root / "step01", root / "step02")
    assert [(c.status, c.added, c.removed) for c in diff.files] == [("modified", 7, 5)]
    text = stepdiff.render_text(diff, summary=False)
    assert text.startswith("step01 -> step02: 1 file changed (+7 -5)\n\nmodified:")
    assert "changed: Variable.backward" not in text
    assert "@@ -10,14 +10,16 @@" in text


REAL_STEPS = pytest.mark.skipif(
    not all((REPO / f"step{n:02d}").is_dir() for n in (1, 7, 8, 10)),
    reason="real step directories step01, step07, step08, step10 not written yet",
)


@REAL_STEPS
def test_real_step_08_only_changes_variable_backward(capsys):
    assert stepdiff.main(["7", "8", "--summary", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("  ")] == [
        "  changed: Variable.backward"
    ]


@REAL_STEPS
def test_real_steps_1_to_10_html_is_written(capsys, tmp_path):
    target = tmp_path / "diff.html"
    assert stepdiff.main(["1", "10", "--all", "--html", str(target)]) == 0
    rows = check_page(target.read_text())
    assert len(rows) > 100


def test_binary_files_are_summarised_not_dumped(tmp_path):
    write(tmp_path, {"step01/README.md": "# One\n", "step02/README.md": "# One\n"})
    (tmp_path / "step02" / "data.npz").write_bytes(b"PK\0\x01\x02binary")
    diff = stepdiff.compare(tmp_path / "step01", tmp_path / "step02", True)
    text = stepdiff.render_text(diff)
    assert text.splitlines()[-2:] == ["@@ -0,0 +1 @@", "+(binary file, 11 bytes)"]


def test_a_file_that_moved_and_grew_is_still_a_rename(tmp_path):
    # Over a whole stage dezero.py becomes a third of dezero/core_simple.py.
    body = [f"line {i}" for i in range(20)]
    write(
        tmp_path,
        {
            "step01/dezero.py": "\n".join(body) + "\n",
            "step02/dezero/core_simple.py": "\n".join(body + ["more"] * 40) + "\n",
            "step02/dezero/__init__.py": "from dezero.core_simple import Variable\n",
        },
    )
    diff = stepdiff.compare(tmp_path / "step01", tmp_path / "step02")
    assert [(c.status, c.old_path, c.new_path) for c in diff.files] == [
        ("added", None, "dezero/__init__.py"),
        ("renamed", "dezero.py", "dezero/core_simple.py"),
    ]


TRY_CUPY = """import numpy as np

try:
    import cupy

    array_types = (np.ndarray, cupy.ndarray)
except ImportError:
    array_types = (np.ndarray,)
"""


def test_a_block_is_named_by_what_it_binds_never_by_its_first_line():
    # Step 52's core.py: the summary once said "added statements: try:".
    assert stepdiff.outline_changes("import numpy as np\n", TRY_CUPY) == [
        ("added assignments", ["array_types"]),
        ("added imports", ["cupy"]),
    ]
    # A second block that binds an already bound name is no bare statement either.
    twice = TRY_CUPY + "\ntry:\n    import cupy\nexcept ImportError:\n    cupy = None\n"
    assert stepdiff.outline_changes(TRY_CUPY, twice) == [
        ("added assignments", ["cupy"])
    ]
    changed = TRY_CUPY.replace("(np.ndarray,)", "(np.ndarray, list)")
    assert stepdiff.outline_changes(TRY_CUPY, changed) == [
        ("changed assignments", ["array_types"])
    ]


def test_main_block_calls_and_empty_blocks_are_named():
    main = 'def main():\n    pass\n\n\nif __name__ == "__main__":\n    main()\n'
    assert stepdiff.outline_changes("", main) == [("added", ["main", "__main__ block"])]
    moved = main.replace("    main()", "    main()\n    print('done')")
    assert stepdiff.outline_changes(main, moved) == [("changed", ["__main__ block"])]
    calls = "setup_variable()\n\nfor name in NAMES:\n    register(name)\n"
    assert stepdiff.outline_changes("", calls) == [
        ("added calls", ["setup_variable()", "register(name)"])
    ]
    # Only code that binds and calls nothing is named by its first line.
    assert stepdiff.outline_changes("", "if DEBUG:\n    pass\n") == [
        ("added statements", ["if DEBUG:"])
    ]


def long_step(tmp_path, extra):
    """step01/step02 where step02's dezero.py gains `extra` (plus 70 lines)."""
    filler = "".join(f"N{i} = {i}\n" for i in range(70))
    write(
        tmp_path,
        {
            "step01/dezero.py": STEP01,
            "step02/dezero.py": STEP01 + extra + "\n\n" + filler,
        },
    )
    return stepdiff.compare(tmp_path / "step01", tmp_path / "step02")


def test_a_long_diff_starts_with_the_definitions_the_step_adds(tmp_path):
    diff = long_step(tmp_path, ADD + "\n\nclass Add(Function):\n    pass\n")
    lines = stepdiff.render_text(diff, summary=False).splitlines()
    assert lines[1:5] == [
        "",
        "Start here: the definitions step02 adds",
        "  dezero.py: add, Add",
        "",
    ]
    # A short diff needs no pointer: its summary is the first screen.
    short = stepdiff.compare(tmp_path / "step01", tmp_path / "step01")
    assert "Start here" not in stepdiff.render_text(short)


def test_start_here_names_changed_definitions_when_nothing_is_added(tmp_path):
    # Only the module docstring and assignments change: nothing to point at.
    docstring = STEP01.replace("Tiny framework.", "Tiny framework, longer docstring.")
    change = stepdiff.FileChange(
        "modified", "dezero.py", "dezero.py", STEP01.split("\n"), docstring.split("\n")
    )
    diff = stepdiff.StepDiff("step01", "step02", [change])
    assert change.structure == [("changed", ["module docstring"])]
    assert stepdiff.core_definitions(diff) == ("", [])
    changed = STEP01.replace("return x < 0", "return x <= 0")
    write(tmp_path, {"step01/dezero.py": STEP01, "step02/dezero.py": changed})
    diff = stepdiff.compare(tmp_path / "step01", tmp_path / "step02")
    action, found = stepdiff.core_definitions(diff)
    assert (action, [(c.new_path, names) for c, names in found]) == (
        "changed",
        [("dezero.py", ["is_negative"])],
    )


def test_start_here_puts_the_framework_and_new_files_first(tmp_path):
    write(
        tmp_path,
        {
            "step01/dezero/core.py": "X = 1\n",
            "step01/demo.py": "print(1)\n",
            "step02/dezero/core.py": "X = 1\n\n\ndef later():\n    pass\n",
            "step02/dezero/cuda.py": "def get_array_module(x):\n    return x\n",
            "step02/demo.py": "def fit():\n    pass\n",
            "step02/tests/test_cuda.py": "def test_it():\n    pass\n",
        },
    )
    diff = stepdiff.compare(tmp_path / "step01", tmp_path / "step02", True)
    action, found = stepdiff.core_definitions(diff)
    assert action == "added"
    assert [(c.new_path, names) for c, names in found] == [
        ("dezero/cuda.py", ["get_array_module"]),
        ("dezero/core.py", ["later"]),
        ("demo.py", ["fit"]),
    ]


def test_long_summary_lines_wrap_under_their_text(tmp_path):
    defs = "".join(f"\n\ndef function_number_{i}(x):\n    return x\n" for i in range(8))
    diff = long_step(tmp_path, defs)
    lines = stepdiff.render_text(diff, body=False).splitlines()
    added = lines[lines.index("dezero.py: +104 -0") + 1 :]
    assert added[0].startswith("  added: function_number_0, ")
    assert added[1].startswith("      function_number_")
    assert max(map(len, lines)) <= stepdiff.TEXT_WIDTH


@REAL_STEPS
def test_real_step_52_names_definitions_and_says_where_to_start(capsys):
    assert stepdiff.main(["52", "--color", "never"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[2:4] == [
        "Start here: the definitions step52 adds",
        "  dezero/cuda.py: get_array_module, as_numpy, as_cupy",
    ]
    summary = out.split("\nmodified: ")[0]
    assert "try:" not in summary and "statements" not in summary
    assert "  added assignments: array_types\n  added imports: cupy\n" in summary


LESSON = """# Step 02 — Loops instead of recursion

Stage 1 · book step 02 · previous: [step 01](../step01/README.md)

Replaces: `Variable.backward`

## What this step adds, and why

The *algorithm* stays; `backward` now runs a **loop** (see
[step 01](../step01/README.md)) & never recurses.

More text that is not the first paragraph.
"""


def lesson_root(tmp_path):
    """Steps 1 and 2 with lessons, a one-line framework change, a long demo change."""
    demo = "".join(f"print({i})\n" for i in range(30))
    write(
        tmp_path,
        {
            "step01/README.md": "# Step 01 — Recursion\n\nText.\n",
            "step01/dezero.py": STEP01,
            "step01/demo.py": "print('old demo')\n",
            "step02/README.md": LESSON,
            "step02/dezero.py": STEP01.replace(
                "return x < 0", "return x < 0  # negative"
            ),
            "step02/demo.py": demo,
        },
    )
    return stepdiff.compare(tmp_path / "step01", tmp_path / "step02")


def test_html_header_names_both_steps_and_opens_the_lesson(tmp_path):
    diff = lesson_root(tmp_path)
    page = stepdiff.render_html(diff, page=tmp_path / "out" / "diff.html")
    check_page(page)
    assert (
        '<h1><span class="old">Step 01 — Recursion</span> <span class="arrow">→</span> '
        '<span class="new">Step 02 — Loops instead of recursion</span></h1>'
    ) in page
    assert (
        '<p class="intro">The <em>algorithm</em> stays; <code>backward</code> now runs '
        "a <strong>loop</strong> (see step 01) &amp; never recurses.</p>"
    ) in page
    assert "More text" not in page
    # The link works from where the page is written, and moves with the repository.
    assert '<a href="../step02/README.md">the lesson: step02/README.md</a>' in page
    uri = (tmp_path / "step02" / "README.md").as_uri()
    assert f'<a href="{uri}">' in stepdiff.render_html(diff)  # no page: absolute


def test_html_link_from_the_command_line_is_relative_to_the_page(capsys, tmp_path):
    lesson_root(tmp_path)
    target = tmp_path / "pages" / "deep" / "d.html"
    assert run(capsys, tmp_path, 1, 2, "--html", target)[0] == 0
    href = target.read_text().split('<p class="stat">')[1].split('href="')[1]
    assert href.startswith('../../step02/README.md"')
    assert (target.parent / href.split('"')[0]).resolve().is_file()


def test_lesson_intro_without_a_readme_or_a_heading(tmp_path):
    write(tmp_path, {"step03/README.md": "# Step 03 — Short\n\nNo heading here.\n"})
    assert stepdiff.lesson_intro(tmp_path / "step03") == ("Step 03 — Short", "")
    (tmp_path / "step04").mkdir()
    assert stepdiff.lesson_intro(tmp_path / "step04") == ("step04", "")
    assert stepdiff.lesson_intro(None) == ("", "")


def test_html_summary_is_folded_and_the_long_demo_is_open(tmp_path):
    diff = lesson_root(tmp_path)
    page = stepdiff.render_html(diff)
    assert '<details><summary><h2>Summary</h2> <span class="stat">1 file,' in page
    # The framework changed one line, the demo thirty: the demo tells the story.
    assert '<details class="demo" open><summary><h2>modified: demo.py</h2>' in page
    assert "+30 −1, the demo changed more than the framework" in page
    # The framework gains a comment, no definition: "Start here" names the demo.
    assert (
        '<p class="start"><strong>Start here</strong>: the story is in '
        '<a href="#f-demo-py"><code>demo.py</code></a> (+30 −1, below)</p>'
    ) in page
    assert '<section class="file modified" id="f-demo-py">' in page
    folded = stepdiff.render_html(diff, demo=False)
    assert '<details class="demo"><summary><h2>modified: demo.py</h2>' in folded
    assert "+30 −1, click to open" in folded
    assert "the story is in" not in folded
    # --summary alone: nothing to fold, and no demo diff.
    only = stepdiff.render_html(diff, body=False)
    assert '<section class="summary"><h2>Summary</h2>' in only
    assert "demo.py" not in only
    # With --all the demo is one of the files, not a folded extra.
    full = stepdiff.compare(tmp_path / "step01", tmp_path / "step02", True)
    page = stepdiff.render_html(full)
    assert 'class="demo"' not in page and page.count("<h2>modified: demo.py</h2>") == 1


def test_html_a_small_demo_change_is_folded(root):
    diff = stepdiff.compare(root / "step01", root / "step02")  # demo.py: +1 -1
    page = stepdiff.render_html(diff)
    assert '<details class="demo"><summary><h2>modified: demo.py</h2>' in page
    assert "+1 −1, click to open" in page


def test_html_additions_use_the_full_width(tmp_path):
    body = [f"x{i} = {i}" for i in range(20)]
    new = body[:5] + ["def added():", "    return 1"] + body[5:]
    new[16] = "x14 = 'changed'"
    new[18:18] = ["y = 2"]
    write(
        tmp_path,
        {
            "step01/dezero.py": "\n".join(body) + "\n",
            "step02/dezero.py": "\n".join(new) + "\n",
            "step02/extra.py": "def fresh():\n    return 2\n",
        },
    )
    diff = stepdiff.compare(tmp_path / "step01", tmp_path / "step02", True)
    page = stepdiff.render_html(diff)
    checker = PageChecker()
    checker.feed(page)
    flat = [cell for row in checker.rows for cell in row]
    cells = [
        (css, text, span) for (css, text), span in zip(flat, checker.spans, strict=True)
    ]
    # A hunk that only adds: its context and its lines in one column (new numbers).
    assert ("code", "x4 = 4", 3) in cells
    assert ("code ins", "def added():", 3) in cells
    assert ("code ins", "    return 1", 3) in cells
    # A hunk that changes a line: side by side, its pure addition still full width.
    assert ("code del", "x14 = 14", 1) in cells and (
        "code ins",
        "x14 = 'changed'",
        1,
    ) in cells
    assert ("code ins", "y = 2", 3) in cells
    assert ("code", "x15 = 15", 1) in cells
    assert '<td class="ln ins">6</td><td class="code ins" colspan="3"><span' in page
    # A new file: one heading cell across the table, every line full width.
    extra = page.split('id="f-extra-py"')[1].split("</section>")[0]
    assert '<thead><tr><th colspan="4">step02/extra.py</th></tr></thead>' in extra
    assert extra.count('colspan="3"') == 2 and "code none" not in extra
    deleted = stepdiff.compare(tmp_path / "step02", tmp_path / "step01", True)
    gone = stepdiff.render_html(deleted).split('id="f-extra-py"')[1]
    assert '<th colspan="4">step02/extra.py</th>' in gone
    assert '<td class="ln del">1</td><td class="code del" colspan="3">' in gone


def test_html_wrapped_lines_keep_their_indentation(root):
    page = stepdiff.render_html(stepdiff.compare(root / "step01", root / "step02"))
    # Each code cell carries its indentation; the CSS hangs wrapped lines under it.
    assert '<td class="code ins" style="--i:8">        <span class="t-kw">while' in page
    assert '<td class="code" style="--i:4">    <span class="t-kw">def</span>' in page
    assert '<td class="code"><span class="t-kw">class</span>' in page  # none at 0
    css = stepdiff.CSS_PATH.read_text()
    rule = css.split("table.diff td.code {")[1].split("}")[0]
    assert "white-space: pre-wrap;" in rule
    assert "padding-left: calc(0.4em + (var(--i, 0) + 2) * 1ch);" in rule
    assert "text-indent: calc((var(--i, 0) + 2) * -1ch);" in rule
    assert stepdiff.indent_style("\tx") == ' style="--i:4"'


def test_html_start_here_links_to_the_added_definitions(tmp_path):
    diff = long_step(tmp_path, ADD + "\n\nclass Add(Function):\n    pass\n")
    page = stepdiff.render_html(diff)
    start = page.split('<p class="start">')[1].split("</p>")[0]
    assert start == (
        "<strong>Start here</strong> (step02 adds): "
        '<a href="#d-dezero-py--add"><code>add</code></a>, '
        '<a href="#d-dezero-py--Add"><code>Add</code></a>'
    )
    assert '<tr class="one" id="d-dezero-py--add"><td class="ln ins">' in page
    # A definition whose first line is not shown links to its file instead.
    assert stepdiff.start_html(diff, "") == start.join(
        ['<p class="start">', "</p>"]
    ).replace("#d-dezero-py--add", "#f-dezero-py").replace(
        "#d-dezero-py--Add", "#f-dezero-py"
    )


def test_definition_lines_find_methods_and_blocks():
    source = (
        "try:\n    def f():\n        pass\nexcept E:\n    pass\n\n"
        "class C:\n    def m(self):\n        pass\n"
    )
    assert stepdiff.definition_lines(source) == {"f": 2, "C": 7, "C.m": 8}
    assert stepdiff.definition_lines("def broken(:\n") == {}


@pytest.mark.skipif(
    not all((REPO / f"step{n:02d}").is_dir() for n in (8, 9, 41, 42, 51, 52)),
    reason="real step directories 8, 9, 41, 42, 51, 52 not written yet",
)
def test_real_pages_8_9_41_42_51_52(tmp_path):
    pages = {}
    for old, new in ((8, 9), (41, 42), (51, 52)):
        diff = stepdiff.compare(REPO / f"step{old:02d}", REPO / f"step{new:02d}")
        pages[new] = stepdiff.render_html(diff, page=tmp_path / "d.html")
        check_page(pages[new])
        title = stepdiff.lesson_intro(REPO / f"step{new:02d}")[0]
        assert f'<span class="new">{title}</span>' in pages[new]
    # 41 -> 42: the framework adds 54 lines, the demo holds the story and is open.
    assert '<details class="demo" open>' in pages[42]
    assert (
        'mean_squared_error</code></a> · the story is in <a href="#f-demo-py">'
        in (pages[42])
    )
    assert '<details class="demo"><summary>' in pages[9]
    # 51 -> 52: the new module comes first in "Start here", linked to its row.
    assert '(step52 adds): <a href="#d-dezero-cuda-py--get_array_module">' in pages[52]
    assert 'id="d-dezero-cuda-py--get_array_module"' in pages[52]


def test_every_lesson_has_a_title_and_an_opening_paragraph():
    steps = sorted(REPO.glob("step[0-9][0-9]"))
    if not steps:
        pytest.skip("no step directories yet")
    for step in steps:
        title, intro = stepdiff.lesson_intro(step)
        number = step.name.removeprefix("step")
        assert title.startswith(f"Step {number} — "), step
        assert len(intro) > 40, f"{step.name}/README.md: no first paragraph found"


def test_replaced_lines_sit_beside_their_closest_match():
    old = ["    y = np.sin(x)", "    return y"]
    new = ["    xp = cuda.get_array_module(x)", "    y = xp.sin(x)", "    return y + 0"]
    # In order, `y = np.sin` would face the new `xp = ...` line; by similarity
    # it faces `y = xp.sin`, and the inserted line faces an empty cell.
    assert stepdiff.pair_lines(old, new, 0, 2, 0, 3) == [(None, 0), (0, 1), (1, 2)]
    unrelated = ["a = 1", "b = 2"], ["print('x')"]
    assert stepdiff.pair_lines(*unrelated, 0, 2, 0, 1) == [(0, 0), (1, None)]
    assert stepdiff.pair_lines(old, [], 0, 2, 0, 0) == [(0, None), (1, None)]


def test_big_replaced_blocks_pair_in_order():
    # The closest-pair search is quadratic: past PAIR_SEARCH line pairs it is skipped.
    old = [f"value_{i} = compute({i})" for i in range(60)]
    new = ["inserted = 0", *old[:-1]]
    assert len(old) * len(new) > stepdiff.PAIR_SEARCH
    assert stepdiff.pair_lines(old, new, 0, 60, 0, 60) == [(k, k) for k in range(60)]
    assert stepdiff.pair_lines(old, new, 0, 10, 0, 10)[:2] == [(None, 0), (0, 1)]


def test_a_rewritten_block_is_shown_old_then_new_across_the_width(tmp_path):
    old = ["x = 1", "def f(a):", "    return a * 2", "print(f(3))", "f(4)"]
    new = ["x = 1", "class Model:", "    layers = []", "m = Model()", "m.fit()"]
    write(
        tmp_path,
        {
            "step01/dezero.py": "\n".join(old) + "\n",
            "step02/dezero.py": "\n".join(new) + "\n",
        },
    )
    diff = stepdiff.compare(tmp_path / "step01", tmp_path / "step02")
    rows = check_page(stepdiff.render_html(diff))
    assert rows[1] == [["code", "x = 1"], ["code", "x = 1"]]  # context: side by side
    assert rows[2:] == [
        [["code del", "def f(a):"]],
        [["code del", "    return a * 2"]],
        [["code del", "print(f(3))"]],
        [["code del", "f(4)"]],
        [["code ins", "class Model:"]],
        [["code ins", "    layers = []"]],
        [["code ins", "m = Model()"]],
        [["code ins", "m.fit()"]],
    ]
    # Fewer than REWRITE lines a side, or lines that resemble each other: side by side.
    lines = ["    y = np.sin(x)"] * 2, ["    y = xp.sin(x)"] * 2
    assert not stepdiff.is_rewrite(*lines, [(0, 0), (1, 1)], *lines)
    many = [f"    y{i} = np.sin(x)" for i in range(5)]
    alike = [line.replace("np", "xp") for line in many]
    pairs = [(i, i) for i in range(5)]
    assert not stepdiff.is_rewrite(many, alike, pairs, many, alike)
    assert stepdiff.is_rewrite(many, ["z"] * 5, pairs, many, ["z"] * 5)

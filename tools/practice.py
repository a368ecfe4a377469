#!/usr/bin/env python3
"""Practice mode: every step as an exercise that the step's own tests check.

    python tools/practice.py make 9            # practice/step09/, stubs to fill in
    python tools/practice.py make 10 --from-mine  # from your own practice/step09/
    python tools/practice.py check 9           # step 9's tests on your copy
    python tools/practice.py solution 9 [--html FILE]  # yours against the book's
    python tools/practice.py hint 9            # the lesson on what to write next
    python tools/practice.py progress          # which steps you have passed

The definitions to write are the functions and methods that step N adds or changes
compared with step N-1, found by comparing the two snapshots' syntax trees (the
step-diff tool's outline). In the copy each keeps its signature and docstring and its
body becomes ``raise NotImplementedError(...)``. A definition that the copy needs
while it imports (called at import time, in a class body, or by a test module at
import) is kept real: the tool tries the copy's imports and says which it kept.

Which tests check which definition is read from the tests' syntax trees: a test
checks a definition when it names it (a function, a method, a class whose
``__init__``, ``forward`` or ``backward`` it is, a wrapper function that builds that
class, or the operator a dunder method implements).

Nothing here changes a student's files: the checker runs pytest with the bytecode
cache and pytest's cache off and writes its reports to a temporary folder and to
practice/.progress.json.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import check_steps
import stepdiff
from steplib import REPO_ROOT, find_steps

TOOLS = Path(__file__).resolve().parent
MANIFEST = ".practice.json"
PROGRESS = ".progress.json"
TEST_LIMIT = 180.0  # seconds one test may run (training tests take a minute when busy)
RUN_LIMIT = 900.0  # seconds the whole test run may take
SKIP_PARTS = {"output", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache"}
STUB = re.compile(r"step (\d+): write ([\w.]+) ")
FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
SHOWN_FAILURES = 3  # failing tests listed per definition
# Dunder methods and the syntax that calls them, for mapping tests to definitions.
OPERATORS = {
    "__add__": "op:Add",
    "__radd__": "op:Add",
    "__sub__": "op:Sub",
    "__rsub__": "op:Sub",
    "__mul__": "op:Mult",
    "__rmul__": "op:Mult",
    "__truediv__": "op:Div",
    "__rtruediv__": "op:Div",
    "__pow__": "op:Pow",
    "__rpow__": "op:Pow",
    "__matmul__": "op:MatMult",
    "__neg__": "op:USub",
    "__getitem__": "op:Subscript",
    "__len__": "len",
    "__repr__": "repr",
    "__lt__": "op:Lt",
    "__gt__": "op:Gt",
    "__eq__": "op:Eq",
    "__iter__": "op:iter",
    "__next__": "op:iter",
    "__setattr__": "op:setattr",
}
# Lesson sections that list rather than explain: a hint looks elsewhere first.
REFERENCE_SECTIONS = {"Read the code", "Run it", "Expected output", "Exercises"}
BY_CLASS = {"__init__", "__call__", "forward", "backward", "__new__"}


class PracticeError(Exception):
    """A user error with a message that says what to do."""


@dataclass
class Target:
    """One definition the student writes."""

    name: str  # "square", "Variable.backward"
    file: str  # framework file relative to the step, e.g. "dezero/core.py"
    action: str  # "added" or "changed"
    lesson: str = ""  # "README.md line 17 (What this step adds, and why)"
    lesson_line: int = 0
    tests: list[str] = field(default_factory=list)
    kept_real: str = ""  # why the body stays real, if it does
    keys: set[str] = field(default_factory=set)  # names through which tests reach it

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1]


# --- Steps and files -----------------------------------------------------------


def parse_step_arg(text: str, root: Path) -> int:
    """'9', '09' or 'step09' -> 9; a clear error for anything else."""
    steps = find_steps(root)
    span = f"step{min(steps):02d}..step{max(steps):02d}" if steps else "none"
    digits = str(text).strip().lower().removeprefix("step")
    if not (digits.isascii() and digits.isdigit()):
        raise PracticeError(
            f"STEP={text!r} is not a step number: expected a number such as 9 or 09 "
            f"(steps here: {span})"
        )
    if int(digits) not in steps:
        raise PracticeError(f"there is no step {int(digits)} here (steps: {span})")
    return int(digits)


def practice_dir(root: Path, num: int) -> Path:
    return root / "practice" / f"step{num:02d}"


def framework_files(step: Path) -> list[str]:
    return check_steps.framework_files(step)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def function_nodes(tree: ast.Module) -> dict[str, ast.AST]:
    """Top-level functions and the methods of top-level classes, by dotted name."""
    found: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, FUNCS):
            found.setdefault(node.name, node)
        elif isinstance(node, ast.ClassDef):
            for sub in node.body:
                if isinstance(sub, FUNCS):
                    found.setdefault(f"{node.name}.{sub.name}", sub)
    return found


def without_docstring(node: ast.AST) -> str:
    """The AST dump of a function with its docstring left out."""
    body = node.body[1:] if stepdiff.is_docstring(node.body[0]) else node.body
    return ast.dump(ast.Module(body=body, type_ignores=[])) + ast.dump(node.args)


# --- What the student writes ------------------------------------------------------


def file_pairs(old_dir: Path | None, new_dir: Path) -> list[tuple[str | None, str]]:
    """(old file or None, new file) for each framework file of new_dir that changed."""
    if old_dir is None:
        return [(None, rel) for rel in framework_files(new_dir)]
    diff = stepdiff.compare(old_dir, new_dir)
    return [
        (change.old_path, change.new_path)
        for change in diff.files
        if change.new_path and change.new_path.endswith(".py")
    ]


def find_targets(old_dir: Path | None, new_dir: Path) -> list[Target]:
    """The functions and methods new_dir adds or changes, from both syntax trees."""
    targets: list[Target] = []
    for old_rel, new_rel in file_pairs(old_dir, new_dir):
        new_src = read(new_dir / new_rel)
        old_src = read(old_dir / old_rel) if old_dir and old_rel else ""
        new_funcs = function_nodes(ast.parse(new_src))
        old_funcs = function_nodes(ast.parse(old_src)) if old_src else {}
        names: dict[str, str] = {}
        for category, found in stepdiff.outline_changes(old_src, new_src):
            if category not in ("added", "changed"):
                continue
            for name in found:
                if name in new_funcs:
                    names[name] = category
                else:  # a new or changed class: its new or changed methods
                    for method in new_funcs:
                        if method.startswith(name + "."):
                            before = old_funcs.get(method)
                            if before is None:
                                names.setdefault(method, "added")
                            elif ast.dump(before) != ast.dump(new_funcs[method]):
                                names.setdefault(method, "changed")
        for name, action in names.items():
            before = old_funcs.get(name)
            if before is not None and without_docstring(before) == without_docstring(
                new_funcs[name]
            ):
                continue  # only its docstring changed: nothing to write
            targets.append(Target(name, new_rel, action))
    order = {rel: i for i, rel in enumerate(framework_files(new_dir))}
    lines = {}
    for target in targets:
        tree = ast.parse(read(new_dir / target.file))
        lines[target.name, target.file] = function_nodes(tree)[target.name].lineno
    targets.sort(key=lambda t: (order.get(t.file, 99), lines[t.name, t.file]))
    return targets


def previous_step(root: Path, num: int) -> Path | None:
    steps = find_steps(root)
    earlier = [n for n in steps if n < num]
    return steps[max(earlier)] if earlier else None


# --- Where the lesson explains it -----------------------------------------------


def lesson_lines(readme: Path) -> list[tuple[int, str, str]]:
    """(line number, section, text) of the lesson's prose (code blocks left out)."""
    rows = []
    section, fenced = "", False
    if not readme.is_file():
        return rows
    for number, line in enumerate(read(readme).splitlines(), 1):
        if line.strip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or line.startswith("    ") and not line.strip()[:1].isalnum():
            continue
        if line.startswith("#"):
            section = line.lstrip("#").strip()
            continue
        rows.append((number, section, line))
    return rows


def find_lesson(rows: list[tuple[int, str, str]], name: str) -> tuple[int, str]:
    """The first lesson line naming the definition: the dotted name, else its own."""
    short = name.rsplit(".", 1)[-1]
    owner = name.split(".")[0] if "." in name else ""
    patterns = [re.compile(rf"`[^`]*\b{re.escape(name)}\b[^`]*`")]
    if owner and short in BY_CLASS:
        patterns.append(re.compile(rf"`[^`]*\b{re.escape(owner)}\b[^`]*`"))
    patterns.append(re.compile(rf"`[^`]*\b{re.escape(short)}\b[^`]*`"))
    patterns.append(re.compile(rf"\b{re.escape(short)}\b"))
    prose = [row for row in rows if row[1] and row[1] not in REFERENCE_SECTIONS]
    for pattern in patterns:
        for chosen in (prose, rows):
            for number, section, text in chosen:
                if section and pattern.search(text):
                    return number, section
    return 0, ""


def add_lessons(targets: list[Target], step: Path) -> None:
    rows = lesson_lines(step / "README.md")
    for target in targets:
        number, section = find_lesson(rows, target.name)
        target.lesson_line = number
        target.lesson = (
            f'{step.name}/README.md line {number}, "{section}"'
            if number
            else f"{step.name}/README.md"
        )


def lesson_paragraph(readme: Path, number: int) -> list[str]:
    """The paragraph (or list item) around a line, never a code block."""
    lines = read(readme).splitlines()
    rows = {n for n, _, _ in lesson_lines(readme)}
    if number not in rows:
        return []
    start = number
    while start - 1 in rows and lines[start - 2].strip():
        if re.match(r"\s*(\d+\.|[-*])\s", lines[start - 1]):
            break  # a list item starts here
        start -= 1
    stop = number
    while stop + 1 in rows and lines[stop].strip():
        if re.match(r"\s*(\d+\.|[-*])\s", lines[stop]):
            break  # the next list item
        stop += 1
    return lines[start - 1 : stop]


# --- Which tests check what ---------------------------------------------------------


def tokens(node: ast.AST) -> set[str]:
    """Names, attribute names and operators used anywhere under node."""
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.update((sub.attr, "." + sub.attr))
        elif isinstance(sub, (ast.BinOp, ast.UnaryOp)):
            found.add("op:" + type(sub.op).__name__)
        elif isinstance(sub, ast.Subscript):
            found.add("op:Subscript")
        elif isinstance(sub, ast.Compare):
            found.update("op:" + type(op).__name__ for op in sub.ops)
        elif isinstance(sub, (ast.For, ast.comprehension)):
            found.add("op:iter")
        elif isinstance(sub, ast.Assign):
            if any(isinstance(t, ast.Attribute) for t in sub.targets):
                found.add("op:setattr")
        if isinstance(sub, ast.Name) and sub.id == "next":
            found.add("op:iter")
    return found


def test_index(step: Path) -> dict[str, set[str]]:
    """'tests/test_x.py::Class::test_y' -> what the test (and its helpers) uses."""
    index: dict[str, set[str]] = {}
    for path in sorted((step / "tests").glob("test_*.py")):
        rel = path.relative_to(step).as_posix()
        try:
            tree = ast.parse(read(path))
        except SyntaxError:
            continue
        helpers: dict[str, set[str]] = {}
        for node in tree.body:  # module-level functions, fixtures and constants
            if isinstance(node, (*FUNCS, ast.ClassDef)):
                helpers[node.name] = tokens(node)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        helpers[target.id] = tokens(node.value)

        def closure(found: set[str], helpers=helpers) -> set[str]:
            seen, todo = set(found), list(found)
            while todo:
                name = todo.pop()
                for more in helpers.get(name, ()):
                    if more not in seen:
                        seen.add(more)
                        todo.append(more)
            return seen

        for node in tree.body:
            if isinstance(node, FUNCS) and node.name.startswith("test"):
                index[f"{rel}::{node.name}"] = closure(tokens(node))
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                shared = set()
                for sub in node.body:
                    if isinstance(sub, FUNCS) and not sub.name.startswith("test"):
                        shared |= tokens(sub)
                for sub in node.body:
                    if isinstance(sub, FUNCS) and sub.name.startswith("test"):
                        used = closure(tokens(sub) | shared)
                        index[f"{rel}::{node.name}::{sub.name}"] = used
    return index


@dataclass
class Facts:
    """What the framework's own code says about how definitions are reached."""

    builders: dict[str, set[str]]  # class -> subclasses and functions building it
    installed: dict[str, set[str]]  # function -> operators (Variable.__add__ = add)
    callers: dict[str, set[str]]  # name -> definitions whose bodies use it


def framework_facts(step: Path) -> Facts:
    """Read the framework's syntax trees for Facts."""
    builders: dict[str, set[str]] = {}
    installed: dict[str, set[str]] = {}
    callers: dict[str, set[str]] = {}
    for rel in framework_files(step):
        try:
            tree = ast.parse(read(step / rel))
        except SyntaxError:
            continue
        for name, node in function_nodes(tree).items():
            for used in tokens(node):
                callers.setdefault(used, set()).add(name)
        classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                for base in node.bases:
                    if isinstance(base, ast.Name):
                        builders.setdefault(base.id, set()).add(node.name)
            if isinstance(node, FUNCS):
                for used in tokens(node) & classes:
                    builders.setdefault(used, set()).add(node.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr in OPERATORS:
                        installed.setdefault(node.value.id, set()).add(
                            OPERATORS[target.attr]
                        )
    return Facts(builders, installed, callers)


def target_keys(name: str, facts: Facts, seen: set[str] | None = None) -> set[str]:
    """The names and operators through which a test reaches the definition: its
    own, and (for a helper) those of the definitions that call it."""
    seen = set() if seen is None else seen
    seen.add(name)
    keys = own_keys(name, facts.builders, facts.installed)
    short = name.rsplit(".", 1)[-1]
    if not short.startswith("__") and short not in BY_CLASS:
        for caller in facts.callers.get(short, ()):
            if caller not in seen:
                keys |= target_keys(caller, facts, seen)
    return keys


def own_keys(name: str, builders, installed) -> set[str]:
    """The names and operators that reach a definition directly."""
    short = name.rsplit(".", 1)[-1]
    if "." not in name:  # a builtin's name only counts as dezero's attribute
        key = "." + short if short in dir(builtins) else short
        return {key} | installed.get(short, set())
    owner = name.split(".")[0]
    keys = {short} if short not in BY_CLASS and not short.startswith("__") else set()
    if short in OPERATORS:
        keys.add(OPERATORS[short])
    if short in BY_CLASS:
        todo, seen = [owner], {owner}
        while todo:  # the class, its subclasses, and the functions that build them
            for more in builders.get(todo.pop(), ()):
                if more not in seen:
                    seen.add(more)
                    todo.append(more)
        keys |= seen
        for name in list(seen):
            keys |= installed.get(name, set())
    return keys


def map_tests(targets: list[Target], step: Path) -> None:
    index = test_index(step)
    facts = framework_facts(step)
    for target in targets:
        keys = target_keys(target.name, facts)
        target.keys = keys
        target.tests = [tid for tid, used in index.items() if used & keys]


# --- Stubs ------------------------------------------------------------------------


def stub_message(num: int, target: Target) -> str:
    return (
        f"step {num:02d}: write {target.name} (in {target.file}); "
        f"the lesson explains it in {target.lesson}"
    )


def stub_source(source: str, num: int, targets: list[Target]) -> str:
    """source with each target's body replaced by a raise (docstring kept)."""
    lines = source.splitlines(keepends=True)
    funcs = function_nodes(ast.parse(source))
    spans = []
    for target in targets:
        node = funcs.get(target.name)
        if node is None or target.kept_real:
            continue
        body = node.body
        first = body[0]
        indent = " " * first.col_offset
        raise_line = (
            f"{indent}raise NotImplementedError({stub_message(num, target)!r})\n"
        )
        if first.lineno == node.lineno:  # `def f(x): return x` on one line
            head = lines[node.lineno - 1][: first.col_offset].rstrip()
            indent = " " * (node.col_offset + 4)
            raise_line = raise_line.lstrip()
            new = [head + "\n", indent + raise_line]
            spans.append((node.lineno - 1, node.end_lineno, new))
            continue
        keep_to = first.end_lineno if stepdiff.is_docstring(first) else first.lineno - 1
        spans.append((keep_to, node.end_lineno, [raise_line]))
    for start, stop, new in sorted(spans, reverse=True):
        lines[start:stop] = new
    return "".join(lines)


def stubbed_names(source: str) -> set[str]:
    """Definitions whose whole body (after the docstring) is a practice stub."""
    found = set()
    for name, node in function_nodes(ast.parse(source)).items():
        body = node.body[1:] if stepdiff.is_docstring(node.body[0]) else node.body
        if len(body) == 1 and isinstance(body[0], ast.Raise):
            text = ast.unparse(body[0])
            if "NotImplementedError" in text and STUB.search(text + " "):
                found.add(name)
    return found


SLIPS = {"+": "-", "-": "+", "*": "/", "/": "*", "<": "<=", ">": ">=", "==": "!="}


def slips(source: str, name: str) -> list[tuple[str, str]]:
    """Copies of source with one deliberate slip in the body of definition name:
    an operator flipped or a comparison loosened, else a number changed, else the
    body's last statement dropped. [(new source, what changed)]"""
    node = function_nodes(ast.parse(source))[name]
    body = node.body[1:] if stepdiff.is_docstring(node.body[0]) else node.body
    if not body:
        return []
    first, last = body[0].lineno, node.end_lineno
    lines = source.splitlines(keepends=True)

    def edit(row: int, col: int, old: str, new: str) -> tuple[str, str]:
        line = lines[row - 1]
        changed = line[:col] + new + line[col + len(old) :]
        text = "".join([*lines[: row - 1], changed, *lines[row:]])
        return text, f"line {row}: {old!r} -> {new!r}"

    operators, numbers = [], []
    previous = None
    readline = iter(source.splitlines(keepends=True)).__next__
    for token in tokenize.generate_tokens(readline):
        row, col = token.start
        if first <= row <= last:
            binary = previous is not None and (
                previous.type in (tokenize.NAME, tokenize.NUMBER)
                or previous.string in (")", "]")
            )
            if token.string in SLIPS and binary:
                operators.append(edit(row, col, token.string, SLIPS[token.string]))
            elif token.type == tokenize.NUMBER and token.string.isdigit():
                numbers.append(edit(row, col, token.string, str(int(token.string) + 1)))
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            previous = token
    dropped = []
    simple = [
        sub
        for stmt in body
        for sub in ast.walk(stmt)
        if isinstance(sub, ast.stmt)
        and not isinstance(sub, ast.Pass)
        and not hasattr(sub, "body")
        and sub.lineno == sub.end_lineno
    ]
    if simple:  # the last one-line statement of the body becomes `pass`
        end = max(simple, key=lambda sub: sub.lineno)
        row = end.lineno
        indent = lines[row - 1][: end.col_offset]
        text = "".join([*lines[: row - 1], f"{indent}pass\n", *lines[row:]])
        dropped.append((text, f"line {row}: a statement dropped"))
    return operators + numbers + dropped


# --- Running the tests --------------------------------------------------------------


@dataclass
class TestRun:
    """What pytest said about a copy."""

    tests: dict[str, dict[str, str]]  # nodeid -> {"outcome", "why"}
    collect_errors: dict[str, str]
    problem: str = ""  # the run as a whole went wrong (hung, crashed)
    seconds: float = 0.0
    collected: int = 0  # tests collected before any selection

    def failed(self) -> dict[str, str]:
        return {t: r["why"] for t, r in self.tests.items() if r["outcome"] == "failed"}


def run_pytest(
    copy: Path,
    only: list[str] | None = None,
    first_failure: bool = False,
    limit: float = TEST_LIMIT,
    run_limit: float = RUN_LIMIT,
    files: list[str] | None = None,
) -> TestRun:
    """Run the copy's tests (all, or only those ids) with a limit per test."""
    with tempfile.TemporaryDirectory(prefix="practice_") as tmp:
        settings = plugin_settings(Path(tmp), only, limit)
        args = pytest_args(copy, first_failure, files)
        if IN_PROCESS:
            return run_in_process(copy, args, settings)
        env = dict(os.environ)
        env.pop("PYTEST_ADDOPTS", None)
        env.update(settings)
        env.update(
            MPLBACKEND="Agg",
            PYTHONHASHSEED="0",
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(TOOLS), env.get("PYTHONPATH", "")])
            ),
        )
        cmd = [sys.executable, "-m", "pytest", *args, "-p", "practice_pytest"]
        start = time.monotonic()
        problem = ""
        try:
            proc = subprocess.run(
                cmd,
                cwd=copy,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                timeout=run_limit,
            )
            output = proc.stdout
        except subprocess.TimeoutExpired:
            current = Path(settings["PRACTICE_CURRENT"])
            running = current.read_text() if current.exists() else "(unknown)"
            problem = (
                f"the test run was stopped after {run_limit:.0f}s; the test running "
                f"then was {running} (a loop that never ends?)"
            )
            output = ""
        return read_report(settings, problem, output, time.monotonic() - start)


def plugin_settings(tmp: Path, only: list[str] | None, limit: float) -> dict:
    """The environment that tells practice_pytest what to do."""
    settings = {
        "PRACTICE_TEST_LIMIT": str(limit),
        "PRACTICE_REPORT": str(tmp / "report.json"),
        "PRACTICE_CURRENT": str(tmp / "current"),
        "PRACTICE_ONLY": "",
    }
    if only is not None:
        (tmp / "only.json").write_text(json.dumps(only), encoding="utf-8")
        settings["PRACTICE_ONLY"] = str(tmp / "only.json")
    return settings


def pytest_args(copy: Path, first_failure: bool, files: list[str] | None) -> list:
    args = ["-q", "-p", "no:cacheprovider", f"--rootdir={copy}", "--tb=short"]
    return args + (["-x"] if first_failure else []) + (files or [])


def read_report(settings: dict, problem: str, output: str, seconds: float) -> TestRun:
    report = Path(settings["PRACTICE_REPORT"])
    if report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
    else:
        data = {"tests": {}, "collect_errors": {}}
        if not problem:
            tail = "\n".join(output.strip().splitlines()[-5:])
            problem = f"pytest ended without a report:\n{tail}"
    return TestRun(
        data["tests"],
        data["collect_errors"],
        problem,
        seconds,
        data.get("collected", 0),
    )


# The all-steps proof (tests/test_practice.py) runs many copies' tests in one
# process per worker, so NumPy and PyTorch are imported once: see run_in_process.
IN_PROCESS = False


def run_in_process(copy: Path, args: list[str], settings: dict) -> TestRun:
    """pytest.main in this process, after forgetting every module of another copy
    (each snapshot is a package named dezero)."""
    import contextlib
    import io

    import practice_pytest
    import pytest

    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None) or ""
        if name == "dezero" or name.startswith(("dezero.", "test_", "conftest")):
            del sys.modules[name]
        elif where and "/practice" in where and "/tools/" not in where:
            del sys.modules[name]
    sys.path[:] = [p for p in sys.path if not p.startswith(str(copy.parent))]
    saved = {k: os.environ.get(k) for k in settings}
    os.environ.update(settings)
    here = os.getcwd()
    start = time.monotonic()
    out = io.StringIO()
    try:
        os.chdir(copy)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            # plain asserts: the proof needs pass or fail, not pytest's rewritten
            # messages, and rewriting costs a third of collecting a late step
            pytest.main([*args, "--assert=plain"], plugins=[practice_pytest])
    finally:
        os.chdir(here)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return read_report(settings, "", out.getvalue(), time.monotonic() - start)


# --- Making the exercise -----------------------------------------------------------


def copy_step(real: Path, dest: Path, only_missing: bool = False) -> list[str]:
    """Copy a snapshot's files (no caches, no output); return what was copied."""
    copied = []
    for path in sorted(real.rglob("*")):
        rel = path.relative_to(real)
        if any(part in SKIP_PARTS for part in rel.parts) or not path.is_file():
            continue
        if path.suffix == ".pyc":
            continue
        target = dest / rel
        if only_missing and target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        copied.append(rel.as_posix())
    return copied


def exercise(root: Path, num: int) -> tuple[Path, list[Target]]:
    """Step num's directory and the definitions a student writes for it."""
    real = find_steps(root)[num]
    targets = find_targets(previous_step(root, num), real)
    add_lessons(targets, real)
    map_tests(targets, real)
    return real, targets


def write_stubs(copy: Path, num: int, targets: list[Target], sources: dict) -> None:
    """Write each framework file of the copy: sources[rel] with its targets stubbed."""
    for rel, text in sources.items():
        mine = [t for t in targets if t.file == rel]
        try:
            text = stub_source(text, num, mine)
        except SyntaxError:
            pass  # conflict markers: the student resolves them first
        (copy / rel).write_text(text, encoding="utf-8")


def keep_import_safe(
    copy: Path, num: int, targets: list[Target], sources: dict
) -> TestRun:
    """Collect every test; a stub that breaks an import is kept real. Then run the
    tests that check the definitions until the first one fails."""
    by_name = {t.name: t for t in targets}
    checked = sorted({tid for t in targets for tid in t.tests})
    while True:
        run = run_pytest(copy, only=checked, first_failure=True)
        culprits = set()
        for text in run.collect_errors.values():
            for match in STUB.finditer(text):
                if int(match.group(1)) == num and match.group(2) in by_name:
                    culprits.add(match.group(2))
        culprits = {n for n in culprits if not by_name[n].kept_real}
        if not culprits:
            return run
        for name in culprits:
            by_name[name].kept_real = (
                "kept real: the copy runs it while importing (a stub there would "
                "stop every test)"
            )
        write_stubs(copy, num, targets, sources)


def merge_mine(
    root: Path, num: int, targets: list[Target]
) -> tuple[dict[str, str], list[str]]:
    """Three-way merge of the student's step num-1 with step num's changes.

    Base: the real step num-1; yours: practice/step(num-1); theirs: the real step.
    The definitions step num writes are stubbed on your side and the base first,
    so that your own version of one does not conflict with the book's new one (the
    merge takes the book's, and write_stubs blanks it again). Returns the
    merged framework sources and the conflicts found (file and lines)."""
    earlier = [n for n in find_steps(root) if n < num]
    # The latest earlier step you practised (steps with nothing to write have no
    # copy): the merge then carries in every step's changes since.
    mine = [
        n
        for n in earlier
        if (read_manifest(practice_dir(root, n)) or {}).get("step") == n
    ]
    if not mine:
        raise PracticeError(
            f"FROM=mine starts from your own practice copy of an earlier step, and "
            f"there is none; make one first: make practice STEP={earlier[-1]}"
        )
    prev_num = mine[-1]
    if prev_num != earlier[-1]:
        print(
            f"starting from your practice/step{prev_num:02d}/ (the latest step you "
            "practised), with the changes of every step since"
        )
    base_dir = find_steps(root)[prev_num]
    mine_dir = practice_dir(root, prev_num)
    real = find_steps(root)[num]
    renamed = {new: old for old, new in file_pairs(base_dir, real) if old}
    sources, conflicts = {}, []
    with tempfile.TemporaryDirectory(prefix="practice_merge_") as tmp:
        for rel in framework_files(real):
            theirs = read(real / rel)
            old_rel = renamed.get(rel, rel)
            if not (base_dir / old_rel).is_file():
                sources[rel] = theirs  # a new file: nothing of yours to keep
                continue
            base = read(base_dir / old_rel)
            if not (mine_dir / old_rel).is_file():
                print(
                    f"note: your practice/step{prev_num:02d}/{old_rel} is missing; "
                    f"using step{prev_num:02d}'s"
                )
                ours = base
            else:
                ours = read(mine_dir / old_rel)
            mine_targets = [t for t in targets if t.file == rel]
            sides = []
            for text in (ours, base):
                try:
                    sides.append(stub_source(text, num, mine_targets))
                except SyntaxError:
                    sides.append(text)
            sides.append(theirs)
            paths = []
            for label, text in zip(("yours", "base", "theirs"), sides, strict=True):
                path = Path(tmp) / f"{label}.py"
                path.write_text(text, encoding="utf-8")
                paths.append(str(path))
            proc = subprocess.run(
                [
                    "git",
                    "merge-file",
                    "-p",
                    "-L",
                    f"yours (practice/step{prev_num:02d}/{old_rel})",
                    "-L",
                    f"step{prev_num:02d}/{old_rel}",
                    "-L",
                    f"step{num:02d}/{rel}",
                    *paths,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode < 0 or proc.returncode > 127:
                raise PracticeError(f"git merge-file failed on {rel}: {proc.stderr}")
            sources[rel] = proc.stdout
            starts = [
                i
                for i, line in enumerate(proc.stdout.splitlines(), 1)
                if line.startswith("<<<<<<< ")
            ]
            for line in starts:
                conflicts.append(f"{rel} line {line}")
    return sources, conflicts


def read_manifest(copy: Path) -> dict | None:
    try:
        return json.loads(read(copy / MANIFEST))
    except (OSError, ValueError):
        return None


def missing_files(copy: Path, real: Path) -> list[str]:
    """Files of the real step the copy lacks (tests, framework, conftest ...)."""
    needed = ["conftest.py", "pytest.ini", *framework_files(real)]
    needed += [p.relative_to(real).as_posix() for p in (real / "tests").glob("*.py")]
    return [rel for rel in needed if not (copy / rel).is_file()]


def make_practice(
    root: Path, num: int, force: bool = False, from_mine: bool = False, dest=None
) -> int:
    real, targets = exercise(root, num)
    copy = Path(dest) if dest else practice_dir(root, num)
    label = copy.relative_to(root) if copy.is_relative_to(root) else copy
    if not targets:
        print(nothing_to_write(num, real))
        return 0
    if copy.exists() and any(copy.iterdir()) and not force:
        manifest = read_manifest(copy)
        if manifest is None or manifest.get("step") != num:
            made_from = f"step {manifest['step']}" if manifest else "no practice tool"
            raise PracticeError(
                f"{label}/ exists but was not made for step {num} (made by "
                f"{made_from}); nothing was changed. Move it away, or run again with "
                f"FORCE=1 (it is then kept as {label}.old-<time>/)"
            )
        lost = missing_files(copy, real)
        if lost:
            copied = copy_step(real, copy, only_missing=True)
            sources = {rel: read(real / rel) for rel in framework_files(real)}
            for rel in lost:
                if rel in sources:
                    fresh = [t for t in targets if t.file == rel]
                    kept = set(manifest.get("kept_real", []))
                    for t in fresh:
                        t.kept_real = "kept real" if t.name in kept else ""
                    (copy / rel).write_text(
                        stub_source(sources[rel], num, fresh), encoding="utf-8"
                    )
            print(
                f"{label}/ was missing {len(lost)} file(s); put back: "
                + ", ".join(lost[:8])
                + (" ..." if len(lost) > 8 else "")
            )
            print(
                f"({len(copied)} files restored; your other files are as you left them)"
            )
            return 0
        print(f"{label}/ is already there; your work in it is kept.")
        print(f"check it:     make practice-check STEP={num}")
        print(
            f"start over:   make practice STEP={num} FORCE=1  (your copy is kept as "
            f"{label}.old-<time>/)"
        )
        return 0
    if copy.exists() and any(copy.iterdir()):
        aside = copy.with_name(f"{copy.name}.old-{time.strftime('%Y%m%d-%H%M%S')}")
        copy.rename(aside)
        print(f"your previous copy is kept as {aside.name}/ next to it")
    run, conflicts = build_copy(root, num, copy, real, targets, from_mine)
    todo = [t for t in targets if not t.kept_real]
    if not todo and not conflicts:
        print(f"made {label}/, but every definition step {num:02d} changes is needed")
        print(
            "while the copy imports, so all of them stay real: " + kept_names(targets)
        )
        print(nothing_to_write(num, real))
        return 0
    print_made(label, num, targets, run, conflicts)
    return 1 if conflicts else 0


def kept_names(targets: list[Target]) -> str:
    return ", ".join(t.name for t in targets if t.kept_real)


def build_copy(
    root: Path,
    num: int,
    copy: Path,
    real: Path,
    targets: list[Target],
    from_mine: bool = False,
) -> tuple[TestRun | None, list[str]]:
    """Write the exercise into copy (an empty or new folder). Returns the run on
    the untouched copy (every test collected, the definitions' tests run until the
    first failure) and the merge conflicts (FROM=mine)."""
    copy.mkdir(parents=True, exist_ok=True)
    copy_step(real, copy)
    conflicts: list[str] = []
    if from_mine:
        sources, conflicts = merge_mine(root, num, targets)
    else:
        sources = {rel: read(real / rel) for rel in framework_files(real)}
    write_stubs(copy, num, targets, sources)
    write_manifest(copy, num, targets, from_mine)
    run = None
    if not conflicts:
        run = keep_import_safe(copy, num, targets, sources)
        write_manifest(copy, num, targets, from_mine)
    (copy / "PRACTICE.md").write_text(
        practice_readme(num, real, targets, from_mine), encoding="utf-8"
    )
    return run, conflicts


def write_manifest(copy: Path, num: int, targets: list[Target], mine: bool) -> None:
    data = {
        "step": num,
        "from": f"practice/step{num - 1:02d} (yours)" if mine else f"step{num:02d}",
        "targets": [t.name for t in targets],
        "kept_real": [t.name for t in targets if t.kept_real],
        "made": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    (copy / MANIFEST).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def nothing_to_write(num: int, real: Path) -> str:
    return (
        f"step {num:02d} adds or changes no function or method of the framework "
        "(a theory step, a move into a package, or a demo-only step), so there is "
        "nothing to write here. Instead:\n"
        f"  read the lesson:    {real.name}/README.md\n"
        f"  run the demo:       make demo STEP={num}\n"
        f"  do its exercises:   the 'Exercises' section of {real.name}/README.md\n"
        f"  see what changed:   make diff STEP={num}"
    )


def practice_readme(num: int, real: Path, targets: list[Target], mine: bool) -> str:
    start = (
        f"your own practice/step{num - 1:02d}/ with step {num}'s changes merged in"
        if mine
        else f"a copy of {real.name}/"
    )
    rows = [
        f"# Practice: step {num:02d}",
        "",
        f"This folder is {start}. The definitions below have their body replaced "
        "by `raise NotImplementedError(...)`: write them, in this order, then run",
        "",
        f"    make practice-check STEP={num}      # which are done, which tests fail",
        f"    make practice-hint STEP={num}       # the lesson's words on the next one",
        f"    make practice-solution STEP={num}   # your code against the book's",
        "",
        f"The lesson is {real.name}/README.md (a copy is here too).",
        "",
        "## To write",
        "",
    ]
    todo = [t for t in targets if not t.kept_real]
    for i, target in enumerate(todo, 1):
        rows.append(
            f"{i}. `{target.name}` in `{target.file}` ({target.action}); "
            f"explained in {target.lesson}."
        )
        if target.tests:
            rows.append(f"   Checked by {tests_in_brief(target.tests)}.")
        else:
            rows.append(
                "   No test names it directly; the step's whole test suite "
                "still has to pass."
            )
    kept = [t for t in targets if t.kept_real]
    if kept:
        rows += ["", "## Kept real", ""]
        rows.append(
            "These also change in this step, but the copy needs them while it "
            "imports (a stub would stop every test), so their bodies are the "
            "book's. Read them:"
        )
        rows.append("")
        rows += [f"- `{t.name}` in `{t.file}` ({t.lesson})" for t in kept]
    return "\n".join(rows) + "\n"


def tests_in_brief(tests: list[str], per_file: int = 4) -> str:
    """'test_a.py: test_x, test_y; test_b.py: test_z and 3 more (8 tests)'."""
    files: dict[str, list[str]] = {}
    for tid in tests:
        path, _, name = tid.partition("::")
        files.setdefault(path.removeprefix("tests/"), []).append(name)
    parts = []
    for path, names in files.items():
        more = len(names) - per_file
        shown = ", ".join(f"`{n}`" for n in names[:per_file])
        parts.append(f"`{path}`: {shown}" + (f" and {more} more" if more > 0 else ""))
    total = f" ({len(tests)} tests)" if len(tests) > 1 else ""
    return "; ".join(parts) + total


def print_made(label, num: int, targets: list[Target], run, conflicts) -> None:
    todo = [t for t in targets if not t.kept_real]
    print(f"made {label}/: {len(todo)} definition(s) to write for step {num:02d}")
    for i, target in enumerate(todo, 1):
        print(f"  {i}. {target.name:<32} {target.file}  ({len(target.tests)} tests)")
    for target in targets:
        if target.kept_real:
            print(
                f"  kept real: {target.name} ({target.file}); the copy runs it "
                "while importing"
            )
    if conflicts:
        print(
            "merge conflicts (nothing was resolved for you; edit the files, keep "
            "the lines you want, delete the <<<<<<< ======= >>>>>>> markers):"
        )
        for where in conflicts:
            print(f"  {where}")
        return
    if run is not None and run.collect_errors:
        print("warning: some test modules do not import:")
        for nodeid, text in run.collect_errors.items():
            print(f"  {nodeid}: {first_error_line(text)}")
    print(
        f"read {label}/PRACTICE.md, write the bodies, then: "
        f"make practice-check STEP={num}"
    )


# --- Checking -------------------------------------------------------------------------


def first_error_line(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("E "):
            return line[1:].strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


@dataclass
class Status:
    target: Target
    state: str  # "done", "not yet", "stub", "untested", "unknown"
    failures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class CheckReport:
    num: int
    statuses: list[Status]
    run: TestRun | None
    syntax_errors: list[str]
    other_failures: list[tuple[str, str]]
    passed: bool
    after: list[int] = field(default_factory=list)  # next steps: nothing, then one

    @property
    def done(self) -> int:
        return sum(s.state == "done" for s in self.statuses)


def validate_copy(root: Path, num: int, copy: Path) -> None:
    label = copy.relative_to(root) if copy.is_relative_to(root) else copy
    if not copy.is_dir():
        raise PracticeError(
            f"there is no practice copy of step {num} at {label}/; make one with: "
            f"make practice STEP={num}"
        )
    manifest = read_manifest(copy)
    if manifest is None:
        raise PracticeError(
            f"{label}/ has no {MANIFEST} (deleted?), so it is not known which step it "
            f"was made from; nothing was changed. `make practice STEP={num}` "
            "refuses to overwrite it; with FORCE=1 it keeps it as "
            f"{label}.old-<time>/ and makes a fresh copy"
        )
    if manifest.get("step") != num:
        raise PracticeError(
            f"{label}/ was made from step {manifest.get('step')}, not step {num}; "
            f"check it with: make practice-check STEP={manifest.get('step')}"
        )
    lost = missing_files(copy, find_steps(root)[num])
    if lost:
        shown = ", ".join(lost[:6]) + (" ..." if len(lost) > 6 else "")
        raise PracticeError(
            f"{label}/ is missing {len(lost)} file(s): {shown}. `make practice "
            f"STEP={num}` puts back only the missing ones (your edits stay)"
        )


def check_copy(
    root: Path,
    num: int,
    copy: Path,
    only_targets: list[str] | None = None,
    first_failure: bool = False,
    limit: float = TEST_LIMIT,
    only_tests: list[str] | None = None,
) -> CheckReport:
    """Run step num's tests on the copy; per definition, done or not yet."""
    validate_copy(root, num, copy)
    real, targets = exercise(root, num)
    manifest = read_manifest(copy) or {}
    kept = set(manifest.get("kept_real", []))
    targets = [t for t in targets if t.name not in kept]
    syntax_errors, stubs, parsed = [], set(), set()
    for rel in framework_files(real):
        path = copy / rel
        try:
            source = read(path)
            stubs |= {(rel, name) for name in stubbed_names(source)}
            parsed.add(rel)
        except SyntaxError as error:
            syntax_errors.append(f"{rel} line {error.lineno}: {error.msg}")
        except (OSError, UnicodeDecodeError) as error:
            syntax_errors.append(f"{rel}: cannot be read ({error})")
    statuses = [Status(t, "stub" if (t.file, t.name) in stubs else "") for t in targets]
    if syntax_errors:
        for status in statuses:
            if not status.state:
                status.state = "unknown" if status.target.file in parsed else "broken"
        return CheckReport(num, statuses, None, syntax_errors, [], False)
    chosen = targets
    if only_targets is not None:
        chosen = [t for t in targets if t.name in only_targets]
        statuses = [s for s in statuses if s.target.name in only_targets]
    only = None
    files = None
    if only_targets is not None:
        only = sorted({tid for t in chosen for tid in t.tests})
    if only_tests is not None:
        only = sorted(only_tests)
        statuses = [s for s in statuses if set(s.target.tests) & set(only)]
    if only is not None:
        files = sorted({tid.split("::")[0] for tid in only})
    run = run_pytest(
        copy, only=only, first_failure=first_failure, limit=limit, files=files
    )
    failed = run.failed()
    claimed = set()
    every_key = set().union(*(t.keys for t in targets))
    for status in statuses:
        target = status.target
        mine = set(target.tests)
        for nodeid, why in failed.items():
            base, _, params = nodeid.partition("[")
            stub = STUB.search(why + " ")
            named = stub is not None and stub.group(2) == target.name
            # test_x[mean_squared_error_simple]: a parameter naming definitions
            # says which of them the case checks
            chosen = set(re.findall(r"\w+", params)) & every_key
            if chosen and not chosen & target.keys and not named:
                continue
            if base in mine or named:
                status.failures.append((nodeid, why))
                claimed.add(nodeid)
        if status.state == "stub":
            continue
        ran = any(n.split("[", 1)[0] in mine for n in run.tests)
        if status.failures:
            status.state = "not yet"
        elif target.tests and not ran:
            status.state = "unknown"
        else:
            status.state = "done" if target.tests else "untested"
    other = [(n, w) for n, w in failed.items() if n not in claimed]
    for nodeid, text in run.collect_errors.items():
        other.append((nodeid, "does not import: " + first_error_line(text)))
    passed = (
        not failed
        and not run.collect_errors
        and not run.problem
        and bool(run.tests)
        and all(s.state in ("done", "untested") for s in statuses)
    )
    after = []
    if passed:
        for later in [n for n in find_steps(root) if n > num]:
            after.append(later)
            if find_targets(previous_step(root, later), find_steps(root)[later]):
                break
    return CheckReport(num, statuses, run, syntax_errors, other, passed, after)


def format_report(report: CheckReport, label: str) -> str:
    num = report.num
    n = len(report.statuses)
    rows = [f"practice check, step {num:02d} ({label}/)"]
    words = {
        "done": "done",
        "not yet": "not yet",
        "stub": "not yet (still the stub)",
        "untested": "written (no test names it; the whole suite decides)",
        "unknown": "not checked",
        "broken": "not checked (its file does not parse)",
    }
    for err in report.syntax_errors:
        rows.append(f"  SYNTAX ERROR in {label}/{err}; no test can run until it parses")
    for status in report.statuses:
        mark = "ok " if status.state in ("done", "untested") else "-- "
        own, blocked = [], set()
        for nodeid, why in status.failures:
            stub = STUB.search(why + " ")
            if stub and stub.group(2) != status.target.name:
                blocked.add(stub.group(2))
            elif not stub:
                own.append((nodeid, why))
        text = words[status.state]
        sharer = shared_with(report, status)
        if own and sharer:
            text = f"not yet? its failing tests also check {sharer}; start there"
        if status.state == "stub":
            text += f"; {len(status.target.tests)} tests check it"
        elif status.state == "not yet" and not own and blocked:
            text = "written; its tests wait on " + ", ".join(sorted(blocked))
        rows.append(f"  {mark}{status.target.name:<30} {text}")
        if status.state == "stub":
            continue
        for nodeid, why in own[:SHOWN_FAILURES]:
            rows.append(f"       {nodeid}")
            rows.append(f"         {shorten(why)}")
        if len(own) > SHOWN_FAILURES:
            rows.append(
                f"       ... and {len(own) - SHOWN_FAILURES} more failing tests"
            )
    if report.other_failures:
        rows.append("  other failing tests (not tied to one definition):")
        for nodeid, why in report.other_failures[: SHOWN_FAILURES + 2]:
            rows.append(f"       {nodeid}")
            rows.append(f"         {shorten(why)}")
        if len(report.other_failures) > SHOWN_FAILURES + 2:
            rest = len(report.other_failures) - SHOWN_FAILURES - 2
            rows.append(f"       ... and {rest} more")
    run = report.run
    if run is not None:
        counts = {"passed": 0, "failed": 0, "skipped": 0}
        for result in run.tests.values():
            counts[result["outcome"]] += 1
        rows.append(
            f"  tests: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped ({run.seconds:.1f}s)"
        )
        if run.problem:
            rows.append(f"  PROBLEM: {run.problem}")
    done = sum(s.state in ("done", "untested") for s in report.statuses)
    rows.append(f"{done} of {n} definitions done")
    rows.append(next_step(report))
    return "\n".join(rows)


def shared_with(report: CheckReport, status: Status) -> str:
    """Another unfinished definition whose failing tests include all of this one's
    (a test that checks both cannot tell which is wrong), or ''."""

    def own(item: Status) -> set[str]:  # failures not caused by another stub
        return {
            nodeid
            for nodeid, why in item.failures
            if not STUB.search(why + " ")
            or STUB.search(why + " ").group(2) == item.target.name
        }

    mine = own(status)
    if status.state != "not yet" or not mine:
        return ""
    for other in report.statuses:
        theirs = own(other)
        if other is not status and other.state in ("not yet", "stub"):
            if mine <= theirs and len(theirs) > len(mine):
                return other.target.name
    return ""


def shorten(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def next_step(report: CheckReport) -> str:
    num = report.num
    if report.syntax_errors:
        return f"next: fix the syntax error in {report.syntax_errors[0]}"
    if report.passed:
        text = (
            f"next: all of step {num:02d} passes. Compare with the book's code "
            f"(make practice-solution STEP={num})"
        )
        if not report.after:
            return text + "; that was the last step"
        *skip, then = report.after
        if skip:
            names = ", ".join(str(n) for n in skip)
            text += f", read the lesson of step {names} (nothing to write there)"
        return text + f", then go on with make practice STEP={then} FROM=mine"
    pending = [s for s in report.statuses if s.state not in ("done", "untested")]
    pending.sort(key=lambda s: bool(shared_with(report, s)))  # stable: file order
    for status in pending:
        if status:
            target = status.target
            return (
                f"next: write {target.name} in {target.file} (explained in "
                f"{target.lesson}; make practice-hint STEP={num}), then run "
                f"make practice-check STEP={num} again"
            )
    if report.run and report.run.problem:
        return "next: see the PROBLEM above"
    return "next: make the other failing tests pass, then check again"


def save_progress(root: Path, report: CheckReport) -> None:
    path = root / "practice" / PROGRESS
    try:
        data = json.loads(read(path))
    except (OSError, ValueError):
        data = {}
    nxt = next(
        (s.target.name for s in report.statuses if s.state not in ("done", "untested")),
        "",
    )
    data[f"{report.num:02d}"] = {
        "passed": report.passed,
        "done": report.done,
        "total": len(report.statuses),
        "next": nxt,
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


# --- Commands ------------------------------------------------------------------


def cmd_check(args) -> int:
    num = parse_step_arg(args.step, args.root)
    copy = Path(args.dir) if args.dir else practice_dir(args.root, num)
    real, targets = exercise(args.root, num)
    kept = set((read_manifest(copy) or {}).get("kept_real", []))
    if not targets or (copy.is_dir() and {t.name for t in targets} <= kept):
        print(nothing_to_write(num, real))
        return 0
    report = check_copy(args.root, num, copy, limit=args.limit)
    label = str(copy.relative_to(args.root) if copy.is_relative_to(args.root) else copy)
    print(format_report(report, label))
    if not args.dir:
        save_progress(args.root, report)
    return 0 if report.passed else 1


def cmd_solution(args) -> int:
    num = parse_step_arg(args.step, args.root)
    copy = Path(args.dir) if args.dir else practice_dir(args.root, num)
    validate_copy(args.root, num, copy)
    diff = stepdiff.compare(copy, find_steps(args.root)[num])
    diff.old_name = f"practice/step{num:02d} (yours)"
    diff.new_name = f"step{num:02d} (the book's)"
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(stepdiff.render_html(diff), encoding="utf-8")
        print(f"wrote {args.html}")
        return 0
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(stepdiff.render_text(diff, color))
    return 0


def cmd_hint(args) -> int:
    num = parse_step_arg(args.step, args.root)
    copy = practice_dir(args.root, num)
    validate_copy(args.root, num, copy)
    real, targets = exercise(args.root, num)
    kept = set((read_manifest(copy) or {}).get("kept_real", []))
    stubs = set()
    for rel in framework_files(real):
        try:
            stubs |= {(rel, n) for n in stubbed_names(read(copy / rel))}
        except SyntaxError:
            pass
    try:
        last = json.loads(read(args.root / "practice" / PROGRESS)).get(f"{num:02d}", {})
    except (OSError, ValueError):
        last = {}
    todo = [t for t in targets if t.name not in kept]
    pick = next((t for t in todo if t.name == last.get("next")), None)
    if pick is None:
        pick = next((t for t in todo if (t.file, t.name) in stubs), None)
    if pick is None:
        print(
            f"every definition of step {num:02d} is written; run "
            f"make practice-check STEP={num} to see whether its tests pass"
        )
        return 0
    print(f"hint for {pick.name} ({pick.file}), from {pick.lesson}:")
    print()
    para = (
        lesson_paragraph(real / "README.md", pick.lesson_line)
        if pick.lesson_line
        else []
    )
    print(
        "\n".join(para)
        if para
        else f"  (the lesson does not name it; read {real.name}/README.md)"
    )
    rows = lesson_lines(real / "README.md")
    guide = [r for r in rows if r[1] == "Read the code" and r[0] != pick.lesson_line]
    pattern = re.compile(rf"`[^`]*\b{re.escape(pick.short)}\b[^`]*`")
    for number, _, text in guide:
        if pattern.search(text):
            print()
            print(f'and under "Read the code" (line {number}):')
            print("\n".join(lesson_paragraph(real / "README.md", number)))
            break
    if pick.tests:
        print()
        print("its tests: " + ", ".join(pick.tests[:5]))
    return 0


def cmd_progress(args) -> int:
    try:
        data = json.loads(read(args.root / "practice" / PROGRESS))
    except (OSError, ValueError):
        data = {}
    copies = sorted(p.name for p in (args.root / "practice").glob("step[0-9][0-9]"))
    if not copies and not data:
        print("no practice yet: start with make practice STEP=1")
        return 0
    passed = [k for k, v in data.items() if v.get("passed")]
    print(f"practice progress: {len(passed)} step(s) passed")
    for name in sorted(set(copies) | {f"step{k}" for k in data}):
        entry = data.get(name.removeprefix("step"))
        if entry is None:
            state = "made, not checked yet"
        elif entry["passed"]:
            state = f"passed ({entry['when']})"
        else:
            state = (
                f"{entry['done']} of {entry['total']} done, next: "
                f"{entry['next'] or 'the failing tests'} ({entry['when']})"
            )
        print(f"  {name}  {state}")
    return 0


def cmd_make(args) -> int:
    num = parse_step_arg(args.step, args.root)
    if args.from_mine and num == min(find_steps(args.root)):
        raise PracticeError("FROM=mine needs a step before this one")
    return make_practice(args.root, num, args.force, args.from_mine, args.dir)


# --- The all-steps proof -----------------------------------------------------------

PROOF_TESTS = 2  # tests per definition that the proof reruns on restored bodies
SLIP_TESTS = 8  # tests of the slipped definition that may catch the slip
SLIP_TRIES = 6  # slips tried before the proof gives up on a step


def prove_step(root: Path, num: int, tmp: Path) -> dict:
    """The proof for one step (tests/test_practice.py asserts on the result):
    the untouched copy imports, its tests are collected and one of them fails;
    with the real bodies back (byte for byte) the checker calls every
    definition done; one slipped body is reported not done."""
    start = time.monotonic()
    real, targets = exercise(root, num)
    out: dict = {"step": num, "targets": len(targets), "kept": [], "problems": []}
    if not targets:
        out["nothing"] = "no definition changes"
        return out
    copy = tmp / f"step{num:02d}"
    run, _ = build_copy(root, num, copy, real, targets)
    todo = [t for t in targets if not t.kept_real]
    out["kept"] = [t.name for t in targets if t.kept_real]
    out["stubs"] = len(todo)
    if not todo:
        out["nothing"] = "every changed definition runs at import"
        return out
    problems = out["problems"]
    if run.collect_errors or run.problem:
        problems.append(f"untouched copy: {run.problem} {list(run.collect_errors)}")
    if not run.collected:
        problems.append("untouched copy: no tests collected")
    out["collected"] = run.collected
    out["failing"] = sorted(run.failed())[:1]
    if not run.failed():
        problems.append("untouched copy: no test fails")
    for rel in framework_files(real):  # the perfect student: the real bodies back
        (copy / rel).write_text(read(real / rel), encoding="utf-8")
    sample = sorted({tid for t in todo for tid in t.tests[:PROOF_TESTS]})
    report = check_copy(root, num, copy, only_tests=sample)
    out["restored_tests"] = len(report.run.tests) if report.run else 0
    if not report.passed:
        problems.append("restored bodies: " + format_report(report, copy.name))
    tries = 0
    # the most specific definitions first: their few tests aim at them
    for target in sorted((t for t in todo if t.tests), key=lambda t: len(t.tests)):
        original = read(copy / target.file)
        for text, what in slips(original, target.name)[:2]:
            tries += 1
            (copy / target.file).write_text(text, encoding="utf-8")
            report = check_copy(
                root,
                num,
                copy,
                only_tests=target.tests[:SLIP_TESTS],
                first_failure=True,
            )
            (copy / target.file).write_text(original, encoding="utf-8")
            status = next(s for s in report.statuses if s.target.name == target.name)
            if status.state == "not yet":
                out["slip"] = f"{target.name} ({target.file} {what})"
                break
        if "slip" in out or tries >= SLIP_TRIES:
            break
    if "slip" not in out:
        problems.append(f"no slip was reported as not done ({tries} tried)")
    out["seconds"] = round(time.monotonic() - start, 1)
    return out


def cmd_prove(args) -> int:
    """Run the proof for some steps in this process; one JSON line per step."""
    global IN_PROCESS
    IN_PROCESS = True
    sys.dont_write_bytecode = True
    os.environ.update(MPLBACKEND="Agg")
    steps = find_steps(args.root)
    wanted = [int(n) for n in args.steps.split(",") if n]
    rc = 0
    with tempfile.TemporaryDirectory(prefix="practice_proof_") as tmp:
        for num in wanted:
            if num not in steps:
                raise PracticeError(f"there is no step {num} here")
            try:
                result = prove_step(args.root, num, Path(tmp))
            except Exception as error:  # report it against the step, go on
                result = {"step": num, "problems": [f"{type(error).__name__}: {error}"]}
            rc |= bool(result["problems"])
            print(json.dumps(result), flush=True)
    return 1 if rc else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("make", help="write practice/stepNN/ with stubs to fill in")
    p.add_argument("step")
    p.add_argument("--force", action="store_true", help="start over (old copy kept)")
    p.add_argument(
        "--from-mine",
        action="store_true",
        help="start from your own practice copy of the step before",
    )
    p.add_argument("--dir", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_make)
    p = sub.add_parser("check", help="run the step's tests on your copy")
    p.add_argument("step")
    p.add_argument(
        "--limit",
        type=float,
        default=TEST_LIMIT,
        help=f"seconds one test may run (default {TEST_LIMIT:g})",
    )
    p.add_argument("--dir", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("solution", help="diff your copy against the real step")
    p.add_argument("step")
    p.add_argument("--html", type=Path, metavar="FILE", help="write an HTML page")
    p.add_argument("--dir", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_solution)
    p = sub.add_parser("hint", help="the lesson's paragraph on what to write next")
    p.add_argument("step")
    p.set_defaults(func=cmd_hint)
    p = sub.add_parser("progress", help="which steps you have passed")
    p.set_defaults(func=cmd_progress)
    p = sub.add_parser("prove", help="the all-steps proof (tests/test_practice.py)")
    p.add_argument("--steps", required=True, help="comma-separated step numbers")
    p.set_defaults(func=cmd_prove)
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    try:
        return args.func(args)
    except PracticeError as error:
        print(f"practice {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

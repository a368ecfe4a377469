#!/usr/bin/env python3
"""Show what a DeZero step taught: structural summary and diff of two snapshots.

    python tools/stepdiff.py 7              # step06 -> step07
    python tools/stepdiff.py 1 10 --all     # framework, demos, tests and lessons
    python tools/stepdiff.py 22 23 --html diff.html

The terminal output is a header, a structural summary (the functions, classes,
methods, assignments and imports each file adds, removes or changes) and a
unified diff; a diff longer than a screen first says where to start (the
definitions the step adds). The HTML page is made for a projector: both steps'
titles, the new lesson's first paragraph and a link to it, "Start here" links,
the summary folded, then each file side by side, where lines only added or
removed (a new file, a new function, a rewritten block) span the full width and
wrapped lines hang under their own indentation. demo.py follows the framework:
open when it changed more than the framework did, folded otherwise.

Programmatic use: ``compare(old_dir, new_dir)`` returns a ``StepDiff`` and
``render_text`` / ``render_html`` turn it into strings; ``summary_html`` and
``file_html`` give the parts of the page.
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import functools
import html
import io
import itertools
import keyword
import os
import re
import sys
import textwrap
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CSS_PATH = REPO_ROOT / "shared" / "diff.css"
SKIPPED_DIRS = {"output", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache"}
# Bytecode, and the notebooks tools/notebooks.py writes from README.md and demo.py.
SKIPPED_SUFFIXES = {".pyc", ".ipynb"}
RENAME_RATIO = 0.5  # a vanished and a new file at least this similar: a rename
COPY_RATIO = 0.7  # a new file at least this similar to an old one: a copy
KEPT = 0.8  # or a vanished file whose lines are at least this much in a new one
CONTEXT = 3  # unchanged lines shown around each change
FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)
ANSI = {"bold": "1", "added": "32", "removed": "31", "changed": "33", "hunk": "36"}
ACTIONS = ("added", "removed", "changed")
KIND_SUFFIX = {
    "def": "",
    "assignment": " assignments",
    "import": " imports",
    "call": " calls",
    "statement": " statements",
}
# Module-level blocks whose bodies are read for the names they bind.
BLOCK_NODES = (ast.If, ast.Try, ast.TryStar, ast.With, ast.For, ast.While, ast.Match)
MAIN_BLOCK = "__main__ block"  # if __name__ == "__main__":
LONG_DIFF = 60  # a text diff longer than this many lines starts with "Start here"
TEXT_WIDTH = 88  # summary lines wrap here
PAIR_RATIO = 0.75  # replaced lines at least this similar share a row in HTML
PAIR_SEARCH = 2500  # ... searched for in blocks of at most this many line pairs
REWRITE = 4  # a replaced block with this many lines a side may be a rewrite
HEADLINES = {
    "modified": "modified: {new}",
    "renamed": "renamed: {old} -> {new} ({pct}% similar)",
    "copied": "copied: {new} (copy of {old}, {pct}% similar)",
    "added": "added: {new}",
    "deleted": "deleted: {old}",
}
LABELS = {
    "modified": "{new}",
    "renamed": "{old} -> {new}",
    "copied": "{new} (copy of {old})",
    "added": "{new} (new file)",
    "deleted": "{old} (deleted)",
}


class StepDiffError(Exception):
    """A user error: a bad step number or a missing step directory."""


# --- Comparing two snapshots -------------------------------------------------


def matcher(a: list[str], b: list[str]) -> difflib.SequenceMatcher:
    """A line matcher without difflib's heuristic junking of frequent lines."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False)


@dataclass
class FileChange:
    """One file shown in the diff: how it changed and both sides' lines."""

    status: str  # modified, renamed, copied, added or deleted
    old_path: str | None
    new_path: str | None
    old_lines: list[str]
    new_lines: list[str]
    similarity: float = 1.0
    lines: difflib.SequenceMatcher = field(init=False, repr=False)

    def __post_init__(self):
        """Diff the two sides once; every renderer uses the same matcher."""
        self.lines = matcher(self.old_lines, self.new_lines)

    @property
    def opcodes(self) -> list[tuple[str, int, int, int, int]]:
        """difflib opcodes turning the old lines into the new ones."""
        return self.lines.get_opcodes()

    def _format(self, template: str) -> str:
        """Fill a headline or label template with this change's paths."""
        pct = round(self.similarity * 100)
        return template.format(old=self.old_path, new=self.new_path, pct=pct)

    @property
    def headline(self) -> str:
        """The line that introduces this file in the diff."""
        return self._format(HEADLINES[self.status])

    @property
    def label(self) -> str:
        """A short name for this file in the summary and the HTML page."""
        return self._format(LABELS[self.status])

    @property
    def added(self) -> int:
        """Number of added lines."""
        return sum(j2 - j1 for tag, _, _, j1, j2 in self.opcodes if tag != "equal")

    @property
    def removed(self) -> int:
        """Number of removed lines."""
        return sum(i2 - i1 for tag, i1, i2, _, _ in self.opcodes if tag != "equal")

    @property
    def is_python(self) -> bool:
        """Whether the file is Python source (highlighted and outlined)."""
        return (self.new_path or self.old_path).endswith(".py")

    @functools.cached_property
    def structure(self) -> list[tuple[str, list[str]]] | SyntaxError:
        """outline_changes of the two sides ([] for other files), or the error."""
        if not self.is_python:
            return []
        try:
            return outline_changes("\n".join(self.old_lines), "\n".join(self.new_lines))
        except SyntaxError as error:
            return error


@dataclass
class StepDiff:
    """The changed files between two step directories."""

    old_name: str
    new_name: str
    files: list[FileChange]
    old_dir: Path | None = None  # where the steps lie, when compare() made it
    new_dir: Path | None = None
    include_all: bool = True  # whether files holds more than the framework

    def left_out(self) -> list[FileChange]:
        """demo.py when it changed but is not in files (a framework-only diff)."""
        if self.include_all or self.old_dir is None or self.new_dir is None:
            return []
        old, new = self.old_dir / "demo.py", self.new_dir / "demo.py"
        old_lines = read_lines(old) if old.is_file() else []
        new_lines = read_lines(new) if new.is_file() else []
        if old_lines == new_lines:
            return []
        status = {(True, True): "modified", (False, True): "added"}
        change = FileChange(
            status.get((old.is_file(), new.is_file()), "deleted"),
            "demo.py" if old.is_file() else None,
            "demo.py" if new.is_file() else None,
            old_lines,
            new_lines,
        )
        return [change]

    @property
    def header(self) -> str:
        """E.g. 'step07 -> step08: 1 file changed (+12 -9)'."""
        count = len(self.files)
        added = sum(change.added for change in self.files)
        removed = sum(change.removed for change in self.files)
        noun = "file" if count == 1 else "files"
        return (
            f"{self.old_name} -> {self.new_name}: "
            f"{count} {noun} changed (+{added} -{removed})"
        )


def parse_step(text: str) -> int:
    """Turn '7', '07' or 'step07' into 7."""
    digits = text.removeprefix("step")
    if not (digits.isascii() and digits.isdigit()) or not 1 <= int(digits) <= 99:
        raise StepDiffError(f"bad step number: {text!r} (expected 1 to 99)")
    return int(digits)


def step_dir(root: Path, number: int) -> Path:
    """The directory of step `number` under `root`; it must exist."""
    path = root / f"step{number:02d}"
    if not path.is_dir():
        raise StepDiffError(f"{path.name} not found in {root}")
    return path


def resolve_steps(root: Path, first: str, second: str | None) -> tuple[Path, Path]:
    """The old and new step directories named on the command line."""
    if second is not None:
        return step_dir(root, parse_step(first)), step_dir(root, parse_step(second))
    new = parse_step(first)
    new_dir = step_dir(root, new)
    if new == 1:
        raise StepDiffError("step01 has no predecessor; name two steps")
    return step_dir(root, new - 1), new_dir


def snapshot_files(step: Path, include_all: bool) -> dict[str, Path]:
    """Relative path -> file: the framework only, or every tracked-looking file."""
    files = {}
    for path in sorted(step.rglob("*")):
        parts = path.relative_to(step).parts
        hidden = any(part in SKIPPED_DIRS or part.startswith(".") for part in parts)
        if hidden or not path.is_file() or path.suffix in SKIPPED_SUFFIXES:
            continue
        if include_all or parts[0] in ("dezero.py", "dezero"):
            files["/".join(parts)] = path
    return files


def read_lines(path: Path) -> list[str]:
    """The file's lines without line ends; binary files become one note line."""
    data = path.read_bytes()
    if b"\0" in data:
        return [f"(binary file, {len(data)} bytes)"]
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return text.removesuffix("\n").split("\n") if text else []


def similarity(a: list[str], b: list[str]) -> float:
    """difflib's ratio of two line lists; empty files are similar to nothing."""
    if not a or not b:
        return 0.0
    lines = matcher(a, b)
    if lines.real_quick_ratio() < RENAME_RATIO or lines.quick_ratio() < RENAME_RATIO:
        return 0.0
    return lines.ratio()


def kept(a: list[str], b: list[str]) -> float:
    """Share of a's lines found again in b: high when a file moved and then grew."""
    if not a or not b:
        return 0.0
    found = sum(block.size for block in matcher(a, b).get_matching_blocks())
    return found / len(a)


def compare(old_dir: Path, new_dir: Path, include_all: bool = False) -> StepDiff:
    """Pair the files of two steps, detecting renames and copies."""
    old = {n: read_lines(p) for n, p in snapshot_files(old_dir, include_all).items()}
    new = {n: read_lines(p) for n, p in snapshot_files(new_dir, include_all).items()}
    changes = [
        FileChange("modified", name, name, old[name], new[name])
        for name in old.keys() & new.keys()
        if old[name] != new[name]
    ]
    gone = [name for name in old if name not in new]
    fresh = [name for name in new if name not in old]
    # Over several steps a moved file also grows (dezero.py of step 10 is a third
    # of step 24's core_simple.py), so most of the old file surviving counts too.
    candidates = sorted(
        (
            (similarity(old[o], new[n]), kept(old[o], new[n]), o, n)
            for o in gone
            for n in fresh
        ),
        reverse=True,
    )
    for ratio, share, o, n in candidates:
        if (ratio >= RENAME_RATIO or share >= KEPT) and o in gone and n in fresh:
            changes.append(FileChange("renamed", o, n, old[o], new[n], ratio))
            gone.remove(o)
            fresh.remove(n)
    for n in fresh:
        ratio, o = max(((similarity(old[o], new[n]), o) for o in old), default=(0, ""))
        if ratio >= COPY_RATIO:
            changes.append(FileChange("copied", o, n, old[o], new[n], ratio))
        else:
            changes.append(FileChange("added", None, n, [], new[n]))
    changes += [FileChange("deleted", o, None, old[o], []) for o in gone]
    changes.sort(key=lambda change: change.new_path or change.old_path)
    return StepDiff(old_dir.name, new_dir.name, changes, old_dir, new_dir, include_all)


# --- Structural summary from the AST -----------------------------------------


def assigned_names(node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> str:
    """The targets of a module-level assignment, e.g. 'Variable.__add__'."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return ", ".join(ast.unparse(target) for target in targets)


def import_names(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The names an import binds, e.g. 'numpy as np' or 'dezero.core.Variable'."""
    prefix = ""
    if isinstance(node, ast.ImportFrom):
        prefix = "." * node.level + (node.module or "")
        prefix += "." if node.module else ""
    return [
        prefix + alias.name + (f" as {alias.asname}" if alias.asname else "")
        for alias in node.names
    ]


def is_docstring(node: ast.stmt) -> bool:
    """Whether a statement is a bare string literal."""
    if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Constant):
        return False
    return isinstance(node.value.value, str)


def statement_name(node: ast.stmt) -> str:
    """Other module-level code by its first line, e.g. 'setup_variable()'."""
    first = ast.unparse(node).split("\n")[0]
    return first if len(first) <= 50 else first[:49] + "…"


def is_main_block(node: ast.stmt) -> bool:
    """Whether a statement is `if __name__ == "__main__":`."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    sides = [node.test.left, *node.test.comparators]
    names = [side.id for side in sides if isinstance(side, ast.Name)]
    values = [side.value for side in sides if isinstance(side, ast.Constant)]
    return names == ["__name__"] and values == ["__main__"]


def block_bodies(node: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists inside a try/if/with/for/while/match block."""
    bodies = [getattr(node, name, []) for name in ("body", "orelse", "finalbody")]
    bodies += [handler.body for handler in getattr(node, "handlers", [])]
    bodies += [case.body for case in getattr(node, "cases", [])]
    return bodies


def outline(source: str) -> dict[tuple[str, str], list[str]]:
    """(kind, name) -> AST dumps of the module's definitions and statements.

    Kinds: def (functions, classes, methods, the module docstring, the
    `__main__` block), assignment, import, call (a bare call such as
    `setup_variable()`) and, for code that binds and calls nothing, statement.
    A block such as `try: import cupy ... except ImportError: ...` is read for
    the names it binds, so it is listed as 'cupy' and 'array_types', not 'try:'.
    """
    items: dict[tuple[str, str], list[str]] = {}

    def add(kind: str, name: str, node: ast.AST | None = None) -> None:
        """Record one definition or statement under its (kind, name)."""
        dumps = items.setdefault((kind, name), [])
        if node is not None:
            dumps.append(ast.dump(node))
        elif not dumps:  # imports: only presence counts
            dumps.append("")

    def visit(node: ast.stmt, first: bool, inside: bool = False) -> None:
        """Record one module-level statement (or one inside a block)."""
        if isinstance(node, FUNCTION_NODES):
            add("def", node.name, node)
        elif isinstance(node, ast.ClassDef):
            shell = copy.copy(node)  # the class without its methods
            shell.body = [n for n in node.body if not isinstance(n, FUNCTION_NODES)]
            add("def", node.name, shell)
            for method in node.body:
                if isinstance(method, FUNCTION_NODES):
                    add("def", f"{node.name}.{method.name}", method)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            add("assignment", assigned_names(node), node)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for name in import_names(node):
                add("import", name)
        elif is_docstring(node) and first:
            add("def", "module docstring", node)
        elif is_main_block(node):
            add("def", MAIN_BLOCK, node)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            add("call", statement_name(node), node)
        elif isinstance(node, BLOCK_NODES):
            before = sum(map(len, items.values()))
            for body in block_bodies(node):
                for inner in body:
                    visit(inner, False, True)
            if sum(map(len, items.values())) == before:  # binds and calls nothing
                add("statement", statement_name(node), node)
        elif not inside:  # inside a block, `pass` and the like name nothing
            add("statement", statement_name(node), node)

    tree = ast.parse(source)
    for index, node in enumerate(tree.body):
        visit(node, index == 0)
    return items


def outline_changes(old_source: str, new_source: str) -> list[tuple[str, list[str]]]:
    """[(category, names)], e.g. [('changed', ['Variable.backward'])]."""
    old, new = outline(old_source), outline(new_source)
    found: dict[str, list[str]] = {}

    def note(action: str, kind: str, name: str) -> None:
        """File a name under e.g. 'added' or 'removed statements'."""
        found.setdefault(action + KIND_SUFFIX[kind], []).append(name)

    def owner_in(items: dict, kind: str, name: str) -> bool:
        """Whether the owner of an added/removed name exists on the other side."""
        if kind != "def":
            return True
        if name == "module docstring":
            return bool(items)  # not for a whole new or deleted module
        return "." not in name or ("def", name.split(".")[0]) in items

    for kind, name in new:
        if (kind, name) not in old and owner_in(old, kind, name):
            note("added", kind, name)
    for kind, name in old:
        if (kind, name) not in new and owner_in(new, kind, name):
            note("removed", kind, name)
    for key, dumps in new.items():
        if key in old and old[key] != dumps:
            note("changed", *key)
    order = [action + suffix for suffix in KIND_SUFFIX.values() for action in ACTIONS]
    return sorted(found.items(), key=lambda item: order.index(item[0]))


def summary_items(change: FileChange) -> list[tuple[str, str]]:
    """(category, text) lines under one file's heading; category '' for notes."""
    if not change.is_python:
        return []
    found = change.structure
    if isinstance(found, SyntaxError):
        return [("", f"not parsed: {found.msg} (line {found.lineno})")]
    if not found:
        return [("", "no structural changes")]
    return [(category, ", ".join(names)) for category, names in found]


def core_rank(change: FileChange) -> tuple[int, int]:
    """Sort key of a file in "Start here": framework first, new files first."""
    path = change.new_path or change.old_path
    top = path.split("/")[0]
    place = 0 if top in ("dezero", "dezero.py") else 1 if path == "demo.py" else 2
    return place, 0 if change.status in ("added", "copied") else 1


def core_definitions(diff: StepDiff) -> tuple[str, list[tuple[FileChange, list[str]]]]:
    """Where the lesson's core is: the definitions the step adds, file by file.

    Returns ('added', [(file, names)]) with the framework's files first and new
    files before edited ones; ('changed', ...) when the step adds no definition;
    ('', []) when it changes none. Tests, the module docstring and the
    `__main__` block are left out: they are not where a lesson starts.
    """
    files = sorted(
        (change for change in diff.files if not is_test_file(change)), key=core_rank
    )
    for action in ("added", "changed"):
        found = []
        for change in files:
            structure = change.structure
            if isinstance(structure, SyntaxError):
                continue
            names = [
                name
                for category, names in structure
                if category == action
                for name in names
                if name not in ("module docstring", MAIN_BLOCK)
            ]
            if names:
                found.append((change, names))
        if found:
            return action, found
    return "", []


def is_test_file(change: FileChange) -> bool:
    """Whether a file is part of a step's tests (tests/, conftest.py)."""
    path = change.new_path or change.old_path
    return path.split("/")[0] == "tests" or path.rsplit("/")[-1] == "conftest.py"


def summary_entries(diff: StepDiff) -> list[tuple[FileChange, list[tuple[str, str]]]]:
    """Each changed file with its summary lines."""
    return [(change, summary_items(change)) for change in diff.files]


# --- Text output -------------------------------------------------------------


def paint(text: str, style: str, color: bool) -> str:
    """Wrap text in an ANSI colour when colour is on."""
    return f"\033[{ANSI[style]}m{text}\033[0m" if color else text


def hunk_range(start: int, stop: int) -> str:
    """A unified-diff range like difflib's: '5,3', '5' or '4,0'."""
    length = stop - start
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def unified_lines(diff: StepDiff, change: FileChange, color: bool) -> list[str]:
    """The unified diff of one file, with its headline and ---/+++ headers."""
    old = f"{diff.old_name}/{change.old_path}" if change.old_path else "/dev/null"
    new = f"{diff.new_name}/{change.new_path}" if change.new_path else "/dev/null"
    lines = [paint(change.headline, "bold", color)]
    lines += [paint(f"--- {old}", "bold", color), paint(f"+++ {new}", "bold", color)]
    for group in change.lines.get_grouped_opcodes(CONTEXT):
        old_range = hunk_range(group[0][1], group[-1][2])
        new_range = hunk_range(group[0][3], group[-1][4])
        lines.append(paint(f"@@ -{old_range} +{new_range} @@", "hunk", color))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [" " + line for line in change.old_lines[i1:i2]]
                continue
            for line in change.old_lines[i1:i2]:
                lines.append(paint("-" + line, "removed", color))
            for line in change.new_lines[j1:j2]:
                lines.append(paint("+" + line, "added", color))
    return lines


def wrapped(text: str, indent: str) -> list[str]:
    """A summary line wrapped to TEXT_WIDTH columns, continued under its text."""
    return textwrap.wrap(
        text,
        TEXT_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "    ",
        break_on_hyphens=False,
        break_long_words=False,
    )


def summary_lines(diff: StepDiff, color: bool) -> list[str]:
    """The structural summary: a heading per file, then what changed in it."""
    lines = []
    for change, items in summary_entries(diff):
        heading = f"{change.label}: +{change.added} -{change.removed}"
        lines.append(paint(heading, "bold", color))
        for category, text in items:
            wrap = wrapped(f"{category}: {text}" if category else text, "  ")
            if category:  # colour the category once the line is wrapped
                style = category.split()[0]
                wrap[0] = wrap[0].replace(category, paint(category, style, color), 1)
            lines += wrap
    for change in diff.left_out():
        verb = {"modified": "also changed", "added": "is new"}.get(change.status)
        stat = f"+{change.added} -{change.removed}"
        lines.append(f"(demo.py {verb or 'is gone'}, {stat}: --all shows it)")
    return lines or ["no changes"]


def start_lines(diff: StepDiff, color: bool) -> list[str]:
    """ "Start here": the definitions the step adds (or changes), file by file."""
    action, found = core_definitions(diff)
    if not found:
        return []
    verb = {"added": "adds", "changed": "changes"}[action]
    lines = [
        paint(f"Start here: the definitions {diff.new_name} {verb}", "bold", color)
    ]
    for change, names in found:
        path = change.new_path or change.old_path
        lines += wrapped(f"{path}: {', '.join(names)}", "  ")
    return lines


def render_text(
    diff: StepDiff, color: bool = False, summary: bool = True, body: bool = True
) -> str:
    """The terminal output: header line, structural summary and unified diff.

    A diff longer than LONG_DIFF lines first says where to start reading.
    """
    files = [unified_lines(diff, change, color) for change in diff.files]
    lines = [paint(diff.header, "bold", color)]
    if sum(len(file) + 1 for file in files) > LONG_DIFF:
        lines += ["", *start_lines(diff, color)]
    if summary:
        lines += ["", *summary_lines(diff, color)]
    if body:
        for file in files:
            lines += ["", *file]
    return "\n".join(lines) + "\n"


# --- HTML output -------------------------------------------------------------


def token_class(token: tokenize.TokenInfo, previous: tokenize.TokenInfo | None) -> str:
    """The CSS class of one Python token ('' for plain text)."""
    name = tokenize.tok_name[token.type]
    if token.type == tokenize.NAME:
        if previous is not None and previous.string in ("def", "class"):
            return "t-def"
        return "t-kw" if keyword.iskeyword(token.string) else ""
    if token.type == tokenize.STRING or name.startswith("FSTRING"):
        return "t-str"
    return {tokenize.COMMENT: "t-com", tokenize.NUMBER: "t-num"}.get(token.type, "")


def syntax_classes(lines: list[str], python: bool) -> list[list[str]]:
    """The CSS class of every character of every line, from `tokenize`."""
    classes = [[""] * len(line) for line in lines]
    if not python:
        return classes
    readline = io.StringIO("\n".join(lines) + "\n").readline
    previous = None
    try:
        for token in tokenize.generate_tokens(readline):
            css = token_class(token, previous)
            (first, start), (last, stop) = token.start, token.end
            for row in range(first, min(last, len(lines)) + 1) if css else ():
                line = classes[row - 1]
                begin, end = start if row == first else 0, stop if row == last else None
                line[begin:end] = [css] * len(line[begin:end])
            if token.type in (tokenize.NAME, tokenize.OP):
                previous = token
    except (tokenize.TokenError, SyntaxError):
        pass  # keep what was highlighted before the broken part
    return classes


def char_kind(char: str) -> str:
    """Word, space or symbol: how intra-line diffs split a line."""
    if char.isalnum() or char == "_":
        return "word"
    return "space" if char.isspace() else "symbol"


def words(line: str) -> list[str]:
    """Split a line into identifier runs, whitespace runs and single symbols."""
    parts = []
    for kind, chars in itertools.groupby(line, key=char_kind):
        chunk = "".join(chars)
        parts += list(chunk) if kind == "symbol" else [chunk]
    return parts


def inline_marks(old: str, new: str) -> tuple[list[bool], list[bool]]:
    """Flag the characters that differ between two lines (none if unrelated)."""
    old_marks, new_marks = [False] * len(old), [False] * len(new)
    a, b = words(old), words(new)
    parts = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if parts.ratio() < 0.5:
        return old_marks, new_marks
    a_at = list(itertools.accumulate(map(len, a), initial=0))
    b_at = list(itertools.accumulate(map(len, b), initial=0))
    for tag, i1, i2, j1, j2 in parts.get_opcodes():
        if tag != "equal":
            old_marks[a_at[i1] : a_at[i2]] = [True] * (a_at[i2] - a_at[i1])
            new_marks[b_at[j1] : b_at[j2]] = [True] * (b_at[j2] - b_at[j1])
    return old_marks, new_marks


def line_html(text: str, classes: list[str], marks: list[bool]) -> str:
    """One line as escaped HTML with syntax spans and intra-line change marks."""
    out = []
    runs = itertools.groupby(range(len(text)), key=lambda i: (classes[i], marks[i]))
    for (css, marked), indices in runs:
        span = list(indices)
        chunk = html.escape(text[span[0] : span[-1] + 1])
        names = " ".join(filter(None, [css, "chg" if marked else ""]))
        out.append(f'<span class="{names}">{chunk}</span>' if names else chunk)
    return "".join(out)


def pair_lines(
    old: list[str], new: list[str], i1: int, i2: int, j1: int, j2: int
) -> list[tuple[int | None, int | None]]:
    """Rows for a replaced block: old[i1:i2] beside new[j1:j2].

    Like difflib.Differ, the most similar pair of lines (ratio at least
    PAIR_RATIO) shares a row and the lines before and after it are paired the
    same way, so `y = np.sin(x)` lands beside `y = xp.sin(x)` rather than
    beside a new line inserted above it. Unpaired lines face an empty cell;
    without a similar pair (or in a block too big to search) lines pair in order.
    """
    best, at = PAIR_RATIO, None
    if 0 < (i2 - i1) * (j2 - j1) <= PAIR_SEARCH:
        lines = difflib.SequenceMatcher(None, autojunk=False)
        for j in range(j1, j2):
            lines.set_seq2(new[j])
            for i in range(i1, i2):
                lines.set_seq1(old[i])
                if (
                    lines.real_quick_ratio() > best
                    and lines.quick_ratio() > best
                    and lines.ratio() > best
                ):
                    best, at = lines.ratio(), (i, j)
    if at is None:
        count = max(i2 - i1, j2 - j1)
        return [
            (i1 + k if i1 + k < i2 else None, j1 + k if j1 + k < j2 else None)
            for k in range(count)
        ]
    i, j = at
    before = pair_lines(old, new, i1, i, j1, j)
    return [*before, (i, j), *pair_lines(old, new, i + 1, i2, j + 1, j2)]


def is_rewrite(
    old_block: list[str],
    new_block: list[str],
    pairs: list[tuple[int | None, int | None]],
    old: list[str],
    new: list[str],
) -> bool:
    """Whether a replaced block was rewritten: fewer than half its lines pair up.

    Only lines with text count (blank lines resemble every blank line), and
    only pairs at least PAIR_RATIO alike; a block with fewer than REWRITE such
    lines on both sides is never a rewrite.
    """
    old_text = sum(1 for line in old_block if line.strip())
    new_text = sum(1 for line in new_block if line.strip())
    if max(old_text, new_text) < REWRITE:
        return False
    alike = sum(
        1
        for i, j in pairs
        if i is not None
        and j is not None
        and old[i].strip()
        and new[j].strip()
        and difflib.SequenceMatcher(None, old[i], new[j]).ratio() >= PAIR_RATIO
    )
    return 2 * alike < min(old_text, new_text)


def indent_style(text: str) -> str:
    """The cell's indentation as a CSS variable, for the hanging indent."""
    width = len(text.expandtabs(4)) - len(text.expandtabs(4).lstrip(" "))
    return f' style="--i:{width}"' if width else ""


def slug(text: str) -> str:
    """An HTML id fragment: letters, digits and _ kept, the rest as '-'."""
    return re.sub(r"[^A-Za-z0-9_]+", "-", text).strip("-")


def file_anchor(change: FileChange) -> str:
    """The id of a file's section, e.g. 'f-dezero-cuda-py'."""
    return "f-" + slug(change.new_path or change.old_path)


def def_anchor(change: FileChange, name: str) -> str:
    """The id of the row where `name` is defined, e.g. 'd-dezero-cuda-py--as_cupy'."""
    return f"d-{slug(change.new_path or change.old_path)}--{slug(name)}"


def definition_lines(source: str) -> dict[str, int]:
    """name -> 1-based line of each function, class and method (as in outline)."""
    lines: dict[str, int] = {}

    def visit(nodes: list[ast.stmt], owner: str) -> None:
        """Record the definitions among nodes, looking into blocks and classes."""
        for node in nodes:
            if isinstance(node, (*FUNCTION_NODES, ast.ClassDef)):
                lines.setdefault(owner + node.name, node.lineno)
                if isinstance(node, ast.ClassDef) and not owner:
                    visit(node.body, node.name + ".")
            elif isinstance(node, BLOCK_NODES) and not owner:
                for body in block_bodies(node):
                    visit(body, owner)

    try:
        visit(ast.parse(source).body, "")
    except SyntaxError:
        pass
    return lines


class SideBySide:
    """Builds the table rows of one file: old side left, new side right.

    Lines that are only added (or only removed), and so a new or deleted file,
    span the full width instead of lying beside an empty grey half; a hunk
    that only adds (or only removes) shows its context in one column too.
    Rows where the new side defines a function, class or method get an id
    (def_anchor), so that "Start here" can link to them.
    """

    def __init__(self, change: FileChange):
        """Highlight both sides once."""
        self.change = change
        python = change.is_python
        self.sides = {
            "old": (change.old_lines, syntax_classes(change.old_lines, python)),
            "new": (change.new_lines, syntax_classes(change.new_lines, python)),
        }
        found = definition_lines("\n".join(change.new_lines)) if python else {}
        self.anchors = {
            line - 1: def_anchor(change, name) for name, line in found.items()
        }

    def code(self, side: str, index: int, kind: str, marks=None, span: int = 1) -> str:
        """The line-number and code cells of one line of one side."""
        lines, classes = self.sides[side]
        text = lines[index]
        code = line_html(text, classes[index], marks or [False] * len(text))
        css = f"code {kind}".strip()
        wide = f' colspan="{span}"' if span > 1 else ""
        number = f"ln {kind}" if span > 1 and kind else "ln"  # whose number it is
        return (
            f'<td class="{number}">{index + 1}</td>'
            f'<td class="{css}"{wide}{indent_style(text)}>{code}</td>'
        )

    def cell(self, side: str, index: int | None, kind: str, marks=None) -> str:
        """The line-number and code cells of one side of a row."""
        if index is None:
            return '<td class="ln"></td><td class="code none"></td>'
        return self.code(side, index, kind, marks)

    def row(self, cells: str, new_index: int | None = None, css: str = "") -> str:
        """A table row; the row of a definition's first line carries its id."""
        attrs = f' class="{css}"' if css else ""
        if new_index in self.anchors:
            attrs += f' id="{self.anchors[new_index]}"'
        return f"<tr{attrs}>{cells}</tr>"

    def hunks(self) -> list[int | list[tuple[str, int, int, int, int]]]:
        """The opcodes cut into hunks; an int between them counts hidden lines.

        Unchanged runs keep CONTEXT lines next to each change (none before the
        file's first line or after its last); a gap of one line is shown.
        """
        out: list = []
        hunk: list[tuple[str, int, int, int, int]] = []
        old_end, new_end = len(self.change.old_lines), len(self.change.new_lines)
        for tag, i1, i2, j1, j2 in self.change.opcodes:
            if tag != "equal":
                hunk.append((tag, i1, i2, j1, j2))
                continue
            head = 0 if i1 == j1 == 0 else CONTEXT
            tail = 0 if (i2, j2) == (old_end, new_end) else CONTEXT
            if i2 - i1 <= head + tail + 1:
                hunk.append((tag, i1, i2, j1, j2))
                continue
            if head:
                hunk.append((tag, i1, i1 + head, j1, j1 + head))
            if hunk:
                out.append(hunk)
            out.append(i2 - i1 - head - tail)
            hunk = [(tag, i2 - tail, i2, j2 - tail, j2)] if tail else []
        if hunk:
            out.append(hunk)
        return out

    def equal_rows(self, i1: int, i2: int, j1: int, j2: int) -> list[str]:
        """Unchanged lines, side by side."""
        return [
            self.row(self.cell("old", i, "") + self.cell("new", j, ""), j)
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
        ]

    def changed_rows(self, i1: int, i2: int, j1: int, j2: int) -> list[str]:
        """Removed lines left, added lines right, each beside its closest match.

        A rewrite (a block of REWRITE lines or more on one side, in which few
        lines resemble one another) is shown as its old lines, then its new
        ones, each across the full width: side by side it would be a patchwork.
        """
        old_lines, new_lines = self.change.old_lines, self.change.new_lines
        pairs = pair_lines(old_lines, new_lines, i1, i2, j1, j2)
        if is_rewrite(old_lines[i1:i2], new_lines[j1:j2], pairs, old_lines, new_lines):
            gone = self.one_column_rows([("delete", i1, i2, j1, j1)], "old")
            return gone + self.one_column_rows([("insert", i2, i2, j1, j2)], "new")
        rows = []
        for i, j in pairs:
            old_marks = new_marks = None
            if i is not None and j is not None:
                old_text, new_text = self.change.old_lines[i], self.change.new_lines[j]
                old_marks, new_marks = inline_marks(old_text, new_text)
            old = self.cell("old", i, "del", old_marks)
            new = self.cell("new", j, "ins", new_marks)
            rows.append(self.row(old + new, j))
        return rows

    def one_column_rows(self, hunk: list, side: str) -> list[str]:
        """Lines only added (side 'new') or only removed, and their context, full width.

        The line numbers are the new file's for added lines, the old file's for
        removed ones; their cell is coloured like the line.
        """
        kind = "ins" if side == "new" else "del"
        rows = []
        for tag, i1, i2, j1, j2 in hunk:
            start, stop = (j1, j2) if side == "new" else (i1, i2)
            css = "" if tag == "equal" else kind
            for index in range(start, stop):
                cells = self.code(side, index, css, span=3)
                rows.append(self.row(cells, index if side == "new" else None, "one"))
        return rows

    def rows(self) -> list[str]:
        """All rows of the file's table."""
        rows = []
        for hunk in self.hunks():
            if isinstance(hunk, int):
                rows.append(
                    f'<tr class="skip"><td colspan="4">… {hunk} unchanged lines</td>'
                    "</tr>"
                )
                continue
            tags = {op[0] for op in hunk} - {"equal"}
            if tags in ({"insert"}, {"delete"}):
                rows += self.one_column_rows(hunk, "new" if "insert" in tags else "old")
                continue
            for op in hunk:
                tag, i1, i2, j1, j2 = op
                if tag == "equal":
                    rows += self.equal_rows(i1, i2, j1, j2)
                elif tag == "replace":
                    rows += self.changed_rows(i1, i2, j1, j2)
                else:  # lines only added or only removed here: full width too
                    rows += self.one_column_rows(
                        [op], "new" if tag == "insert" else "old"
                    )
        return rows


def summary_html(diff: StepDiff, collapsed: bool = False) -> str:
    """The structural summary as nested HTML lists; collapsed: one click opens it."""
    items = []
    for change, lines in summary_entries(diff):
        inner = ""
        for category, text in lines:
            if category:
                style = category.split()[0]
                inner += f'<li><span class="{style}">{category}:</span> '
            else:
                inner += '<li class="note">'
            inner += f"{html.escape(text)}</li>"
        stat = f'<span class="stat">+{change.added} −{change.removed}</span>'
        items.append(
            f'<li><span class="file">{html.escape(change.label)}</span> {stat}'
            + (f"<ul>{inner}</ul>" if inner else "")
            + "</li>"
        )
    body = f"<ul>{''.join(items)}</ul>" if items else "<p>No changes.</p>"
    if not collapsed:
        return f'<section class="summary"><h2>Summary</h2>{body}</section>'
    count = len(diff.files)
    what = f"{count} file{'' if count == 1 else 's'}, what each adds and changes"
    return (
        f'<section class="summary"><details><summary><h2>Summary</h2> '
        f'<span class="stat">{what}</span></summary>{body}</details></section>'
    )


def file_html(diff: StepDiff, change: FileChange) -> str:
    """One file's heading and table (side by side, or one column where it only adds)."""
    old = f"{diff.old_name}/{change.old_path}" if change.old_path else "(none)"
    new = f"{diff.new_name}/{change.new_path}" if change.new_path else "(none)"
    if change.status in ("added", "deleted"):
        only = new if change.status == "added" else old
        head = f'<tr><th colspan="4">{html.escape(only)}</th></tr>'
    else:
        head = (
            f'<tr><th colspan="2">{html.escape(old)}</th>'
            f'<th colspan="2">{html.escape(new)}</th></tr>'
        )
    cols = '<col class="ln"><col class="code"><col class="ln"><col class="code">'
    rows = "\n".join(SideBySide(change).rows())
    return (
        f'<section class="file {change.status}" id="{file_anchor(change)}">'
        f"<h2>{html.escape(change.headline)}</h2>\n"
        f'<table class="diff"><colgroup>{cols}</colgroup>'
        f"<thead>{head}</thead>\n<tbody>\n{rows}\n</tbody></table></section>"
    )


def inline_markdown(text: str) -> str:
    """A lesson paragraph as HTML: `code`, **bold**, *italic*; links keep their text."""
    out = []
    for number, part in enumerate(text.split("`")):
        if number % 2:
            out.append(f"<code>{html.escape(part)}</code>")
            continue
        part = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", part)
        part = html.escape(part, quote=False)
        part = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", part)
        out.append(
            re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"<em>\1</em>", part)
        )
    return "".join(out)


def lesson_intro(step: Path | None) -> tuple[str, str]:
    """A step's title and its lesson's first paragraph, from README.md.

    The title is the first line without its '# '; the paragraph is the first
    one under the first '## ' heading. Blank when there is no README.
    """
    readme = step / "README.md" if step is not None else None
    if readme is None or not readme.is_file():
        return (step.name if step is not None else ""), ""
    text = readme.read_text(encoding="utf-8")
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    title = blocks[0].split("\n")[0].lstrip("#").strip() if blocks else step.name
    under_heading = False
    for block in blocks[1:]:
        if block.startswith("## "):
            under_heading = True
            block = block.partition("\n")[2].strip()
        if under_heading and block and not block.startswith(("#", "```", "|")):
            return title, " ".join(block.split())
    return title, ""


def lesson_link(step: Path, page: Path | None) -> str:
    """Where the page links to the lesson: relative to the page when it is known."""
    readme = (step / "README.md").resolve()
    if page is None:
        return readme.as_uri()
    return Path(os.path.relpath(readme, page.resolve().parent)).as_posix()


def header_html(diff: StepDiff, page: Path | None) -> str:
    """Both steps' titles, the size of the diff, the lesson's opening and a link."""
    old_title, _ = lesson_intro(diff.old_dir)
    new_title, intro = lesson_intro(diff.new_dir)
    titles = (
        f'<span class="old">{html.escape(old_title or diff.old_name)}</span>'
        ' <span class="arrow">→</span> '
        f'<span class="new">{html.escape(new_title or diff.new_name)}</span>'
    )
    stat = html.escape(diff.header)
    link = ""
    if diff.new_dir is not None and (diff.new_dir / "README.md").is_file():
        href = html.escape(lesson_link(diff.new_dir, page))
        link = f' · <a href="{href}">the lesson: {diff.new_name}/README.md</a>'
    parts = [f"<h1>{titles}</h1>", f'<p class="stat">{stat}{link}</p>']
    if intro:
        parts.append(f'<p class="intro">{inline_markdown(intro)}</p>')
    return '<header class="steps">' + "".join(parts) + "</header>"


def start_html(diff: StepDiff, page_body: str, story: FileChange | None = None) -> str:
    """ "Start here": links to the definitions the step adds (or changes).

    story: demo.py when it carries the step's story; the line then links to it.
    """
    action, found = core_definitions(diff)
    demo = ""
    if story is not None:
        demo = (
            f' · the story is in <a href="#{file_anchor(story)}"><code>demo.py</code>'
            f"</a> (+{story.added} −{story.removed}, below)"
        )
    if not found:
        return (
            f'<p class="start"><strong>Start here</strong>:{demo[2:]}</p>'
            if demo
            else ""
        )
    links = []
    for change, names in found:
        for name in names:
            anchor = def_anchor(change, name)
            if f'id="{anchor}"' not in page_body:
                anchor = file_anchor(change)
            links.append(f'<a href="#{anchor}"><code>{html.escape(name)}</code></a>')
    verb = {"added": "adds", "changed": "changes"}[action]
    return (
        f'<p class="start"><strong>Start here</strong> ({diff.new_name} {verb}): '
        + ", ".join(links)
        + demo
        + "</p>"
    )


def demo_carries_story(diff: StepDiff, demo: FileChange) -> bool:
    """Whether the demo changed more than the framework did (41 -> 42)."""
    framework = sum(change.added + change.removed for change in diff.files)
    return demo.added + demo.removed > framework


def demo_html(diff: StepDiff, demo: FileChange, open_: bool) -> str:
    """demo.py's diff, folded behind one click unless it carries the story."""
    stat = f"+{demo.added} −{demo.removed}"
    why = (
        "the demo changed more than the framework: it tells this step's story"
        if open_
        else "click to open"
    )
    return (
        f'<details class="demo"{" open" if open_ else ""}><summary>'
        f'<h2>{html.escape(demo.headline)}</h2> <span class="stat">{stat}, {why}'
        f"</span></summary>{file_html(diff, demo)}</details>"
    )


def render_html(
    diff: StepDiff,
    summary: bool = True,
    body: bool = True,
    page: Path | None = None,
    demo: bool | None = None,
) -> str:
    """A self-contained side-by-side HTML page (inline CSS, no scripts).

    The header names both steps, opens with the new lesson's first paragraph
    and links to it (relative to `page`, where the page will be written, else
    an absolute file: URI). The summary is folded. demo.py, when the diff
    leaves it out, follows the framework: open when it carries the step's story,
    folded otherwise; demo=True or False forces it open or folded.
    """
    title = html.escape(f"DeZero {diff.old_name} → {diff.new_name}")
    files = [file_html(diff, change) for change in diff.files] if body else []
    story = None
    for change in diff.left_out() if body else []:
        carries = demo_carries_story(diff, change) if demo is None else demo
        files.append(demo_html(diff, change, carries))
        story = change if carries else None
    page_body = "\n".join(files)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>\n{CSS_PATH.read_text(encoding='utf-8')}</style>",
        "</head><body>",
        header_html(diff, page),
        start_html(diff, page_body, story),
    ]
    if summary:
        parts.append(summary_html(diff, collapsed=body))
    parts.append(page_body)
    parts.append("</body></html>")
    return "\n".join(part for part in parts if part) + "\n"


# --- Command line ------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="stepdiff",
        description="Compare two DeZero step snapshots (framework files by default).",
    )
    parser.add_argument("first", metavar="STEP", help="new step, or old step if two")
    parser.add_argument("second", metavar="NEW", nargs="?", help="new step")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repo root")
    parser.add_argument(
        "--all",
        dest="include_all",
        action="store_true",
        help="also compare demo.py, tests/, README.md, conftest.py, ...",
    )
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--summary", action="store_true", help="only the summary")
    only.add_argument("--no-summary", action="store_true", help="only the diff")
    parser.add_argument(
        "--html", type=Path, metavar="FILE", help="write a side-by-side HTML page"
    )
    return parser


def use_color(choice: str) -> bool:
    """Resolve --color: auto means a terminal and NO_COLOR unset."""
    if choice == "auto":
        return sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return choice == "always"


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        old_dir, new_dir = resolve_steps(args.root, args.first, args.second)
    except StepDiffError as error:
        print(f"stepdiff: error: {error}", file=sys.stderr)
        return 2
    diff = compare(old_dir, new_dir, args.include_all)
    summary, body = not args.no_summary, not args.summary
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        page = render_html(diff, summary, body, page=args.html)
        args.html.write_text(page, encoding="utf-8")
        print(f"wrote {args.html}")
        return 0
    try:
        sys.stdout.write(render_text(diff, use_color(args.color), summary, body))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())

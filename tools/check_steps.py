#!/usr/bin/env python3
"""Check that consecutive step snapshots stay diff-clean.

For each step N+1 and the step N before it:

(a) every top-level definition and class method of step N's framework files
    (dezero.py, or dezero/*.py from step 23 on) still exists in step N+1,
    unless step N+1's README.md lists it under "Replaces:";
(b) definitions the two steps share keep their relative order within a file;
(c) no diff hunk changes only whitespace (framework files, demo.py,
    conftest.py, pytest.ini);
(d) every step has README.md, demo.py, conftest.py, pytest.ini,
    tests/test_stepNN_*.py and a framework (dezero.py or dezero/__init__.py).

A framework file that moves (dezero.py -> dezero/core_simple.py at step 23) is
matched to the new file holding most of its definitions.

    python tools/check_steps.py              # every step
    python tools/check_steps.py --steps 7    # step07 itself and step06 -> step07

Stdlib only. Prints one line per problem and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from steplib import REPO_ROOT, choose_steps, find_steps

REQUIRED_FILES = ("README.md", "demo.py", "conftest.py", "pytest.ini")
PLAIN_FILES = ("demo.py", "conftest.py", "pytest.ini")  # checked for (c) only
NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
NO_NAMES = {"none", "nothing", "n/a"}


@dataclass
class Source:
    """One framework file: its lines and its definitions in file order."""

    rel: str  # path relative to the step, e.g. "dezero/core.py"
    lines: list[str]
    defs: list[str]  # "square", "Variable", "Variable.backward", ...
    error: str | None = None


# --- Reading a snapshot ------------------------------------------------------


def definitions(tree: ast.Module) -> list[str]:
    """Top-level functions and classes, and each class's methods, in order."""
    keys: list[str] = []
    funcs = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in tree.body:
        if isinstance(node, (*funcs, ast.ClassDef)):
            keys.append(node.name)
        if isinstance(node, ast.ClassDef):
            for sub in node.body:
                if isinstance(sub, (*funcs, ast.ClassDef)):
                    keys.append(f"{node.name}.{sub.name}")
    return list(dict.fromkeys(keys))  # a redefinition keeps its first place


def read_source(step: Path, rel: str) -> Source:
    text = (step / rel).read_text(encoding="utf-8")
    lines = text.splitlines()
    try:
        return Source(rel, lines, definitions(ast.parse(text, filename=rel)))
    except SyntaxError as exc:
        return Source(rel, lines, [], f"syntax error at line {exc.lineno}: {exc.msg}")


def framework_files(step: Path) -> list[str]:
    """dezero.py and/or the dezero package's modules, relative to the step."""
    files = []
    if (step / "dezero.py").is_file():
        files.append("dezero.py")
    package = step / "dezero"
    if package.is_dir():
        files += sorted(
            p.relative_to(step).as_posix()
            for p in package.rglob("*.py")
            if "__pycache__" not in p.parts
        )
    return files


def replaced_names(readme: Path) -> set[str]:
    """Names listed under 'Replaces:' (a line, or a '## Replaces' bullet list)."""
    if not readme.is_file():
        return set()
    names: set[str] = set()
    section = None  # "heading": prose allowed; "line": only bullets may follow
    for line in readme.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if re.match(r"#{1,6}\s+Replaces\b", text, re.IGNORECASE):
            section = "heading"
            continue
        if text.startswith("#"):
            section = None
            continue
        m = re.match(r"[*_]*Replaces[*_]*\s*:[*_]*\s*(.*)$", text, re.IGNORECASE)
        if m:
            names |= parse_names(m.group(1))
            section = "line"
            continue
        bullet = re.match(r"[-*+]\s+(.*)$", text)
        if section and bullet:
            names |= parse_names(bullet.group(1))
        elif section == "line" and text:
            section = None
    return names


def parse_names(text: str) -> set[str]:
    """'`Variable.backward`, square() — why' -> {'Variable.backward', 'square'}."""
    text = re.split(r"\s[—–-]\s|:\s", text, maxsplit=1)[0]
    tokens = re.findall(r"`([^`]+)`", text) if "`" in text else text.split(",")
    names = set()
    for token in tokens:
        token = token.strip().strip("*_").strip()
        token = token.removesuffix("()").rstrip(".;")
        if NAME.fullmatch(token) and token.lower() not in NO_NAMES:
            names.add(token)
    return names


def is_replaced(key: str, replaced: set[str]) -> bool:
    """Exact name, its class (a removed class takes its methods), or qualified."""
    for name in replaced:
        if key == name or key.startswith(name + ".") or name.endswith("." + key):
            return True
    return False


# --- The checks ----------------------------------------------------------------


def check_structure(step: Path, num: int) -> list[str]:
    """(d): the files every snapshot must have."""
    problems = []
    for name in REQUIRED_FILES:
        if not (step / name).is_file():
            problems.append(f"{step.name}: missing {name}")
    tests = step / "tests"
    pattern = f"test_step{num:02d}_*.py"
    if not tests.is_dir():
        problems.append(f"{step.name}: missing tests/ (with {pattern})")
    elif not list(tests.glob(pattern)):
        problems.append(f"{step.name}: tests/ has no {pattern}")
    if (
        not (step / "dezero.py").is_file()
        and not (step / "dezero/__init__.py").is_file()
    ):
        problems.append(f"{step.name}: no framework (dezero.py or dezero/__init__.py)")
    return problems


def match_files(old: dict[str, Source], new: dict[str, Source]) -> dict[str, str]:
    """Old file -> new file: the same path, else the file with most of its defs."""
    matched = {rel: rel for rel in old if rel in new}
    unclaimed = [rel for rel in new if rel not in old]
    for rel, source in old.items():
        if rel in matched or not source.defs:
            continue
        wanted = set(source.defs)
        candidates = unclaimed or list(new)
        best = max(
            candidates, key=lambda r: len(wanted & set(new[r].defs)), default=None
        )
        if best is not None and wanted & set(new[best].defs):
            matched[rel] = best
    return matched


def check_survival(
    prev: Path, step: Path, old: dict[str, Source], new: dict[str, Source]
) -> list[str]:
    """(a): every definition of step N survives in step N+1 unless replaced."""
    problems = []
    replaced = replaced_names(step / "README.md")
    everywhere = {key for source in new.values() for key in source.defs}
    for source in old.values():
        for key in source.defs:
            if key not in everywhere and not is_replaced(key, replaced):
                problems.append(
                    f"{step.name}: `{key}` ({prev.name}/{source.rel}) is gone; "
                    f"list it under 'Replaces:' in {step.name}/README.md "
                    "if the lesson removes it"
                )
    known = {key for source in old.values() for key in source.defs}
    for name in sorted(replaced):
        if not any(is_replaced(key, {name}) for key in known):
            print(
                f"note: {step.name}/README.md replaces `{name}`, "
                f"which {prev.name} does not define"
            )
    return problems


def check_order(prev: Path, step: Path, a: Source, b: Source) -> list[str]:
    """(b): shared definitions keep their relative order."""
    shared = set(a.defs) & set(b.defs)
    before = [k for k in a.defs if k in shared]
    after = [k for k in b.defs if k in shared]
    if before == after:
        return []
    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    kept = {
        k for blk in sm.get_matching_blocks() for k in after[blk.b : blk.b + blk.size]
    }
    moved = [k for k in after if k not in kept]
    names = ", ".join(f"`{k}`" for k in moved)
    return [
        f"{step.name}/{b.rel}: {names} moved relative to {prev.name}/{a.rel}; "
        "keep shared definitions in their old order"
    ]


def squash(lines: list[str]) -> str:
    """The lines with every blank line and whitespace character removed."""
    return "".join(re.sub(r"\s+", "", line) for line in lines)


def whitespace_hunks(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """Hunks (0-based line ranges) whose only change is whitespace.

    Hunks separated only by blank lines are merged first, so re-indenting a
    block under a new `with` or `if` line counts as part of that real change.
    """
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    hunks: list[list[int]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if hunks and all(not line.strip() for line in a[hunks[-1][1] : i1]):
            hunks[-1][1], hunks[-1][3] = i2, j2
        else:
            hunks.append([i1, i2, j1, j2])
    return [
        (i1, i2, j1, j2)
        for i1, i2, j1, j2 in hunks
        if squash(a[i1:i2]) == squash(b[j1:j2])
    ]


def check_whitespace(
    prev: Path, step: Path, a_rel: str, a: list[str], b_rel: str, b: list[str]
) -> list[str]:
    """(c): report each whitespace-only hunk with the new file's lines."""
    problems = []
    for i1, i2, j1, j2 in whitespace_hunks(a, b):
        where = f"line {j1 + 1}" if j2 - j1 <= 1 else f"lines {j1 + 1}-{j2}"
        if j1 == j2:
            where = f"after line {j1}"
        old = f"{i1 + 1}" if i2 - i1 <= 1 else f"{i1 + 1}-{i2}"
        problems.append(
            f"{step.name}/{b_rel} {where}: only whitespace changes "
            f"({prev.name}/{a_rel} line {old})"
        )
    return problems


def check_pair(prev: Path, step: Path) -> list[str]:
    """(a), (b) and (c) for one transition prev -> step."""
    problems = []
    old = {rel: read_source(prev, rel) for rel in framework_files(prev)}
    new = {rel: read_source(step, rel) for rel in framework_files(step)}
    for source, where in [(s, prev) for s in old.values()] + [
        (s, step) for s in new.values()
    ]:
        if source.error:
            problems.append(f"{where.name}/{source.rel}: {source.error}")
    if problems:
        return problems
    problems += check_survival(prev, step, old, new)
    for a_rel, b_rel in match_files(old, new).items():
        a, b = old[a_rel], new[b_rel]
        problems += check_order(prev, step, a, b)
        problems += check_whitespace(prev, step, a_rel, a.lines, b_rel, b.lines)
    for name in PLAIN_FILES:
        if (prev / name).is_file() and (step / name).is_file():
            a_lines = (prev / name).read_text(encoding="utf-8").splitlines()
            b_lines = (step / name).read_text(encoding="utf-8").splitlines()
            problems += check_whitespace(prev, step, name, a_lines, name, b_lines)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check that consecutive step snapshots stay diff-clean."
    )
    parser.add_argument(
        "--steps", help="steps to check (each against the one before): 7, 1-10, 3,5,7"
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=REPO_ROOT,
        help="repository root (default: this one)",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    available = find_steps(root)
    if args.steps:
        try:
            chosen = choose_steps(available, args.steps, root)
        except ValueError as exc:
            parser.error(str(exc))
    else:
        chosen = list(available)
    if not chosen:
        print(f"check_steps: no step directories under {root}")
        return 0

    problems: list[str] = []
    numbers = list(available)
    pairs = 0
    for num in chosen:
        step = available[num]
        problems += check_structure(step, num)
        index = numbers.index(num)
        if index == 0:
            continue
        prev_num = numbers[index - 1]
        if prev_num != num - 1:
            problems.append(f"{step.name}: follows step{prev_num:02d} (steps missing)")
        problems += check_pair(available[prev_num], step)
        pairs += 1

    for problem in problems:
        print(problem)
    steps_text = f"{len(chosen)} step{'s' if len(chosen) != 1 else ''}"
    if problems:
        print(f"check_steps: {len(problems)} problem(s) in {steps_text}")
        return 1
    print(f"check_steps: {steps_text} and {pairs} transition(s) clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())

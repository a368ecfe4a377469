#!/usr/bin/env python3
"""Carry a fix made in one step's file into every later step that has the file.

Fix the earliest snapshot that has the bug, then:

    python tools/forward_port.py 12 dezero.py                 # step12's edit -> 13..
    python tools/forward_port.py 12 dezero.py --dry-run       # only report
    python tools/forward_port.py 12 dezero.py --map dezero.py=dezero/core_simple.py
    python tools/forward_port.py 12 dezero.py --patch fix.diff --to 30

The change is the working-tree diff of stepNN/FILE against HEAD (or --patch).
It goes into each later step with `git apply --3way`, which stages it there;
the first conflict stops the run, leaving conflict markers in that step's file.
Resolve them, `git add` the file, and carry on from that step with the same
command and that step's number. Commit the source and every step in one commit.

--map OLD=NEW follows a file that moved: from the first later step where NEW
exists, the fix goes into NEW (e.g. dezero.py=dezero/core_simple.py at step 23,
dezero/core_simple.py=dezero/core.py at step 32; give --map once per move).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from steplib import REPO_ROOT, find_steps


class PortError(Exception):
    """A problem that stops the run before anything is applied."""


def git(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )


def source_patch(root: Path, path: str, patch_file: Path | None) -> str:
    """The change to carry: --patch's text, or the file's diff against HEAD."""
    if patch_file is not None:
        text = patch_file.read_text(encoding="utf-8")
    else:
        proc = git(root, "diff", "--full-index", "HEAD", "--", path)
        if proc.returncode != 0:
            raise PortError(f"git diff failed: {proc.stderr.strip()}")
        text = proc.stdout
    if not text.strip():
        raise PortError(f"nothing to carry: {path} has no change against HEAD")
    headers = [line for line in text.splitlines() if line.startswith("+++ ")]
    if len(headers) != 1:
        raise PortError(
            f"the patch must change exactly one file ({len(headers)} found)"
        )
    if re.search(r"^(rename|copy) (from|to) |^(new|deleted) file mode", text, re.M):
        raise PortError("the patch must modify a file, not add, remove or rename it")
    return text


def retarget(patch: str, target: str) -> str:
    """Point the patch's file header at target (a path relative to the repo)."""
    out = []
    in_header = True
    for line in patch.splitlines(keepends=True):
        if line.startswith("@@"):
            in_header = False
        elif line.startswith("diff --git "):
            in_header = True
        if in_header:
            end = "\n" if line.endswith("\n") else ""
            if line.startswith("diff --git "):
                line = f"diff --git a/{target} b/{target}{end}"
            elif line.startswith("--- "):
                line = f"--- a/{target}{end}"
            elif line.startswith("+++ "):
                line = f"+++ b/{target}{end}"
        out.append(line)
    return "".join(out)


def plan_targets(
    steps: dict[int, Path], start: int, stop: int | None, rel: str, maps: dict[str, str]
) -> list[tuple[int, str | None]]:
    """(step, path relative to the step or None when the step lacks the file)."""
    plan = []
    current = rel
    for num, step in steps.items():
        if num <= start or (stop is not None and num > stop):
            continue
        while current in maps and (step / maps[current]).is_file():
            current = maps[current]
        plan.append((num, current if (step / current).is_file() else None))
    return plan


def parse_maps(items: list[str]) -> dict[str, str]:
    maps = {}
    for item in items:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise PortError(f"--map wants OLD=NEW, got {item!r}")
        maps[old.strip()] = new.strip()
    return maps


def port(
    root: Path,
    start: int,
    rel: str,
    patch_file: Path | None = None,
    maps: dict[str, str] | None = None,
    stop: int | None = None,
    dry_run: bool = False,
) -> int:
    """Apply the fix step by step; return 0, or 1 at the first conflict."""
    steps = find_steps(root)
    if start not in steps:
        raise PortError(f"no directory step{start:02d} under {root}")
    source = f"step{start:02d}/{rel}"
    if patch_file is None and not (root / source).is_file():
        raise PortError(f"no file {source}")
    patch = source_patch(root, source, patch_file)
    plan = plan_targets(steps, start, stop, rel, maps or {})
    targets = [f"step{num:02d}/{path}" for num, path in plan if path]
    if not targets:
        print(f"no later step has {rel}: nothing to do")
        return 0
    dirty = git(root, "diff", "--name-only", "--", *targets).stdout.split()
    if dirty:
        raise PortError(
            "these files have unstaged changes; commit, stage or stash them first: "
            + ", ".join(dirty)
        )

    env = None
    scratch = None
    if dry_run:  # apply into a copy of the index: the same merge, no file touched
        scratch = tempfile.mkdtemp(prefix="forward_port_")
        index = git(root, "rev-parse", "--git-path", "index").stdout.strip()
        index_copy = os.path.join(scratch, "index")
        if (root / index).exists():
            shutil.copyfile(root / index, index_copy)
        env = dict(os.environ, GIT_INDEX_FILE=index_copy)
    applied = []
    try:
        with tempfile.TemporaryDirectory(prefix="forward_port_") as tmp:
            for num, path in plan:
                name = f"step{num:02d}"
                if path is None:
                    print(f"{name}: no {rel}, skipped")
                    continue
                target = f"{name}/{path}"
                patch_path = Path(tmp) / f"{name}.diff"
                patch_path.write_text(retarget(patch, target), encoding="utf-8")
                args = ["apply", "--3way", "--whitespace=nowarn"]
                if dry_run:
                    args.append("--cached")
                proc = git(root, *args, str(patch_path), env=env)
                if proc.returncode == 0:
                    print(f"{target}: {'would apply' if dry_run else 'applied'}")
                    applied.append(target)
                    continue
                detail = proc.stderr.strip()
                if "with conflicts" in detail:
                    print(f"{target}: CONFLICT")
                    if dry_run:
                        print(f"stopped: the fix would conflict in {name} ({target})")
                    else:
                        print(
                            f"stopped at {name}: resolve the conflict markers in "
                            f"{target}, `git add {target}`, then continue with\n"
                            f"    python tools/forward_port.py {num} {path}"
                        )
                else:
                    print(f"{target}: FAILED\n    " + detail.replace("\n", "\n    "))
                    print(f"stopped at {name}: the fix does not apply to {target}")
                return 1
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    if dry_run:
        print(f"dry run: the fix applies to {len(applied)} later file(s)")
    else:
        print(
            f"carried {source}'s change into {len(applied)} file(s) (staged); "
            f"review with `git diff --cached`, then `git add {source}` and commit once"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Carry a fix in one step's file into every later step."
    )
    parser.add_argument("step", type=int, help="the step whose file holds the fix")
    parser.add_argument("file", help="path relative to the step, e.g. dezero/core.py")
    parser.add_argument("--patch", type=Path, help="carry this diff instead")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="follow a moved file (repeatable)",
    )
    parser.add_argument("--to", type=int, help="last step to change (default: all)")
    parser.add_argument("--dry-run", action="store_true", help="change nothing")
    parser.add_argument(
        "--root", type=Path, default=REPO_ROOT, help="repository (default: this one)"
    )
    args = parser.parse_args(argv)
    top = git(args.root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        parser.error(f"{args.root} is not inside a git repository")
    root = Path(top.stdout.strip())
    rel = Path(args.file).as_posix().removeprefix("./")
    try:
        return port(
            root,
            args.step,
            rel,
            patch_file=args.patch.resolve() if args.patch else None,
            maps=parse_maps(args.map),
            stop=args.to,
            dry_run=args.dry_run,
        )
    except PortError as exc:
        print(f"forward_port: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""Step directories and --steps selections, shared by the stdlib-only tools."""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
STEP_DIR = re.compile(r"^step(\d{2})$")


def parse_steps(spec: str) -> list[int]:
    """'7' -> [7]; '1-3' -> [1, 2, 3]; '3,5,7' and '1-3,9' work too."""
    steps: set[int] = set()
    for part in spec.split(","):
        part = part.strip().lower().removeprefix("step")
        if not part:
            continue
        m = re.fullmatch(r"(\d+)\s*-\s*(?:step)?(\d+)", part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            if lo > hi:
                raise ValueError(f"empty step range {part!r}")
            steps.update(range(lo, hi + 1))
        elif part.isdigit():
            steps.add(int(part))
        else:
            raise ValueError(f"bad step selection {part!r} (use 7, 1-10 or 3,5,7)")
    if not steps:
        raise ValueError("empty step selection")
    return sorted(steps)


def find_steps(root: Path) -> dict[int, Path]:
    """Map step number -> directory for every stepNN/ directly under root."""
    found = {}
    for path in root.iterdir():
        m = STEP_DIR.match(path.name)
        if m and path.is_dir():
            found[int(m.group(1))] = path
    return dict(sorted(found.items()))


def choose_steps(
    available: dict[int, Path], spec: str, root: Path, singles_must_exist: bool = False
) -> list[int]:
    """The selected step numbers present in available; ValueError when none is."""
    wanted = parse_steps(spec)
    if singles_must_exist:
        singles = {
            int(p.strip().lower().removeprefix("step"))
            for p in spec.split(",")
            if p.strip().lower().removeprefix("step").isdigit()
        }
        missing = sorted(n for n in singles if n not in available)
        if missing:
            names = ", ".join(f"step{n:02d}" for n in missing)
            raise ValueError(f"no such step directory under {root}: {names}")
    chosen = [n for n in wanted if n in available]
    if not chosen:
        raise ValueError(f"no step directory under {root} matches --steps {spec}")
    return chosen

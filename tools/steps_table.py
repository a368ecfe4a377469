"""Keep the step table in README.md in step with the lesson READMEs.

    python tools/steps_table.py           print the table
    python tools/steps_table.py --write   rewrite it between the markers in README.md
    python tools/steps_table.py --check   exit 1 when README.md is out of date

Each row comes from the first line of stepNN/README.md (`# Step NN — Title`); the
stage of a step comes from STAGES below, as in the book.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- steps:begin -->", "<!-- steps:end -->"
STAGES = [
    (1, 10, "Stage 1 — Automatic differentiation"),
    (11, 24, "Stage 2 — Natural code"),
    (25, 36, "Stage 3 — Higher-order derivatives"),
    (37, 51, "Stage 4 — Neural networks"),
    (52, 60, "Stage 5 — Deep learning features"),
]


def step_title(step_dir):
    """The title after '# Step NN — ' in the step's README, or '(no lesson yet)'."""
    readme = step_dir / "README.md"
    if not readme.is_file():
        return "(no lesson yet)"
    first = readme.read_text(encoding="utf-8").splitlines()[0]
    match = re.match(r"# Step \d+\s*[—-]\s*(.+)", first)
    return match.group(1).strip() if match else first.lstrip("# ").strip()


def table(root=ROOT):
    """Markdown for every present step, grouped by stage, with links to lessons."""
    steps = sorted(p for p in root.glob("step[0-9][0-9]") if p.is_dir())
    lines = []
    for first, last, heading in STAGES:
        rows = [s for s in steps if first <= int(s.name[4:]) <= last]
        if not rows:
            continue
        guide = f"stages/stage{STAGES.index((first, last, heading)) + 1}/README.md"
        link = f" ([guide]({guide}))" if (root / guide).is_file() else ""
        lines += ["", f"### {heading}{link}", "", "| Step | Lesson |", "|---|---|"]
        lines += [f"| [{s.name}]({s.name}/README.md) | {step_title(s)} |" for s in rows]
    return "\n".join(lines).strip() + "\n"


def replace_block(text, block):
    """text with the part between the markers replaced by block."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + block + text[end:]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="update README.md")
    group.add_argument("--check", action="store_true", help="fail if out of date")
    args = parser.parse_args(argv)
    block = table()
    if not (args.write or args.check):
        print(block, end="")
        return 0
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = replace_block(text, block)
    if args.check:
        if new != text:
            print("README.md's step table is stale: run tools/steps_table.py --write")
            return 1
        return 0
    readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

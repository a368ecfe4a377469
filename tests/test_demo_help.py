"""Every step's demo answers --help with its usage and exits, without running.

The README says `--help` lists a demo's options; a demo that ignores it would run
instead (and could take seconds, write figures, or print something else).
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STEPS = sorted(p for p in ROOT.glob("step??") if re.fullmatch(r"step\d\d", p.name))


def first_docstring_line(demo: Path) -> str:
    doc = ast.get_docstring(ast.parse(demo.read_text(encoding="utf-8")))
    assert doc, f"{demo.relative_to(ROOT)} has no module docstring for --help"
    return doc.splitlines()[0]


@pytest.mark.parametrize("step", STEPS, ids=[p.name for p in STEPS])
def test_demo_answers_help_without_running(step, tmp_path):
    demo = step / "demo.py"
    # Run from an empty folder, headless, so a demo that ran anyway shows up as
    # output before the usage line or as files written here.
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, str(demo), "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,  # an import of NumPy/matplotlib; the demos themselves take ~10 s
    )
    where = f"python {step.name}/demo.py --help"
    assert result.returncode == 0, f"{where} exited {result.returncode}"
    assert result.stderr == "", f"{where} wrote to stderr:\n{result.stderr}"
    out = result.stdout
    assert out.startswith("usage: demo.py"), f"{where} printed first:\n{out[:300]}"
    assert "-h, --help" in out
    # argparse wraps the description; compare it with whitespace squeezed.
    assert " ".join(first_docstring_line(demo).split()) in " ".join(out.split())
    assert list(tmp_path.iterdir()) == [], f"{where} wrote files"

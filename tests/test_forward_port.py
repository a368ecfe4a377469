"""tools/forward_port.py on a temporary git repository of snapshots."""

import os
import shutil
import subprocess
from pathlib import Path

import helpers
import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

BASE = """\
def add(x, y):
    return x + y


def mul(x, y):
    return x * y


def square(x):
    return mul(x, x)
"""
BUG = "    return x + y\n"
FIX = "    return y + x  # fixed\n"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, **GIT_ENV)
    proc = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return proc.stdout


def make_repo(root: Path, files: dict[str, str]) -> Path:
    """A committed repo; files maps 'stepNN/path' to its text."""
    helpers.write_files(root, files)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "snapshots")
    return root


def port(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, **GIT_ENV)
    return helpers.run_tool("forward_port", repo, *args, env=env, timeout=120)


def fix_step01(repo: Path):
    path = repo / "step01" / "dezero.py"
    path.write_text(path.read_text().replace(BUG, FIX))


@pytest.fixture
def repo(tmp_path):
    """step02 adds a line at the top, step03 a function at the end, step04 moves
    the file into the package."""
    return make_repo(
        tmp_path,
        {
            "step01/dezero.py": BASE,
            "step02/dezero.py": "import numpy as np\n\n\n" + BASE,
            "step03/dezero.py": "import numpy as np\n\n\n"
            + BASE
            + "\n\ndef cube(x):\n    return x * x * x\n",
            "step04/dezero/__init__.py": "",
            "step04/dezero/core_simple.py": "import numpy as np\n\n\n" + BASE,
        },
    )


def test_the_fix_reaches_every_later_step(repo):
    fix_step01(repo)
    proc = port(repo, "1", "dezero.py", "--map", "dezero.py=dezero/core_simple.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for rel in ["step02/dezero.py", "step03/dezero.py", "step04/dezero/core_simple.py"]:
        text = (repo / rel).read_text()
        assert FIX in text and BUG not in text, rel
    assert "def cube" in (repo / "step03/dezero.py").read_text()
    staged = git(repo, "diff", "--cached", "--name-only").split()
    assert staged == [
        "step02/dezero.py",
        "step03/dezero.py",
        "step04/dezero/core_simple.py",
    ]


def test_without_a_map_a_moved_file_is_skipped(repo):
    fix_step01(repo)
    proc = port(repo, "1", "dezero.py", "--to", "4")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "step04: no dezero.py, skipped" in proc.stdout
    assert BUG in (repo / "step04/dezero/core_simple.py").read_text()


def test_a_conflict_stops_at_that_step(repo):
    path = repo / "step03" / "dezero.py"
    path.write_text(path.read_text().replace(BUG, "    return x + y + 0\n"))
    git(repo, "commit", "-q", "-am", "step03 changes the same line")
    fix_step01(repo)
    proc = port(repo, "1", "dezero.py", "--map", "dezero.py=dezero/core_simple.py")
    assert proc.returncode == 1
    assert "step03/dezero.py: CONFLICT" in proc.stdout
    assert "stopped at step03" in proc.stdout
    assert FIX in (repo / "step02/dezero.py").read_text()
    assert "<<<<<<<" in path.read_text()
    assert BUG in (repo / "step04/dezero/core_simple.py").read_text(), "not reached"


def test_dry_run_changes_nothing(repo):
    fix_step01(repo)
    proc = port(repo, "1", "dezero.py", "--dry-run")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "step03/dezero.py: would apply" in proc.stdout
    assert git(repo, "status", "--porcelain").split() == ["M", "step01/dezero.py"]


def test_dry_run_reports_a_conflict(repo):
    path = repo / "step02" / "dezero.py"
    path.write_text(path.read_text().replace(BUG, "    return 0\n"))
    git(repo, "commit", "-q", "-am", "step02 changes the same line")
    fix_step01(repo)
    proc = port(repo, "1", "dezero.py", "--dry-run")
    assert proc.returncode == 1
    assert "the fix would conflict in step02" in proc.stdout
    assert git(repo, "status", "--porcelain").split() == ["M", "step01/dezero.py"]


def test_a_patch_file_is_carried(repo, tmp_path_factory):
    fix_step01(repo)
    patch = tmp_path_factory.mktemp("patch") / "fix.diff"
    patch.write_text(git(repo, "diff", "--full-index", "HEAD"))
    git(repo, "checkout", "--", ".")
    proc = port(repo, "1", "dezero.py", "--patch", str(patch), "--to", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert FIX in (repo / "step02/dezero.py").read_text()
    assert BUG in (repo / "step03/dezero.py").read_text(), "--to 2 stops there"


def test_nothing_to_carry_is_an_error(repo):
    proc = port(repo, "1", "dezero.py")
    assert proc.returncode == 2
    assert "nothing to carry" in proc.stderr


def test_a_dirty_target_is_refused(repo):
    fix_step01(repo)
    (repo / "step03/dezero.py").write_text(BASE + "# local edit\n")
    proc = port(repo, "1", "dezero.py")
    assert proc.returncode == 2
    assert "step03/dezero.py" in proc.stderr
    assert BUG in (repo / "step02/dezero.py").read_text(), "nothing applied"

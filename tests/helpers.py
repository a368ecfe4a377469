"""Shared helpers of the tool tests: load or run a tool, write synthetic snapshots."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
PYTEST_INI = "[pytest]\ntestpaths = tests\n"


def load_path(path: Path, module_name: str):
    """Import the script at path as a fresh module (registered in sys.modules)."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def load_tool(name: str, module_name: str | None = None):
    """Import tools/<name>.py by path as a fresh module (registered in sys.modules)."""
    if str(TOOLS) not in sys.path:  # the tools import steplib, as their scripts do
        sys.path.insert(0, str(TOOLS))
    return load_path(TOOLS / f"{name}.py", module_name or name)


def load_benchmark(name: str):
    """Import benchmarks/<name>.py by path (the scripts import neither NumPy nor torch
    at the top, so loading one is cheap)."""
    return load_path(ROOT / "benchmarks" / f"{name}.py", name)


def run_tool(
    name: str, root: Path, *args: str, timeout: float, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run `python tools/<name>.py --root root *args`, capturing text output."""
    return subprocess.run(
        [sys.executable, str(TOOLS / f"{name}.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write each {path relative to root: text}, making directories as needed."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def make_step(root: Path, num: int, files: dict[str, str]) -> Path:
    """root/stepNN with tests/, a pytest.ini and files ({relative path: text})."""
    step = root / f"step{num:02d}"
    (step / "tests").mkdir(parents=True)
    write_files(step, {"pytest.ini": PYTEST_INI, **files})
    return step

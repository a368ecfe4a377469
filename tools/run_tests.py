#!/usr/bin/env python3
"""Run every step's tests, each step in its own pytest process.

Every snapshot is a package named ``dezero``, so two steps must never share a
Python process. This runner starts one ``python -m pytest`` per step directory
(cwd = the step, whose pytest.ini makes it the rootdir), runs them in parallel,
then runs the top-level ``tests/`` in one more process. A top-level module named in
PHASES (the notebooks, run in Jupyter kernels; the lecture site, built and opened in
Chromium) runs after that, in a process and on a line of its own, so that its time
shows.

    python tools/run_tests.py                 # every step, then tests/
    python tools/run_tests.py --steps 7       # step07 only (plus tests/)
    python tools/run_tests.py --steps 1-10,12 --no-top -j 2

The last line before the list of failures is ``N passed, N failed, N skipped``
(every count, zeros included); the exit status is 1 when anything failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from steplib import REPO_ROOT, choose_steps, find_steps

TAIL_LINES = 40
DEFAULT_TIMEOUT = 900  # seconds for one step's pytest process
CHILD_ENV = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
# pytest exit codes (pytest.ExitCode): 0 ok, 1 tests failed, 2 interrupted
# (collection errors), 3 internal error, 4 usage error, 5 no tests collected.
NO_TESTS = 5
# Top-level test modules that run as phases of their own, after the rest of tests/:
# label -> file in tests/.
PHASES = {"notebooks": "test_notebooks.py", "site": "test_site.py"}


@dataclass
class Result:
    """The outcome of one pytest process: one step, or the top-level tests."""

    label: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)
    problem: str | None = None  # the run itself went wrong (crash, nothing collected)
    output: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.problem is None

    def counts(self) -> str:
        text = f"{self.passed} passed"
        if self.failed:
            text += f", {self.failed} failed"
        if self.skipped:
            text += f", {self.skipped} skipped"
        return text


def select_steps(root: Path, spec: str | None) -> list[Path]:
    """The step directories to run; explicitly named single steps must exist."""
    available = find_steps(root)
    if spec is None:
        return list(available.values())
    chosen = choose_steps(available, spec, root, singles_must_exist=True)
    return [available[n] for n in chosen]


def test_id(classname: str, name: str) -> str:
    """'tests.test_step07_x.TestA', 'test_y' -> 'test_step07_x::TestA::test_y'."""
    if not classname:  # a collection error: name is the module's dotted path
        return f"{name.rsplit('.', 1)[-1]} (collection error)"
    parts = classname.split(".")
    module = max(
        (i for i, p in enumerate(parts) if p[:1].islower() or p[:1] == "_"),
        default=0,
    )
    return "::".join([*parts[module:], name])


def read_junit(path: Path, result: Result) -> int:
    """Count the testcases of a junit xml report into result; return how many."""
    status: dict[str, str] = {}  # one test may appear twice (teardown errors)
    rank = {"passed": 0, "skipped": 1, "failed": 2}
    for case in ET.parse(path).getroot().iter("testcase"):
        tid = test_id(case.get("classname", ""), case.get("name", ""))
        tags = {child.tag for child in case}
        if tags & {"failure", "error"}:
            state = "failed"
        elif "skipped" in tags:
            state = "skipped"
        else:
            state = "passed"
        if rank[state] >= rank[status.get(tid, "passed")]:
            status[tid] = state
    for tid, state in status.items():
        setattr(result, state, getattr(result, state) + 1)
        if state == "failed":
            result.failures.append(tid)
    return len(status)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(CHILD_ENV)
    env.pop("PYTEST_ADDOPTS", None)  # each step's pytest.ini is the whole config
    return env


def run_pytest(
    label: str, cwd: Path, python: str, extra: list[str], timeout: float
) -> Result:
    """Run pytest once in cwd and read its junit report."""
    result = Result(label)
    with tempfile.TemporaryDirectory(prefix="run_tests_") as tmp:
        junit = Path(tmp) / "junit.xml"
        cmd = [
            python,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit}",
            "-o",
            "junit_family=xunit2",
            f"--rootdir={cwd}",
            *extra,
        ]
        start = time.monotonic()
        try:
            proc = subprocess.run(
                cmd,
                cwd=cwd,
                env=child_env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            result.seconds = time.monotonic() - start
            out = exc.stdout or ""
            result.output = (
                out if isinstance(out, str) else out.decode(errors="replace")
            )
            result.problem = f"timed out after {timeout:.0f}s"
            result.failures.append(f"(pytest timed out after {timeout:.0f}s)")
            return result
        except OSError as exc:
            result.problem = f"could not start {python}: {exc}"
            result.failures.append("(pytest did not start)")
            return result
        result.seconds = time.monotonic() - start
        result.output = proc.stdout
        rc = proc.returncode

        collected = 0
        if junit.exists():
            try:
                collected = read_junit(junit, result)
            except ET.ParseError as exc:
                result.problem = f"unreadable junit report ({exc})"
        if rc == NO_TESTS or (rc == 0 and collected == 0):
            result.problem = "pytest collected no tests"
        elif rc < 0:
            result.problem = f"pytest killed by signal {-rc}"
        elif rc not in (0, 1) and not result.failed:
            result.problem = f"pytest crashed (exit status {rc})"
        elif rc == 1 and not result.failed:
            result.problem = "pytest exited 1 without a failing test"
        elif not junit.exists():
            result.problem = f"pytest wrote no report (exit status {rc})"
        if result.problem and not result.failures:
            result.failures.append(f"({result.problem})")
    return result


def run_step(step: Path, python: str, timeout: float) -> Result:
    extra = [] if (step / "pytest.ini").exists() else ["tests"]
    return run_pytest(step.name, step, python, extra, timeout)


def tail(text: str, lines: int = TAIL_LINES) -> str:
    rows = text.rstrip().splitlines()
    if len(rows) > lines:
        rows = [
            f"... ({len(rows) - lines} earlier lines; -x shows all)",
            *rows[-lines:],
        ]
    return "\n".join(rows)


def report(result: Result, width: int, verbose: bool) -> None:
    status = result.counts()
    if result.problem:
        status += f"  ERROR: {result.problem}"
    print(f"{result.label:<{width}}  {status}  {result.seconds:.1f}s", flush=True)
    if not result.ok and result.output.strip():
        body = result.output.rstrip() if verbose else tail(result.output)
        print("    " + body.replace("\n", "\n    "), flush=True)


def summary_line(results: list[Result]) -> str:
    passed = sum(r.passed for r in results)
    failed = sum(r.failed if r.failed else (1 if r.problem else 0) for r in results)
    skipped = sum(r.skipped for r in results)
    return f"{passed} passed, {failed} failed, {skipped} skipped"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run each step's tests in its own pytest process, then tests/."
    )
    parser.add_argument("--steps", help="steps to run: 7, 1-10 or 3,5,7 (default: all)")
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="parallel steps"
    )
    parser.add_argument(
        "-x",
        "--verbose",
        action="store_true",
        help="show the whole pytest output of failing steps (default: its tail)",
    )
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter that runs pytest"
    )
    parser.add_argument("--no-top", action="store_true", help="skip the top tests/")
    parser.add_argument(
        "--root",
        type=Path,
        default=REPO_ROOT,
        help="repository root (default: this one)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds allowed to one pytest process (default {DEFAULT_TIMEOUT})",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not root.is_dir():
        parser.error(f"--root {root} is not a directory")
    try:
        steps = select_steps(root, args.steps)
    except ValueError as exc:
        parser.error(str(exc))
    jobs = max(1, args.jobs)
    top = root / "tests"
    run_top = not args.no_top and top.is_dir()
    phases = {
        label: f"tests/{name}"
        for label, name in PHASES.items()
        if run_top and (top / name).is_file()
    }
    width = max([len(s.name) for s in steps] + [5])

    results: list[Result] = []
    if steps:
        plural = "s" if len(steps) > 1 else ""
        at_once = min(jobs, len(steps))
        print(f"running {len(steps)} step{plural}, {at_once} at a time", flush=True)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [
                pool.submit(run_step, step, args.python, args.timeout) for step in steps
            ]
            for future in as_completed(futures):
                result = future.result()
                report(result, width, args.verbose)
                results.append(result)
    if run_top:
        tests = ["tests", *(f"--ignore={path}" for path in phases.values())]
        result = run_pytest("tests", root, args.python, tests, args.timeout)
        report(result, width, args.verbose)
        results.append(result)
    for label, path in phases.items():
        result = run_pytest(label, root, args.python, [path], args.timeout)
        report(result, width, args.verbose)
        results.append(result)
    if not results:
        print(f"nothing to run: no step directories and no tests/ under {root}")
        print("0 passed, 1 failed, 0 skipped")
        return 1

    order = {s.name: i for i, s in enumerate(steps)}
    results.sort(key=lambda r: order.get(r.label, len(order)))
    print(summary_line(results), flush=True)
    for result in results:
        for failure in result.failures:
            print(f"{result.label}: {failure}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

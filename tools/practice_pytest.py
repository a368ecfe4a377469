"""pytest plugin of tools/practice.py (loaded with ``-p practice_pytest``).

It gives every test a time limit, can run a chosen subset of the collected tests
(everything is still collected, so a module that cannot import still shows), and
writes what happened as JSON for the checker. Settings come from the environment:

    PRACTICE_TEST_LIMIT  seconds one test may run (0: no limit)
    PRACTICE_ONLY        a JSON file listing the test ids to run ("file::Class::test")
    PRACTICE_REPORT      where to write the JSON report
    PRACTICE_CURRENT     a file that always names the test running now
"""

from __future__ import annotations

import json
import os
import signal

import pytest

RANK = {"passed": 0, "skipped": 1, "failed": 2}

tests: dict[str, dict[str, str]] = {}
collect_errors: dict[str, str] = {}
collected: list[int] = [0]  # tests collected before any selection


class TestTimeLimit(Exception):
    """Raised inside a test that runs past PRACTICE_TEST_LIMIT."""

    __test__ = False  # not a test class, whatever its name says


def base_id(nodeid: str) -> str:
    """'tests/t.py::test_a[1-2]' -> 'tests/t.py::test_a' (parameters dropped)."""
    return nodeid.split("[", 1)[0]


def setting(name: str) -> str:
    """Read at each use: tools/practice.py may run several sessions in-process."""
    return os.environ.get(name) or ""


def limit() -> float:
    return float(setting("PRACTICE_TEST_LIMIT") or 0)


def pytest_sessionstart(session):
    tests.clear()
    collect_errors.clear()
    collected[0] = 0


def pytest_collection_modifyitems(config, items):
    collected[0] = len(items)
    only = setting("PRACTICE_ONLY")
    if not only:
        return
    with open(only, encoding="utf-8") as handle:
        wanted = set(json.load(handle))
    keep = [item for item in items if base_id(item.nodeid) in wanted]
    drop = [item for item in items if base_id(item.nodeid) not in wanted]
    items[:] = keep
    if drop:
        config.hook.pytest_deselected(items=drop)


def _out_of_time(signum, frame):
    raise TestTimeLimit(
        f"this test ran longer than {limit():g}s (the limit per test): a loop that "
        "never ends? (on a slow machine: ARGS='--limit 600')"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    current, seconds = setting("PRACTICE_CURRENT"), limit()
    if current:
        with open(current, "w", encoding="utf-8") as handle:
            handle.write(item.nodeid)
    if seconds:
        signal.signal(signal.SIGALRM, _out_of_time)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)


def first_line(report) -> str:
    """The first line of why a test failed or skipped."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):  # a skip: (file, line, reason)
        return str(longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(longrepr or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):  # "AssertionError:" then the why
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else ""


def pytest_runtest_logreport(report):
    if report.when != "call" and report.outcome == "passed":
        return
    nodeid = report.nodeid
    old = tests.get(nodeid)
    if old is not None and RANK[old["outcome"]] >= RANK[report.outcome]:
        return
    why = "" if report.outcome == "passed" else first_line(report)
    if report.failed and report.when != "call":
        why = f"(in {report.when}) {why}"
    tests[nodeid] = {"outcome": report.outcome, "why": why}


def pytest_collectreport(report):
    if report.failed:
        collect_errors[report.nodeid or "(collection)"] = str(report.longrepr)


def pytest_sessionfinish(session, exitstatus):
    report = setting("PRACTICE_REPORT")
    if report:
        data = {
            "tests": tests,
            "collect_errors": collect_errors,
            "collected": collected[0],
        }
        with open(report, "w", encoding="utf-8") as handle:
            json.dump(data, handle)

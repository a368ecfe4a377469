"""How DeZero's speed and memory change from one snapshot to the next.

Every snapshot is a package named ``dezero``, so each step is measured in a
process of its own: the parent runs this script again as
``bench_snapshots.py --one STEP``, the child puts that step directory first on
sys.path, runs the measurements and prints one JSON line per measurement, and
the parent collects the lines into one table.

    python benchmarks/bench_snapshots.py                  # default steps, ~35 s
    python benchmarks/bench_snapshots.py --quick          # one round, ~6 s
    python benchmarks/bench_snapshots.py --steps 7,8,16-18,32
    python benchmarks/bench_snapshots.py --one 16 --measure kept   # one child

Measurements (a step gets '-' where it lacks what one needs):

  chain   forward + backward through N `square` ops on a 0-d array, median of
          repeats (gc paused, as timeit does): microseconds per function. The
          timings run in 5 rounds (one process per step and round, all steps
          per round); the table shows the median round and the best run.
  deep    does a chain of 5000 backpropagate? Step 07's recursive backward
          raises RecursionError; step 08's loop does not.
  kept    memory still held after building y = square(square(square(x))) on a
          100_000-element array 20 times and dropping y each time, with the
          cycle collector off (tracemalloc). The Function <-> output cycle keeps
          every graph up to step 16; step 17's weak references free it.
  nograd  peak memory of three squares of a (100, 100, 100) array, with the
          graph recorded and inside no_grad() (step 18+).
  cg      backward time on a 200-op chain with create_graph=False and True
          (step 32+).

The table goes to stdout and, as Markdown with the machine and the command, to
benchmarks/RESULTS.md (--out PATH elsewhere, --no-write not at all). The exit
status is 1 when a child failed or a result contradicts what the lessons teach
(step 07 fails the deep chain, steps before 17 keep their graphs, no_grad lowers
the peak). Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import gc
import importlib
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import steplib  # noqa: E402  (the step selection the tools share)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
DEFAULT_STEPS = "7,8,9,13,16,17,18,22,24,32,36"
MB = 1e6  # bytes; an 8-byte float array of 1e6 elements is 8 MB
CHILD_TIMEOUT = 300  # seconds for one step's process
DEFAULT_ROUNDS = 5  # timing passes over all steps


@dataclasses.dataclass
class Sizes:
    """Problem sizes; --size NAME=VALUE overrides one (the test uses tiny ones)."""

    chain_ops: int = 500
    chain_repeats: int = 21  # per round
    deep_ops: int = 5000
    kept_elements: int = 100_000
    kept_graphs: int = 20
    peak_side: int = 100  # three squares of a (side, side, side) array
    cg_ops: int = 200
    cg_repeats: int = 21


QUICK = {"chain_repeats": 5, "cg_repeats": 5}


@dataclasses.dataclass(frozen=True)
class Measure:
    name: str
    since: int  # the first step that has what the measurement needs
    run: Callable[[SimpleNamespace, Sizes], dict]
    timed: bool = False  # repeated in every round, the others only in the first


# --- the child: one step, in its own process -----------------------------------


def load_api(step: int) -> SimpleNamespace:
    """The step's Variable, square, no_grad, ... wherever the snapshot keeps them."""
    step_dir = ROOT / f"step{step:02d}"
    sys.path.insert(0, str(step_dir))
    package = importlib.import_module("dezero")  # from step 23: installs operators
    origin = Path(package.__file__).resolve()
    if step_dir.resolve() not in origin.parents:
        raise RuntimeError(f"imported dezero from {origin}, not from {step_dir}")
    for name in ("dezero.core", "dezero.core_simple", "dezero"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        break
    api = SimpleNamespace(**vars(module), step=step)
    if not hasattr(api, "square"):  # steps 07-08 have only the class
        api.square = lambda x: module.Square()(x)
    return api


def backward(api: SimpleNamespace, y, **kwargs) -> None:
    """y.backward(); before step 09 the caller seeds dy/dy = 1 itself."""
    if api.step < 9:
        y.grad = np.ones_like(y.data)
    y.backward(**kwargs)


def chain(api: SimpleNamespace, n: int):
    """x = Variable(1.0) and y = square applied n times: dy/dx = 2**n."""
    x = api.Variable(np.array(1.0))
    y = x
    for _ in range(n):
        y = api.square(y)
    return x, y


def grad_value(x) -> float:
    """x.grad as a float: gradients are Variables from step 32 on."""
    g = x.grad
    return float(np.asarray(getattr(g, "data", g)))


class gc_paused:
    """Keep the cycle collector off in a with-block (timeit does the same)."""

    def __enter__(self):
        self.was_enabled = gc.isenabled()
        gc.collect()
        gc.disable()

    def __exit__(self, *exc):
        if self.was_enabled:
            gc.enable()
        gc.collect()


def measure_chain(api: SimpleNamespace, sizes: Sizes) -> dict:
    n = sizes.chain_ops
    fwd, bwd, ok = [], [], True
    with gc_paused():
        for i in range(sizes.chain_repeats + 1):  # the first run warms up
            t0 = time.perf_counter()
            x, y = chain(api, n)
            t1 = time.perf_counter()
            backward(api, y)
            t2 = time.perf_counter()
            ok = ok and grad_value(x) == 2.0**n
            if i:
                fwd.append(t1 - t0)
                bwd.append(t2 - t1)
            del x, y
            gc.collect()  # step <= 16 graphs are cycles; free them between runs
    total = [f + b for f, b in zip(fwd, bwd, strict=True)]
    return {
        "chain_ops": n,
        "repeats": sizes.chain_repeats,
        "us_per_fn": statistics.median(total) / n * 1e6,
        "best_us_per_fn": min(total) / n * 1e6,
        "fwd_us_per_fn": statistics.median(fwd) / n * 1e6,
        "bwd_us_per_fn": statistics.median(bwd) / n * 1e6,
        "recursion_limit": sys.getrecursionlimit(),
        "grad_ok": ok,
    }


def measure_deep(api: SimpleNamespace, sizes: Sizes) -> dict:
    n = sizes.deep_ops
    error = None
    with np.errstate(all="ignore"):  # 2**5000 overflows to inf: no matter here
        x, y = chain(api, n)
        try:
            backward(api, y)
        except RecursionError as e:
            error = f"RecursionError: {e}"
    ok = error is None and x.grad is not None
    del x, y
    gc.collect()
    return {"deep_ops": n, "deep_ok": ok, "error": error}


def measure_kept(api: SimpleNamespace, sizes: Sizes) -> dict:
    rng = np.random.default_rng(0)
    x = api.Variable(rng.random(sizes.kept_elements))
    sq = api.square
    y = sq(sq(sq(x)))  # warm up whatever is allocated once
    del y
    with gc_paused():
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for _ in range(sizes.kept_graphs):
                y = sq(sq(sq(x)))
                del y
            kept = tracemalloc.get_traced_memory()[0] - before
            found = gc.collect()
            after_collect = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
    return {
        "kept_elements": sizes.kept_elements,
        "kept_graphs": sizes.kept_graphs,
        "graph_arrays_mb": 3 * sizes.kept_graphs * x.data.nbytes / MB,
        "kept_mb": kept / MB,
        "kept_after_collect_mb": after_collect / MB,
        "collected_objects": found,
    }


def measure_nograd(api: SimpleNamespace, sizes: Sizes) -> dict:
    side = sizes.peak_side
    x = api.Variable(np.random.default_rng(0).random((side, side, side)))
    sq = api.square

    def peak(context) -> float:
        gc.collect()
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            with context():
                y = sq(sq(sq(x)))
            top = tracemalloc.get_traced_memory()[1] - base
            del y
        finally:
            tracemalloc.stop()
        return top / MB

    graph = peak(lambda: api.using_config("enable_backprop", True))
    nograd = peak(api.no_grad)
    return {
        "peak_side": side,
        "array_mb": x.data.nbytes / MB,
        "peak_graph_mb": graph,
        "peak_nograd_mb": nograd,
    }


def measure_cg(api: SimpleNamespace, sizes: Sizes) -> dict:
    n = sizes.cg_ops
    times: dict[bool, list[float]] = {False: [], True: []}
    ok = True
    with gc_paused():
        for i in range(sizes.cg_repeats + 1):  # the first round warms up
            for create_graph in (False, True):  # interleaved: drift hits both
                x, y = chain(api, n)
                t0 = time.perf_counter()
                y.backward(create_graph=create_graph)
                t1 = time.perf_counter()
                ok = ok and grad_value(x) == 2.0**n
                if i:
                    times[create_graph].append(t1 - t0)
                del x, y
                gc.collect()
    off = statistics.median(times[False])
    on = statistics.median(times[True])
    return {
        "cg_ops": n,
        "repeats": sizes.cg_repeats,
        "bwd_ms": off * 1e3,
        "bwd_cg_ms": on * 1e3,
        "ratio": on / off,
        "grad_ok": ok,
    }


MEASURES = {
    m.name: m
    for m in (
        Measure("chain", 7, measure_chain, timed=True),
        Measure("cg", 32, measure_cg, timed=True),  # timings first, then memory
        Measure("deep", 7, measure_deep),
        Measure("kept", 7, measure_kept),
        Measure("nograd", 18, measure_nograd),
    )
}


def run_one(step: int, names: list[str], sizes: Sizes) -> int:
    """The child: print one JSON line per measurement; 1 if any failed."""
    api = load_api(step)
    status = 0
    for name in names:
        record = {"step": step, "measure": name}
        try:
            record.update(MEASURES[name].run(api, sizes))
        except Exception as e:  # report it as data; the parent shows it
            record["error"] = f"{type(e).__name__}: {e}"
            record["failed"] = True
            status = 1
        print(json.dumps(record), flush=True)
    return status


# --- the parent: one child per step, then the table ------------------------------


def parse_steps(spec: str) -> list[int]:
    """argparse type for --steps ('7,8,16-18'): steplib's parser, as a usage error."""
    try:
        return steplib.parse_steps(spec)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a step selection: {e}") from None


def parse_measures(spec: str) -> list[str]:
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in MEASURES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown measurement {unknown or spec!r}; "
            f"choose from {', '.join(MEASURES)}"
        )
    return [n for n in MEASURES if n in names]  # in the order they run


def parse_size(text: str) -> tuple[str, int]:
    name, _, value = text.partition("=")
    fields = {f.name for f in dataclasses.fields(Sizes)}
    if name not in fields or not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(
            f"expected NAME=POSITIVE_INT with NAME one of {', '.join(sorted(fields))}"
        )
    return name, int(value)


def run_child(step: int, names: list[str], sizes: Sizes) -> list[dict]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(step)]
    cmd += ["--measure", ",".join(names)]
    for field in dataclasses.fields(Sizes):
        cmd += ["--size", f"{field.name}={getattr(sizes, field.name)}"]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=CHILD_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return [{"step": step, "measure": "*", "failed": True, "error": "timed out"}]
    records = [json.loads(ln) for ln in proc.stdout.splitlines() if ln[:1] == "{"]
    missing = [n for n in names if n not in {r["measure"] for r in records}]
    if proc.returncode != 0 and (missing or not records):
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        records.append({"step": step, "measure": "*", "failed": True, "error": tail})
    return records


TIMINGS = ("us_per_fn", "fwd_us_per_fn", "bwd_us_per_fn", "bwd_ms", "bwd_cg_ms")


def combine(records: list[dict]) -> dict:
    """One record from a measurement's rounds: the median of each timing."""
    out = dict(records[0])
    for key in TIMINGS:
        if key in out:
            out[key] = statistics.median(r[key] for r in records)
            out[f"{key}_rounds"] = [r[key] for r in records]
    if "best_us_per_fn" in out:
        out["best_us_per_fn"] = min(r["best_us_per_fn"] for r in records)
    if "grad_ok" in out:
        out["grad_ok"] = all(r["grad_ok"] for r in records)
    if "ratio" in out:
        out["ratio"] = out["bwd_cg_ms"] / out["bwd_ms"]
    return out


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def build_rows(steps: list[int], results: dict[int, dict[str, dict]]) -> list[list]:
    rows, prev = [], None
    for step in steps:
        r = results.get(step, {})
        chain_r, deep, kept = r.get("chain"), r.get("deep"), r.get("kept")
        nograd, cg = r.get("nograd"), r.get("cg")
        us = chain_r["us_per_fn"] if chain_r else None
        best = chain_r["best_us_per_fn"] if chain_r else None
        vs = f"x{best / prev:.2f}" if best is not None and prev else "-"
        prev = best if best is not None else prev
        rows.append(
            [
                f"{step:02d}",
                fmt(us),
                fmt(best),
                vs,
                "-" if not deep else ("yes" if deep["deep_ok"] else "no"),
                fmt(kept and kept["kept_mb"]),
                fmt(nograd and nograd["peak_graph_mb"]),
                fmt(nograd and nograd["peak_nograd_mb"]),
                fmt(cg and cg["bwd_ms"], 2),
                fmt(cg and cg["bwd_cg_ms"], 2),
            ]
        )
    return rows


def table(sizes: Sizes, rows: list[list]) -> str:
    s = sizes
    header = [
        "step",
        "µs/fn median",
        "µs/fn best",
        "best vs prev",
        f"{s.deep_ops} deep?",
        f"kept MB, gc off ({s.kept_graphs} graphs)",
        "peak MB graph",
        "peak MB no_grad",
        f"bwd ms ({s.cg_ops} ops)",
        "bwd ms create_graph",
    ]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]

    def line(cells):
        padded = (str(c).rjust(w) for c, w in zip(cells, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.platform()}, {platform.machine()}, "
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{os.cpu_count()} CPUs (load average {load} when the run ended)"
    )


def command_line(argv: list[str]) -> str:
    """The command as typed from the repository root (approximately, via make)."""

    def rel(path: str) -> str:
        p = Path(path)
        try:
            return str(p.absolute().relative_to(Path.cwd()))
        except ValueError:
            return path

    cmd = shlex.join([rel(sys.executable), rel(argv[0]), *argv[1:]])
    return cmd


def get(results, step, measure, key):
    return results.get(step, {}).get(measure, {}).get(key)


def interpretation(
    results: dict[int, dict[str, dict]], sizes: Sizes, rounds: int
) -> list[str]:
    """Sentences about the lessons' steps, each written only when its data is here.

    The claims follow the numbers: a sentence says 'slower' only if it was.
    """
    out = []
    us = {s: get(results, s, "chain", "best_us_per_fn") for s in results}
    us = {s: v for s, v in us.items() if v is not None}

    d7, d8 = get(results, 7, "deep", "deep_ok"), get(results, 8, "deep", "deep_ok")
    if d7 is not None and d8 is not None:
        text = (
            f"Step 08 replaced step 07's recursive `backward` with a loop over a list "
            f"of pending functions: a chain of {sizes.deep_ops} "
            f"{'backpropagates' if d7 else 'raises RecursionError'} in step 07 and "
            f"{'backpropagates' if d8 else 'fails'} in step 08"
        )
        if 7 in us and 8 in us:
            text += (
                f"; per function the loop takes {us[8] / us[7]:.2f}x the time of "
                f"the recursion (best runs: {us[7]:.1f} -> {us[8]:.1f} µs), and step "
                f"07 still manages "
                f"N={sizes.chain_ops} because that needs only one frame per "
                f"function, under Python's default recursion limit of 1000"
            )
        out.append(text + ".")
    k16, k17 = get(results, 16, "kept", "kept_mb"), get(results, 17, "kept", "kept_mb")
    if k16 is not None and k17 is not None:
        full = get(results, 16, "kept", "graph_arrays_mb")
        out.append(
            f"With the cycle collector off, step 16 still held {k16:.1f} MB after "
            f"{sizes.kept_graphs} dropped graphs (their arrays alone are "
            f"{full:.1f} MB), because each Function and its output refer to each "
            f"other, as they do in every step before; step 17 stores weak "
            f"references to the outputs, so reference counting frees a graph the "
            f"moment y is dropped, and it kept {k17:.2f} MB."
        )
    g18, n18 = (
        get(results, 18, "nograd", k) for k in ("peak_graph_mb", "peak_nograd_mb")
    )
    if g18 is not None and n18 is not None:
        a = get(results, 18, "nograd", "array_mb")
        out.append(
            f"Step 18's `no_grad()` lowered the peak of three squares of a "
            f"({sizes.peak_side}, {sizes.peak_side}, {sizes.peak_side}) array "
            f"({a:.0f} MB) from {g18:.1f} MB to {n18:.1f} MB: with no graph "
            f"recorded, each intermediate array is freed as soon as the next square "
            f"has read it, instead of living as long as the result."
        )
    earlier = [s for s in us if s < 32]
    if 32 in us and earlier:
        p = max(earlier)
        ratio = get(results, 32, "cg", "ratio")
        text = (
            f"Step 32 made gradients Variables so that backward itself can be "
            f"differentiated; forward + backward per function takes "
            f"{us[32] / us[p]:.2f}x the time of step {p:02d} (best runs: "
            f"{us[p]:.1f} -> {us[32]:.1f} µs), because each backward now runs "
            f"DeZero functions on Variables"
        )
        if ratio is not None:
            text += (
                f", and asking for the graph of the gradient (create_graph=True) "
                f"costs {ratio:.2f}x the plain backward on {sizes.cg_ops} ops"
            )
        out.append(text + ".")
    if len(us) >= 2:
        text = (
            "All timings come from one machine with the cycle collector paused, so "
            "compare rows, not absolute values, across machines"
        )
        spreads = [
            max(v) / min(v)
            for step in results
            if len(v := get(results, step, "chain", "us_per_fn_rounds") or []) > 1
        ]
        if spreads and max(spreads) > 1.2:
            text += (
                f"; here a step's median moved by up to {max(spreads):.1f}x from "
                f"one of the {rounds} rounds to another, as other load came and "
                f"went, which is why the step-to-step ratios use the best runs"
            )
        out.append(text + ".")
    return out


def markdown(table_text, results, sizes, rounds, argv, notes) -> str:
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    s = sizes
    parts = [
        "# Benchmark results: DeZero snapshots",
        "",
        "Written by `benchmarks/bench_snapshots.py`; run it again to replace this "
        "file, except the sections other benchmarks add at the end (see "
        "`benchmarks/README.md`).",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()}",
        f"- Command: `{command_line(argv)}`"
        + (" (run by `make bench`)" if "MAKELEVEL" in os.environ else ""),
        "",
        "## Results",
        "",
        table_text,
        "",
        "- **µs/fn**: forward plus backward through a chain of "
        f"{s.chain_ops} `square` calls on a 0-d array, divided by the chain length. "
        f"**median**: the median over {rounds} round(s) (one process per step and "
        f"round) of the median of {s.chain_repeats} runs. **best**: the fastest "
        "of all those runs, the least disturbed by other load. **best vs prev**: "
        "best divided by the row above's best (above 1: the later step is slower).",
        f"- **{s.deep_ops} deep?**: whether a chain of {s.deep_ops} squares "
        "backpropagates (step 07 recurses once per function).",
        f"- **kept MB**: traced memory still held after building "
        f"`square(square(square(x)))` on {s.kept_elements:,} floats "
        f"{s.kept_graphs} times and dropping the result each time, with `gc` "
        "disabled.",
        f"- **peak MB**: tracemalloc peak for three squares of a ({s.peak_side}, "
        f"{s.peak_side}, {s.peak_side}) float array, graph recorded vs `no_grad()` "
        "(the input array is not counted).",
        f"- **bwd ms**: `y.backward()` on a chain of {s.cg_ops} squares, "
        f"create_graph=False vs True, median over {rounds} round(s) of the median "
        f"of {s.cg_repeats} runs.",
        "- MB = 10^6 bytes; '-' = the step lacks what the measurement needs.",
        "",
        "## Interpretation",
        "",
        " ".join(interpretation(results, sizes, rounds))
        or "(too few steps for comparisons)",
    ]
    if notes:
        parts += ["", "## Notes", "", *(f"- {n}" for n in notes)]
    return "\n".join(parts) + "\n"


# Another bench_*.py (bench_mlp.py), or a note (the GPU runs), has its own section,
# between "<!-- NAME: begin -->" and "<!-- NAME: end -->"; a rewrite keeps it.
SECTION = re.compile(r"^<!-- ([\w.-]+): begin -->$.*?^<!-- \1: end -->$", re.M | re.S)


def other_sections(path: Path) -> str:
    """The sections of other benchmarks in path, to append after this script's text."""
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    kept = [
        m.group(0) for m in SECTION.finditer(old) if m.group(1) != Path(__file__).name
    ]
    return "".join(f"\n{block}\n" for block in kept)


def expectations(results: dict[int, dict[str, dict]]) -> list[str]:
    """What the lessons promise, checked on the numbers (never on timings)."""
    bad = []
    for step, r in sorted(results.items()):
        for name in ("chain", "cg"):
            if name in r and not r[name]["grad_ok"]:
                bad.append(f"step {step:02d} {name}: dx is not 2**n")
        if "deep" in r and r["deep"]["deep_ok"] != (step >= 8):
            bad.append(f"step {step:02d}: deep chain ok={r['deep']['deep_ok']}")
        if "kept" in r:
            kept, full = r["kept"]["kept_mb"], r["kept"]["graph_arrays_mb"]
            if step < 17 and kept < 0.5 * full:
                bad.append(f"step {step:02d}: kept only {kept:.2f} of {full:.2f} MB")
            if step >= 17 and kept > 0.1 * full:
                bad.append(f"step {step:02d}: kept {kept:.2f} of {full:.2f} MB")
        if "nograd" in r:
            g, n = r["nograd"]["peak_graph_mb"], r["nograd"]["peak_nograd_mb"]
            if not n < g:
                bad.append(f"step {step:02d}: no_grad peak {n:.1f} >= {g:.1f} MB")
    return bad


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=parse_steps, default=DEFAULT_STEPS)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument(
        "--rounds",
        type=int,
        help=f"timing passes over all steps (default {DEFAULT_ROUNDS}; 1 with --quick)",
    )
    parser.add_argument("--measure", type=parse_measures, default=list(MEASURES))
    parser.add_argument("--size", type=parse_size, action="append", default=[])
    parser.add_argument("--one", type=int, metavar="STEP", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", type=Path, help="also write the raw records here")
    args = parser.parse_args(argv[1:])
    if isinstance(args.steps, str):
        args.steps = parse_steps(args.steps)
    sizes = Sizes(**(QUICK if args.quick else {}))
    for name, value in args.size:
        setattr(sizes, name, value)

    if args.one is not None:
        return run_one(args.one, args.measure, sizes)

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    plan, notes = [], []
    for step in args.steps:
        if not (ROOT / f"step{step:02d}").is_dir():
            print(f"step {step:02d}: no directory step{step:02d}/, skipped")
            notes.append(f"step {step:02d} was asked for but does not exist here.")
            continue
        names = [n for n in args.measure if step >= MEASURES[n].since]
        if not names:
            print(f"step {step:02d}: nothing to measure (backward arrives at step 07)")
            continue
        plan.append((step, names))

    # Round 1 measures everything; later rounds repeat only the timings, one pass
    # over all steps at a time, so a burst of load elsewhere hits one round of
    # every step rather than every round of one step.
    rounds = args.rounds or (1 if args.quick else DEFAULT_ROUNDS)
    if rounds < 1:
        parser.error("--rounds must be at least 1")
    if not any(MEASURES[n].timed for _, names in plan for n in names):
        rounds = 1  # nothing to time again
    collected: dict[int, dict[str, list[dict]]] = {}
    records, failures = [], []
    start = time.perf_counter()
    for r in range(rounds):
        t_round = time.perf_counter()
        for step, names in plan:
            todo = names if r == 0 else [n for n in names if MEASURES[n].timed]
            if not todo:
                continue
            t0 = time.perf_counter()
            got = run_child(step, todo, sizes)
            records += got
            for rec in got:
                if rec.get("failed"):
                    failures.append(f"step {step:02d} {rec['measure']}: {rec['error']}")
                else:
                    collected.setdefault(step, {}).setdefault(rec["measure"], [])
                    collected[step][rec["measure"]].append(rec)
            if r == 0:
                took = time.perf_counter() - t0
                print(f"step {step:02d}: {', '.join(todo)} in {took:.1f} s")
        if r:
            took = time.perf_counter() - t_round
            print(f"timing round {r + 1}/{rounds} in {took:.1f} s")
    results = {
        step: {name: combine(recs) for name, recs in by_name.items()}
        for step, by_name in collected.items()
    }
    measured = [step for step, _ in plan]
    print(f"all steps in {time.perf_counter() - start:.1f} s\n")

    if 7 in results and "chain" in results[7]:
        notes.append(
            f"Step 07's backward is recursive (one Python frame per function); the "
            f"{sizes.chain_ops}-op chain fits under the recursion limit of "
            f"{results[7]['chain']['recursion_limit']}, the {sizes.deep_ops}-op one "
            "does not."
        )
    if any(s < 9 for s in results) and any(s >= 9 for s in results):
        notes.append(
            "Steps 07-08 pass the np.float64 scalars that NumPy returns for 0-d "
            "arithmetic along the chain; from step 09 `as_array` wraps them back into "
            "0-d arrays, and NumPy arithmetic on a 0-d array costs several times as "
            "much as on a scalar. That accounts for much of the jump at step 09."
        )
    text = table(sizes, build_rows(measured, results))
    print(text)
    print()
    for sentence in interpretation(results, sizes, rounds):
        print(sentence)
    if not args.no_write:
        args.out.write_text(
            markdown(text, results, sizes, rounds, argv, notes + failures)
            + other_sections(args.out),
            encoding="utf-8",
        )
        print(f"\nwrote {args.out}")
    if args.json:
        args.json.write_text("".join(json.dumps(r) + "\n" for r in records))
    problems = failures + expectations(results)
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

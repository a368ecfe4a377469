"""Step 51's MLP training loop: seconds per epoch, DeZero against PyTorch on the CPU.

The model is the book's step-51 recipe: MLP((1000, 10)) with sigmoid, SGD(lr=0.01),
batches of 100 from a DataLoader, on Fashion-MNIST (28x28 images flattened to 784
floats in [0, 1]). PyTorch (torch==2.13.0, `make torch`) trains the same network
from the same initial weights on the same batches in the same order, through its
own per-sample Dataset and DataLoader, so both sides pay for batching in Python.

    python benchmarks/bench_mlp.py               # 10000 images, 3 rounds, ~25 s
    python benchmarks/bench_mlp.py --full        # 60000 images, 3 rounds, ~1 min
    python benchmarks/bench_mlp.py --quick       # one round
    python benchmarks/bench_mlp.py --dry-run     # 300 images, a few seconds, no file
    python benchmarks/bench_mlp.py --data synthetic   # random images, same shapes
    python benchmarks/bench_mlp.py --step 60 --activation relu  # another snapshot
                                                  # (bench_step60.py's B1 does this)

Every snapshot is a package named ``dezero``, so step 51 runs in a process of its
own: the parent starts this script again as ``--child dezero`` and as ``--child
torch``, one process per framework and round, in turn (dezero, torch, dezero,
torch, ...), so that load from elsewhere on a shared machine hits both. Each child
sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS to 1 before it
imports NumPy or torch (and calls torch.set_num_threads(1)), trains for the
epochs asked, times each one with time.perf_counter, times one pass of its
DataLoader alone, and prints one JSON line.

Before a round's timings count, the parent checks that both sides trained on the
same bytes (SHA-256 of the images and labels), started from the same weights
(the DeZero child initialises them, the book's way, and writes them to a file
that the PyTorch child loads), and that the float32 losses of the first batches
agree to 1e-4 relative. A round that fails the check is left out of the numbers
and the script exits with status 1. Timings are reported, never asserted.

The tables go to stdout and, as a section of their own, into benchmarks/RESULTS.md
(between `<!-- bench_mlp.py: begin -->` and `<!-- bench_mlp.py: end -->`, which
bench_snapshots.py keeps when it rewrites the rest of the file); --out PATH
writes elsewhere, --no-write not at all. Without torch, DeZero alone is measured
and no ratio is given; without the Fashion-MNIST files (the Debian package
dataset-fashion-mnist), --data auto falls back to random images of the same
shapes and says so. `make bench` passes the same ARGS to every bench_*.py, so the
options of bench_snapshots.py (--steps, --measure, --size) are accepted here and
ignored.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEP = 51
STEP_DIR = ROOT / f"step{STEP:02d}"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
FASHION_DIR = "/usr/share/datasets/fashion-mnist"  # dataset-fashion-mnist's files
TRAIN_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
FRAMEWORKS = ("dezero", "torch")
NAMES = {"dezero": "DeZero", "torch": "PyTorch"}
SHORT = {"dezero": "DeZero", "torch": "PyTorch"}

# The book's recipe, and the sizes of a run.
HIDDEN, CLASSES, LR, BATCH = 1000, 10, 0.01, 100
DEFAULT = {"train_size": 10000, "rounds": 3, "epochs": 1, "check_batches": 10}
FULL = {"train_size": 60000}
QUICK = {"rounds": 1}
DRY_RUN = {"train_size": 300, "rounds": 1, "epochs": 1, "check_batches": 3}
RTOL = 1e-4  # first-batch losses, float32
EPOCH_RTOL = 1e-3  # mean loss over the epochs: 100s of float32 updates may drift
CHILD_TIMEOUT = 1800  # seconds for one child (a full epoch takes well under a minute)
SEED = 0

BEGIN = "<!-- bench_mlp.py: begin -->"
END = "<!-- bench_mlp.py: end -->"


# --- both children: the same data, the same order -------------------------------------


def set_one_thread() -> None:
    """One BLAS/OpenMP thread; must run before NumPy or torch is imported."""
    for name in THREAD_VARS:
        os.environ[name] = "1"


def read_idx(path: str, offset: int):
    """The bytes after an idx file's header (16 bytes for images, 8 for labels)."""
    import gzip

    import numpy as np

    with gzip.open(path) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def synthetic(n: int, seed: int):
    """Random uint8 images (n, 1, 28, 28) and labels 0-9, the same in both children."""
    import numpy as np

    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 1, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, CLASSES, size=n, dtype=np.uint8)
    return images, labels


def digest(images, labels) -> str:
    """SHA-256 of the raw uint8 images and labels a child trains on."""
    h = hashlib.sha256(images.tobytes())
    h.update(labels.tobytes())
    return h.hexdigest()


def epoch_orders(n: int, seed: int):
    """The order of the samples in each epoch: a new permutation every epoch."""
    import numpy as np

    rng = np.random.default_rng(seed + 1)
    while True:
        yield rng.permutation(n)


def relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-30)


def rss() -> dict:
    """This process's resident set in MB (10^6 bytes): now, and its peak since the
    start or since the last reset_peak()."""
    status = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            name, _, value = line.partition(":")
            status[name] = value
    now, peak = (int(status[k].split()[0]) * 1024 for k in ("VmRSS", "VmHWM"))
    return {"rss_end_mb": now / 1e6, "rss_peak_mb": peak / 1e6}


def reset_peak() -> float:
    """Start the peak over from the resident set now (Linux: /proc/self/clear_refs),
    so that the peak measures the timed work, not the setup; returns the MB now."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:  # not Linux, or not allowed: the peak then includes the setup
        pass
    return rss()["rss_end_mb"]


def blas_threads() -> int | None:
    """The thread count NumPy's OpenBLAS reports, None where it cannot be asked."""
    import ctypes
    import glob

    import numpy as np

    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for lib in glob.glob(str(libs / "*openblas*")):
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads"):
            try:
                return int(getattr(ctypes.CDLL(lib), name)())
            except (AttributeError, OSError):
                continue
    return None


def numpy_blas() -> str:
    import numpy as np

    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas['name']} {blas['version']}"
    except Exception:  # the layout of show_config is not a stable API
        return "unknown BLAS"


def child_record(framework: str, args, data_sha: str, n: int) -> dict:
    import numpy as np

    return {
        "framework": framework,
        "train_size": n,
        "epochs": args.epochs,
        "data": args.data,
        "data_sha256": data_sha,
        "numpy": np.__version__,
        "numpy_blas": numpy_blas(),
        "python": platform.python_version(),
        "threads": {
            **{name: os.environ.get(name) for name in THREAD_VARS},
            "openblas": blas_threads(),
        },
    }


# --- the DeZero child -----------------------------------------------------------------


def run_dezero(args) -> dict:
    set_one_thread()
    import numpy as np

    step_dir = ROOT / f"step{args.step:02d}"
    sys.path.insert(0, str(step_dir))
    import dezero
    import dezero.functions as F
    from dezero import DataLoader, optimizers
    from dezero.models import MLP
    from dezero.transforms import Compose, Flatten, Normalize, ToFloat

    imported = rss()["rss_end_mb"]

    origin = Path(dezero.__file__).resolve()
    if step_dir.resolve() not in origin.parents:
        raise RuntimeError(f"imported dezero from {origin}, not from {step_dir}")

    if args.data == "fashion":
        # The book's data set class; never download in a benchmark.
        dezero.datasets.FashionMNIST.debian_dir = args.data_dir
        for name in TRAIN_FILES:
            if not os.path.exists(os.path.join(args.data_dir, name)):
                raise RuntimeError(f"no {name} in {args.data_dir}")
        train_set = dezero.datasets.FashionMNIST(train=True)
    else:
        images, labels = synthetic(args.train_size, args.seed)

        class Synthetic(dezero.datasets.Dataset):
            def prepare(self):
                self.data, self.label = images, labels

        # MNIST's default transform: (784,) float32 in [0, 1]
        transform = Compose([Flatten(), ToFloat(), Normalize(0.0, 255.0)])
        train_set = Synthetic(train=True, transform=transform)
    train_set.data = train_set.data[: args.train_size]  # as step 51's demo.subset
    train_set.label = train_set.label[: args.train_size]
    n = len(train_set)

    class SameOrderLoader(DataLoader):
        """dezero's DataLoader, shuffled each epoch in the order PyTorch gets."""

        def __init__(self, dataset, batch_size, orders):
            self.orders = orders
            super().__init__(dataset, batch_size, shuffle=True)

        def reset(self):
            self.iteration = 0
            self.index = next(self.orders)

    np.random.seed(args.seed)
    activation = {"sigmoid": F.sigmoid, "relu": F.relu}[args.activation]
    model = MLP((HIDDEN, CLASSES), activation=activation)  # between the layers
    optimizer = optimizers.SGD(lr=LR).setup(model)
    loader = SameOrderLoader(train_set, BATCH, epoch_orders(n, args.seed))

    # The Linear layers make W at their first call: make it now, outside the
    # timing, on the first 100 samples, and save it for PyTorch to start from.
    x0 = np.array([train_set[i][0] for i in range(min(BATCH, n))])
    t0 = np.array([train_set[i][1] for i in range(min(BATCH, n))])
    with dezero.no_grad():
        model(x0)
    weights = {
        "W0": model.l0.W.data.copy(),
        "b0": model.l0.b.data.copy(),
        "W1": model.l1.W.data.copy(),
        "b1": model.l1.b.data.copy(),
    }
    np.savez(args.weights, **weights)
    weights_sha = hashlib.sha256(
        b"".join(w.tobytes() for w in weights.values())
    ).hexdigest()
    # Warm-up: one forward and backward, no update, so the weights stay as saved.
    loss = F.softmax_cross_entropy(model(x0), t0)
    model.cleargrads()
    loss.backward()
    model.cleargrads()
    del loss
    setup = reset_peak()

    first, seconds, losses, accs = [], [], [], []
    for epoch in range(args.epochs):
        start = time.perf_counter()
        sum_loss, sum_acc = 0.0, 0.0
        for x, t in loader:  # the loop of step 51's demo
            y = model(x)
            loss = F.softmax_cross_entropy(y, t)
            acc = F.accuracy(y, t)
            model.cleargrads()
            loss.backward()
            optimizer.update()
            sum_loss += float(loss.data) * len(t)
            sum_acc += float(acc.data) * len(t)
            if epoch == 0 and len(first) < args.check_batches:
                first.append(float(loss.data))
        seconds.append(time.perf_counter() - start)
        losses.append(sum_loss / n)
        accs.append(sum_acc / n)
    dtypes = sorted({str(p.data.dtype) for p in model.params()} | {str(y.dtype)})

    alone = SameOrderLoader(train_set, BATCH, epoch_orders(n, args.seed))
    start = time.perf_counter()
    for _batch in alone:
        pass
    loader_seconds = time.perf_counter() - start

    return {
        **child_record("dezero", args, digest(train_set.data, train_set.label), n),
        "version": f"step {args.step}",
        "activation": args.activation,
        "rss_import_mb": imported,
        "rss_setup_mb": setup,
        **rss(),
        "weights_sha256": weights_sha,
        "dtypes": dtypes,
        "first_losses": first,
        "epoch_seconds": seconds,
        "epoch_losses": losses,
        "epoch_accuracies": accs,
        "loader_seconds": loader_seconds,
    }


# --- the PyTorch child ----------------------------------------------------------------


def torch_blas(torch) -> str:
    text = torch.__config__.show()
    found = re.search(r"Math Kernel Library Version ([\d.]+)", text)
    dnn = re.search(r"MKL-DNN (v[\d.]+)", text)
    parts = [f"MKL {found.group(1)}" if found else None]
    parts.append(f"oneDNN {dnn.group(1)}" if dnn else None)
    return ", ".join(p for p in parts if p) or "unknown BLAS"


def run_torch(args) -> dict:
    set_one_thread()
    import numpy as np
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    nn = torch.nn
    imported = rss()["rss_end_mb"]

    if args.data == "fashion":
        images_file, labels_file = (os.path.join(args.data_dir, f) for f in TRAIN_FILES)
        images = read_idx(images_file, 16).reshape(-1, 1, 28, 28)
        labels = read_idx(labels_file, 8)
    else:
        images, labels = synthetic(args.train_size, args.seed)
    images, labels = images[: args.train_size], labels[: args.train_size]
    n = len(images)

    class Images(torch.utils.data.Dataset):
        """One sample at a time, as dezero's Dataset: flatten, float32, / 255."""

        def __init__(self, images, labels):
            self.images = torch.from_numpy(images.copy())
            self.labels = torch.from_numpy(labels.astype(np.int64))

        def __len__(self):
            return len(self.images)

        def __getitem__(self, i):
            return self.images[i].flatten().to(torch.float32) / 255.0, self.labels[i]

    class SameOrder(torch.utils.data.Sampler):
        """The permutation of each epoch that the DeZero child uses."""

        def __init__(self, orders, n):
            self.orders, self.n = orders, n

        def __iter__(self):
            return iter(next(self.orders).tolist())

        def __len__(self):
            return self.n

    def make_loader():
        sampler = SameOrder(epoch_orders(n, args.seed), n)
        return torch.utils.data.DataLoader(
            Images(images, labels), batch_size=BATCH, sampler=sampler
        )

    model = nn.Sequential(
        nn.Linear(images[0].size, HIDDEN),
        {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}[args.activation](),
        nn.Linear(HIDDEN, CLASSES),
    )
    with np.load(args.weights) as w, torch.no_grad():
        # dezero computes x W + b with W (in, out); nn.Linear keeps W as (out, in)
        model[0].weight.copy_(torch.from_numpy(w["W0"].T))
        model[0].bias.copy_(torch.from_numpy(w["b0"]))
        model[2].weight.copy_(torch.from_numpy(w["W1"].T))
        model[2].bias.copy_(torch.from_numpy(w["b1"]))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = nn.functional.cross_entropy
    loader = make_loader()

    data = Images(images, labels)
    x0 = torch.stack([data[i][0] for i in range(min(BATCH, n))])
    t0 = torch.stack([data[i][1] for i in range(min(BATCH, n))])
    loss_fn(model(x0), t0).backward()  # warm-up, no update
    optimizer.zero_grad()
    setup = reset_peak()

    first, seconds, losses, accs = [], [], [], []
    for epoch in range(args.epochs):
        start = time.perf_counter()
        sum_loss, sum_acc = 0.0, 0.0
        for x, t in loader:
            y = model(x)
            loss = loss_fn(y, t)
            acc = (y.argmax(dim=1) == t).to(torch.float32).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            sum_loss += loss.item() * len(t)
            sum_acc += acc.item() * len(t)
            if epoch == 0 and len(first) < args.check_batches:
                first.append(loss.item())
        seconds.append(time.perf_counter() - start)
        losses.append(sum_loss / n)
        accs.append(sum_acc / n)
    dtypes = sorted({str(p.dtype) for p in model.parameters()} | {str(y.dtype)})

    start = time.perf_counter()
    for _batch in make_loader():
        pass
    loader_seconds = time.perf_counter() - start

    record = child_record("torch", args, digest(images, labels), n)
    record["threads"].update(
        torch=torch.get_num_threads(), torch_interop=torch.get_num_interop_threads()
    )
    return {
        **record,
        "version": torch.__version__,
        "torch_blas": torch_blas(torch),
        "activation": args.activation,
        "rss_import_mb": imported,
        "rss_setup_mb": setup,
        **rss(),
        "dtypes": [d.removeprefix("torch.") for d in dtypes],
        "first_losses": first,
        "epoch_seconds": seconds,
        "epoch_losses": losses,
        "epoch_accuracies": accs,
        "loader_seconds": loader_seconds,
    }


# --- the parent -----------------------------------------------------------------------


def torch_installed() -> bool:
    """Whether the venv's Python can import torch (asked without importing it here)."""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def fashion_available(data_dir: str) -> bool:
    return all(os.path.exists(os.path.join(data_dir, f)) for f in TRAIN_FILES)


def run_child(framework: str, args, weights: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", framework]
    cmd += ["--data", args.data, "--data-dir", args.data_dir]
    cmd += ["--train-size", str(args.train_size), "--epochs", str(args.epochs)]
    cmd += ["--check-batches", str(args.check_batches), "--seed", str(args.seed)]
    cmd += ["--weights", str(weights)]
    cmd += ["--step", str(args.step), "--activation", args.activation]
    return {"framework": framework, **run_json(cmd)}


def run_json(cmd: list[str]) -> dict:
    """Run a child on one thread; its last JSON line, or {"failed": True, ...}."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    env.update(dict.fromkeys(THREAD_VARS, "1"))
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=CHILD_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return {"failed": True, "error": "timed out"}
    lines = [ln for ln in proc.stdout.splitlines() if ln[:1] == "{"]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"failed": True, "error": tail}
    return json.loads(lines[-1])


def check_round(ours: dict, ref: dict | None, rtol: float) -> tuple[list[str], dict]:
    """Problems that make a round's timings not count, and what was compared."""
    problems = []
    threads = dict(ours["threads"], **(ref["threads"] if ref else {}))
    many = {k: v for k, v in threads.items() if v is not None and str(v) != "1"}
    if many:
        problems.append(f"not one thread: {many}")
    if "float32" not in ours["dtypes"] or len(ours["dtypes"]) != 1:
        problems.append(f"DeZero trained in {ours['dtypes']}, not float32 only")
    if ref is None:
        return problems, {}
    if ref["dtypes"] != ["float32"]:
        problems.append(f"PyTorch trained in {ref['dtypes']}, not float32 only")
    if ours["data_sha256"] != ref["data_sha256"]:
        problems.append("the two children did not read the same images and labels")
    a, b = ours["first_losses"], ref["first_losses"]
    if len(a) != len(b) or not a:
        problems.append(f"{len(a)} first losses against {len(b)}")
        return problems, {}
    first = max(relative(x, y) for x, y in zip(a, b, strict=True))
    if not first <= rtol:
        problems.append(
            f"the losses of the first {len(a)} batches differ by up to {first:.1e} "
            f"relative (tolerance {rtol:.0e}): DeZero {a[:3]}, PyTorch {b[:3]}"
        )
    epoch = max(
        relative(x, y)
        for x, y in zip(ours["epoch_losses"], ref["epoch_losses"], strict=True)
    )
    if not epoch <= EPOCH_RTOL:
        problems.append(
            f"the mean losses of the epochs differ by up to {epoch:.1e} relative "
            f"(tolerance {EPOCH_RTOL:.0e})"
        )
    return problems, {"first": first, "epoch": epoch}


def per_epoch(record: dict) -> float:
    return sum(record["epoch_seconds"]) / len(record["epoch_seconds"])


def spread(values: list[float], fmt: str) -> tuple[str, str]:
    """(median, min-max) formatted; one value has no range."""
    med = format(statistics.median(values), fmt)
    if len(values) == 1:
        return med, "-"
    return med, f"{min(values):{fmt}}–{max(values):{fmt}}"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]

    def line(cells):
        name, *numbers = cells
        cols = [f"{name:<{widths[0]}}"]
        cols += [f"{c:>{w}}" for c, w in zip(numbers, widths[1:], strict=True)]
        return "| " + " | ".join(cols) + " |"

    # the first column (names) left-aligned, the numbers right-aligned
    rule = "|:" + "-" * (widths[0] + 1) + "|"
    rule += "|".join("-" * (w + 1) + ":" for w in widths[1:]) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def tables(rounds: list[dict], n: int) -> tuple[str, str]:
    """The per-round table and the summary table."""
    counted = [r for r in rounds if r["counted"]]
    with_ref = [r for r in counted if r["torch"]]
    per_round = []
    for r in rounds:
        ours = per_epoch(r["dezero"])
        ref = per_epoch(r["torch"]) if r["torch"] else None
        per_round.append(
            [
                str(r["round"]),
                f"{ours:.2f}",
                "-" if ref is None else f"{ref:.2f}",
                "-" if ref is None else f"x{ours / ref:.2f}",
                "yes" if r["counted"] else "no",
            ]
        )
    first = markdown_table(
        ["round", "DeZero s/epoch", "PyTorch s/epoch", "ours/PyTorch", "counted"],
        per_round,
    )
    table_rows = []
    for fw in FRAMEWORKS:
        recs = [r[fw] for r in counted if r[fw]]
        if not recs:
            continue
        secs = [per_epoch(rec) for rec in recs]
        rate = [n / s for s in secs]
        loader = [rec["loader_seconds"] for rec in recs]
        name = f"{NAMES[fw]} ({recs[0]['version']})" if fw == "dezero" else ""
        name = name or f"{NAMES[fw]} {recs[0]['version']}"
        table_rows.append([name, *spread(secs, ".2f"), *spread(rate, ".0f")])
        table_rows[-1].append(spread(loader, ".2f")[0])
    if with_ref:
        ratios = [per_epoch(r["dezero"]) / per_epoch(r["torch"]) for r in with_ref]
        med, rng = spread(ratios, ".2f")
        table_rows.append(
            ["ours / PyTorch", f"x{med}", "-" if rng == "-" else f"x{rng}", "", "", ""]
        )
        loader_ratio = statistics.median(
            r["dezero"]["loader_seconds"] / r["torch"]["loader_seconds"]
            for r in with_ref
        )
        table_rows[-1][-1] = f"x{loader_ratio:.2f}"
    summary = markdown_table(
        [
            "",
            "s/epoch median",
            "s/epoch min–max",
            "samples/s median",
            "samples/s min–max",
            "DataLoader alone s/epoch",
        ],
        table_rows,
    )
    return first, summary


def fastest(rounds: list[dict]) -> str:
    """The fastest counted epochs and their ratio: other load only adds time."""
    counted = [r for r in rounds if r["counted"] and r["torch"]]
    if len(counted) < 2:
        return ""
    ours = min(per_epoch(r["dezero"]) for r in counted)
    ref = min(per_epoch(r["torch"]) for r in counted)
    return (
        f"Fastest rounds: DeZero {ours:.2f} s/epoch, PyTorch {ref:.2f} s/epoch, "
        f"x{ours / ref:.2f} (other load on the machine only adds time, so the "
        "fastest rounds are the least disturbed)"
    )


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs"


def command_line(argv: list[str]) -> str:
    def rel(path: str) -> str:
        try:
            return str(Path(path).absolute().relative_to(Path.cwd()))
        except ValueError:
            return path

    return shlex.join([rel(sys.executable), rel(argv[0]), *argv[1:]])


def run_lines(argv: list[str], loads: list[str], ours: dict, ref: dict | None):
    """The Date, Machine, Versions, Threads and Command lines of a section."""
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    threads = ", ".join(f"{k}={v}" for k, v in ours["threads"].items())
    if ref:
        threads += (
            f"; torch.get_num_threads()={ref['threads']['torch']}, "
            f"get_num_interop_threads()={ref['threads']['torch_interop']}"
        )
    return [
        f"- Date: {now}",
        f"- Machine: {machine()}; shared with other processes, load average "
        f"{loads[0]} at the start and {loads[1]} at the end",
        f"- Versions: Python {ours['python']}, NumPy {ours['numpy']} "
        f"({ours['numpy_blas']})"
        + (f", PyTorch {ref['version']} ({ref['torch_blas']})" if ref else ""),
        f"- Threads: {threads}",
        f"- Command: `{command_line(argv)}`"
        + (" (run by `make bench`)" if "MAKELEVEL" in os.environ else ""),
    ]


def section(rounds, args, argv, notes, loads, checks) -> str:
    """The Markdown section for RESULTS.md, markers included."""
    ours = next(r["dezero"] for r in rounds)
    ref = next((r["torch"] for r in rounds if r["torch"]), None)
    per_round, summary = tables(rounds, ours["train_size"])
    data = (
        f"Fashion-MNIST from {args.data_dir}"
        if args.data == "fashion"
        else "random uint8 images and labels of Fashion-MNIST's shapes (synthetic)"
    )
    counted = sum(r["counted"] for r in rounds)
    lines = [
        BEGIN,
        "",
        f"## {ours['version'].capitalize()}: the MLP training loop, DeZero vs PyTorch",
        "",
        "Written by `benchmarks/bench_mlp.py` (`make bench` runs it); it replaces only "
        "this section, and `bench_snapshots.py` keeps it.",
        "",
        *run_lines(argv, loads, ours, ref),
        f"- Work: MLP(({HIDDEN}, {CLASSES})) with {args.activation}, SGD(lr={LR}), "
        f"batch "
        f"{BATCH}, {ours['train_size']} training samples of {data}; "
        f"{args.epochs} epoch(s) per round, {len(rounds)} round(s) ({counted} "
        "counted), each framework in a process of its own, rounds interleaved",
        "",
        per_round,
        "",
        summary,
        "",
        "- **s/epoch**: one epoch of the training loop of step 51's demo: DataLoader "
        "batches, forward, loss, accuracy, cleargrads, backward, update, and "
        "reading the loss as a float. Not counted: loading the data set, making "
        "the initial weights, one warm-up forward and backward. **samples/s**: "
        "training samples divided by s/epoch. **DataLoader alone**: one pass of "
        "the same loader without the model.",
        "- **ours / PyTorch**: DeZero's s/epoch divided by PyTorch's in the same "
        "round, median and range over the rounds; above 1, DeZero is slower.",
        "- PyTorch's side: `nn.Sequential(Linear, Sigmoid, Linear)`, "
        "`F.cross_entropy`, `optim.SGD`, its `DataLoader` over a per-sample "
        "`Dataset` that does what the book's transform does (flatten, float32, "
        "/ 255), `num_workers=0`.",
    ]
    if checks:
        lines.append(
            f"- Agreement: both read the same bytes (SHA-256) and start from DeZero's "
            f"initial weights; the float32 losses of the first {args.check_batches} "
            f"batches differed by at most {max(c['first'] for c in checks):.1e} "
            f"relative (tolerance {RTOL:.0e}), the epoch mean losses by "
            f"{max(c['epoch'] for c in checks):.1e}. After the last epoch the "
            f"training loss was {ours['epoch_losses'][-1]:.4f} (PyTorch "
            f"{ref['epoch_losses'][-1]:.4f}) at accuracy "
            f"{ours['epoch_accuracies'][-1]:.4f} ({ref['epoch_accuracies'][-1]:.4f})."
        )
    best = fastest(rounds)
    if best:
        lines.append(f"- {best}.")
    shares = []
    for fw in FRAMEWORKS:
        recs = [r[fw] for r in rounds if r["counted"] and r[fw]]
        if recs:
            share = statistics.median(
                rec["loader_seconds"] / per_epoch(rec) for rec in recs
            )
            shares.append(f"{share:.0%} of an epoch for {SHORT[fw]}")
    lines.append(
        "- The DataLoader alone takes " + " and ".join(shares) + " (median over "
        "the rounds)."
    )
    lines += [f"- {n}" for n in notes]
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    """Replace this script's section of path, or append it; the rest stays."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.S)
    if pattern.search(old):
        new = pattern.sub(lambda m: text, old, count=1)
    else:
        new = old.rstrip("\n") + ("\n\n" if old.strip() else "") + text
    path.write_text(new, encoding="utf-8")


def parse_args(argv: list[str]):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full", action="store_true", help=f"{FULL['train_size']}-sample epochs"
    )
    parser.add_argument("--quick", action="store_true", help="one round")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help=f"{DRY_RUN['train_size']} samples, one round, no file written",
    )
    parser.add_argument(
        "--data",
        choices=["auto", "fashion", "synthetic"],
        default="auto",
        help="auto: Fashion-MNIST when its files are there, else synthetic",
    )
    parser.add_argument("--data-dir", default=FASHION_DIR, help="Fashion-MNIST files")
    parser.add_argument("--train-size", type=int, help="training samples per epoch")
    parser.add_argument("--rounds", type=int, help="interleaved rounds")
    parser.add_argument("--epochs", type=int, help="epochs per round and framework")
    parser.add_argument("--check-batches", type=int, help="losses compared")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--step", type=int, default=STEP, help=f"the snapshot (default {STEP})"
    )
    parser.add_argument(
        "--activation",
        choices=["sigmoid", "relu"],
        default="sigmoid",
        help="between the layers (the book's step 51 uses sigmoid)",
    )
    parser.add_argument("--no-torch", action="store_true", help="DeZero alone")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", type=Path, help="also write the raw records here")
    parser.add_argument("--child", choices=FRAMEWORKS, help=argparse.SUPPRESS)
    parser.add_argument("--weights", type=Path, help=argparse.SUPPRESS)
    for foreign in ("--steps", "--measure", "--size"):  # bench_snapshots.py's
        parser.add_argument(foreign, action="append", help=argparse.SUPPRESS)
    args = parser.parse_args(argv[1:])
    sizes = dict(DEFAULT)
    if args.full:
        sizes.update(FULL)
    if args.quick:
        sizes.update(QUICK)
    if args.dry_run:
        sizes.update(DRY_RUN)
    for name, value in sizes.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
        elif getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.train_size < BATCH:
        parser.error(f"--train-size must be at least one batch ({BATCH})")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    args = parse_args(argv)
    if args.child:
        run = run_dezero if args.child == "dezero" else run_torch
        print(json.dumps(run(args)), flush=True)
        return 0

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    notes, problems = [], []
    ignored = [f for f in ("steps", "measure", "size") if getattr(args, f)]
    if ignored:
        print("ignoring bench_snapshots.py's " + ", ".join(f"--{f}" for f in ignored))
    if args.data == "auto":
        args.data = "fashion" if fashion_available(args.data_dir) else "synthetic"
        if args.data == "synthetic":
            notes.append(
                f"Fashion-MNIST was not found in {args.data_dir} (apt-get install "
                "dataset-fashion-mnist): random images of the same shapes instead. "
                "The timings hardly depend on the pixel values."
            )
    elif args.data == "fashion" and not fashion_available(args.data_dir):
        print(f"no Fashion-MNIST training files in {args.data_dir}", file=sys.stderr)
        return 2
    with_torch = not args.no_torch and torch_installed()
    if not with_torch:
        notes.append(
            "PyTorch is not installed (`make torch` installs torch==2.13.0)"
            if not args.no_torch
            else "--no-torch: DeZero alone"
        )
        notes[-1] += ": no reference and no ratio."
    for note in notes:
        print(note)

    print(
        f"step {args.step} MLP(({HIDDEN}, {CLASSES})) with {args.activation}, "
        f"{args.train_size} {args.data} "
        f"samples, {args.epochs} epoch(s) x {args.rounds} round(s), one thread"
    )
    loads = [", ".join(f"{x:.2f}" for x in os.getloadavg())]
    rounds, records, checks = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench_mlp_") as tmp:
        weights = Path(tmp) / "initial_weights.npz"
        for r in range(1, args.rounds + 1):
            got = {}
            for fw in FRAMEWORKS if with_torch else FRAMEWORKS[:1]:
                t0 = time.perf_counter()
                got[fw] = run_child(fw, args, weights)
                records.append(got[fw])
                if got[fw].get("failed"):
                    problems.append(f"round {r} {fw}: {got[fw]['error']}")
                    break
                print(
                    f"round {r}/{args.rounds} {fw:>6}: "
                    f"{per_epoch(got[fw]):.2f} s/epoch, DataLoader alone "
                    f"{got[fw]['loader_seconds']:.2f} s "
                    f"(process {time.perf_counter() - t0:.1f} s)"
                )
            if any(rec.get("failed") for rec in got.values()):
                continue
            bad, compared = check_round(got["dezero"], got.get("torch"), RTOL)
            problems += [f"round {r}: {p}" for p in bad]
            if compared:
                checks.append(compared)
            rounds.append(
                {
                    "round": r,
                    "dezero": got["dezero"],
                    "torch": got.get("torch"),
                    "counted": not bad,
                }
            )
    loads.append(", ".join(f"{x:.2f}" for x in os.getloadavg()))
    shas = {r["dezero"]["weights_sha256"] for r in rounds}
    if len(shas) > 1:
        problems.append("DeZero's initial weights differed between rounds")

    if rounds:
        per_round, summary = tables(rounds, rounds[0]["dezero"]["train_size"])
        print()
        print(per_round)
        print()
        print(summary)
        if checks:
            print(
                f"\nlosses of the first {args.check_batches} batches agree to "
                f"{max(c['first'] for c in checks):.1e} relative (tolerance "
                f"{RTOL:.0e}); epoch mean losses to "
                f"{max(c['epoch'] for c in checks):.1e}"
            )
        if fastest(rounds):
            print(fastest(rounds))
        if not args.no_write and not args.dry_run and any(r["counted"] for r in rounds):
            text = section(rounds, args, argv, notes + problems, loads, checks)
            write_section(args.out, text)
            print(f"\nwrote the bench_mlp.py section of {args.out}")
    if args.json:
        args.json.write_text("".join(json.dumps(r) + "\n" for r in records))
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems or not rounds else 0


if __name__ == "__main__":
    sys.exit(main())

"""Step 60 against PyTorch on the CPU: the six benchmarks B1-B6, and peak memory.

    B1  MLP 784-1000-10 with ReLU, batch 100, SGD: one epoch of Fashion-MNIST,
        DataLoader included (s/epoch); a hand-written NumPy MLP is the floor
    B2c conv2d forward + backward, x (8, 64, 56, 56), W (128, 64, 3, 3), pad 1
    B2p 2x2 max pooling forward + backward on (8, 128, 56, 56)
    B3  VGG16 forward on (1, 3, 224, 224), random weights, inference mode
    B4  step 60's LSTM demo loop (hidden 100, BPTT 30, Adam), s/epoch
    B5  a chain of 10,000 scalar operations (y + x, y * w in turn) and backward
    B6  float32 GEMM 4096^3 in NumPy (and in PyTorch): the machine's limit

    python benchmarks/bench_step60.py             # 3 rounds, about 5 minutes
    python benchmarks/bench_step60.py --quick     # 1 round
    python benchmarks/bench_step60.py --only B2c,B5 --rounds 5
    python benchmarks/bench_step60.py --dry-run   # tiny sizes, checks only, no file

Every measurement runs in a process of its own, started again from this script as
``--child BENCH:FRAMEWORK``, one thread for everyone (OMP_NUM_THREADS,
OPENBLAS_NUM_THREADS and MKL_NUM_THREADS set to 1 before NumPy or torch loads, and
torch.set_num_threads(1)). A round runs each benchmark once per framework, and
the order alternates (A B, B A, ...; B1 always starts with DeZero, whose child
writes the weights), so load from elsewhere on a shared machine hits both.
Both sides get the same inputs and the same initial weights (drawn from one
seeded NumPy generator in each child, or, for B1, written by the DeZero child);
a child saves what it computed (outputs, gradients, losses) and the parent
compares the two before the round's timings count. A disagreement, or a child
that is not on one thread, fails the run (exit status 1).

B1 is bench_mlp.py's training loop with --step 60 --activation relu: its children
are reused, and a third child trains the same network in plain NumPy.

The table goes to stdout and, as a section of its own, into benchmarks/RESULTS.md
(between `<!-- bench_step60.py: begin -->` and `<!-- bench_step60.py: end -->`);
--out PATH writes elsewhere, --no-write not at all. Without torch, DeZero alone
is measured and no ratio is given. Timings are reported, never asserted: the
targets are printed beside them.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_mlp as mlp  # noqa: E402  (imports neither NumPy nor torch)

ROOT = mlp.ROOT
STEP = 60
STEP_DIR = ROOT / f"step{STEP:02d}"
RESULTS = mlp.RESULTS
BEGIN = "<!-- bench_step60.py: begin -->"
END = "<!-- bench_step60.py: end -->"
CHILD_TIMEOUT = 1800
SEED = 0

BENCHES = ("B1", "B2c", "B2p", "B3", "B4", "B5", "B6")
FRAMEWORKS = {
    "B1": ("dezero", "torch", "numpy"),
    "B6": ("numpy", "torch"),
}  # the others: ("dezero", "torch")
# what a round reports, and whether more is better
UNITS = {
    "B1": ("s/epoch", False),
    "B2c": ("ms/iter", False),
    "B2p": ("ms/iter", False),
    "B3": ("ms/forward", False),
    "B4": ("s/epoch", False),
    "B5": ("µs/op", False),
    "B6": ("GFLOP/s", True),
}
TARGETS = {"B1": 1.0, "B2c": 1.2, "B2p": 1.0, "B3": 1.2, "B4": 1.0, "B5": 1.0}
GEMM_SHARE = 0.60  # B1 should reach this share of B6's NumPy GFLOP/s
MEMORY_TARGET = 1.3

SIZES = {
    "default": {
        "B1": {"train_size": 60000, "check_batches": 10},
        "B2c": {"x": [8, 64, 56, 56], "W": [128, 64, 3, 3], "reps": 5},
        "B2p": {"x": [8, 128, 56, 56], "reps": 10},
        "B3": {"hw": 224, "reps": 3},
        "B4": {"epochs": 3, "hidden": 100},
        "B5": {"ops": 10000, "reps": 5},
        "B6": {"n": 4096, "reps": 3},
    },
    "dry": {
        "B1": {"train_size": 300, "check_batches": 3},
        "B2c": {"x": [2, 3, 9, 9], "W": [4, 3, 3, 3], "reps": 1},
        "B2p": {"x": [2, 3, 8, 8], "reps": 1},
        "B3": {"hw": 32, "reps": 1},
        "B4": {"epochs": 1, "hidden": 8},
        "B5": {"ops": 200, "reps": 1},
        "B6": {"n": 128, "reps": 1},
    },
}
WORK = {
    "B1": "MLP 784-1000-10 ReLU, SGD, batch 100, {train_size} samples",
    "B2c": "conv2d fwd+bwd x {x} W {W}",
    "B2p": "max pooling 2x2 fwd+bwd {x}",
    "B3": "VGG16 forward (1, 3, {hw}, {hw})",
    "B4": "LSTM demo loop, hidden {hidden}",
    "B5": "{ops} scalar ops + backward",
    "B6": "float32 GEMM {n}^3",
}
# tolerances of the comparison, relative to the largest value of each array
RTOL = {"B2c": 1e-4, "B2p": 1e-6, "B3": 1e-3, "B4": 1e-5, "B5": 1e-9, "B6": 1e-4}


# --- the children -----------------------------------------------------------------


def import_dezero():
    sys.path.insert(0, str(STEP_DIR))
    import dezero

    origin = Path(dezero.__file__).resolve()
    if STEP_DIR.resolve() not in origin.parents:
        raise RuntimeError(f"imported dezero from {origin}, not from {STEP_DIR}")
    return dezero


def import_torch():
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    return torch


def timed(fn, reps: int) -> list[float]:
    """One untimed warm-up call, then reps timed calls."""
    fn()
    seconds = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return seconds


def arrays(seed: int, *shapes, scale=1.0):
    """Standard normal float32 arrays of the shapes, the same in every child."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal(s, dtype=np.float32) * np.float32(scale) for s in shapes
    ]


def conv_child(fw: str, size: dict, seed: int) -> dict:
    import numpy as np

    x, W, b = arrays(seed, size["x"], size["W"], size["W"][:1], scale=0.1)
    N, C, H, Wd = size["x"]
    gy = arrays(seed + 1, [N, size["W"][0], H, Wd])[0]
    out = {}
    if fw == "dezero":
        dezero = import_dezero()
        F = dezero.functions
        xv, Wv, bv = (dezero.Variable(a) for a in (x, W, b))

        def step():
            for v in (xv, Wv, bv):
                v.cleargrad()
            y = F.conv2d(xv, Wv, bv, stride=1, pad=1)
            y.grad = dezero.Variable(gy)
            y.backward()
            out.update(y=y.data, gx=xv.grad.data, gW=Wv.grad.data, gb=bv.grad.data)

    else:
        torch = import_torch()
        xt, Wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, W, b))
        gyt = torch.from_numpy(gy)

        def step():
            for t in (xt, Wt, bt):
                t.grad = None
            y = torch.nn.functional.conv2d(xt, Wt, bt, stride=1, padding=1)
            y.backward(gyt)
            out.update(
                y=y.detach().numpy(),
                gx=xt.grad.numpy(),
                gW=Wt.grad.numpy(),
                gb=bt.grad.numpy(),
            )

    seconds = timed(step, size["reps"])
    flops = 3 * 2 * N * H * Wd * int(np.prod(size["W"]))  # forward, gx, gW
    return {"seconds": seconds, "check": out, "flops": flops}


def pool_child(fw: str, size: dict, seed: int) -> dict:
    (x,) = arrays(seed, size["x"])
    N, C, H, W = size["x"]
    (gy,) = arrays(seed + 1, [N, C, H // 2, W // 2])
    out = {}
    if fw == "dezero":
        dezero = import_dezero()
        xv = dezero.Variable(x)

        def step():
            xv.cleargrad()
            y = dezero.functions.pooling(xv, 2, 2)
            y.grad = dezero.Variable(gy)
            y.backward()
            out.update(y=y.data, gx=xv.grad.data)

    else:
        torch = import_torch()
        xt = torch.tensor(x, requires_grad=True)
        gyt = torch.from_numpy(gy)

        def step():
            xt.grad = None
            y = torch.nn.functional.max_pool2d(xt, 2, 2)
            y.backward(gyt)
            out.update(y=y.detach().numpy(), gx=xt.grad.numpy())

    return {"seconds": timed(step, size["reps"]), "check": out}


VGG_BLOCKS = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))


def vgg_weights(hw: int, seed: int):
    """(W, b) of VGG16's 13 convolutions and 3 linear layers, He-scaled float32;
    linear W as DeZero keeps it, (in, out)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    shapes, c = [], 3
    for oc, n in VGG_BLOCKS:
        for _ in range(n):
            shapes.append((oc, c, 3, 3))
            c = oc
    shapes += [(512 * (hw // 32) ** 2, 4096), (4096, 4096), (4096, 1000)]
    weights = []
    for s in shapes:
        fan_in = int(np.prod(s[1:])) if len(s) == 4 else s[0]
        W = rng.standard_normal(s, dtype=np.float32)
        W *= np.float32(math.sqrt(2.0 / fan_in))
        b = rng.standard_normal(s[0] if len(s) == 4 else s[1], dtype=np.float32)
        b *= np.float32(0.01)
        weights.append((W, b))
    return weights


def vgg_flops(hw: int) -> int:
    flops, c, side = 0, 3, hw
    for oc, n in VGG_BLOCKS:
        for _ in range(n):
            flops += 2 * side * side * oc * c * 9
            c = oc
        side //= 2
    return flops + 2 * (512 * side * side * 4096 + 4096 * 4096 + 4096 * 1000)


def vgg_child(fw: str, size: dict, seed: int) -> dict:
    hw = size["hw"]
    (x,) = arrays(seed + 1, [1, 3, hw, hw])
    out = {}
    if fw == "dezero":
        dezero = import_dezero()
        base = mlp.rss()["rss_end_mb"]
        model = dezero.models.VGG16()
        names = [
            f"conv{i + 1}_{j + 1}"
            for i, (_, n) in enumerate(VGG_BLOCKS)
            for j in range(n)
        ] + ["fc6", "fc7", "fc8"]
        for name, (W, b) in zip(names, vgg_weights(hw, seed), strict=True):
            layer = getattr(model, name)
            layer.W.data, layer.b.data = W, b

        def step():
            with dezero.test_mode(), dezero.no_grad():
                out["y"] = model(x).data

    else:
        torch = import_torch()
        base = mlp.rss()["rss_end_mb"]
        nn = torch.nn
        layers, c = [], 3
        for oc, n in VGG_BLOCKS:
            for _ in range(n):
                layers += [nn.Conv2d(c, oc, 3, padding=1), nn.ReLU()]
                c = oc
            layers.append(nn.MaxPool2d(2, 2))
        layers.append(nn.Flatten())
        for i, (fan_in, fan_out) in enumerate(
            [(512 * (hw // 32) ** 2, 4096), (4096, 4096), (4096, 1000)]
        ):
            layers.append(nn.Linear(fan_in, fan_out))
            if i < 2:
                layers += [nn.ReLU(), nn.Dropout(0.5)]
        model = nn.Sequential(*layers).eval()
        learned = [m for m in model if isinstance(m, (nn.Conv2d, nn.Linear))]
        with torch.no_grad():
            for m, (W, b) in zip(learned, vgg_weights(hw, seed), strict=True):
                m.weight.copy_(torch.from_numpy(W if W.ndim == 4 else W.T))
                m.bias.copy_(torch.from_numpy(b))
        xt = torch.from_numpy(x)

        def step():
            with torch.no_grad():
                out["y"] = model(xt).numpy()

    setup = mlp.reset_peak()  # the peak below is the forward passes' own
    seconds = timed(step, size["reps"])
    return {
        "seconds": seconds,
        "check": out,
        "flops": vgg_flops(hw),
        "rss_import_mb": base,
        "rss_setup_mb": setup,
        **mlp.rss(),
    }


def lstm_child(fw: str, size: dict, seed: int) -> dict:
    import numpy as np

    dezero = import_dezero()  # the data set, on both sides
    np.random.seed(seed)
    train_set = dezero.datasets.SinCurve(train=True)
    H, batch, bptt = size["hidden"], 30, 30
    n = len(train_set)
    rng = np.random.default_rng(seed)

    def uniform(*shape, fan_in):
        bound = 1 / math.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    gates = "fiou"
    Wx = {g: uniform(1, H, fan_in=H) for g in gates}
    bx = {g: uniform(H, fan_in=H) for g in gates}
    Wh = {g: uniform(H, H, fan_in=H) for g in gates}
    Wfc, bfc = uniform(H, 1, fan_in=H), uniform(1, fan_in=H)
    losses, updates = [], []

    if fw == "dezero":
        F, L = dezero.functions, dezero.layers

        class BetterRNN(dezero.Model):  # step 60's demo
            def __init__(self, hidden_size, out_size):
                super().__init__()
                self.rnn = L.LSTM(hidden_size)
                self.fc = L.Linear(out_size)

            def reset_state(self):
                self.rnn.reset_state()

            def forward(self, x):
                return self.fc(self.rnn(x))

        model = BetterRNN(H, 1)
        for g in gates:
            getattr(model.rnn, f"x2{g}").W.data = Wx[g]
            getattr(model.rnn, f"x2{g}").b.data = bx[g]
            getattr(model.rnn, f"h2{g}").W.data = Wh[g]
        model.fc.W.data, model.fc.b.data = Wfc, bfc
        optimizer = dezero.optimizers.Adam().setup(model)
        loader = dezero.SeqDataLoader(train_set, batch_size=batch)

        def epoch():
            model.reset_state()
            loss, count, total = 0, 0, 0.0
            for x, t in loader:
                y = model(x)
                loss += F.mean_squared_error(y, t)
                count += 1
                if count % bptt == 0 or count == n:
                    model.cleargrads()
                    loss.backward()
                    loss.unchain_backward()
                    optimizer.update()
                    total += float(loss.data)
                    updates.append(float(loss.data))
                    loss = 0
            losses.append(total)
            dtypes.add(str(y.dtype))

    else:
        torch = import_torch()
        data = torch.from_numpy(np.asarray(train_set.data))
        label = torch.from_numpy(np.asarray(train_set.label))
        cell, fc = torch.nn.LSTMCell(1, H), torch.nn.Linear(H, 1)
        with torch.no_grad():  # PyTorch stacks the gates as i, f, g (= u), o
            order = "ifuo"
            cell.weight_ih.copy_(
                torch.from_numpy(np.concatenate([Wx[g].T for g in order]))
            )
            cell.bias_ih.copy_(torch.from_numpy(np.concatenate([bx[g] for g in order])))
            cell.weight_hh.copy_(
                torch.from_numpy(np.concatenate([Wh[g].T for g in order]))
            )
            cell.bias_hh.zero_()
            fc.weight.copy_(torch.from_numpy(Wfc.T))
            fc.bias.copy_(torch.from_numpy(bfc))
        cell.bias_hh.requires_grad_(False)  # DeZero's h2f ... have no bias
        params = [p for p in (*cell.parameters(), *fc.parameters()) if p.requires_grad]
        optimizer = torch.optim.Adam(params)
        mse = torch.nn.functional.mse_loss
        jump, iters = n // batch, math.ceil(n / batch)

        def epoch():
            state, loss, count, total = None, 0, 0, 0.0
            for it in range(iters):  # the rows SeqDataLoader hands out
                index = [(i * jump + it) % n for i in range(batch)]
                x, t = data[index], label[index]
                state = cell(x, state)
                y = fc(state[0])
                loss = loss + mse(y, t)
                count += 1
                if count % bptt == 0 or count == n:
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                    state = tuple(s.detach() for s in state)
                    total += loss.item()
                    updates.append(loss.item())
                    loss = 0
            losses.append(total)
            dtypes.add(str(y.dtype).removeprefix("torch."))

    dtypes = set()
    seconds = timed(epoch, size["epochs"])
    return {
        "seconds": seconds,
        "check": {"losses": np.array(losses), "updates": np.array(updates)},
        "dtypes": sorted(dtypes),
    }


def chain_child(fw: str, size: dict, seed: int) -> dict:
    import numpy as np

    ops, out = size["ops"], {}
    if fw == "dezero":
        dezero = import_dezero()
        x, w, y0 = (dezero.Variable(np.array(v)) for v in (0.5, 0.999, 1.0))

        def step():
            for v in (x, w, y0):
                v.cleargrad()
            y = y0
            for i in range(ops):
                y = y + x if i % 2 == 0 else y * w
            y.backward()
            out.update(y=y.data, gx=x.grad.data, gw=w.grad.data, gy0=y0.grad.data)

    else:
        torch = import_torch()
        x, w, y0 = (
            torch.tensor(v, dtype=torch.float64, requires_grad=True)
            for v in (0.5, 0.999, 1.0)
        )

        def step():
            for t in (x, w, y0):
                t.grad = None
            y = y0
            for i in range(ops):
                y = y + x if i % 2 == 0 else y * w
            y.backward()
            out.update(
                y=y.detach().numpy(),
                gx=x.grad.numpy(),
                gw=w.grad.numpy(),
                gy0=y0.grad.numpy(),
            )

    return {"seconds": timed(step, size["reps"]), "check": out}


def gemm_child(fw: str, size: dict, seed: int) -> dict:
    n = size["n"]
    a, b = arrays(seed, (n, n), (n, n))
    out = {}
    if fw == "numpy":

        def step():
            out["c"] = (a @ b)[::64, ::64].copy()

    else:
        torch = import_torch()
        at, bt = torch.from_numpy(a), torch.from_numpy(b)

        def step():
            out["c"] = (at @ bt)[::64, ::64].numpy().copy()

    return {"seconds": timed(step, size["reps"]), "check": out, "flops": 2 * n**3}


def mlp_floor_child(size: dict, seed: int, weights: Path) -> dict:
    """B1 without autograd: the same network, batches and updates in plain NumPy."""
    import numpy as np

    images = mlp.read_idx(os.path.join(mlp.FASHION_DIR, mlp.TRAIN_FILES[0]), 16)
    labels = mlp.read_idx(os.path.join(mlp.FASHION_DIR, mlp.TRAIN_FILES[1]), 8)
    n = size["train_size"]
    images = images.reshape(-1, 784)[:n]
    labels = labels[:n].astype(np.int64)
    with np.load(weights) as w:
        W0, b0, W1, b1 = (w[k].copy() for k in ("W0", "b0", "W1", "b1"))
    lr = np.float32(mlp.LR)
    order = next(mlp.epoch_orders(n, seed))  # the first epoch's, as the others use
    first, total, correct = [], 0.0, 0
    start = time.perf_counter()
    for i0 in range(0, n, mlp.BATCH):
        idx = order[i0 : i0 + mlp.BATCH]
        x = images[idx].astype(np.float32) / np.float32(255.0)
        t = labels[idx]
        h = x @ W0 + b0
        a = np.maximum(h, 0)
        y = a @ W1 + b1
        y_max = y.max(axis=1, keepdims=True)
        e = np.exp(y - y_max)
        s = e.sum(axis=1, keepdims=True)
        rows = np.arange(len(t))
        loss = float(np.mean(np.log(s[:, 0]) + y_max[:, 0] - y[rows, t]))
        correct += int(np.sum(y.argmax(axis=1) == t))  # the loop reports accuracy
        dy = e / s
        dy[rows, t] -= 1
        dy /= np.float32(len(t))
        gW1, gb1 = a.T @ dy, dy.sum(axis=0)
        dh = (dy @ W1.T) * (h > 0)
        gW0, gb0 = x.T @ dh, dh.sum(axis=0)
        for p, g in ((W0, gW0), (b0, gb0), (W1, gW1), (b1, gb1)):
            p -= lr * g
        total += loss * len(t)
        if len(first) < size["check_batches"]:
            first.append(loss)
    seconds = time.perf_counter() - start
    return {
        "framework": "numpy",
        "epoch_seconds": [seconds],
        "first_losses": first,
        "epoch_losses": [total / n],
        "epoch_accuracies": [correct / n],
        "dtypes": sorted({str(W0.dtype), str(y.dtype)}),
        **mlp.rss(),
    }


CHILDREN = {
    "B2c": conv_child,
    "B2p": pool_child,
    "B3": vgg_child,
    "B4": lstm_child,
    "B5": chain_child,
    "B6": gemm_child,
}


def child_main(args) -> dict:
    mlp.set_one_thread()
    import numpy as np

    bench, fw = args.child.split(":")
    size = json.loads(args.child_size)
    if bench == "B1":
        record = mlp_floor_child(size, args.seed, args.weights)
    else:
        record = CHILDREN[bench](fw, size, args.seed)
        np.savez(args.check, **record.pop("check"))
    record["threads"] = {
        **{name: os.environ.get(name) for name in mlp.THREAD_VARS},
        "openblas": mlp.blas_threads(),
    }
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        record["threads"]["torch"] = torch.get_num_threads()
        record["threads"]["torch_interop"] = torch.get_num_interop_threads()
        record["version"] = torch.__version__
        record["torch_blas"] = mlp.torch_blas(torch)
    record["python"] = platform.python_version()
    record["numpy"] = np.__version__
    record["numpy_blas"] = mlp.numpy_blas()
    record.setdefault("rss_peak_mb", mlp.rss()["rss_peak_mb"])
    return record


# --- the parent -------------------------------------------------------------------


def run_child(bench: str, fw: str, size: dict, args, tmp: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", f"{bench}:{fw}"]
    cmd += ["--child-size", json.dumps(size), "--seed", str(args.seed)]
    cmd += ["--check", str(tmp / f"{bench}-{fw}.npz")]
    cmd += ["--weights", str(tmp / "B1-weights.npz")]
    return mlp.run_json(cmd)


def run_b1(size: dict, args, tmp: Path, frameworks) -> dict:
    """bench_mlp.py's children for DeZero and PyTorch, this script's for NumPy."""
    ns = argparse.Namespace(
        data="fashion",
        data_dir=mlp.FASHION_DIR,
        train_size=size["train_size"],
        epochs=1,
        check_batches=size["check_batches"],
        seed=args.seed,
        step=STEP,
        activation="relu",
    )
    got = {}
    for fw in frameworks:
        if fw == "numpy":
            got[fw] = run_child("B1", "numpy", size, args, tmp)
        else:
            got[fw] = mlp.run_child(fw, ns, tmp / "B1-weights.npz")
        if got[fw].get("failed"):
            break
    return got


def close(a, b) -> float:
    """The largest difference over the largest magnitude; inf if the shapes differ."""
    import numpy as np

    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return math.inf
    return float(np.max(np.abs(a - b), initial=0.0) / max(np.max(np.abs(b)), 1e-30))


def check(bench: str, got: dict, tmp: Path) -> tuple[list[str], float | None]:
    """What makes a round's timings not count, and the largest difference found."""
    import numpy as np

    problems = []
    for fw, rec in got.items():
        many = {
            k: v for k, v in rec["threads"].items() if v is not None and str(v) != "1"
        }
        if many:
            problems.append(f"{fw} not on one thread: {many}")
        if bench in ("B1", "B4") and rec["dtypes"] != ["float32"]:
            problems.append(f"{fw} computed in {rec['dtypes']}, not float32 only")
    if bench == "B1":
        worst = 0.0
        if "torch" in got:
            bad, compared = mlp.check_round(got["dezero"], got["torch"], mlp.RTOL)
            problems += bad
            worst = compared.get("first", 0.0)
        if "numpy" in got:
            a, b = got["numpy"]["first_losses"], got["dezero"]["first_losses"]
            diff = max(mlp.relative(p, q) for p, q in zip(a, b, strict=True))
            worst = max(worst, diff)
            if not diff <= mlp.RTOL:
                problems.append(f"the NumPy floor's losses differ by {diff:.1e}")
        return problems, worst
    ours, ref = FRAMEWORKS.get(bench, ("dezero", "torch"))
    if ref not in got:
        return problems, None
    worst = 0.0
    with (
        np.load(tmp / f"{bench}-{ours}.npz") as a,
        np.load(tmp / f"{bench}-{ref}.npz") as b,
    ):
        if sorted(a.files) != sorted(b.files):
            return problems + [f"compared {a.files} with {b.files}"], None
        for name in a.files:
            diff = close(a[name], b[name])
            worst = max(worst, diff)
            if not diff <= RTOL[bench]:
                problems.append(
                    f"{name} differs by {diff:.1e} relative "
                    f"(tolerance {RTOL[bench]:.0e})"
                )
            if (
                bench != "B5"
                and name not in ("losses", "updates")
                and a[name].dtype != np.float32
            ):
                problems.append(f"{ours}'s {name} is {a[name].dtype}, not float32")
    return problems, worst


def value(bench: str, rec: dict) -> float:
    """A child's figure in the bench's unit: its fastest timed repetition (other
    load on the machine only ever adds time)."""
    if bench == "B1":
        return min(rec["epoch_seconds"])
    sec = min(rec["seconds"])
    if bench in ("B2c", "B2p", "B3"):
        return sec * 1e3
    if bench == "B5":
        return sec * 1e6 / SIZE_NOW["B5"]["ops"]
    if bench == "B6":
        return rec["flops"] / sec / 1e9
    return sec


SIZE_NOW: dict = {}


def b1_flops(n: int) -> int:
    """Multiply-adds of B1's epoch, counted as 2 FLOPs: forward, gW of both
    layers and gx of the second (the input needs no gradient)."""
    return 2 * n * (3 * (784 * 1000 + 1000 * 10) - 784 * 1000)


def fmt(v: float) -> str:
    return f"{v:.3g}" if v < 100 else f"{v:.0f}"


def summarize(rounds: list[dict]) -> tuple[str, list[str]]:
    """The table of medians and ratios, and notes on the GEMM shares."""
    rows, notes, figures = [], [], {}
    for bench in BENCHES:
        counted = [r[bench] for r in rounds if bench in r and r[bench]["counted"]]
        if not counted:
            continue
        ours, ref = FRAMEWORKS.get(bench, ("dezero", "torch"))[:2]
        unit, more_better = UNITS[bench]
        mine = [value(bench, c["got"][ours]) for c in counted]
        theirs = [value(bench, c["got"][ref]) for c in counted if ref in c["got"]]
        ratios = [
            value(bench, c["got"][ours]) / value(bench, c["got"][ref])
            for c in counted
            if ref in c["got"]
        ]
        if more_better:
            ratios = [1 / r for r in ratios]
        figures[bench] = {"ours": mine, "ref": theirs, "ratios": ratios}
        target = TARGETS.get(bench)
        med = statistics.median(ratios) if ratios else None
        met = (
            "-" if target is None or med is None else ("yes" if med <= target else "no")
        )
        rows.append(
            [
                bench,
                WORK[bench].format(**SIZE_NOW[bench]),
                unit,
                *mlp.spread(mine, ".4g"),
                *(mlp.spread(theirs, ".4g") if theirs else ("-", "-")),
                *(
                    (f"x{med:.2f}", mlp.spread(ratios, ".2f")[1])
                    if ratios
                    else ("-", "-")
                ),
                f"≤ {target}" if target else "-",
                met,
            ]
        )
        if bench == "B1" and "numpy" in counted[0]["got"]:
            floor = [value("B1", c["got"]["numpy"]) for c in counted]
            figures["B1"]["floor"] = floor
            rows.append(
                [
                    "B1 floor",
                    "the same in plain NumPy, no autograd",
                    unit,
                    *mlp.spread(floor, ".4g"),
                    "-",
                    "-",
                    f"x{statistics.median(mine) / statistics.median(floor):.2f}",
                    "-",
                    "-",
                    "-",
                ]
            )
    header = [
        "bench",
        "work",
        "unit",
        "DeZero",
        "min–max",
        "PyTorch",
        "min–max",
        "ours/PyTorch",
        "min–max",
        "target",
        "met",
    ]
    table = mlp.markdown_table(header, rows)
    if "B6" in figures:
        gemm = statistics.median(figures["B6"]["ours"])
    if "B1" in figures and "B6" in figures:
        n = SIZE_NOW["B1"]["train_size"]
        b1 = b1_flops(n) / statistics.median(figures["B1"]["ours"]) / 1e9
        share = b1 / gemm
        notes.append(
            f"B1 does {b1_flops(n) / 1e9:.0f} GFLOP of matrix products per epoch: "
            f"{b1:.1f} GFLOP/s, {share:.0%} of the GEMM limit ({gemm:.1f} GFLOP/s, "
            f"B6); target ≥ {GEMM_SHARE:.0%}: "
            + ("met." if share >= GEMM_SHARE else "missed.")
        )
        if "floor" in figures["B1"]:
            floor = b1_flops(n) / statistics.median(figures["B1"]["floor"]) / 1e9
            notes.append(f"The NumPy floor of B1: {floor / gemm:.0%} of the limit.")
    for bench in ("B2c", "B3"):
        if bench in figures and "B6" in figures:
            rec = next(r[bench]["got"]["dezero"] for r in rounds if bench in r)
            ms = statistics.median(figures[bench]["ours"])
            notes.append(
                f"{bench}: {rec['flops'] / ms / 1e6:.1f} GFLOP/s, "
                f"{rec['flops'] / ms / 1e6 / gemm:.0%} of the GEMM limit."
            )
    return table, notes


def memory_table(rounds: list[dict]) -> str | None:
    """Peak memory of B1 and B3, ours and PyTorch's, or None if neither ran."""
    rows = []
    for bench in ("B1", "B3"):
        recs = [r[bench]["got"] for r in rounds if bench in r and r[bench]["counted"]]
        if not recs:
            continue
        cells, peaks = [], {}
        for fw in ("dezero", "torch"):
            peaks[fw] = None
            if not any(fw in g for g in recs):
                cells += ["-", "-", "-"]
                continue
            for key in ("rss_peak_mb", "rss_setup_mb", "rss_import_mb"):
                cells.append(
                    fmt(statistics.median(g[fw][key] for g in recs if fw in g))
                )
            peaks[fw] = statistics.median(g[fw]["rss_peak_mb"] for g in recs if fw in g)
        ratio = peaks["dezero"] / peaks["torch"] if peaks["torch"] else None
        rows.append(
            [
                bench,
                *cells,
                f"x{ratio:.2f}" if ratio else "-",
                f"≤ {MEMORY_TARGET}",
                "-" if ratio is None else ("yes" if ratio <= MEMORY_TARGET else "no"),
            ]
        )
    if not rows:
        return None
    header = [
        "bench",
        "DeZero peak MB",
        "before the work",
        "after imports",
        "PyTorch peak MB",
        "before the work",
        "after imports",
        "ours/PyTorch",
        "target",
        "met",
    ]
    return mlp.markdown_table(header, rows)


def section(table, notes, mem, args, argv, loads, records) -> str:
    ref = next((r for r in records if r.get("torch_blas")), None)
    ours = next((r for r in records if r["framework"] == "dezero"), records[0])
    lines = [
        BEGIN,
        "",
        "## Step 60 against PyTorch CPU: B1–B6 (issue 10)",
        "",
        "Written by `benchmarks/bench_step60.py` (`make bench` runs it); it replaces "
        "only this section.",
        "",
        *mlp.run_lines(argv, loads, ours, ref),
        f"- Rounds: {args.rounds}, each benchmark once per framework and round, one "
        "process each, DeZero and PyTorch in an order that alternates from round "
        "to round (B1: DeZero first, its child writes the weights); figures are "
        "medians over the counted "
        "rounds, and a round's figure is the fastest of its timed repetitions",
        "",
        table,
        "",
        "- **ours/PyTorch**: DeZero's figure divided by PyTorch's in the same round "
        "(for B6, NumPy's GFLOP/s against PyTorch's, inverted so that above 1 is "
        "slower); above 1, ours is slower. **B1 floor**: the ratio column is DeZero's "
        "median against the floor's.",
        *(f"- {note}" for note in notes),
    ]
    if mem:
        lines += [
            "",
            "Peak resident set (VmHWM) of the B1 and B3 children during the timed "
            "work, MB = 10^6 bytes: the peak is reset (/proc/self/clear_refs) once "
            "the data, the model and its weights are in place, so it counts them "
            "and what the work adds, not the setup's temporaries (PyTorch's own "
            "initial weights before ours are copied in). 'before the work' is the "
            "resident set at that reset, 'after imports' once the framework is "
            "imported (PyTorch's import alone is about 230 MB).",
            "",
            mem,
        ]
    lines += ["", END, ""]
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    old_begin, old_end = mlp.BEGIN, mlp.END
    mlp.BEGIN, mlp.END = BEGIN, END
    try:
        mlp.write_section(path, text)
    finally:
        mlp.BEGIN, mlp.END = old_begin, old_end


def parse_args(argv: list[str]):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round")
    parser.add_argument("--dry-run", action="store_true", help="tiny sizes, no file")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3)")
    parser.add_argument("--only", help="a comma-separated list, e.g. B2c,B5")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-torch", action="store_true", help="DeZero alone")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", type=Path, help="also write the raw records here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-size", help=argparse.SUPPRESS)
    parser.add_argument("--check", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--weights", type=Path, help=argparse.SUPPRESS)
    # `make bench ARGS=...` gives every benchmark the same options: those of the
    # others are ignored here, and said so.
    args, args.ignored = parser.parse_known_args(argv[1:])
    if args.rounds is None:
        args.rounds = 1 if (args.quick or args.dry_run) else 3
    elif args.rounds < 1:
        parser.error("--rounds must be at least 1")
    benches = args.only.split(",") if args.only else list(BENCHES)
    unknown = [b for b in benches if b not in BENCHES]
    if unknown:
        parser.error(f"--only: unknown {unknown}; choose from {', '.join(BENCHES)}")
    args.benches = [b for b in BENCHES if b in benches]
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    args = parse_args(argv)
    if args.child:
        print(json.dumps(child_main(args)), flush=True)
        return 0
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    if args.ignored:
        print("ignoring the other benchmarks' options: " + " ".join(args.ignored))
    SIZE_NOW.update(SIZES["dry" if args.dry_run else "default"])
    with_torch = not args.no_torch and mlp.torch_installed()
    problems = []
    if not with_torch:
        print("PyTorch is not installed or --no-torch: DeZero alone, no ratios")
    if "B1" in args.benches and not mlp.fashion_available(mlp.FASHION_DIR):
        print(
            f"B1 needs Fashion-MNIST in {mlp.FASHION_DIR} "
            "(apt-get install dataset-fashion-mnist): left out"
        )
        args.benches.remove("B1")
    loads = [", ".join(f"{x:.2f}" for x in os.getloadavg())]
    rounds, records = [], []
    with tempfile.TemporaryDirectory(prefix="bench_step60_") as tmp:
        tmp = Path(tmp)
        for r in range(1, args.rounds + 1):
            this = {}
            for bench in args.benches:
                fws = FRAMEWORKS.get(bench, ("dezero", "torch"))
                fws = [f for f in fws if with_torch or f != "torch"]
                if bench != "B1" and r % 2 == 0:  # B1's DeZero child writes the
                    fws.reverse()  # weights; elsewhere the order alternates
                t0 = time.perf_counter()
                if bench == "B1":
                    got = run_b1(SIZE_NOW["B1"], args, tmp, fws)
                else:
                    got = {}
                    for fw in fws:
                        got[fw] = run_child(bench, fw, SIZE_NOW[bench], args, tmp)
                        if got[fw].get("failed"):
                            break
                records += [
                    dict(rec, bench=bench, round=r, framework=fw)
                    for fw, rec in got.items()
                ]
                failed = [
                    f"{fw}: {g['error']}" for fw, g in got.items() if g.get("failed")
                ]
                if failed:
                    problems += [f"round {r} {bench} {f}" for f in failed]
                    continue
                bad, worst = check(bench, got, tmp)
                problems += [f"round {r} {bench}: {p}" for p in bad]
                this[bench] = {"got": got, "counted": not bad, "worst": worst}
                shown = ", ".join(
                    f"{fw} {fmt(value(bench, g))} {UNITS[bench][0]}"
                    for fw, g in got.items()
                )
                agree = "" if worst is None else f", agree to {worst:.1e}"
                print(
                    f"round {r}/{args.rounds} {bench:>3}: {shown}{agree} "
                    f"({time.perf_counter() - t0:.1f} s)",
                    flush=True,
                )
            rounds.append(this)
    loads.append(", ".join(f"{x:.2f}" for x in os.getloadavg()))
    table, notes = summarize(rounds)
    mem = memory_table(rounds)
    print()
    print(table)
    for note in notes:
        print(note)
    if mem:
        print()
        print(mem)
    if args.json:
        args.json.write_text("".join(json.dumps(r) + "\n" for r in records))
    if not args.no_write and not args.dry_run and not problems and records:
        write_section(args.out, section(table, notes, mem, args, argv, loads, records))
        print(f"\nwrote the bench_step60.py section of {args.out}")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems or not records else 0


if __name__ == "__main__":
    sys.exit(main())

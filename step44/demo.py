"""Step 44 demo: the step-43 network, written with Parameters and Linear layers.

L.Linear(10) and L.Linear(1) own their weights; neither is told its input size,
which the first batch decides. The weights are float32.
Writes output/layers.png (needs matplotlib; `--show` opens a window).
"""

import argparse
import os

import numpy as np

import dezero.functions as F
import dezero.layers as L

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def make_data(seed=0):
    """The sine data of step 43. Seeds NumPy's global generator, as the book does,
    because Linear draws its initial weights from it."""
    np.random.seed(seed)
    x = np.random.rand(100, 1)
    y = np.sin(2 * np.pi * x) + np.random.rand(100, 1)
    return x, y


def train(iters=10000, lr=0.2, log_every=1000, seed=0):
    """Two Linear layers and a sigmoid; returns the data, the layers and the losses."""
    x, y = make_data(seed)
    l1 = L.Linear(10)  # output size only: the input size comes from x
    l2 = L.Linear(1)

    def predict(x):
        y = l1(x)
        y = F.sigmoid(y)
        y = l2(y)
        return y

    logged = []
    for i in range(iters):
        y_pred = predict(x)
        loss = F.mean_squared_error(y, y_pred)

        l1.cleargrads()
        l2.cleargrads()
        loss.backward()

        for layer in (l1, l2):
            for p in layer.params():
                p.data -= lr * p.grad.data
        if i % log_every == 0:
            print(f"iteration {i:5d}: loss {loss.data:.4f}")
            logged.append((i, float(loss.data)))
    return x, y, (l1, l2), predict, logged


def plot(x, y, predict, to_file, show=False):
    """The data and the network's curve; None without matplotlib."""
    try:
        import matplotlib

        if not show:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install matplotlib): no plot")
        return None
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.scatter(x, y, s=10, label="data")
    grid = np.linspace(0, 1, 200).reshape(200, 1)
    ax.plot(grid, predict(grid).data, "r", label="L.Linear(10), L.Linear(1)")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("The same fit with Linear layers: y = sin(2πx) + noise")
    ax.legend()
    fig.tight_layout()
    os.makedirs(os.path.dirname(to_file), exist_ok=True)
    fig.savefig(to_file, dpi=100)
    if show:
        plt.show()
    plt.close(fig)
    return to_file


def main(iters=10000, out_dir=None, show=False):
    """Train, describe the layers, plot; return the losses and the layers."""
    x, y, layers, predict, logged = train(iters)
    for name, layer in zip(("l1", "l2"), layers, strict=True):
        shapes = ", ".join(f"{p.name} {p.shape} {p.dtype}" for p in layer.params())
        print(f"{name}: in_size={layer.in_size}, params: {shapes}")
    to_file = os.path.join(out_dir or os.path.join(HERE, "output"), "layers.png")
    if plot(x, y, predict, to_file, show):
        print(f"wrote {shown(to_file)}")
    return logged, layers


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=10000, help="gradient steps")
    parser.add_argument("--show", action="store_true", help="open a plot window")
    args = parser.parse_args()
    main(args.iters, show=args.show)

"""Step 43 demo: a two-layer neural network fits a sine curve.

100 points y = sin(2πx) + noise (seed 0); hidden layer of 10 sigmoid units;
gradient descent with lr 0.2 on the mean squared error, 10000 iterations.
Writes output/neural_network.png (needs matplotlib; `--show` opens a window).
"""

import argparse
import os

import numpy as np

import dezero.functions as F
from dezero import Variable

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def make_data(seed=0):
    """The book's sine data: x in [0, 1), y = sin(2πx) + uniform noise."""
    rng = np.random.RandomState(seed)  # the numbers of np.random.seed(seed)
    x = rng.rand(100, 1)
    y = np.sin(2 * np.pi * x) + rng.rand(100, 1)
    return x, y, rng


def init_params(rng, n_in=1, hidden=10, n_out=1):
    """Small random weights, zero biases (the book's initialisation)."""
    W1 = Variable(0.01 * rng.randn(n_in, hidden))
    b1 = Variable(np.zeros(hidden))
    W2 = Variable(0.01 * rng.randn(hidden, n_out))
    b2 = Variable(np.zeros(n_out))
    return [W1, b1, W2, b2]


def predict(x, params):
    """linear -> sigmoid -> linear."""
    W1, b1, W2, b2 = params
    y = F.linear(x, W1, b1)
    y = F.sigmoid(y)
    y = F.linear(y, W2, b2)
    return y


def train(iters=10000, lr=0.2, log_every=1000, seed=0):
    """Gradient descent; returns the data, the parameters and the logged losses."""
    x, y, rng = make_data(seed)
    params = init_params(rng)
    logged = []
    for i in range(iters):
        y_pred = predict(x, params)
        loss = F.mean_squared_error(y, y_pred)

        for p in params:
            p.cleargrad()
        loss.backward()

        for p in params:
            p.data -= lr * p.grad.data
        if i % log_every == 0:
            print(f"iteration {i:5d}: loss {loss.data:.4f}")
            logged.append((i, float(loss.data)))
    return x, y, params, logged


def plot(x, y, params, to_file, show=False):
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
    ax.plot(grid, predict(grid, params).data, "r", label="network after training")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("A two-layer network fitted to y = sin(2πx) + noise")
    ax.legend()
    fig.tight_layout()
    os.makedirs(os.path.dirname(to_file), exist_ok=True)
    fig.savefig(to_file, dpi=100)
    if show:
        plt.show()
    plt.close(fig)
    return to_file


def main(iters=10000, out_dir=None, show=False):
    """Train, plot, and return the logged losses."""
    x, y, params, logged = train(iters)
    to_file = os.path.join(
        out_dir or os.path.join(HERE, "output"), "neural_network.png"
    )
    if plot(x, y, params, to_file, show):
        print(f"wrote {shown(to_file)}")
    return logged, params


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=10000, help="gradient steps")
    parser.add_argument("--show", action="store_true", help="open a plot window")
    args = parser.parse_args()
    main(args.iters, show=args.show)

"""Step 42 demo: linear regression, by autograd and by hand-written layers.

The data are 100 points y = 5 + 2x + noise (seed 0). Gradient descent on the mean
squared error finds W ≈ 2.118 and b ≈ 5.466. The same fit with a layer that
writes its own backward (the Medium tutorial's design) gives the same numbers.
Writes output/regression.png (needs matplotlib; `--show` opens a window).
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
    """The book's toy data set: x in [0, 1), y = 5 + 2x + uniform noise."""
    rng = np.random.RandomState(seed)  # the same numbers as np.random.seed(seed)
    x = rng.rand(100, 1)
    y = 5 + 2 * x + rng.rand(100, 1)
    return x, y


def fit(x, y, iters=100, lr=0.1):
    """Gradient descent on F.mean_squared_error; returns W, b and the losses."""
    x, y = Variable(x), Variable(y)
    W = Variable(np.zeros((1, 1)))
    b = Variable(np.zeros(1))
    losses = []
    for _ in range(iters):
        y_pred = F.matmul(x, W) + b  # b broadcasts over the batch (step 40)
        loss = F.mean_squared_error(y, y_pred)

        W.cleargrad()
        b.cleargrad()
        loss.backward()

        W.data -= lr * W.grad.data
        b.data -= lr * b.grad.data
        losses.append(float(loss.data))
    return W, b, losses


class LinearByHand:
    """A layer that owns its backward, as in the Medium tutorial: y = x W + b."""

    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x  # kept for backward
        return x @ self.W + self.b

    def backward(self, gy):
        self.gW = self.x.T @ gy
        self.gb = gy.sum(axis=0)
        return gy @ self.W.T  # the gradient for the layer before


class MSEByHand:
    """The loss as a layer: forward remembers the difference, backward returns gy."""

    def forward(self, y, t):
        self.diff = y - t
        return (self.diff**2).sum() / len(self.diff)

    def backward(self):
        return 2 * self.diff / len(self.diff)


def fit_by_hand(x, y, iters=100, lr=0.1):
    """The same descent with the two hand-written layers chained by hand."""
    layer = LinearByHand(np.zeros((1, 1)), np.zeros(1))
    criterion = MSEByHand()
    losses = []
    for _ in range(iters):
        loss = criterion.forward(layer.forward(x), y)
        layer.backward(criterion.backward())  # the chain rule, written out
        layer.W -= lr * layer.gW
        layer.b -= lr * layer.gb
        losses.append(float(loss))
    return layer.W, layer.b, losses


def plot(x, y, W, b, losses, to_file, show=False):
    """Data with the fitted line, and the loss curve; None without matplotlib."""
    try:
        import matplotlib

        if not show:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install matplotlib): no plot")
        return None
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 4))
    ax0.scatter(x, y, s=10, label="data")
    line_x = np.array([0.0, 1.0])
    ax0.plot(line_x, line_x * W + b, "r", label=f"y = {W:.3f} x + {b:.3f}")
    ax0.set_xlabel("x")
    ax0.set_ylabel("y")
    ax0.set_title("100 points y = 5 + 2x + noise, and the fitted line")
    ax0.legend()
    ax1.plot(losses)
    ax1.set_yscale("log")
    ax1.set_xlabel("iteration")
    ax1.set_ylabel("mean squared error (log scale)")
    ax1.set_title("Loss during gradient descent")
    fig.tight_layout()
    os.makedirs(os.path.dirname(to_file), exist_ok=True)
    fig.savefig(to_file, dpi=100)
    if show:
        plt.show()
    plt.close(fig)
    return to_file


def main(iters=100, out_dir=None, show=False):
    """Fit both ways, print the results, plot; return the numbers."""
    x, y = make_data()
    W, b, losses = fit(x, y, iters)
    for i in (0, 1, 2, iters - 1):
        print(f"iteration {i:3d}: loss {losses[i]:.4f}")
    print(f"W = {W.data.item():.8f}, b = {b.data.item():.8f}")

    W2, b2, losses2 = fit_by_hand(x, y, iters)
    dW = abs(W2.item() - W.data.item())
    db = abs(b2.item() - b.data.item())
    print(f"by hand: W = {W2.item():.8f}, b = {b2.item():.8f}", end=" ")
    print(f"(differences {dW:.1e}, {db:.1e})")

    to_file = os.path.join(out_dir or os.path.join(HERE, "output"), "regression.png")
    if plot(x, y, W.data.item(), b.data.item(), losses, to_file, show):
        print(f"wrote {shown(to_file)}")
    return {"W": W, "b": b, "losses": losses, "by_hand": (W2, b2, losses2)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=100, help="gradient steps")
    parser.add_argument("--show", action="store_true", help="open a plot window")
    args = parser.parse_args()
    main(args.iters, show=args.show)

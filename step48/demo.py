"""Step 48 demo: a two-layer network separates three spiral arms.

MLP((10, 3)) and SGD(lr=1.0), 300 epochs of mini-batches of 30 drawn in a fresh
random order each epoch. Writes output/spiral.png: the loss per epoch and the
regions each class gets (needs matplotlib; `--show` opens a window).
"""

import argparse
import math
import os

import numpy as np

import dezero
import dezero.functions as F
from dezero import optimizers
from dezero.models import MLP

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def train(max_epoch=300, batch_size=30, hidden_size=10, lr=1.0, seed=0, log=True):
    """Mini-batch SGD on the spiral; returns the model, the data and the losses."""
    x, t = dezero.datasets.get_spiral(train=True)
    np.random.seed(seed)  # the initial weights and the batch order come from it
    model = MLP((hidden_size, 3))
    optimizer = optimizers.SGD(lr).setup(model)

    data_size = len(x)
    max_iter = math.ceil(data_size / batch_size)
    losses = []
    for epoch in range(max_epoch):
        index = np.random.permutation(data_size)  # a new order every epoch
        sum_loss = 0

        for i in range(max_iter):
            batch_index = index[i * batch_size : (i + 1) * batch_size]
            batch_x = x[batch_index]
            batch_t = t[batch_index]

            y = model(batch_x)
            loss = F.softmax_cross_entropy(y, batch_t)
            model.cleargrads()
            loss.backward()
            optimizer.update()

            sum_loss += float(loss.data) * len(batch_t)

        avg_loss = sum_loss / data_size
        losses.append(avg_loss)
        if log and (epoch % 50 == 0 or epoch == max_epoch - 1):
            print(f"epoch {epoch + 1:3d}, loss {avg_loss:.4f}")
    return model, x, t, losses


def accuracy(model, x, t):
    """The fraction of samples whose highest score is their class."""
    return float((model(x).data.argmax(axis=1) == t).mean())


def plot(model, x, t, losses, to_file, show=False):
    """Loss curve and decision regions on a 0.01 grid; None without matplotlib."""
    try:
        import matplotlib

        if not show:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install matplotlib): no plot")
        return None
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 4.5))
    ax0.plot(np.arange(1, len(losses) + 1), losses)
    ax0.set_xlabel("epoch")
    ax0.set_ylabel("softmax cross-entropy, mean over the epoch")
    ax0.set_title("Training loss")

    h = 0.01
    x_min, x_max = x[:, 0].min() - 0.1, x[:, 0].max() + 0.1
    y_min, y_max = x[:, 1].min() - 0.1, x[:, 1].max() + 0.1
    xx, yy = np.meshgrid(np.arange(x_min, x_max, h), np.arange(y_min, y_max, h))
    grid = np.c_[xx.ravel(), yy.ravel()].astype(np.float32)
    with dezero.no_grad():
        predicted = model(grid).data.argmax(axis=1).reshape(xx.shape)
    colors = ["C0", "C1", "C2"]  # one colour per class, for regions and points
    ax1.contourf(
        xx, yy, predicted, alpha=0.3, levels=[-0.5, 0.5, 1.5, 2.5], colors=colors
    )
    for c, marker in zip(range(3), "ox^", strict=True):
        ax1.scatter(*x[t == c].T, s=18, marker=marker, c=colors[c], label=f"class {c}")
    ax1.set_aspect("equal")
    ax1.set_xlabel("x0")
    ax1.set_ylabel("x1")
    ax1.set_title("Training points; shaded: the predicted class")
    ax1.legend(loc="lower right")
    fig.tight_layout()
    os.makedirs(os.path.dirname(to_file), exist_ok=True)
    fig.savefig(to_file, dpi=100)
    if show:
        plt.show()
    plt.close(fig)
    return to_file


def main(max_epoch=300, out_dir=None, show=False):
    """Train, report the training accuracy, plot; return the numbers."""
    model, x, t, losses = train(max_epoch)
    acc = accuracy(model, x, t)
    print(f"training accuracy {acc:.3f}")
    to_file = os.path.join(out_dir or os.path.join(HERE, "output"), "spiral.png")
    if plot(model, x, t, losses, to_file, show):
        print(f"wrote {shown(to_file)}")
    return losses, acc


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300, help="passes over the data")
    parser.add_argument("--show", action="store_true", help="open a plot window")
    args = parser.parse_args()
    main(args.epochs, show=args.show)

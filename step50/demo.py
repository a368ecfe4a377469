"""Step 50 demo: DataLoader and accuracy, with a test set measured every epoch.

A shuffling loader for the training set and a fixed-order one for the test set;
the test pass runs inside no_grad(), since nothing is learned from it.
Writes output/spiral_curves.png (needs matplotlib; `--show` opens a window).
"""

import argparse
import os

import numpy as np

import dezero
import dezero.functions as F
from dezero import DataLoader, optimizers
from dezero.models import MLP

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def book_accuracy():
    """The book's example: 3 samples, 2 predicted right."""
    y = np.array([[0.2, 0.8, 0], [0.1, 0.9, 0], [0.8, 0.1, 0.1]])
    t = np.array([1, 2, 0])
    return F.accuracy(y, t)


def train(max_epoch=300, batch_size=30, hidden_size=10, lr=1.0, seed=0, log_every=50):
    """Train on the spiral with loaders; returns per-epoch (loss, acc) histories."""
    np.random.seed(seed)  # first: the train loader shuffles as soon as it is made
    train_set = dezero.datasets.Spiral(train=True)
    test_set = dezero.datasets.Spiral(train=False)
    train_loader = DataLoader(train_set, batch_size)
    test_loader = DataLoader(test_set, batch_size, shuffle=False)

    model = MLP((hidden_size, 3))
    optimizer = optimizers.SGD(lr).setup(model)

    history = {"train": [], "test": []}
    for epoch in range(max_epoch):
        sum_loss, sum_acc = 0, 0
        for x, t in train_loader:  # one epoch
            y = model(x)
            loss = F.softmax_cross_entropy(y, t)
            acc = F.accuracy(y, t)
            model.cleargrads()
            loss.backward()
            optimizer.update()

            sum_loss += float(loss.data) * len(t)
            sum_acc += float(acc.data) * len(t)
        history["train"].append((sum_loss / len(train_set), sum_acc / len(train_set)))

        sum_loss, sum_acc = 0, 0
        with dezero.no_grad():  # no graph: less memory, no chance of learning
            for x, t in test_loader:
                y = model(x)
                sum_loss += float(F.softmax_cross_entropy(y, t).data) * len(t)
                sum_acc += float(F.accuracy(y, t).data) * len(t)
        history["test"].append((sum_loss / len(test_set), sum_acc / len(test_set)))

        if epoch % log_every == 0 or epoch == max_epoch - 1:
            (tl, ta), (vl, va) = history["train"][-1], history["test"][-1]
            print(
                f"epoch {epoch + 1:3d}  train loss {tl:.4f}, accuracy {ta:.4f}  "
                f"test loss {vl:.4f}, accuracy {va:.4f}"
            )
    return history


def plot(history, to_file, show=False):
    """Loss and accuracy per epoch, train and test; None without matplotlib."""
    try:
        import matplotlib

        if not show:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install matplotlib): no plot")
        return None
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    epochs = np.arange(1, len(history["train"]) + 1)
    for k, (ax, what) in enumerate(zip(axes, ("loss", "accuracy"), strict=True)):
        for split in ("train", "test"):
            ax.plot(epochs, [h[k] for h in history[split]], label=f"{split} set")
        ax.set_xlabel("epoch")
        ax.set_ylabel(what)
        ax.legend()
    axes[0].set_title("Loss (softmax cross-entropy), mean over each epoch")
    axes[1].set_title("Accuracy, over each epoch")
    fig.tight_layout()
    os.makedirs(os.path.dirname(to_file), exist_ok=True)
    fig.savefig(to_file, dpi=100)
    if show:
        plt.show()
    plt.close(fig)
    return to_file


def main(max_epoch=300, out_dir=None, show=False):
    """The accuracy example, then training with loaders; returns the histories."""
    print(f"accuracy of the book's 3-sample example: {book_accuracy()}")
    history = train(max_epoch)
    to_file = os.path.join(out_dir or os.path.join(HERE, "output"), "spiral_curves.png")
    if plot(history, to_file, show):
        print(f"wrote {shown(to_file)}")
    return history


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300, help="passes over the data")
    parser.add_argument("--show", action="store_true", help="open a plot window")
    args = parser.parse_args()
    main(args.epochs, show=args.show)

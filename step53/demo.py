"""Step 53 demo: save the trained weights, and start the next run from them.

Trains the book's MLP((1000, 10)) with SGD and saves it to output/my_mlp.npz.
Run it again: it finds the file, loads it into a fresh model, and goes on from
the lower loss. By default one epoch on 10000 images; `--full` is the book's
3 epochs on all 60000; `--fresh` ignores a saved file. Like step 51, it uses MNIST
when it can download it, else says so and uses Fashion-MNIST.
"""

import argparse
import copy
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


def load(dataset="auto", train=True):
    """The chosen data set; 'auto' tries MNIST and says so when it falls back."""
    if dataset in ("auto", "mnist"):
        try:
            return dezero.datasets.MNIST(train=train)
        except RuntimeError as e:
            if dataset == "mnist":
                raise
            print(f"MNIST is not available: {str(e).splitlines()[0]}")
            print("Using Fashion-MNIST instead (same format; other accuracies).")
    return dezero.datasets.FashionMNIST(train=train)


def subset(dataset, n):
    """The first n samples of a data set (all of them for n=None)."""
    if n is None or n >= len(dataset):
        return dataset
    part = copy.copy(dataset)
    part.data, part.label = dataset.data[:n], dataset.label[:n]
    return part


def main(
    full=False, dataset="auto", train_size=10000, fresh=False, out_dir=None, seed=0
):
    """Load saved weights if any, train, save; returns the per-epoch losses."""
    max_epoch, batch_size = (3, 100) if full else (1, 100)
    np.random.seed(seed)  # first: the loader shuffles as soon as it is made
    train_set = load(dataset, train=True)
    print(f"{train_set.name}: {len(train_set)} training images from {train_set.source}")
    if not full:
        train_set = subset(train_set, train_size)
    train_loader = DataLoader(train_set, batch_size)

    model = MLP((1000, 10))
    optimizer = optimizers.SGD().setup(model)

    path = os.path.join(out_dir or os.path.join(HERE, "output"), "my_mlp.npz")
    if os.path.exists(path) and not fresh:
        model.load_weights(path)  # a never-run model takes the file's shapes
        print(f"loaded {shown(path)}")
    else:
        print("starting from random weights")

    losses = []
    for epoch in range(max_epoch):
        sum_loss = 0.0
        for x, t in train_loader:
            y = model(x)
            loss = F.softmax_cross_entropy(y, t)
            model.cleargrads()
            loss.backward()
            optimizer.update()
            sum_loss += float(loss.data) * len(t)
        losses.append(sum_loss / len(train_set))
        print(f"epoch: {epoch + 1}, loss: {losses[-1]:.4f}")

    os.makedirs(os.path.dirname(path), exist_ok=True)
    model.save_weights(path)
    print(f"saved {shown(path)} ({os.path.getsize(path)} bytes)")
    return losses


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="3 epochs on all images")
    parser.add_argument("--dataset", choices=["auto", "mnist", "fashion"])
    parser.add_argument("--train-size", type=int, default=10000, help="subset")
    parser.add_argument("--fresh", action="store_true", help="ignore saved weights")
    args = parser.parse_args()
    main(args.full, args.dataset or "auto", args.train_size, args.fresh)

"""Step 52 demo: the same MNIST training on the GPU when CuPy is there.

The book's MLP((1000, 10)) with SGD, printing seconds per epoch. With CuPy and
an NVIDIA GPU the model and the loaders move there (`--cpu` keeps them on the
CPU); without CuPy the demo says so and runs on NumPy. By default one epoch on
20000 images; `--full` is the book's 5 epochs on all 60000. Like step 51, it uses
MNIST when it can download it, else says so and uses Fashion-MNIST.
"""

import argparse
import copy
import time

import numpy as np

import dezero
import dezero.functions as F
from dezero import DataLoader, optimizers
from dezero.models import MLP


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


def main(full=False, dataset="auto", train_size=20000, use_gpu=True, seed=0):
    """Train and time each epoch; returns [(seconds, loss, accuracy), ...]."""
    max_epoch, batch_size = (5, 100) if full else (1, 100)
    np.random.seed(seed)  # first: the loader shuffles as soon as it is made
    train_set = load(dataset, train=True)
    print(f"{train_set.name}: {len(train_set)} training images from {train_set.source}")
    if not full:
        train_set = subset(train_set, train_size)
    train_loader = DataLoader(train_set, batch_size)

    model = MLP((1000, 10))
    optimizer = optimizers.SGD().setup(model)

    # GPU mode
    if use_gpu and dezero.cuda.gpu_enable:
        train_loader.to_gpu()
        model.to_gpu()
        print("training on the GPU (CuPy)")
    elif use_gpu:
        print("CuPy is not available: training on the CPU (NumPy)")
    else:
        print("training on the CPU (NumPy), as asked")

    results = []
    for epoch in range(max_epoch):
        start = time.time()
        sum_loss, sum_acc = 0.0, 0.0
        for x, t in train_loader:
            y = model(x)
            loss = F.softmax_cross_entropy(y, t)
            acc = F.accuracy(y, t)
            model.cleargrads()
            loss.backward()
            optimizer.update()

            sum_loss += float(loss.data) * len(t)
            sum_acc += float(acc.data) * len(t)

        elapsed = time.time() - start
        loss, acc = sum_loss / len(train_set), sum_acc / len(train_set)
        print(f"epoch: {epoch + 1}, loss: {loss:.4f}, accuracy {acc:.4f}", end="")
        print(f", time: {elapsed:.4f}[sec]")
        results.append((elapsed, loss, acc))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="5 epochs on all images")
    parser.add_argument("--dataset", choices=["auto", "mnist", "fashion"])
    parser.add_argument("--train-size", type=int, default=20000, help="subset")
    parser.add_argument("--cpu", action="store_true", help="stay on the CPU")
    args = parser.parse_args()
    main(args.full, args.dataset or "auto", args.train_size, not args.cpu)

"""Step 52 demo: the same MNIST training on the GPU when CuPy is there.

The book's MLP((1000, 10)) with SGD, printing seconds per epoch. With CuPy and
an NVIDIA GPU the model and the loaders move there (`--cpu` keeps them on the
CPU); without CuPy the demo says so and runs on NumPy. By default one epoch on
20000 images; `--full` is the book's 5 epochs on all 60000. Like step 51, it uses
MNIST when it can download it, else says so and uses Fashion-MNIST.

The book's batches (100) and hidden layer (1000) give a GPU too little work per
step to win by much; `--batch-size 1000 --hidden-size 4000` gives it more.
`--compare` trains on the GPU, then the same on the CPU, and prints the speed-up.
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


def main(
    full=False,
    dataset="auto",
    train_size=20000,
    use_gpu=True,
    seed=0,
    batch_size=100,
    hidden_size=1000,
):
    """Train and time each epoch; returns [(seconds, loss, accuracy), ...]."""
    max_epoch = 5 if full else 1
    np.random.seed(seed)  # first: the loader shuffles as soon as it is made
    train_set = load(dataset, train=True)
    print(f"{train_set.name}: {len(train_set)} training images from {train_set.source}")
    if not full:
        train_set = subset(train_set, train_size)
    train_loader = DataLoader(train_set, batch_size)

    model = MLP((hidden_size, 10))
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


def speed_up(gpu_results, cpu_results):
    """How many times faster the GPU's fastest epoch was than the CPU's.

    The fastest, because the GPU's first epoch also compiles CuPy's kernels."""
    return min(r[0] for r in cpu_results) / min(r[0] for r in gpu_results)


def compare(**kwargs):
    """Train on the GPU, then the same on the CPU; print and return the speed-up."""
    if not dezero.cuda.gpu_enable:
        print("CuPy is not available: no GPU to compare the CPU with")
        return None
    on_gpu = main(use_gpu=True, **kwargs)
    on_cpu = main(use_gpu=False, **kwargs)
    ratio = speed_up(on_gpu, on_cpu)
    print(f"the GPU was {ratio:.1f}x as fast as the CPU (fastest epochs)")
    return ratio


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="5 epochs on all images")
    parser.add_argument("--dataset", choices=["auto", "mnist", "fashion"])
    parser.add_argument("--train-size", type=int, default=20000, help="subset")
    parser.add_argument("--cpu", action="store_true", help="stay on the CPU")
    parser.add_argument("--batch-size", type=int, default=100, help="default 100")
    parser.add_argument("--hidden-size", type=int, default=1000, help="default 1000")
    parser.add_argument("--compare", action="store_true", help="GPU, then CPU")
    args = parser.parse_args()
    options = dict(
        full=args.full,
        dataset=args.dataset or "auto",
        train_size=args.train_size,
        batch_size=args.batch_size,
        hidden_size=args.hidden_size,
    )
    if args.compare:
        compare(**options)
    else:
        main(use_gpu=not args.cpu, **options)

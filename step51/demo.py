"""Step 51 demo: an MLP learns to read handwritten digits (MNIST), or clothes.

By default a quick run: the SGD model of the book on a 20000-image subset for one
epoch, about 10 s. `--full` is the book's recipe: 60000 images, 5 epochs, first
MLP((1000, 10)) with SGD, then MLP((1000, 1000, 10)) with ReLU and Adam (many
minutes on 2 cores). MNIST is downloaded into ~/.dezero on first use; without a
network, `--dataset auto` (the default) says so and uses Fashion-MNIST from the
Debian package dataset-fashion-mnist, which has the same format.
Writes output/<data>_training_curves.png and output/<data>_test_predictions.png
(<data>: mnist or fashion_mnist; needs matplotlib).
"""

import argparse
import copy
import os
import time

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


def progress(iterable, **kwargs):
    """A tqdm progress bar when tqdm is installed, else the plain iterable."""
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, leave=False, disable=None, **kwargs)  # None: off if no tty


def evaluate(model, loader):
    """Mean loss and accuracy over a loader, without recording a graph."""
    sum_loss, sum_acc, n = 0.0, 0.0, 0
    with dezero.no_grad():
        for x, t in loader:
            y = model(x)
            sum_loss += float(F.softmax_cross_entropy(y, t).data) * len(t)
            sum_acc += float(F.accuracy(y, t).data) * len(t)
            n += len(t)
    return sum_loss / n, sum_acc / n


def train(model, optimizer, train_set, test_set, max_epoch, batch_size=100):
    """The book's loop, with a progress bar; returns per-epoch and per-batch numbers.

    Each epoch gives (train loss, train accuracy, test loss, test accuracy,
    seconds); each batch gives (loss, accuracy).
    """
    train_loader = DataLoader(train_set, batch_size)
    test_loader = DataLoader(test_set, batch_size, shuffle=False)
    optimizer.setup(model)
    history, batches = [], []
    for epoch in range(max_epoch):
        start = time.perf_counter()
        sum_loss, sum_acc = 0.0, 0.0
        bar = progress(
            train_loader, total=train_loader.max_iter, desc=f"epoch {epoch + 1}"
        )
        for x, t in bar:
            y = model(x)
            loss = F.softmax_cross_entropy(y, t)
            acc = F.accuracy(y, t)
            model.cleargrads()
            loss.backward()
            optimizer.update()

            sum_loss += float(loss.data) * len(t)
            sum_acc += float(acc.data) * len(t)
            batches.append((float(loss.data), float(acc.data)))
        seconds = time.perf_counter() - start
        train_loss, train_acc = sum_loss / len(train_set), sum_acc / len(train_set)
        test_loss, test_acc = evaluate(model, test_loader)
        history.append((train_loss, train_acc, test_loss, test_acc, seconds))
        print(
            f"epoch {epoch + 1}: train loss {train_loss:.4f}, accuracy {train_acc:.4f}"
            f" | test loss {test_loss:.4f}, accuracy {test_acc:.4f} ({seconds:.1f} s)"
        )
    return history, batches


def plot_curves(results, to_file, data_name, window=20):
    """Batch loss and accuracy (moving average) with the test values after each
    epoch, for each model; None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install matplotlib): no plot")
        return None
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for k, (name, (history, batches)) in enumerate(results.items()):
        b = np.array(batches)
        per_epoch = len(b) // len(history)
        kernel = np.ones(window) / window
        steps = np.arange(window, len(b) + 1)
        at_epoch_end = per_epoch * np.arange(1, len(history) + 1)
        h = np.array(history)
        for ax, col, test_col in ((axes[0], 0, 2), (axes[1], 1, 3)):
            smooth = np.convolve(b[:, col], kernel, mode="valid")
            ax.plot(
                steps,
                smooth,
                color=f"C{k}",
                label=f"{name}: training batches, mean of the last {window}",
            )
            ax.plot(
                at_epoch_end,
                h[:, test_col],
                "s",
                markersize=8,
                color=f"C{k}",
                label=f"{name}: whole test set, after each epoch",
            )
    axes[0].set_title("Loss (softmax cross-entropy)")
    axes[0].set_ylabel("loss per image")
    axes[1].set_title("Accuracy")
    axes[1].set_ylabel("fraction classified correctly")
    for ax in axes:
        ax.set_xlabel("iteration (one batch of 100 images)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f"Training an MLP on {data_name}")
    fig.tight_layout()
    os.makedirs(os.path.dirname(to_file), exist_ok=True)
    fig.savefig(to_file, dpi=100)
    plt.close(fig)
    return to_file


def plot_samples(model, test_set, to_file, n=24):
    """Test images with predicted and true labels (red when wrong)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    names = test_set.labels()
    x = np.array([test_set[i][0] for i in range(n)])
    with dezero.no_grad():
        pred = model(x).data.argmax(axis=1)
    fig, axes = plt.subplots(3, n // 3, figsize=(n // 3 * 1.4, 3 * 1.7))
    for i, ax in enumerate(axes.flat):
        ax.imshow(test_set.data[i, 0], cmap="gray_r")
        true = int(test_set.label[i])
        ax.set_title(
            f"{names[int(pred[i])]}\n({names[true]})",
            fontsize=7,
            color="black" if pred[i] == true else "red",
        )
        ax.axis("off")
    fig.suptitle(
        f"{test_set.name}, the first {n} test images: predicted label"
        " (true label), red where they differ",
        fontsize=10,
    )
    fig.tight_layout()
    os.makedirs(os.path.dirname(to_file), exist_ok=True)
    fig.savefig(to_file, dpi=100)
    plt.close(fig)
    return to_file


def main(
    full=False, dataset="auto", train_size=20000, max_epoch=1, out_dir=None, seed=0
):
    """Train the book's model(s); returns {model name: per-epoch history}."""
    if full:
        train_size, max_epoch = None, 5
    train_set = load(dataset, train=True)
    test_set = type(train_set)(train=False)  # the same data set, test split
    print(f"{train_set.name}: {len(train_set)} training images from {train_set.source}")
    print(f"{test_set.name}: {len(test_set)} test images from {test_set.source}")
    train_set = subset(train_set, train_size)
    print(f"training on {len(train_set)} images for {max_epoch} epoch(s)")

    np.random.seed(seed)
    recipes = {"MLP((1000, 10)) + SGD": (lambda: MLP((1000, 10)), optimizers.SGD)}
    if full:
        recipes["MLP((1000, 1000, 10), relu) + Adam"] = (
            lambda: MLP((1000, 1000, 10), activation=F.relu),
            optimizers.Adam,
        )
    results = {}
    for name, (make_model, make_optimizer) in recipes.items():
        print(name)
        model = make_model()
        results[name] = train(model, make_optimizer(), train_set, test_set, max_epoch)

    out_dir = out_dir or os.path.join(HERE, "output")
    stem = os.path.join(out_dir, test_set.name.lower().replace("-", "_"))
    for written in (
        plot_curves(results, stem + "_training_curves.png", test_set.name),
        plot_samples(model, test_set, stem + "_test_predictions.png"),
    ):
        if written:
            print(f"wrote {shown(written)}")
    return {name: history for name, (history, _) in results.items()}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the book's 5-epoch recipe")
    parser.add_argument(
        "--dataset", choices=["auto", "mnist", "fashion"], default="auto"
    )
    parser.add_argument(
        "--train-size", type=int, default=20000, help="quick-run subset"
    )
    parser.add_argument("--epochs", type=int, default=1, help="quick-run epochs")
    args = parser.parse_args()
    main(args.full, args.dataset, args.train_size, args.epochs)

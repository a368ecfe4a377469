"""Step 51: relu, and training on real Fashion-MNIST images (MNIST's format)."""

import copy
import os

import numpy as np
import pytest

import demo
import dezero
import dezero.functions as F
from dezero import DataLoader, optimizers
from dezero.datasets import FashionMNIST
from dezero.models import MLP
from dezero.utils import gradient_check

needs_fashion = pytest.mark.skipif(
    not os.path.isfile(
        os.path.join(FashionMNIST.debian_dir, "t10k-labels-idx1-ubyte.gz")
    ),
    reason="the Debian package dataset-fashion-mnist is not installed "
    "(apt-get install dataset-fashion-mnist)",
)


def test_relu_value_and_gradient():
    x = dezero.Variable(np.array([[-1.0, 0.5], [2.0, -3.0]], dtype=np.float32))
    y = F.relu(x)
    np.testing.assert_array_equal(y.data, [[0.0, 0.5], [2.0, 0.0]])
    assert y.dtype == np.float32
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [[0.0, 1.0], [1.0, 0.0]])
    # Away from the kink at 0, central differences agree.
    x0 = np.array([-1.5, -0.2, 0.3, 2.0])
    assert gradient_check(lambda v: F.sum(F.relu(v) * np.arange(1.0, 5.0)), x0)


def test_relu_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0 = np.array([[-1.0, 0.5, 2.0], [0.1, -0.1, 3.0]])
    x = dezero.Variable(x0.copy())
    F.sum(F.relu(x) ** 2).backward()
    t = torch.tensor(x0, requires_grad=True)
    (torch.relu(t) ** 2).sum().backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy())


def subset(ds, n):
    """The first n samples of a data set."""
    part = copy.copy(ds)
    part.data, part.label = ds.data[:n], ds.label[:n]
    return part


def evaluate(model, loader):
    """Mean loss and accuracy over a loader, under no_grad."""
    sum_loss, sum_acc, n = 0.0, 0.0, 0
    with dezero.no_grad():
        for x, t in loader:
            y = model(x)
            sum_loss += float(F.softmax_cross_entropy(y, t).data) * len(t)
            sum_acc += float(F.accuracy(y, t).data) * len(t)
            n += len(t)
    return sum_loss / n, sum_acc / n


def fit(model, optimizer, train_set, test_set, max_epoch):
    """The book's training loop; [(train loss, test loss, test accuracy), ...]."""
    optimizer.setup(model)
    history = []
    for _ in range(max_epoch):
        sum_loss = 0.0
        for x, t in DataLoader(train_set, 100):
            loss = F.softmax_cross_entropy(model(x), t)
            model.cleargrads()
            loss.backward()
            optimizer.update()
            sum_loss += float(loss.data) * len(t)
        test_loss, test_acc = evaluate(model, DataLoader(test_set, 100, shuffle=False))
        history.append((sum_loss / len(train_set), test_loss, test_acc))
    return history


@needs_fashion
def test_a_real_fashion_mnist_subset_beats_chance_in_one_epoch():
    np.random.seed(0)
    train_set = subset(FashionMNIST(train=True), 1000)
    test_set = subset(FashionMNIST(train=False), 1000)
    model = MLP((100, 10))
    ((_, _, acc),) = fit(model, optimizers.SGD(0.1), train_set, test_set, 1)
    assert acc > 0.3  # chance is 0.1


@needs_fashion
def test_relu_and_adam_reach_75_percent_on_fashion_mnist():
    # 10000 real training images, two epochs: the stated accuracy to beat is 0.75
    # on 2000 test images (the full recipe reaches about 0.88).
    np.random.seed(0)
    train_set = subset(FashionMNIST(train=True), 10000)
    test_set = subset(FashionMNIST(train=False), 2000)
    model = MLP((100, 10), activation=F.relu)
    history = fit(model, optimizers.Adam(), train_set, test_set, max_epoch=2)
    assert history[-1][2] > 0.75, history
    assert history[1][0] < history[0][0]  # the training loss falls
    for p in model.params():
        assert p.data.dtype == np.float32 and p.grad.data.dtype == np.float32


@needs_fashion
def test_demo_quick_run_on_fashion_mnist(tmp_path, capsys):
    histories = demo.main(dataset="fashion", train_size=3000, out_dir=str(tmp_path))
    (history,) = histories.values()
    assert len(history) == 1 and history[0][3] > 0.15  # chance is 0.1
    out = capsys.readouterr().out
    assert "Fashion-MNIST: 60000 training images from /usr/share/datasets" in out
    assert "training on 3000 images for 1 epoch(s)" in out
    pytest.importorskip("matplotlib", reason="matplotlib is not installed")
    # The file names say which data set the figures show.
    for name in (
        "fashion_mnist_training_curves.png",
        "fashion_mnist_test_predictions.png",
    ):
        assert (tmp_path / name).stat().st_size > 10_000
        assert f"wrote {tmp_path / name}" in out


def test_demo_auto_says_when_it_falls_back(monkeypatch, capsys):
    class Offline(dezero.datasets.MNIST):
        def prepare(self):
            raise RuntimeError("Could not download mnist: offline\nsecond line")

    class Fallback:
        def __init__(self, train=True):
            self.train = train

    monkeypatch.setattr(dezero.datasets, "MNIST", Offline)
    monkeypatch.setattr(dezero.datasets, "FashionMNIST", Fallback)
    assert isinstance(demo.load("auto"), Fallback)
    out = capsys.readouterr().out
    assert "MNIST is not available: Could not download mnist: offline" in out
    assert "Using Fashion-MNIST instead" in out
    with pytest.raises(RuntimeError, match="offline"):
        demo.load("mnist")  # asked for MNIST by name: no substitute

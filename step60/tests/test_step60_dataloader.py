"""Step 50: DataLoader and accuracy."""

import numpy as np
import pytest

import dezero
import dezero.functions as F
from dezero import DataLoader, Function
from dezero.datasets import Dataset, Spiral


class Numbers(Dataset):
    """Samples 0 .. n-1 with labels 10 * i."""

    def __init__(self, n):
        self.n = n
        super().__init__()

    def prepare(self):
        self.data = np.arange(self.n)
        self.label = np.arange(self.n) * 10


def test_every_sample_once_per_epoch_and_a_short_last_batch():
    loader = DataLoader(Numbers(10), batch_size=4)
    assert loader.max_iter == 3
    for _ in range(2):  # iterating twice works: the loader resets itself
        batches = list(loader)
        assert [len(x) for x, _ in batches] == [4, 4, 2]
        seen = np.concatenate([x for x, _ in batches])
        np.testing.assert_array_equal(np.sort(seen), np.arange(10))
        for x, t in batches:
            np.testing.assert_array_equal(t, x * 10)


def test_shuffle_changes_the_order_between_epochs_and_fixed_order_does_not():
    np.random.seed(0)
    loader = DataLoader(Numbers(50), batch_size=50)
    first, second = next(loader)[0], None
    loader.reset()
    second = next(loader)[0]
    assert not np.array_equal(first, second)
    fixed = DataLoader(Numbers(5), batch_size=2, shuffle=False)
    np.testing.assert_array_equal(np.concatenate([x for x, _ in fixed]), np.arange(5))


def test_next_method_and_stop_iteration():
    loader = DataLoader(Numbers(3), batch_size=2, shuffle=False)
    np.testing.assert_array_equal(loader.next()[0], [0, 1])
    np.testing.assert_array_equal(next(loader)[0], [2])
    with pytest.raises(StopIteration):
        next(loader)
    np.testing.assert_array_equal(next(loader)[0], [0, 1])  # a new epoch


def test_batches_of_the_spiral():
    x, t = next(DataLoader(Spiral(), batch_size=30))
    assert x.shape == (30, 2) and x.dtype == np.float32
    assert t.shape == (30,) and t.dtype.kind == "i"


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, "10"])
def test_batch_size_must_be_a_positive_integer(batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        DataLoader(Numbers(5), batch_size)


def test_an_empty_dataset_is_refused():
    with pytest.raises(ValueError, match="the dataset is empty"):
        DataLoader(Numbers(0), 2)


def test_accuracy_book_example():
    y = np.array([[0.2, 0.8, 0], [0.1, 0.9, 0], [0.8, 0.1, 0.1]])
    acc = F.accuracy(y, np.array([1, 2, 0]))
    assert acc.data == pytest.approx(2 / 3)
    assert acc.creator is None  # a number, not part of a graph


def test_accuracy_shape_errors():
    with pytest.raises(ValueError, match=r"scores \(N, C\) and labels \(N,\)"):
        F.accuracy(np.zeros((3, 2)), np.zeros((3, 1), dtype=int))


def test_no_graph_is_recorded_during_evaluation(monkeypatch):
    model = dezero.models.MLP((4, 3))
    model(np.zeros((1, 2), dtype=np.float32))
    recorded = []
    original = Function.__call__

    def spy(self, *inputs):
        out = original(self, *inputs)
        recorded.append(hasattr(self, "inputs"))
        return out

    monkeypatch.setattr(Function, "__call__", spy)
    with dezero.no_grad():
        for x, t in DataLoader(Spiral(train=False), 100, shuffle=False):
            F.softmax_cross_entropy(model(x), t)
    assert recorded and not any(recorded)


def test_accuracy_of_integer_scores_is_not_truncated():
    acc = F.accuracy(np.array([[0, 1], [1, 0], [0, 1]]), np.array([1, 0, 0]))
    assert acc.data == pytest.approx(2 / 3)

"""Step 48: the spiral data set and multi-class training with mini-batches."""

import numpy as np
import pytest

import dezero
from dezero.datasets import get_spiral


def reference_spiral(train):
    """The book's generator, which reseeds NumPy's global generator (restored here)."""
    saved = np.random.get_state()
    try:
        np.random.seed(1984 if train else 2020)
        x = np.zeros((300, 2), dtype=np.float32)
        t = np.zeros(300, dtype=int)
        for j in range(3):
            for i in range(100):
                rate = i / 100
                theta = j * 4.0 + 4.0 * rate + np.random.randn() * 0.2
                x[100 * j + i] = [rate * np.sin(theta), rate * np.cos(theta)]
                t[100 * j + i] = j
        indices = np.random.permutation(300)
        return x[indices], t[indices]
    finally:
        np.random.set_state(saved)


@pytest.mark.parametrize("train", [True, False])
def test_same_numbers_as_the_book(train):
    x, t = get_spiral(train)
    rx, rt = reference_spiral(train)
    np.testing.assert_array_equal(x, rx)
    np.testing.assert_array_equal(t, rt)


def test_pinned_first_samples():
    x, t = get_spiral(train=True)
    np.testing.assert_allclose(x[0], [-0.13981389, -0.00721657], rtol=1e-6)
    np.testing.assert_array_equal(t[:12], [1, 1, 2, 0, 1, 2, 0, 0, 1, 2, 1, 1])


def test_shapes_dtypes_and_classes():
    x, t = get_spiral()
    assert x.shape == (300, 2) and x.dtype == np.float32
    assert t.shape == (300,) and t.dtype.kind == "i"
    np.testing.assert_array_equal(np.bincount(t), [100, 100, 100])
    assert np.all(np.hypot(x[:, 0], x[:, 1]) < 1.0)


def test_train_and_test_differ_and_each_is_deterministic():
    a, _ = get_spiral(True)
    b, _ = get_spiral(False)
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(get_spiral(True)[0], a)


def test_the_global_random_generator_is_left_alone():
    np.random.seed(123)
    expected = np.random.rand()
    np.random.seed(123)
    get_spiral()
    assert np.random.rand() == expected


def test_datasets_is_reachable_after_a_bare_import():
    assert dezero.datasets.get_spiral is get_spiral

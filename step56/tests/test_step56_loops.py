"""Step 56: the plain-loop convolution and pooling that step 57 is tested against."""

import numpy as np
import pytest

import demo

X = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]])
F3 = np.array([[2, 0, 1], [0, 1, 2], [1, 0, 2]])


def test_demo_hand_worked_example(capsys):
    y, p = demo.main()
    assert y.shape == (2, 8, 4, 4) and p.shape == (2, 8, 2, 2)
    assert "[[15 16]\n [ 6 15]]" in capsys.readouterr().out


def test_hand_worked_values():
    np.testing.assert_array_equal(
        demo.conv2d_loops(X[None, None], F3[None, None])[0, 0], [[15, 16], [6, 15]]
    )
    padded = demo.conv2d_loops(X[None, None], F3[None, None], np.array([3]), pad=1)
    # The top-left output sees only the bottom-right 2 x 2 of the filter.
    assert padded[0, 0, 0, 0] == 1 * 1 + 2 * 2 + 0 * 0 + 1 * 2 + 3


def test_channels_are_summed_and_each_filter_is_one_channel():
    rng = np.random.default_rng(56)
    x = rng.standard_normal((1, 3, 5, 5))
    W = rng.standard_normal((2, 3, 3, 3))
    y = demo.conv2d_loops(x, W)
    per_channel = sum(
        demo.conv2d_loops(x[:, c : c + 1], W[:, c : c + 1]) for c in range(3)
    )
    np.testing.assert_allclose(y, per_channel)


def test_against_scipy_style_correlation_by_hand():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 1, 6, 5))
    W = rng.standard_normal((1, 1, 2, 3))
    y = demo.conv2d_loops(x, W, stride=(2, 1))
    assert y.shape == (1, 1, 3, 3)
    expected = np.sum(x[0, 0, 2:4, 1:4] * W[0, 0])
    assert y[0, 0, 1, 1] == pytest.approx(expected)


def test_max_and_average_pooling():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(demo.pool_loops(x, 2, 2)[0, 0], [[5, 7], [13, 15]])
    np.testing.assert_array_equal(
        demo.pool_loops(x, 2, 2, reduce=np.mean)[0, 0], [[2.5, 4.5], [10.5, 12.5]]
    )
    assert demo.pool_loops(-x, 3, 1, pad=1)[0, 0, 0, 0] == 0.0  # pad never wins a max


def test_channel_mismatch_is_refused():
    with pytest.raises(ValueError, match="x has 3 channels, the filters 2"):
        demo.conv2d_loops(np.ones((1, 3, 4, 4)), np.ones((1, 2, 3, 3)))

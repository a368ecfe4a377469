"""Step 39: sum with axis and keepdims; broadcast_to, sum_to and their NumPy helpers."""

import numpy as np
import pytest

import dezero.functions as F
from dezero import Variable, utils
from dezero.utils import gradient_check

rng = np.random.default_rng(39)


AXES = [None, 0, 1, 2, -1, -3, (0, 2), (2, 0), (-1, 1), (0, 1, 2)]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES)
def test_forward_matches_numpy_and_gradient_has_the_input_shape(axis, keepdims):
    x0 = rng.standard_normal((2, 3, 4))
    x = Variable(x0)
    y = F.sum(x, axis=axis, keepdims=keepdims)
    expected = x0.sum(axis=axis, keepdims=keepdims)
    assert y.shape == expected.shape
    np.testing.assert_allclose(y.data, expected, rtol=1e-14)
    # A random upstream gradient: each input element gets the gy of its own sum.
    gy = rng.standard_normal(y.shape)
    y.grad = Variable(gy)
    y.backward()
    assert x.grad.shape == x.shape
    kept = gy if keepdims else np.expand_dims(gy, axis) if axis is not None else gy
    np.testing.assert_allclose(x.grad.data, np.broadcast_to(kept, x0.shape))


@pytest.mark.parametrize("axis", AXES)
def test_numerical_gradient(axis):
    w = None

    def f(x):
        nonlocal w
        y = F.sum(F.sin(x), axis=axis)
        if w is None:
            w = rng.standard_normal(y.shape)
        return F.sum(y * w)

    assert gradient_check(f, rng.standard_normal((2, 3, 4)))


def test_variable_sum_method():
    x = Variable(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(x.sum(axis=0).data, [3.0, 5.0, 7.0])
    assert x.sum(keepdims=True).shape == (1, 1)
    assert x.sum().data == 15.0


def test_sum_axis_out_of_range_is_a_clear_error():
    x = Variable(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"sum: axis 2 is out of range .* \(2, 3\)"):
        F.sum(x, axis=2)


def test_utils_sum_to_book_examples():
    x = np.array([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(utils.sum_to(x, (1, 3)), [[5, 7, 9]])
    np.testing.assert_array_equal(utils.sum_to(x, (2, 1)), [[6], [15]])
    np.testing.assert_array_equal(utils.sum_to(x, (3,)), [5, 7, 9])
    assert utils.sum_to(x, ()) == 21


# (2,) fits the first axis of (2, 3), not the last: the book would return a (3,) sum.
@pytest.mark.parametrize("shape", [(4,), (2,), (3, 2), (1, 2, 3), (2, 4)])
def test_utils_sum_to_rejects_a_shape_that_does_not_broadcast(shape):
    with pytest.raises(ValueError, match=r"sum_to: shape .* does not broadcast"):
        utils.sum_to(np.ones((2, 3)), shape)


@pytest.mark.parametrize(
    "x_shape, gy_shape, axis, keepdims, expected",
    [
        ((2, 3, 4), (3,), (0, 2), False, (1, 3, 1)),
        ((2, 3, 4), (2, 4), -2, False, (2, 1, 4)),
        ((2, 3), (), None, False, ()),
        ((2, 3), (1, 3), 0, True, (1, 3)),
        ((), (), None, False, ()),
    ],
)
def test_reshape_sum_backward(x_shape, gy_shape, axis, keepdims, expected):
    gy = np.zeros(gy_shape)
    assert utils.reshape_sum_backward(gy, x_shape, axis, keepdims).shape == expected


def test_broadcast_to_and_its_gradient():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    y = F.broadcast_to(x, (2, 3))
    np.testing.assert_array_equal(y.data, [[1, 2, 3], [1, 2, 3]])
    y.data[0, 0] = 10.0  # a plain, writable array: the input is not touched
    assert x.data[0] == 1.0
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0, 2.0])


def test_sum_to_and_its_gradient():
    x = Variable(np.arange(6.0).reshape(2, 3))
    y = F.sum_to(x, (1, 3))
    np.testing.assert_array_equal(y.data, [[3.0, 5.0, 7.0]])
    y.backward()
    np.testing.assert_array_equal(x.grad.data, np.ones((2, 3)))


def test_same_shape_returns_the_variable_itself():
    x = Variable(np.ones((2, 3)))
    assert F.broadcast_to(x, (2, 3)) is x
    assert F.sum_to(x, (2, 3)) is x


@pytest.mark.parametrize(
    "x_shape, shape", [((3,), (2, 3)), ((2, 1), (2, 4)), ((1, 3, 1), (2, 3, 4))]
)
def test_broadcast_and_sum_to_numerically(x_shape, shape):
    w = rng.standard_normal(shape)
    assert gradient_check(
        lambda x: F.sum(F.broadcast_to(x, shape) * w), rng.random(x_shape)
    )
    v = rng.standard_normal(x_shape)
    assert gradient_check(lambda x: F.sum(F.sum_to(x, x_shape) * v), rng.random(shape))


def test_broadcast_to_an_incompatible_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"cannot broadcast .* \(2, 3\) to \(4, 3\)"):
        F.broadcast_to(Variable(np.ones((2, 3))), (4, 3))


def test_second_derivative_through_sum_and_broadcast():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    y = F.sum(F.broadcast_to(x, (2, 3)) ** 3)  # 2 * sum(x^3)
    y.backward(create_graph=True)
    gx = x.grad
    np.testing.assert_allclose(gx.data, 6 * x.data**2)
    x.cleargrad()
    F.sum(gx, axis=0).backward()
    np.testing.assert_allclose(x.grad.data, 12 * x.data)


def test_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0 = rng.standard_normal((2, 3, 4))
    x = Variable(x0.copy())
    y = F.sum(F.sum(F.tanh(x), axis=(0, 2), keepdims=True) ** 2)
    y.backward()
    t = torch.tensor(x0, requires_grad=True)
    ty = (torch.tanh(t).sum(dim=(0, 2), keepdim=True) ** 2).sum()
    ty.backward()
    np.testing.assert_allclose(y.data, ty.item(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-12)

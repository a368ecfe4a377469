"""Step 38: reshape and transpose, as functions and as Variable methods."""

import itertools

import numpy as np
import pytest

import dezero.functions as F
from dezero import Variable
from dezero.utils import gradient_check

rng = np.random.default_rng(38)


def test_three_ways_to_reshape_agree():
    x = Variable(np.arange(6))
    for v in (x.reshape(2, 3), x.reshape((2, 3)), x.reshape([2, 3])):
        np.testing.assert_array_equal(v.data, np.arange(6).reshape(2, 3))


def test_reshape_to_the_same_shape_returns_the_variable_itself():
    x = Variable(np.ones((2, 3)))
    assert F.reshape(x, (2, 3)) is x
    y = F.reshape(np.ones((2, 3)), (2, 3))
    assert isinstance(y, Variable)


def test_reshape_with_minus_one():
    x = Variable(np.arange(12.0))
    assert x.reshape(3, -1).shape == (3, 4)


@pytest.mark.parametrize("axes", list(itertools.permutations(range(4))))
def test_every_permutation_of_a_4d_array(axes):
    x0 = rng.standard_normal((2, 3, 4, 5))
    x = Variable(x0)
    y = F.transpose(x, axes)
    np.testing.assert_array_equal(y.data, np.transpose(x0, axes))
    gy = rng.standard_normal(y.shape)
    y.grad = Variable(gy)
    y.backward()
    np.testing.assert_array_equal(x.grad.data, np.transpose(gy, np.argsort(axes)))


def test_negative_axes():
    x = Variable(rng.standard_normal((2, 3, 4)))
    y = x.transpose(-1, 0, -2)
    assert y.shape == (4, 2, 3)
    F.sum(y * rng.standard_normal(y.shape)).backward()
    assert x.grad.shape == (2, 3, 4)


def test_variable_transpose_forms():
    x = Variable(rng.standard_normal((2, 3, 4)))
    assert x.transpose().shape == (4, 3, 2)
    assert x.transpose(None).shape == (4, 3, 2)
    assert x.transpose((1, 0, 2)).shape == (3, 2, 4)
    assert x.transpose([1, 0, 2]).shape == (3, 2, 4)
    assert x.transpose(1, 0, 2).shape == (3, 2, 4)
    assert x.T.shape == (4, 3, 2)


@pytest.mark.parametrize(
    "f",
    [
        lambda x: F.reshape(x, (3, 4)),
        lambda x: x.reshape(2, 2, 3),
        lambda x: F.transpose(x),
        lambda x: x.transpose(1, 0),
        lambda x: F.sin(x.T) * 2.0,
    ],
)
def test_numerical_gradients(f):
    weights = rng.standard_normal((12,))
    x0 = rng.standard_normal((4, 3))

    def loss(x):
        return F.sum(f(x).reshape(12) * weights)

    assert gradient_check(loss, x0)


def test_second_derivative_through_reshape_and_transpose():
    x = Variable(np.array([[1.0, 2.0], [3.0, 4.0]]))
    y = F.sum(x.T.reshape(4) ** 3)
    y.backward(create_graph=True)
    gx = x.grad
    np.testing.assert_allclose(gx.data, 3 * x.data**2)
    x.cleargrad()
    F.sum(gx).backward()
    np.testing.assert_allclose(x.grad.data, 6 * x.data)


def test_reshape_to_a_different_size_is_a_clear_error():
    x = Variable(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2, 3\) \(6 elements\) to \(4,\)"):
        F.reshape(x, (4,))


@pytest.mark.parametrize("axes", [(0, 0, 1), (0, 1), (0, 1, 3), (0, 1, -4)])
def test_transpose_with_axes_that_are_no_permutation(axes):
    x = Variable(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"not a permutation of the 3 axes"):
        F.transpose(x, axes)


def test_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0 = rng.standard_normal((2, 3, 4))
    w = rng.standard_normal((4, 6))
    x = Variable(x0.copy())
    y = F.sum(F.tanh(x.transpose(2, 0, 1).reshape(4, 6)) * w)
    y.backward()
    t = torch.tensor(x0, requires_grad=True)
    ty = (torch.tanh(t.permute(2, 0, 1).reshape(4, 6)) * torch.tensor(w)).sum()
    ty.backward()
    np.testing.assert_allclose(y.data, ty.item(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-12)

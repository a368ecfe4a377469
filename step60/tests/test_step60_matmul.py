"""Step 41: matmul, its gradients, Variable.matmul/dot, and a Hessian-vector product."""

import numpy as np
import pytest

import dezero.functions as F
from dezero import Variable
from dezero.utils import gradient_check

rng = np.random.default_rng(41)


def test_gradients_are_the_closed_forms():
    x0, W0 = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    gy = rng.standard_normal((2, 4))
    x, W = Variable(x0), Variable(W0)
    y = F.matmul(x, W)
    np.testing.assert_allclose(y.data, x0 @ W0, rtol=1e-14)
    y.grad = Variable(gy)
    y.backward()
    np.testing.assert_allclose(x.grad.data, gy @ W0.T, rtol=1e-14)
    np.testing.assert_allclose(W.grad.data, x0.T @ gy, rtol=1e-14)


@pytest.mark.parametrize(
    "x_shape, W_shape",
    [((2, 3), (3, 4)), ((3,), (3,)), ((1, 5), (5, 1)), ((4, 1), (1, 2))],
)
def test_numerical_gradients(x_shape, W_shape):
    x0, W0 = rng.standard_normal(x_shape), rng.standard_normal(W_shape)
    w = rng.standard_normal(np.dot(x0, W0).shape)
    assert gradient_check(lambda x: F.sum(F.matmul(x, W0) * w), x0)
    assert gradient_check(lambda W: F.sum(F.matmul(x0, W) * w), W0)


def test_variable_methods():
    x = Variable(rng.standard_normal((2, 3)))
    W = Variable(rng.standard_normal((3, 2)))
    np.testing.assert_allclose(x.matmul(W).data, x.data @ W.data)
    np.testing.assert_allclose(x.dot(W).data, x.data @ W.data)


def test_second_derivative_of_a_quadratic_form():
    # f = x A xᵀ for a row x has gradient x (A + Aᵀ) and Hessian A + Aᵀ.
    A = rng.standard_normal((3, 3))
    x = Variable(rng.standard_normal((1, 3)))
    y = F.matmul(F.matmul(x, A), x.T)
    y.backward(create_graph=True)
    gx = x.grad
    np.testing.assert_allclose(gx.data, x.data @ (A + A.T), rtol=1e-12)
    v = rng.standard_normal((3, 1))
    x.cleargrad()
    F.matmul(gx, v).backward()
    np.testing.assert_allclose(x.grad.data, ((A + A.T) @ v).T, rtol=1e-12)


@pytest.mark.parametrize("W_shape", [(4, 5), (2, 3)])
def test_shape_mismatch_is_a_clear_error(W_shape):
    x = Variable(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"matmul: x of shape \(2, 3\) and W of shape"):
        F.matmul(x, np.ones(W_shape))


@pytest.mark.parametrize("shapes", [((3,), (3, 2)), ((2, 3), (3,))])
def test_a_vector_with_a_matrix_is_refused(shapes):
    x, W = (np.ones(s) for s in shapes)
    with pytest.raises(ValueError, match=r"two matrices or two vectors"):
        F.matmul(x, W)


def test_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0, W0, b0 = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.random(4)
    x, W, b = Variable(x0.copy()), Variable(W0.copy()), Variable(b0.copy())
    y = F.sum(F.tanh(F.matmul(x, W) + b))
    y.backward()
    tx, tW, tb = (torch.tensor(v, requires_grad=True) for v in (x0, W0, b0))
    ty = torch.tanh(tx @ tW + tb).sum()
    ty.backward()
    np.testing.assert_allclose(y.data, ty.item(), rtol=1e-12)
    for v, t in ((x, tx), (W, tW), (b, tb)):
        np.testing.assert_allclose(v.grad.data, t.grad.numpy(), rtol=1e-12)

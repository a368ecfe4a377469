"""Step 42: mean squared error (composed and fused) and linear regression."""

import numpy as np
import pytest

import dezero.functions as F
from dezero import Variable
from dezero.utils import gradient_check

rng = np.random.default_rng(42)


def test_simple_and_fused_agree_in_value_and_gradients():
    a0, b0 = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    grads = []
    for f in (F.mean_squared_error_simple, F.mean_squared_error):
        a, b = Variable(a0.copy()), Variable(b0.copy())
        y = f(a, b)
        np.testing.assert_allclose(y.data, ((a0 - b0) ** 2).sum() / 5, rtol=1e-14)
        y.backward()
        grads.append((a.grad.data, b.grad.data))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-14)
    np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-14)
    np.testing.assert_allclose(grads[1][0], 2 * (a0 - b0) / 5, rtol=1e-14)


@pytest.mark.parametrize("f", [F.mean_squared_error_simple, F.mean_squared_error])
def test_numerical_gradients(f):
    t = rng.standard_normal((4, 2))
    assert gradient_check(lambda x: f(x, t), rng.standard_normal((4, 2)))
    p = rng.standard_normal((4, 2))
    assert gradient_check(lambda x: f(p, x), t.copy())


def test_fused_keeps_no_intermediate_variables():
    # The composed version keeps diff and diff ** 2 alive in the graph; the fused
    # one has a single function between the inputs and the loss.
    a, b = Variable(np.ones((3, 1))), Variable(np.zeros((3, 1)))
    y = F.mean_squared_error(a, b)
    assert y.creator.inputs == [a, b]
    z = F.mean_squared_error_simple(a, b)
    assert z.creator.inputs[0].creator is not None  # div <- sum <- pow <- sub


def test_second_derivative_of_the_fused_loss():
    x = Variable(np.array([[1.0], [2.0]]))
    t = np.zeros((2, 1))
    y = F.mean_squared_error(x, t)  # (x1² + x2²) / 2
    y.backward(create_graph=True)
    gx = x.grad
    np.testing.assert_allclose(gx.data, x.data)
    x.cleargrad()
    F.sum(gx).backward()
    np.testing.assert_allclose(x.grad.data, [[1.0], [1.0]])


@pytest.mark.parametrize("f", [F.mean_squared_error_simple, F.mean_squared_error])
def test_a_shape_mismatch_is_refused_not_broadcast(f):
    with pytest.raises(
        ValueError, match=r"x0 of shape \(4, 1\) and x1 of shape \(4,\)"
    ):
        f(np.ones((4, 1)), np.ones(4))


def test_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    a0, b0 = rng.standard_normal((6, 1)), rng.standard_normal((6, 1))
    a = Variable(a0.copy())
    y = F.mean_squared_error(F.tanh(a), b0)
    y.backward()
    ta = torch.tensor(a0, requires_grad=True)
    ty = torch.nn.functional.mse_loss(torch.tanh(ta), torch.tensor(b0))
    ty.backward()
    np.testing.assert_allclose(y.data, ty.item(), rtol=1e-12)
    np.testing.assert_allclose(a.grad.data, t_grad := ta.grad.numpy(), rtol=1e-12)
    assert t_grad.shape == (6, 1)


@pytest.mark.parametrize("f", [F.mean_squared_error_simple, F.mean_squared_error])
def test_a_broadcast_that_only_adds_size_one_axes_is_allowed(f):
    # The book's RNN loop compares y (1, 1) with t (1,).
    y = Variable(np.array([[2.0]]))
    loss = f(y, np.array([0.5]))
    loss.backward()
    assert loss.data == pytest.approx(2.25)
    assert y.grad.shape == (1, 1) and y.grad.data[0, 0] == pytest.approx(3.0)

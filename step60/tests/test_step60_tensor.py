"""Step 37: functions on tensors; F.sum (a preview) and the gradient-check helpers."""

import numpy as np
import pytest

import dezero.functions as F
from dezero import Function, Variable
from dezero.core import exp
from dezero.utils import array_allclose, array_equal, gradient_check, numerical_grad

rng = np.random.default_rng(37)


def test_gradients_have_the_shapes_of_their_variables():
    # Step 37's demo: y = sum(x + c) for x, c of shape (2, 3).
    x = Variable(np.array([[1, 2, 3], [4, 5, 6]]))
    c = Variable(np.array([[10, 20, 30], [40, 50, 60]]))
    t = x + c
    y = F.sum(t)
    y.backward(retain_grad=True)
    assert y.data == 231
    assert y.grad.data == 1
    for v in (t, x, c):
        assert v.grad.shape == v.shape == (2, 3)
        np.testing.assert_array_equal(v.grad.data, np.ones((2, 3)))


def test_sum_of_a_matrix_and_its_gradient():
    x = Variable(rng.standard_normal((3, 4)))
    y = F.sum(x)
    assert y.shape == ()
    assert y.data == pytest.approx(x.data.sum(), rel=1e-14)
    y.backward()
    np.testing.assert_array_equal(x.grad.data, np.ones((3, 4)))


def test_sum_gradient_keeps_float32():
    x = Variable(np.ones((2, 2), dtype=np.float32))
    F.sum(x).backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize(
    "name, f",
    [
        ("sin", F.sin),
        ("cos", F.cos),
        ("tanh", F.tanh),
        ("exp", exp),
        ("pow", lambda x: (x + 2.0) ** 3),
        ("mul", lambda x: x * x * 3.0),
        ("div", lambda x: 1.0 / (x * x + 1.0)),
    ],
)
def test_elementwise_gradients_through_a_weighted_sum(name, f):
    # A weighted sum makes each element's gradient different, so a gradient that
    # lands on the wrong element cannot pass.
    weights = rng.uniform(0.5, 2.0, size=(3, 4))
    x0 = rng.uniform(-1.0, 1.0, size=(3, 4))
    assert gradient_check(lambda x: F.sum(f(x) * weights), x0)


def test_numerical_grad_matches_a_closed_form():
    x0 = rng.uniform(-1.0, 1.0, size=(2, 3))
    g = numerical_grad(lambda x: F.sin(Variable(x)), x0.copy())
    np.testing.assert_allclose(g, np.cos(x0), rtol=1e-7)
    # Arrays in, arrays out works too.
    np.testing.assert_allclose(numerical_grad(np.square, x0.copy()), 2 * x0, rtol=1e-7)


def test_numerical_grad_restores_its_input():
    x0 = rng.standard_normal((2, 2))
    x = x0.copy()
    numerical_grad(np.sin, x)
    np.testing.assert_array_equal(x, x0)


class WrongSin(Function):
    """sin with a deliberately wrong derivative (+cos on one element flipped)."""

    def forward(self, x):
        return np.sin(x)

    def backward(self, gy):
        (x,) = self.inputs
        g = np.cos(x.data)
        g.flat[0] *= -1
        return gy * g


def test_gradient_check_catches_a_wrong_backward(capsys):
    x0 = np.array([0.5, 1.0, 1.5])
    assert gradient_check(lambda x: WrongSin()(x), x0) is False
    assert "differ" in capsys.readouterr().out


def test_gradient_check_rejects_a_gradient_of_the_wrong_shape():
    class Collapse(Function):
        def forward(self, x):
            return x * 2

        def backward(self, gy):
            return F.sum(gy)  # a scalar where a (3,) gradient belongs

    with pytest.raises(ValueError, match=r"gradient shape \(\) differs .* \(3,\)"):
        gradient_check(lambda x: Collapse()(x), np.ones(3))


def test_array_helpers_accept_variables_and_arrays():
    a = np.array([1.0, 2.0])
    assert array_equal(Variable(a), a.copy())
    assert not array_equal(a, a + 1)
    assert array_allclose(Variable(a), a + 1e-7)
    assert not array_allclose(a, a + 1e-3)


def test_sum_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0 = rng.standard_normal((2, 3, 4))
    x = Variable(x0.copy())
    y = F.sum(F.sin(x) * x)
    y.backward()
    t = torch.tensor(x0, requires_grad=True)
    ty = (torch.sin(t) * t).sum()
    ty.backward()
    np.testing.assert_allclose(y.data, ty.item(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-12)

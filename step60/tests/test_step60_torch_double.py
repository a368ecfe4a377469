"""Second derivatives of every operation so far, compared with PyTorch."""

import numpy as np
import pytest

import dezero.functions as F
from dezero.core import Variable, add, exp, square

torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")

rng = np.random.default_rng(1)
A = rng.uniform(0.5, 2.0, size=(2, 3))
B = rng.uniform(0.5, 2.0, size=(2, 3))

# name: (DeZero expression, the same expression in PyTorch)
CASES = {
    "square, exp, add": (
        lambda a, b: add(square(a), exp(a * b)),
        lambda a, b: a**2 + torch.exp(a * b),
    ),
    "mul": (lambda a, b: a * b * a, lambda a, b: a * b * a),
    "neg, sub": (lambda a, b: -(a * a) - b * a, lambda a, b: -(a * a) - b * a),
    "div": (lambda a, b: a / b + b / a, lambda a, b: a / b + b / a),
    "pow": (lambda a, b: a**3 * b**-0.5, lambda a, b: a**3 * b**-0.5),
    "sin, cos": (
        lambda a, b: F.sin(a * b) + F.cos(a) * b,
        lambda a, b: torch.sin(a * b) + torch.cos(a) * b,
    ),
    "tanh": (lambda a, b: F.tanh(a * b) * a, lambda a, b: torch.tanh(a * b) * a),
}


@pytest.mark.parametrize("name", CASES)
def test_second_derivatives_match_pytorch(name):
    f_dezero, f_torch = CASES[name]
    x0, x1 = Variable(A.copy()), Variable(B.copy())
    f_dezero(x0, x1).backward(create_graph=True)
    gx0 = x0.grad
    x0.cleargrad()
    x1.cleargrad()
    gx0.backward()  # seeds ones: the gradient of sum(gx0)

    t0 = torch.tensor(A, dtype=torch.float64, requires_grad=True)
    t1 = torch.tensor(B, dtype=torch.float64, requires_grad=True)
    (tg0,) = torch.autograd.grad(f_torch(t0, t1).sum(), t0, create_graph=True)
    h0, h1 = torch.autograd.grad(tg0.sum(), (t0, t1), allow_unused=True)

    np.testing.assert_allclose(gx0.data, tg0.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x0.grad.data, h0.numpy(), rtol=1e-10, atol=1e-12)
    if h1 is None:
        assert x1.grad is None
    else:
        np.testing.assert_allclose(x1.grad.data, h1.numpy(), rtol=1e-10, atol=1e-12)

"""Every differentiable operation so far, compared with PyTorch (skipped without it)."""

import numpy as np
import pytest

from dezero.core import Variable, add, exp, square

torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")

rng = np.random.default_rng(0)
A = rng.uniform(0.5, 2.0, size=(2, 3))
B = rng.uniform(0.5, 2.0, size=(2, 3))

# name: (DeZero expression, the same expression in PyTorch)
CASES = {
    "square, exp, add": (
        lambda a, b: add(square(a), exp(b)),
        lambda a, b: a**2 + torch.exp(b),
    ),
    "reused input": (
        lambda a, b: add(add(a, b), a),
        lambda a, b: (a + b) + a,
    ),
    "diamond": (
        lambda a, b: add(square(square(a)), square(square(a))),
        lambda a, b: 2 * (a**2) ** 2,
    ),
    "mul": (
        lambda a, b: a * b + a,
        lambda a, b: a * b + a,
    ),
    "mixed constants": (
        lambda a, b: 3.0 * a + np.array(2.0) * b + 1.0,
        lambda a, b: 3.0 * a + 2.0 * b + 1.0,
    ),
    "neg and sub": (
        lambda a, b: -a - b,
        lambda a, b: -a - b,
    ),
    "rsub": (
        lambda a, b: 1.5 - a * b,
        lambda a, b: 1.5 - a * b,
    ),
    "div": (
        lambda a, b: a / b,
        lambda a, b: a / b,
    ),
    "rdiv": (
        lambda a, b: 1.5 / a + b,
        lambda a, b: 1.5 / a + b,
    ),
    "pow": (
        lambda a, b: a**3 + b**-0.5,
        lambda a, b: a**3 + b**-0.5,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_value_and_grads_match_pytorch(name):
    f_dezero, f_torch = CASES[name]
    x0, x1 = Variable(A.copy()), Variable(B.copy())
    y = f_dezero(x0, x1)
    y.backward()

    t0 = torch.tensor(A, dtype=torch.float64, requires_grad=True)
    t1 = torch.tensor(B, dtype=torch.float64, requires_grad=True)
    ty = f_torch(t0, t1)
    ty.backward(torch.ones_like(ty))

    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    for v, t in ((x0, t0), (x1, t1)):
        expected = t.grad.numpy() if t.grad is not None else None
        if expected is None:
            assert v.grad is None
        else:
            np.testing.assert_allclose(v.grad.data, expected, rtol=1e-12, atol=1e-12)

"""Step 36: double backprop, differentiating an expression that contains a gradient."""

import numpy as np
import pytest

from dezero import Variable


def double_backprop(x0=2.0):
    """dz/dx for z = (dy/dx) ** 3 + y, y = x ** 2 (step 36's demo)."""
    x = Variable(np.array(x0))
    y = x**2
    y.backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    z = gx**3 + y
    z.backward()
    return x.grad


def test_book_value():
    assert double_backprop().data == 100.0


@pytest.mark.parametrize("x0", [-1.5, 0.3, 2.0, 3.0])
def test_closed_form(x0):
    assert double_backprop(x0).data == pytest.approx(24 * x0**2 + 2 * x0, rel=1e-14)


def test_matches_pytorch_double_backward():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    y = x**2
    (gx,) = torch.autograd.grad(y, x, create_graph=True)
    z = gx**3 + y
    z.backward()
    np.testing.assert_allclose(double_backprop(2.0).data, x.grad.numpy())

"""Step 36: double backprop, differentiating an expression that contains a gradient."""

import numpy as np
import pytest

import demo


def test_book_value(capsys):
    right, wrong = demo.main()
    assert right.data == 100.0
    assert wrong.data == 4.0
    assert capsys.readouterr().out.splitlines() == [
        "dz/dx with double backprop:      variable(100.0)",
        "dz/dx with dy/dx held constant:  variable(4.0)",
    ]


@pytest.mark.parametrize("x0", [-1.5, 0.3, 2.0, 3.0])
def test_closed_form(x0):
    assert demo.double_backprop(x0).data == pytest.approx(
        24 * x0**2 + 2 * x0, rel=1e-14
    )


def test_matches_pytorch_double_backward():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    y = x**2
    (gx,) = torch.autograd.grad(y, x, create_graph=True)
    z = gx**3 + y
    z.backward()
    np.testing.assert_allclose(demo.double_backprop(2.0).data, x.grad.numpy())

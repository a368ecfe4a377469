"""Step 05: the product of local derivatives is the derivative of the chain."""

import numpy as np

import demo


def test_product_of_local_derivatives_is_exact():
    dy_dx, _ = demo.main()
    np.testing.assert_allclose(dy_dx, 2 * np.exp(0.5), rtol=1e-12)


def test_agrees_with_numerical_differentiation(capsys):
    dy_dx, numeric = demo.main()
    np.testing.assert_allclose(dy_dx, numeric, atol=1e-6)
    out = capsys.readouterr().out
    assert "dy/dx  = 3.297442541400256" in out

"""Step 30: with core_simple, a gradient is an ndarray with no graph behind it."""

import numpy as np

import demo


def test_grad_is_a_plain_numpy_value(capsys):
    x = demo.main()
    # A NumPy array or scalar (0-d arithmetic yields np.float64), never a Variable.
    assert isinstance(x.grad, (np.ndarray, np.generic)) and x.grad == 12.0
    assert not hasattr(x.grad, "creator")
    out = capsys.readouterr().out
    assert "type(x.grad):        float64" in out
    assert "core in use:         dezero.core_simple" in out

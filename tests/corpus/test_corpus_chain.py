"""Every snapshot from step 09: backward through square/exp chains is right.

Property: for any small float array, backprop through exp(square(x)) chains agrees
with central differences, and the gradient has the shape of the input.
"""

import numpy as np
from hypothesis import given, settings
from strategies import arrays

SINCE = 9


@settings(max_examples=25)
@given(arrays(low=-1.0, high=1.0))
def test_chain_matches_numerical_diff(dz, a):
    def f(v):
        return dz.square(dz.exp(dz.square(v)))

    x = dz.Variable(a.copy())
    f(x).backward()
    grad = dz.values(x.grad)
    assert grad.shape == a.shape
    expected = dz.numerical_diff(f, dz.Variable(a.copy()))
    np.testing.assert_allclose(grad, expected, rtol=1e-4, atol=1e-5)

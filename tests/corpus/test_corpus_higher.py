"""Every snapshot from step 32: second derivatives by double backward are right.

Property: for elementwise expressions f, differentiating the recorded gradient again
gives f'' at every point, checked against central differences of f'.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import positive_arrays

SINCE = 32

EXPRESSIONS = [
    lambda v: v**4 - 2 * v**2,
    lambda v: v * v * v / (v + 1.0),
    lambda v: 1.0 / v - v**0.5,
]


@settings(max_examples=20)
@given(positive_arrays(), st.sampled_from(range(len(EXPRESSIONS))))
def test_second_derivative_matches_numerical_diff(dz, a, index):
    f = EXPRESSIONS[index]

    def first(v):
        v = dz.Variable(v.data.copy())
        f(v).backward()
        return dz.Variable(dz.values(v.grad).copy())

    x = dz.Variable(a.copy())
    f(x).backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    gx.backward()
    expected = dz.numerical_diff(first, dz.Variable(a.copy()))
    np.testing.assert_allclose(dz.values(x.grad), expected, rtol=1e-4, atol=1e-5)

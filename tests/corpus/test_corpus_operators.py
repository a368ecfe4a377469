"""Every snapshot from step 22: the arithmetic operators differentiate correctly.

Properties on same-shape arrays away from zero: the gradient of a composite
expression matches central differences for both operands; grads keep the shapes
of their inputs; a variable used twice collects both contributions.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import arrays, same_shape_pairs

SINCE = 22

EXPRESSIONS = [
    lambda p, q: p * q + p,
    lambda p, q: p / q - q,
    lambda p, q: -(p**3) + 2.0 * q,
    lambda p, q: (p - q) ** 2 / (q * q),
    lambda p, q: 1.0 / p + q**-0.5,
]


@settings(max_examples=25)
@given(same_shape_pairs(), st.sampled_from(range(len(EXPRESSIONS))))
def test_expression_matches_numerical_diff(dz, pair, index):
    f = EXPRESSIONS[index]
    a, b = pair
    x0, x1 = dz.Variable(a.copy()), dz.Variable(b.copy())
    f(x0, x1).backward()
    g0, g1 = dz.values(x0.grad), dz.values(x1.grad)
    assert g0.shape == a.shape and g1.shape == b.shape
    d0 = dz.numerical_diff(lambda v: f(v, dz.Variable(b)), dz.Variable(a.copy()))
    d1 = dz.numerical_diff(lambda v: f(dz.Variable(a), v), dz.Variable(b.copy()))
    np.testing.assert_allclose(g0, d0, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(g1, d1, rtol=1e-4, atol=1e-5)


@settings(max_examples=25)
@given(arrays(), st.integers(1, 5))
def test_reused_variable_collects_every_use(dz, a, n):
    x = dz.Variable(a.copy())
    y = x
    for _ in range(n):
        y = y + x
    y.backward()
    np.testing.assert_array_equal(dz.values(x.grad), np.full(a.shape, n + 1.0))

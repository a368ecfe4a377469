"""Every snapshot from step 37: elementwise functions and F.sum work on tensors.

Properties on arrays of up to 3 axes: backward through sum(f(x)) gives each element
f'(x) and a gradient of exactly x's shape; F.sum adds every element to a 0-d
result and hands each element the whole upstream gradient.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import arrays, floats

SINCE = 37

# (function of a Variable, its derivative on arrays)
ELEMENTWISE = {
    "sin": (lambda dz, F, v: F.sin(v), np.cos),
    "cos": (lambda dz, F, v: F.cos(v), lambda a: -np.sin(a)),
    "tanh": (lambda dz, F, v: F.tanh(v), lambda a: 1 - np.tanh(a) ** 2),
    "exp": (lambda dz, F, v: dz.exp(v), np.exp),
    "square": (lambda dz, F, v: dz.square(v), lambda a: 2 * a),
    "neg": (lambda dz, F, v: -v, lambda a: -np.ones_like(a)),
    "cube": (lambda dz, F, v: v**3, lambda a: 3 * a**2),
    "affine": (lambda dz, F, v: 2.0 * v - 1.0, lambda a: np.full_like(a, 2.0)),
}


@settings(max_examples=40)
@given(arrays(low=-2.0, high=2.0), st.sampled_from(sorted(ELEMENTWISE)))
def test_elementwise_grad_has_the_input_shape(dz, a, name):
    import dezero.functions as F

    f, derivative = ELEMENTWISE[name]
    x = dz.Variable(a.copy())
    y = f(dz, F, x)
    assert y.shape == a.shape
    F.sum(y).backward()
    grad = dz.values(x.grad)
    assert grad.shape == a.shape
    np.testing.assert_allclose(grad, derivative(a), rtol=1e-12, atol=1e-12)


@settings(max_examples=30)
@given(arrays(), floats())
def test_sum_adds_everything_and_spreads_the_gradient(dz, a, g):
    import dezero.functions as F

    x = dz.Variable(a.copy())
    y = F.sum(x)
    assert y.shape == ()
    np.testing.assert_allclose(y.data, np.sum(a), rtol=1e-12, atol=1e-12)
    (y * g).backward()  # an upstream gradient of g
    grad = dz.values(x.grad)
    assert grad.shape == a.shape
    np.testing.assert_array_equal(grad, np.full(a.shape, g))

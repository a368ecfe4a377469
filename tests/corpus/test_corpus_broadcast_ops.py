"""Every snapshot from step 40: + - * / broadcast like NumPy, and so do their grads.

Properties on two mutually broadcastable shapes: the output has the shape
np.broadcast_shapes gives and NumPy's values; each input's gradient has that
input's shape and equals the closed form summed back over the broadcast axes.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import BROADCAST_PAIRS, arrays, positive_arrays

SINCE = 40

# (operation, its gradients on arrays: gy, a, b -> (ga, gb) before summing back)
OPERATORS = {
    "+": (lambda p, q: p + q, lambda gy, a, b: (gy, gy)),
    "-": (lambda p, q: p - q, lambda gy, a, b: (gy, -gy)),
    "*": (lambda p, q: p * q, lambda gy, a, b: (gy * b, gy * a)),
    "/": (lambda p, q: p / q, lambda gy, a, b: (gy / b, -gy * a / b**2)),
}


def numpy_sum_to(y, shape):
    """y summed down to shape (which broadcasts to y.shape), by NumPy alone."""
    y = y.sum(axis=tuple(range(y.ndim - len(shape))))
    return y.sum(
        axis=tuple(i for i, side in enumerate(shape) if side == 1), keepdims=True
    )


@settings(max_examples=40)
@given(BROADCAST_PAIRS, st.sampled_from(sorted(OPERATORS)), st.data())
def test_broadcast_arithmetic_shapes_and_grads(dz, shapes, op, data):
    import dezero.functions as F

    (s0, s1), result = shapes.input_shapes, shapes.result_shape
    assert result == np.broadcast_shapes(s0, s1)
    a = data.draw(arrays(s0))
    b = data.draw(positive_arrays(s1))  # away from zero: a divisor
    f, grads = OPERATORS[op]
    x0, x1 = dz.Variable(a.copy()), dz.Variable(b.copy())
    y = f(x0, x1)
    assert y.shape == result
    np.testing.assert_allclose(y.data, f(a, b), rtol=1e-12, atol=1e-12)

    gy = np.arange(1.0, y.data.size + 1).reshape(result)  # a distinct upstream grad
    F.sum(y * gy).backward()
    g0, g1 = dz.values(x0.grad), dz.values(x1.grad)
    assert g0.shape == s0 and g1.shape == s1
    e0, e1 = grads(gy, np.broadcast_to(a, result), np.broadcast_to(b, result))
    np.testing.assert_allclose(g0, numpy_sum_to(e0, s0), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g1, numpy_sum_to(e1, s1), rtol=1e-10, atol=1e-12)

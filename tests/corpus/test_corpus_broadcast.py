"""Every snapshot from step 39: sum over axes, broadcast_to and its adjoint sum_to.

Properties: F.sum(x, axis, keepdims) gives NumPy's values and a gradient of x's
shape; sum_to is the adjoint of broadcast_to, <broadcast_to(x, S), y> equals
<x, sum_to(y, x.shape)>; each one's backward is the other, and F.sum_to agrees
with the NumPy helper dezero.utils.sum_to.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import BROADCAST_PAIRS, arrays, sum_axes

SINCE = 39


def numpy_sum_to(y, shape):
    """y summed down to shape (which broadcasts to y.shape), by NumPy alone."""
    lead = y.ndim - len(shape)
    y = y.sum(axis=tuple(range(lead)))
    ones = tuple(i for i, side in enumerate(shape) if side == 1 and y.shape[i] != 1)
    return y.sum(axis=ones, keepdims=True)


@settings(max_examples=40)
@given(sum_axes(), st.booleans(), st.data())
def test_sum_over_axes_keeps_the_gradient_shape(dz, shape_axis, keepdims, data):
    import dezero.functions as F

    shape, axis = shape_axis
    a = data.draw(arrays(shape))
    x = dz.Variable(a.copy())
    y = F.sum(x, axis=axis, keepdims=keepdims)
    expected = np.sum(a, axis=axis, keepdims=keepdims)
    assert y.shape == expected.shape
    np.testing.assert_allclose(y.data, expected, rtol=1e-12, atol=1e-12)
    assert x.sum(axis, keepdims).shape == expected.shape

    gy = np.arange(1.0, expected.size + 1).reshape(expected.shape)
    F.sum(y * gy).backward()
    grad = dz.values(x.grad)
    assert grad.shape == a.shape
    # Each element of x receives the upstream gradient of the sum it went into.
    kept = np.sum(np.zeros_like(a), axis=axis, keepdims=True).shape
    np.testing.assert_array_equal(grad, np.broadcast_to(gy.reshape(kept), a.shape))


@settings(max_examples=40)
@given(BROADCAST_PAIRS, st.data())
def test_sum_to_is_the_adjoint_of_broadcast_to(dz, shapes, data):
    import dezero.functions as F
    import dezero.utils

    shape, target = shapes.input_shapes[0], shapes.result_shape
    a = data.draw(arrays(shape))
    b = data.draw(arrays(target))
    wide = F.broadcast_to(dz.Variable(a.copy()), target)
    narrow = F.sum_to(dz.Variable(b.copy()), shape)
    assert wide.shape == target and narrow.shape == shape
    np.testing.assert_array_equal(wide.data, np.broadcast_to(a, target))
    np.testing.assert_allclose(narrow.data, numpy_sum_to(b, shape), rtol=1e-12)
    np.testing.assert_allclose(dezero.utils.sum_to(b, shape), narrow.data, rtol=1e-12)
    # <broadcast_to(x, S), y> == <x, sum_to(y, x.shape)>
    np.testing.assert_allclose(
        np.sum(wide.data * b), np.sum(a * narrow.data), rtol=1e-10, atol=1e-12
    )


@settings(max_examples=30)
@given(BROADCAST_PAIRS, st.data())
def test_broadcast_to_and_sum_to_backprop_each_other(dz, shapes, data):
    import dezero.functions as F

    shape, target = shapes.input_shapes[0], shapes.result_shape
    a = data.draw(arrays(shape))
    b = data.draw(arrays(target))
    x = dz.Variable(a.copy())
    F.sum(F.broadcast_to(x, target) * b).backward()
    gx = dz.values(x.grad)
    assert gx.shape == shape
    np.testing.assert_allclose(gx, numpy_sum_to(b, shape), rtol=1e-12, atol=1e-12)

    y = dz.Variable(b.copy())
    F.sum(F.sum_to(y, shape) * a).backward()
    gy = dz.values(y.grad)
    assert gy.shape == target
    np.testing.assert_array_equal(gy, np.broadcast_to(a, target))

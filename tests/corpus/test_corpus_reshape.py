"""Every snapshot from step 38: reshape and transpose, and their round trips.

Properties: reshape and transpose give NumPy's values; reshaping back, or
transposing by the inverse permutation, returns x exactly; backward carries a
random upstream gradient back to x's shape by the inverse operation.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import arrays, axes_permutations, reshape_pairs

SINCE = 38


@settings(max_examples=30)
@given(reshape_pairs(), st.data())
def test_reshape_round_trip(dz, shapes, data):
    import dezero.functions as F

    old, shape = shapes
    a = data.draw(arrays(old))
    x = dz.Variable(a.copy())
    y = F.reshape(x, shape)
    np.testing.assert_array_equal(y.data, a.reshape(shape))
    np.testing.assert_array_equal(F.reshape(y, a.shape).data, a)
    np.testing.assert_array_equal(x.reshape(*shape).data, a.reshape(shape))
    np.testing.assert_array_equal(x.reshape(shape).data, a.reshape(shape))

    gy = np.arange(1.0, a.size + 1).reshape(shape)  # a distinct value per element
    F.sum(y * gy).backward()
    grad = dz.values(x.grad)
    assert grad.shape == a.shape
    np.testing.assert_array_equal(grad, gy.reshape(a.shape))


@settings(max_examples=30)
@given(axes_permutations(), st.data())
def test_transpose_round_trip(dz, shape_axes, data):
    import dezero.functions as F

    old, axes = shape_axes
    a = data.draw(arrays(old))
    inverse = tuple(np.argsort(axes))
    x = dz.Variable(a.copy())
    y = F.transpose(x, axes)
    np.testing.assert_array_equal(y.data, np.transpose(a, axes))
    np.testing.assert_array_equal(F.transpose(y, inverse).data, a)
    np.testing.assert_array_equal(x.transpose(*axes).data, np.transpose(a, axes))
    np.testing.assert_array_equal(F.transpose(x).data, a.T)
    np.testing.assert_array_equal(x.T.data, a.T)

    gy = np.arange(1.0, a.size + 1).reshape(y.shape)
    F.sum(y * gy).backward()
    grad = dz.values(x.grad)
    assert grad.shape == a.shape
    np.testing.assert_array_equal(grad, np.transpose(gy, inverse))

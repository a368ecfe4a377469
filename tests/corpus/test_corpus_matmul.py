"""Every snapshot from step 41: matmul and its gradients, gx = gy·Wᵀ and gW = xᵀ·gy.

Property on random (n, k) and (k, m) matrices and a random upstream gradient gy of
shape (n, m): F.matmul gives x @ W, backward gives exactly those two products, each
of its input's shape.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import arrays

SINCE = 41

SIDES = st.integers(1, 4)


@settings(max_examples=30)
@given(SIDES, SIDES, SIDES, st.data())
def test_matmul_gradients_are_the_transposed_products(dz, n, k, m, data):
    import dezero.functions as F

    a, w, gy = (
        data.draw(arrays((n, k))),
        data.draw(arrays((k, m))),
        data.draw(arrays((n, m))),
    )
    x, W = dz.Variable(a.copy()), dz.Variable(w.copy())
    y = F.matmul(x, W)
    assert y.shape == (n, m)
    np.testing.assert_allclose(y.data, a @ w, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(x.matmul(W).data, y.data)
    np.testing.assert_array_equal(x.dot(W).data, y.data)

    F.sum(y * gy).backward()
    gx, gW = dz.values(x.grad), dz.values(W.grad)
    assert gx.shape == (n, k) and gW.shape == (k, m)
    np.testing.assert_allclose(gx, gy @ w.T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gW, a.T @ gy, rtol=1e-10, atol=1e-12)

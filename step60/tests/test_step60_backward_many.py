"""Step 13 behaviour, kept: backward hands one gradient to each input of a Function."""

import numpy as np

from dezero.core import Add, Variable, add, numerical_diff, square


def test_add_backward_passes_the_gradient_to_both_inputs():
    f = Add()
    f(np.array([1.0, 2.0]), np.array([3.0, 4.0]))  # step 40: forward notes the shapes
    gy = np.array([1.0, 2.0])
    gx0, gx1 = f.backward(gy)
    assert gx0 is gy and gx1 is gy


def test_sum_of_squares():
    x = Variable(np.array(2.0))
    y = Variable(np.array(3.0))
    z = add(square(x), square(y))
    z.backward()
    assert (z.data, x.grad.data, y.grad.data) == (13.0, 4.0, 6.0)


def test_gradient_check_of_add_and_square():
    rng = np.random.default_rng(13)
    a, b = rng.uniform(-2, 2, size=3), rng.uniform(-2, 2, size=3)
    x, y = Variable(a), Variable(b)
    add(square(x), square(y)).backward()
    dx = numerical_diff(lambda v: add(square(v), square(Variable(b))), Variable(a))
    dy = numerical_diff(lambda v: add(square(Variable(a)), square(v)), Variable(b))
    np.testing.assert_allclose(x.grad.data, dx, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(y.grad.data, dy, rtol=1e-4, atol=1e-5)

"""Step 20: Mul, and the + and * operators on Variables."""

import numpy as np

from dezero.core import Add, Mul, Variable, mul, numerical_diff


def test_mul_forward_and_backward():
    a, b = Variable(np.array(3.0)), Variable(np.array(2.0))
    y = mul(a, b)
    y.backward()
    assert (y.data, a.grad.data, b.grad.data) == (6.0, 2.0, 3.0)


def test_operators_build_the_same_graph():
    a, b = Variable(np.array(3.0)), Variable(np.array(2.0))
    assert isinstance((a * b).creator, Mul) and isinstance((a + b).creator, Add)


def test_a_times_a():
    a = Variable(np.array(3.0))
    (a * a).backward()
    assert a.grad.data == 6.0


def test_mul_gradient_check():
    rng = np.random.default_rng(20)
    p, q = rng.uniform(-2, 2, 4), rng.uniform(-2, 2, 4)
    x0, x1 = Variable(p), Variable(q)
    (x0 * x1 + x0).backward()
    d0 = numerical_diff(lambda v: v * Variable(q) + v, Variable(p))
    d1 = numerical_diff(lambda v: Variable(p) * v + Variable(p), Variable(q))
    np.testing.assert_allclose(x0.grad.data, d0, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(x1.grad.data, d1, rtol=1e-4, atol=1e-5)

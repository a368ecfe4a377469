"""Steps 07-08: creator links let Variable.backward run the whole chain by itself."""

import sys

import numpy as np

from dezero import Exp, Function, Square, Variable, numerical_diff


def chain(x):
    return Square()(Exp()(Square()(x)))


def test_links_recorded_in_forward():
    A, B = Square(), Exp()
    x = Variable(np.array(0.5))
    a = A(x)
    b = B(a)
    assert x.creator is None
    assert a.creator is A and A.input is x and A.output is a
    assert b.creator is B and B.input is a and B.output is b


def test_automatic_backward_matches_numerical_diff():
    for value in (0.5, -0.3, 1.2):
        x = Variable(np.array(value))
        y = chain(x)
        y.grad = np.array(1.0)
        y.backward()
        expected = numerical_diff(chain, Variable(np.array(value)))
        np.testing.assert_allclose(x.grad, expected, rtol=1e-6)


def test_backward_fills_every_intermediate_grad():
    x = Variable(np.array(0.5))
    a = Square()(x)
    b = Exp()(a)
    y = Square()(b)
    y.grad = np.array(1.0)
    y.backward()
    np.testing.assert_allclose(b.grad, 2 * b.data, rtol=1e-15)
    np.testing.assert_allclose(a.grad, 2 * b.data * np.exp(a.data), rtol=1e-15)


def test_backward_on_a_user_variable_does_nothing():
    x = Variable(np.array(2.0))
    x.grad = np.array(1.0)
    x.backward()
    assert x.grad == 1.0 and x.creator is None


class Identity(Function):
    """Test-only op: y = x; gx = gy."""

    def forward(self, x):
        return x

    def backward(self, gy):
        return gy


def test_loop_backward_survives_a_chain_deeper_than_the_recursion_limit():
    # Step 07's recursive version raises RecursionError here.
    x = Variable(np.array(1.0))
    y = x
    for _ in range(sys.getrecursionlimit() + 100):
        y = Identity()(y)
    y.grad = np.array(1.0)
    y.backward()
    assert x.grad == 1.0

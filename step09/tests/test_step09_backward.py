"""Step 06: every Function has a backward; calling them in reverse gives dy/dx."""

import numpy as np
import pytest

from dezero import Exp, Function, Square, Variable, numerical_diff


def test_grad_starts_as_none():
    assert Variable(np.array(1.0)).grad is None


def test_function_remembers_its_input():
    x = Variable(np.array(3.0))
    f = Square()
    f(x)
    assert f.input is x


def test_square_backward():
    f = Square()
    f(Variable(np.array(3.0)))
    assert f.backward(np.array(1.0)) == 6.0


def test_exp_backward():
    f = Exp()
    f(Variable(np.array(1.5)))
    np.testing.assert_allclose(f.backward(np.array(2.0)), 2 * np.exp(1.5), rtol=1e-15)


def test_base_class_backward_is_abstract():
    with pytest.raises(NotImplementedError):
        Function().backward(np.array(1.0))


def test_manual_backprop_matches_numerical_diff():
    A, B, C = Square(), Exp(), Square()
    x = Variable(np.array(0.5))
    a = A(x)
    b = B(a)
    y = C(b)
    y.grad = np.array(1.0)
    b.grad = C.backward(y.grad)
    a.grad = B.backward(b.grad)
    x.grad = A.backward(a.grad)
    chain = lambda v: Square()(Exp()(Square()(v)))
    expected = numerical_diff(chain, Variable(np.array(0.5)))
    np.testing.assert_allclose(x.grad, expected, atol=1e-6)

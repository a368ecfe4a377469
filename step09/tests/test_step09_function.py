"""Step 02-03: Functions wrap forward's result in a new Variable and can be chained."""

import numpy as np
import pytest

from dezero import Exp, Function, Square, Variable


def test_square_returns_a_new_variable():
    x = Variable(np.array(10))
    y = Square()(x)
    assert isinstance(y, Variable)
    assert y is not x
    assert y.data == 100


def test_square_is_elementwise():
    x = Variable(np.array([1.0, -2.0, 3.0]))
    y = Square()(x)
    np.testing.assert_array_equal(y.data, [1.0, 4.0, 9.0])


def test_base_class_forward_is_abstract():
    with pytest.raises(NotImplementedError):
        Function()(Variable(np.array(1.0)))


def test_exp_is_elementwise():
    x = Variable(np.array([0.0, 1.0, -1.0]))
    np.testing.assert_allclose(Exp()(x).data, np.exp([0.0, 1.0, -1.0]), rtol=1e-15)


def test_chain_gives_exp_of_half_and_every_link_is_a_variable():
    x = Variable(np.array(0.5))
    a = Square()(x)
    b = Exp()(a)
    y = Square()(b)
    assert all(isinstance(v, Variable) for v in (a, b, y))
    np.testing.assert_allclose(y.data, np.exp(0.5), rtol=1e-12)

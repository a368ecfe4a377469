"""Step 02: a Function wraps forward's result in a new Variable."""

import numpy as np
import pytest

import demo
from dezero import Function, Square, Variable


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


def test_demo(capsys):
    y = demo.main()
    assert y.data == 100
    assert capsys.readouterr().out.splitlines() == ["<class 'dezero.Variable'>", "100"]

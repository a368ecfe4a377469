"""Step 21: Variables mix with ndarrays and Python scalars on either side."""

import numpy as np
import pytest

from dezero.core import Variable, add, as_variable


def test_as_variable():
    x = Variable(np.array(1.0))
    assert as_variable(x) is x
    a = np.array([1.0, 2.0])
    v = as_variable(a)
    assert isinstance(v, Variable) and v.data is a


@pytest.mark.parametrize(
    "expr, value",
    [
        (lambda x: x + np.array(3.0), 5.0),
        (lambda x: np.array(3.0) + x, 5.0),
        (lambda x: x + 3.0, 5.0),
        (lambda x: 3 + x, 5.0),
        (lambda x: 3.0 * x + 1.0, 7.0),
        (lambda x: x * np.float64(3.0), 6.0),
    ],
)
def test_mixed_operands(expr, value):
    x = Variable(np.array(2.0))
    y = expr(x)
    assert isinstance(y, Variable) and y.data == value


def test_ndarray_on_the_left_returns_a_variable():
    x = Variable(np.array([2.0]))
    y = np.array([2.0]) + x
    assert isinstance(y, Variable)
    np.testing.assert_array_equal(y.data, [4.0])


def test_only_variables_receive_gradients():
    x = Variable(np.array(2.0))
    a = np.array(3.0)
    y = a * x + 1.0
    y.backward()
    assert x.grad.data == 3.0
    # The ndarray is wrapped in a fresh Variable: a leaf, not x, not a itself.
    constant = y.creator.inputs[0].creator.inputs[1]  # a * x runs as mul(x, a)
    assert isinstance(constant, Variable) and constant is not x
    assert constant.data is a and constant.creator is None


def test_functions_accept_arrays_directly():
    y = add(np.array(1.0), np.array(2.0))
    assert isinstance(y, Variable) and y.data == 3.0


@pytest.mark.parametrize("bad", ["a", None, [1.0, 2.0], {"a": 1}])
def test_unsupported_operands_raise_a_clear_type_error(bad):
    x = Variable(np.array(2.0))
    message = "is not supported|unsupported operand|holds no data"
    with pytest.raises(TypeError, match=message):
        x + bad
    with pytest.raises(TypeError, match=message):
        bad * x

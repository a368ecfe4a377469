"""A student's likely mistakes get an error that names the DeZero call, the value
that was wrong and what would be accepted (issue 15), from the step that brings
the API in."""

import numpy as np
import pytest

from dezero import Variable


def test_complex_data_is_refused():
    # The derivatives DeZero knows are for real numbers; a complex gradient would
    # come out silently wrong.
    with pytest.raises(TypeError, match="complex128 is not supported.*real"):
        Variable(np.array([1 + 2j]))


def test_backward_of_an_empty_variable_says_so():
    with pytest.raises(ValueError, match=r"backward: this Variable holds no data"):
        Variable(None).backward()


@pytest.mark.parametrize("left", [True, False])
def test_an_operand_without_data_is_named(left):
    x, empty = Variable(np.array(2.0)), Variable(None)
    side = "first" if left else "second"
    with pytest.raises(TypeError, match=f"add: the {side} operand holds no data"):
        (empty + x) if left else (x + empty)
    with pytest.raises(TypeError, match="mul: the second operand holds no data"):
        x * None


def test_shapes_that_do_not_broadcast_name_the_operation_and_the_shapes():
    a, b = Variable(np.ones((2, 3))), Variable(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"add: operands of shapes \(2, 3\)"):
        a + b
    c = Variable(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"mul: operands of shapes \(2, 3\)"):
        a * c


def test_sub_and_div_name_themselves_when_shapes_do_not_fit():
    a, b = Variable(np.ones((2, 3))), Variable(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"sub: operands of shapes \(2, 3\)"):
        a - b
    with pytest.raises(ValueError, match=r"div: operands of shapes \(2, 3\)"):
        a / b


def test_a_variable_exponent_is_refused_clearly():
    x = Variable(np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="pow: the exponent must be a constant"):
        x ** Variable(np.array(2.0))
    assert np.array_equal((x ** np.array(2.0)).data, [1.0, 4.0])  # an ndarray is fine


def test_any_function_names_an_input_without_data():
    with pytest.raises(TypeError, match="Pow: input 0 holds no data"):
        Variable(None) ** 2

"""A student's likely mistakes get an error that names the DeZero call, the value
that was wrong and what would be accepted (issue 15), from the step that brings
the API in."""

import numpy as np
import pytest

import dezero.functions as F
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


@pytest.mark.parametrize("shape", [(-2, 3), (-1, -1), (3.0, 2)])
def test_reshape_refuses_sizes_numpy_would_guess(shape):
    # NumPy reads reshape(-2, 3) as (-1, 3); a student who typed -2 meant something
    # else, so DeZero says what sizes are allowed.
    x = Variable(np.arange(6.0).reshape(2, 3))
    with pytest.raises(ValueError, match=r"reshape: got shape .*int >= 0, or -1 once"):
        x.reshape(*shape)
    assert x.reshape(-1, 3).shape == (2, 3)  # one -1 is still inferred


def test_sum_names_an_axis_of_the_wrong_type():
    x = Variable(np.ones((2, 3)))
    with pytest.raises(TypeError, match=r"sum: axis must be None, an int or a tuple"):
        F.sum(x, axis=1.5)
    with pytest.raises(TypeError, match=r"sum: axis must be .* different ints"):
        x.sum(axis=(0, 0))
    with pytest.raises(ValueError, match=r"sum: axis 5 is out of range .*\(2, 3\)"):
        F.sum(x, axis=5)


def test_mean_squared_error_of_two_scalars_is_their_squared_difference():
    # PyTorch's mse_loss returns (a - b) ** 2 for 0-d inputs; so does DeZero now
    # (it used to crash on len() of a 0-d array).
    a, b = Variable(np.array(1.0)), Variable(np.array(3.0))
    loss = F.mean_squared_error(a, b)
    assert loss.data == 4.0
    loss.backward()
    assert a.grad.data == -4.0 and b.grad.data == 4.0  # 2 (a - b), -2 (a - b)

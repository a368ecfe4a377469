"""Step 12 behaviour, kept: __call__(*inputs), forward(*xs), one output unwrapped."""

import numpy as np
import pytest

from dezero.core import Add, Function, Square, Variable, add


class SplitSign(Function):
    """Test-only op with two outputs: the positive and the negative part of x."""

    def forward(self, x):
        return np.maximum(x, 0), np.minimum(x, 0)


def test_add_returns_a_variable_not_a_list():
    x0, x1 = Variable(np.array(2)), Variable(np.array(3))
    y = add(x0, x1)
    assert isinstance(y, Variable) and y.data == 5
    assert isinstance(y.creator, Add)
    assert list(y.creator.inputs) == [x0, x1]


def test_forward_takes_unpacked_arrays_and_may_return_a_bare_array():
    assert Add().forward(np.array(1.0), np.array(2.0)) == 3.0
    assert Square().forward(np.array(3.0)) == 9.0


def test_two_outputs_come_back_as_a_list():
    ys = SplitSign()(Variable(np.array([-1.0, 2.0])))
    assert isinstance(ys, list) and len(ys) == 2
    np.testing.assert_array_equal(ys[0].data, [0.0, 2.0])
    np.testing.assert_array_equal(ys[1].data, [-1.0, 0.0])
    assert ys[0].creator is ys[1].creator


def test_wrong_number_of_inputs_names_the_function():
    x = Variable(np.array(1.0))
    with pytest.raises(TypeError, match=r"Add.forward\(\) missing 1 required"):
        Add()(x)
    with pytest.raises(TypeError, match=r"Square.forward\(\) takes 2 positional"):
        Square()(x, x)

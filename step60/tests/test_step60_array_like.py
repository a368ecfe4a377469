"""Step 19: Variable answers shape, ndim, size, dtype, len and repr like an ndarray."""

import numpy as np
import pytest

from dezero.core import Variable, square


def test_name():
    assert Variable(np.array(1.0)).name is None
    assert Variable(np.array(1.0), name="x").name == "x"
    assert Variable(np.array(1.0), "y").name == "y"


def test_properties_follow_the_data():
    x = Variable(np.array([[1, 2, 3], [4, 5, 6]]))
    assert x.shape == (2, 3)
    assert (len(x), x.size, x.ndim) == (2, 6, 2)
    assert x.dtype == np.array([[1, 2, 3]]).dtype
    assert Variable(np.zeros((4, 1), dtype=np.float32)).dtype == np.float32


def test_len_of_a_0d_variable_is_an_error_as_for_ndarrays():
    with pytest.raises(TypeError, match="len"):
        len(Variable(np.array(1.0)))


def test_repr():
    x = Variable(np.array([[1, 2, 3], [4, 5, 6]]))
    assert repr(x) == "variable([[1 2 3]\n          [4 5 6]])"
    assert repr(Variable(np.array(1.0))) == "variable(1.0)"
    assert repr(Variable(None)) == "variable(None)"


def test_outputs_are_array_like_too():
    y = square(Variable(np.ones((2, 3))))
    assert y.shape == (2, 3) and repr(y).startswith("variable([[1. 1. 1.]")

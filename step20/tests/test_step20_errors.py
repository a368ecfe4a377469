"""A student's likely mistakes get an error that names the DeZero call, the value
that was wrong and what would be accepted (issue 15), from the step that brings
the API in."""

import numpy as np
import pytest

from dezero import Square


@pytest.mark.parametrize("bad", [np.array(2.0), 2.0])
def test_a_function_given_an_array_or_a_number_asks_for_a_variable(bad):
    # An ndarray's own .data is a memory buffer, so without the check NumPy would
    # complain about a 'memoryview'; step 21 makes arrays welcome instead.
    with pytest.raises(TypeError, match="Square: expected a Variable.*Variable"):
        Square()(bad)

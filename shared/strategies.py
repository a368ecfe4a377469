"""Hypothesis strategies shared by the top-level test corpus (NumPy only).

Bounded, finite float64 arrays of small shapes, as the style guide asks: at most 3
axes, at most 4 elements per axis, values within a range chosen by the caller.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)


def floats(low=-3.0, high=3.0):
    """Finite float64 values in [low, high]."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False, width=64)


def arrays(shape=SHAPES, low=-3.0, high=3.0):
    """float64 arrays of the given shape (or shape strategy) with bounded values."""
    return hnp.arrays(np.float64, shape, elements=floats(low, high))


def positive_arrays(shape=SHAPES, low=0.5, high=3.0):
    """Arrays bounded away from zero: safe for division and negative powers."""
    return arrays(shape, low, high)


@st.composite
def same_shape_pairs(draw, low=0.5, high=3.0):
    """Two arrays of one shape, both bounded away from zero."""
    shape = draw(SHAPES)
    return draw(arrays(shape, low, high)), draw(arrays(shape, low, high))

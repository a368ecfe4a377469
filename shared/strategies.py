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


# Stage 4 (steps 37+): shapes that reshape, transpose and broadcast.

# Two shapes and np.broadcast_shapes of them: .input_shapes and .result_shape.
BROADCAST_PAIRS = hnp.mutually_broadcastable_shapes(
    num_shapes=2, min_dims=0, max_dims=3, min_side=1, max_side=4
)


@st.composite
def reshape_pairs(draw, shape=SHAPES):
    """A shape and another one of the same size, with at most 3 axes.

    The new shape regroups the old one's factors (4 counts as 2 * 2) in a random
    order, so it is rarely just the old shape flattened or permuted.
    """
    old = draw(shape)
    factors = [f for side in old for f in ((2, 2) if side == 4 else (side,)) if f > 1]
    factors = draw(st.permutations(factors))
    new = [1] * draw(st.integers(1 if factors else 0, 3))
    for f in factors:
        new[draw(st.integers(0, len(new) - 1))] *= f
    return old, tuple(new)


@st.composite
def axes_permutations(draw, shape=SHAPES):
    """A shape and a permutation of its axes (a tuple, as np.transpose takes)."""
    old = draw(shape)
    return old, tuple(draw(st.permutations(range(len(old)))))


@st.composite
def sum_axes(draw, shape=SHAPES):
    """A shape and an axis argument for sum over it: None, an int or a tuple of
    distinct axes in any order, each maybe counted from the end."""
    old = draw(shape)
    ndim = len(old)
    kind = draw(st.sampled_from(("int", "tuple", "None") if ndim else ("None",)))
    if kind == "None":
        return old, None
    if kind == "int":
        return old, draw(st.integers(-ndim, ndim - 1))
    axes = draw(st.permutations(range(ndim)))[: draw(st.integers(1, ndim))]
    return old, tuple(a - ndim if draw(st.booleans()) else a for a in axes)

"""Differentiable functions beyond arithmetic; import it as `dezero.functions as F`."""

import numpy as np

from dezero import utils
from dezero.core import Function, as_variable


class Sin(Function):
    """Elementwise sine; gx = gy * cos(x)."""

    def forward(self, x):
        y = np.sin(x)
        return y

    def backward(self, gy):
        (x,) = self.inputs
        gx = gy * cos(x)  # a DeZero function, so higher derivatives work
        return gx


def sin(x):
    """Sine of a Variable."""
    return Sin()(x)


class Cos(Function):
    """Elementwise cosine; gx = -gy * sin(x)."""

    def forward(self, x):
        y = np.cos(x)
        return y

    def backward(self, gy):
        (x,) = self.inputs
        gx = gy * -sin(x)
        return gx


def cos(x):
    """Cosine of a Variable."""
    return Cos()(x)


class Tanh(Function):
    """Elementwise hyperbolic tangent; gx = gy * (1 - y ** 2), from the output y."""

    def forward(self, x):
        y = np.tanh(x)
        return y

    def backward(self, gy):
        y = self.outputs[0]()  # the output, read through its weakref
        gx = gy * (1 - y * y)
        return gx


def tanh(x):
    """Hyperbolic tangent of a Variable."""
    return Tanh()(x)


class Sum(Function):
    """Sum over axis (every axis for None); gx = gy broadcast back to x's shape.

    Step 39: axis and keepdims, as in np.sum; step 37's preview summed everything.
    """

    def __init__(self, axis, keepdims):
        self.axis = axis
        self.keepdims = keepdims

    def forward(self, x):
        self.x_shape = x.shape
        try:
            y = x.sum(axis=self.axis, keepdims=self.keepdims)
        except np.exceptions.AxisError:
            raise ValueError(
                f"sum: axis {self.axis} is out of range for an array of shape "
                f"{x.shape} ({x.ndim} axes)"
            ) from None
        except (TypeError, ValueError):  # e.g. axis=1.5, or axis=(0, 0)
            raise TypeError(
                f"sum: axis must be None, an int or a tuple of different ints, got "
                f"{self.axis!r}"
            ) from None
        return y

    def backward(self, gy):
        # Put back the summed axes as size 1 (unless keepdims kept them), then copy
        # gy along them: every element of x added to its sum once.
        gy = utils.reshape_sum_backward(gy, self.x_shape, self.axis, self.keepdims)
        gx = broadcast_to(gy, self.x_shape)
        return gx


def sum(x, axis=None, keepdims=False):
    """Sum of the elements of x over axis (an int, a tuple, or None for all)."""
    return Sum(axis, keepdims)(x)


class Reshape(Function):
    """The same elements in a new shape; gx = gy reshaped back to the input shape."""

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.x_shape = x.shape
        sizes = self.shape if isinstance(self.shape, (tuple, list)) else (self.shape,)
        # NumPy takes reshape(-2, 3) as (-1, 3): refuse what a student cannot mean.
        if any(not isinstance(n, (int, np.integer)) or n < -1 for n in sizes) or (
            list(sizes).count(-1) > 1
        ):
            raise ValueError(
                f"reshape: got shape {self.shape}; each size must be an int >= 0, "
                "or -1 once, for the size that is inferred"
            )
        try:
            y = x.reshape(self.shape)
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape an array of shape {x.shape} ({x.size} "
                f"elements) to {self.shape}: the number of elements must not change"
            ) from None
        return y

    def backward(self, gy):
        return reshape(gy, self.x_shape)


def reshape(x, shape):
    """x in the given shape; x itself (as a Variable) when the shape already fits."""
    if x.shape == shape:
        return as_variable(x)
    return Reshape(shape)(x)


class Transpose(Function):
    """Axes permuted (reversed for axes=None); gx = gy under the inverse permutation."""

    def __init__(self, axes=None):
        self.axes = axes

    def forward(self, x):
        if self.axes is not None:
            in_range = all(-x.ndim <= ax < x.ndim for ax in self.axes)
            if not in_range or sorted(ax % x.ndim for ax in self.axes) != list(
                range(x.ndim)
            ):
                raise ValueError(
                    f"transpose: axes {tuple(self.axes)} are not a permutation of the "
                    f"{x.ndim} axes of an array of shape {x.shape}"
                )
        y = x.transpose(self.axes)
        return y

    def backward(self, gy):
        if self.axes is None:
            return transpose(gy)  # reversing twice is the identity
        # Axis ax of x went to position i; argsort sends every axis back.
        inv_axes = tuple(np.argsort([ax % gy.ndim for ax in self.axes]))
        return transpose(gy, inv_axes)


def transpose(x, axes=None):
    """x with its axes permuted; the reverse order when axes is None."""
    return Transpose(axes)(x)


class BroadcastTo(Function):
    """x repeated to a larger shape, as NumPy broadcasts; gx = sum_to(gy, x.shape)."""

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.x_shape = x.shape
        try:
            # np.broadcast_to gives a read-only view whose elements share memory;
            # a copy is a plain array that later in-place updates cannot corrupt.
            y = np.broadcast_to(x, self.shape).copy()
        except ValueError:
            raise ValueError(
                f"broadcast_to: cannot broadcast an array of shape {x.shape} to "
                f"{self.shape} (each axis must match or be 1)"
            ) from None
        return y

    def backward(self, gy):
        gx = sum_to(gy, self.x_shape)
        return gx


def broadcast_to(x, shape):
    """x broadcast to shape; x itself (as a Variable) when the shape already fits."""
    if x.shape == shape:
        return as_variable(x)
    return BroadcastTo(shape)(x)


class SumTo(Function):
    """Sums x down to shape, undoing a broadcast; gx = broadcast_to(gy, x.shape)."""

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.x_shape = x.shape
        y = utils.sum_to(x, self.shape)
        return y

    def backward(self, gy):
        gx = broadcast_to(gy, self.x_shape)
        return gx


def sum_to(x, shape):
    """x summed down to shape; x itself (as a Variable) when the shape already fits."""
    if x.shape == shape:
        return as_variable(x)
    return SumTo(shape)(x)


class MatMul(Function):
    """Matrix product x @ W; gx = gy @ W.T, gW = x.T @ gy."""

    def forward(self, x, W):
        # Matrix @ matrix or vector . vector; backward also meets a 0-d gy (a
        # scalar times an array). A vector with a matrix would need outer
        # products in backward: reshape the vector to (1, n) or (n, 1) instead.
        if {x.ndim, W.ndim} == {1, 2}:
            raise ValueError(
                f"matmul: takes two matrices or two vectors, not shapes {x.shape} and "
                f"{W.shape}: reshape the vector to (1, n) or (n, 1)"
            )
        # np.dot contracts the last axis of x with the first axis of W.
        if x.ndim and W.ndim and x.shape[-1] != W.shape[0]:
            raise ValueError(
                f"matmul: x of shape {x.shape} and W of shape {W.shape} do not fit: "
                f"x.shape[-1] ({x.shape[-1]}) must equal W.shape[0] ({W.shape[0]})"
            )
        y = x.dot(W)
        return y

    def backward(self, gy):
        x, W = self.inputs
        gx = matmul(gy, W.T)
        gW = matmul(x.T, gy)
        return gx, gW


def matmul(x, W):
    """The matrix product of x and W (vector-vector gives a scalar)."""
    return MatMul()(x, W)


def _check_same_shape(name, x0, x1):
    """A loss compares two arrays element by element: refuse a broadcast that would
    pair elements of one with other elements of the other. One that adds only axes
    of size 1, such as (1, 1) against (1,), is harmless and allowed."""
    try:
        size = int(np.prod(np.broadcast_shapes(x0.shape, x1.shape)))
    except ValueError:
        size = None
    if size is None or (size > x0.size and size > x1.size):
        raise ValueError(
            f"{name}: x0 of shape {x0.shape} and x1 of shape {x1.shape} must have "
            "the same shape (a (N, 1) prediction against (N,) targets would "
            "broadcast to (N, N))"
        )


def mean_squared_error_simple(x0, x1):
    """Mean over the first axis of sum((x0 - x1) ** 2), from DeZero functions."""
    x0, x1 = as_variable(x0), as_variable(x1)
    _check_same_shape("mean_squared_error_simple", x0, x1)
    diff = x0 - x1
    y = sum(diff**2) / len(diff)
    return y


class MeanSquaredError(Function):
    """sum((x0 - x1) ** 2) / N in one function; gx0 = gy * 2 (x0 - x1) / N = -gx1.

    Unlike mean_squared_error_simple, it keeps no intermediate Variables alive.
    """

    def forward(self, x0, x1):
        _check_same_shape("mean_squared_error", x0, x1)
        diff = x0 - x1
        # A NumPy scalar of the same dtype: NumPy 1.x makes float32 / int float64.
        n = len(diff) if diff.ndim else 1  # two 0-d values are one sample
        y = (diff**2).sum() / diff.dtype.type(n)
        return y

    def backward(self, gy):
        x0, x1 = self.inputs
        diff = x0 - x1
        gx0 = gy * diff * (2.0 / (len(diff) if diff.ndim else 1))
        gx1 = -gx0
        if x0.shape != x1.shape:  # a harmless broadcast: sum back to each shape
            gx0 = sum_to(gx0, x0.shape)
            gx1 = sum_to(gx1, x1.shape)
        return gx0, gx1


def mean_squared_error(x0, x1):
    """Mean squared error over a batch (the first axis), as a scalar Variable."""
    return MeanSquaredError()(x0, x1)

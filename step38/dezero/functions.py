"""Differentiable functions beyond arithmetic; import it as `dezero.functions as F`."""

import numpy as np

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
    """Sum of every element; gx = gy copied to the shape of x.

    A preview: the book's step 37 already calls F.sum; step 39 adds axis and keepdims.
    """

    def forward(self, x):
        self.x_shape = x.shape
        y = x.sum()
        return y

    def backward(self, gy):
        # Each element of x adds to y once, so each gets the whole of gy.
        gx = gy * np.ones(self.x_shape, dtype=gy.dtype)
        return gx


def sum(x):
    """Sum of all elements of a Variable: a scalar, like a loss."""
    return Sum()(x)


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

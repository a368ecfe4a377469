"""Differentiable functions beyond arithmetic; import it as `dezero.functions as F`."""

import numpy as np

from dezero.core import Function


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

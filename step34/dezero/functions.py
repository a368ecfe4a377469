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

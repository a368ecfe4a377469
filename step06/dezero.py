"""DeZero: a deep-learning framework built from scratch, one step at a time."""

import numpy as np


class Variable:
    """A box that holds a NumPy array in ``data`` and its gradient in ``grad``."""

    def __init__(self, data):
        self.data = data
        self.grad = None


class Function:
    """Base class of operations: unwraps the input, runs forward, wraps the result."""

    def __call__(self, input):
        x = input.data
        y = self.forward(x)
        output = Variable(y)
        self.input = input  # step 06: backward needs the input seen in forward
        return output

    def forward(self, x):
        """The computation on arrays; every subclass defines its own."""
        raise NotImplementedError()

    def backward(self, gy):
        """Gradients of the inputs from those of the outputs; defined by subclasses."""
        raise NotImplementedError()


class Square(Function):
    """Elementwise square; gx = 2 * x * gy."""

    def forward(self, x):
        return x**2

    def backward(self, gy):
        x = self.input.data
        gx = 2 * x * gy
        return gx


class Exp(Function):
    """Elementwise exponential; gx = exp(x) * gy."""

    def forward(self, x):
        return np.exp(x)

    def backward(self, gy):
        x = self.input.data
        gx = np.exp(x) * gy
        return gx


def numerical_diff(f, x, eps=1e-4):
    """Central difference (f(x + eps) - f(x - eps)) / (2 * eps) of f at Variable x."""
    x0 = Variable(x.data - eps)
    x1 = Variable(x.data + eps)
    y0 = f(x0)
    y1 = f(x1)
    return (y1.data - y0.data) / (2 * eps)

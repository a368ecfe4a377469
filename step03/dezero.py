"""DeZero: a deep-learning framework built from scratch, one step at a time."""

import numpy as np


class Variable:
    """A box that holds a NumPy array in ``data``."""

    def __init__(self, data):
        self.data = data


class Function:
    """Base class of operations: unwraps the input, runs forward, wraps the result."""

    def __call__(self, input):
        x = input.data
        y = self.forward(x)
        output = Variable(y)
        return output

    def forward(self, x):
        """The computation on arrays; every subclass defines its own."""
        raise NotImplementedError()


class Square(Function):
    """Elementwise square."""

    def forward(self, x):
        return x**2


class Exp(Function):
    """Elementwise exponential."""

    def forward(self, x):
        return np.exp(x)

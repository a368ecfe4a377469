"""DeZero: a deep-learning framework built from scratch, one step at a time."""

import numpy as np


class Variable:
    """A box that holds a NumPy array in ``data`` and its gradient in ``grad``."""

    def __init__(self, data):
        if data is not None:
            if not isinstance(data, np.ndarray):
                raise TypeError(
                    f"{type(data)} is not supported: Variable data must be an "
                    "np.ndarray or None (wrap numbers with np.array)"
                )

        self.data = data
        self.grad = None
        self.creator = None

    def set_creator(self, func):
        """Record the Function that produced this Variable: a link back in the graph."""
        self.creator = func

    def backward(self):
        """Propagate grad back through every creator, one Function at a time."""
        if self.grad is None:
            self.grad = np.ones_like(self.data)  # step 09: dy/dy = 1 by default

        funcs = []
        if self.creator is not None:
            funcs.append(self.creator)
        # step 08: a loop over pending functions instead of recursion, so the depth
        # of the graph is not limited by Python's recursion limit.
        while funcs:
            f = funcs.pop()
            x, y = f.inputs[0], f.outputs[0]  # step 11: one input and output for now
            x.grad = f.backward(y.grad)

            if x.creator is not None:
                funcs.append(x.creator)


def as_array(x):
    """Turn a NumPy or Python scalar into a 0-d ndarray; return arrays unchanged."""
    if np.isscalar(x):
        return np.array(x)
    return x


class Function:
    """Base class of operations: unwraps the input, runs forward, wraps the result."""

    def __call__(self, *inputs):
        try:
            xs = [x.data for x in inputs]
            ys = self.forward(*xs)
        except (AttributeError, TypeError):
            for x in inputs:
                if not isinstance(x, Variable):
                    # step 09: f(np.array(2.0)) would fail on an ndarray's .data.
                    raise TypeError(
                        f"{type(self).__name__}: expected a Variable for each input, "
                        f"got {type(x).__name__}; wrap the data first: "
                        "Variable(np.array(...))"
                    ) from None
            raise  # the inputs are fine: not our business
        if not isinstance(ys, tuple):  # step 12: a single output may come back bare
            ys = (ys,)
        # step 09: NumPy returns scalars such as np.float64 from 0-d arithmetic.
        outputs = [Variable(as_array(y)) for y in ys]
        for output in outputs:
            output.set_creator(self)
        self.inputs = inputs  # step 06: backward needs the input seen in forward
        self.outputs = outputs
        return outputs if len(outputs) > 1 else outputs[0]

    def forward(self, *xs):
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
        x = self.inputs[0].data
        gx = 2 * x * gy
        return gx


def square(x):
    """Square of a Variable, as a plain Python function."""
    return Square()(x)


class Exp(Function):
    """Elementwise exponential; gx = exp(x) * gy."""

    def forward(self, x):
        return np.exp(x)

    def backward(self, gy):
        x = self.inputs[0].data
        gx = np.exp(x) * gy
        return gx


def exp(x):
    """Exponential of a Variable, as a plain Python function."""
    return Exp()(x)


class Add(Function):
    """Sum of two inputs."""

    def forward(self, x0, x1):
        y = x0 + x1
        return y


def add(x0, x1):
    """Sum of two Variables, as a plain Python function."""
    return Add()(x0, x1)


def numerical_diff(f, x, eps=1e-4):
    """Central difference (f(x + eps) - f(x - eps)) / (2 * eps) of f at Variable x."""
    x0 = Variable(as_array(x.data - eps))
    x1 = Variable(as_array(x.data + eps))
    y0 = f(x0)
    y1 = f(x1)
    return (y1.data - y0.data) / (2 * eps)

"""DeZero: a deep-learning framework built from scratch, one step at a time."""

import contextlib
import weakref

import numpy as np


class Config:
    """Global switches; enable_backprop=False skips recording the graph."""

    enable_backprop = True


@contextlib.contextmanager
def using_config(name, value):
    """Set a Config attribute inside a with-block; restore it afterwards."""
    old_value = getattr(Config, name)
    setattr(Config, name, value)
    try:
        yield
    finally:
        setattr(Config, name, old_value)


def no_grad():
    """A with-block in which no graph is recorded (inference only)."""
    return using_config("enable_backprop", False)


class Variable:
    """A box that holds a NumPy array in ``data`` and its gradient in ``grad``."""

    def __init__(self, data, name=None):
        if data is not None:
            if not isinstance(data, np.ndarray):
                raise TypeError(
                    f"{type(data)} is not supported: Variable data must be an "
                    "np.ndarray or None (wrap numbers with np.array)"
                )

        self.data = data
        self.name = name
        self.grad = None
        self.creator = None
        self.generation = 0

    @property
    def shape(self):
        """Shape of data, as for an ndarray."""
        return self.data.shape

    @property
    def ndim(self):
        """Number of axes of data."""
        return self.data.ndim

    @property
    def size(self):
        """Number of elements of data."""
        return self.data.size

    @property
    def dtype(self):
        """Element type of data."""
        return self.data.dtype

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        if self.data is None:
            return "variable(None)"
        p = str(self.data).replace("\n", "\n" + " " * 9)  # align under "variable("
        return "variable(" + p + ")"

    def set_creator(self, func):
        """Record the Function that produced this Variable: a link back in the graph."""
        self.creator = func
        self.generation = func.generation + 1

    def cleargrad(self):
        """Forget the gradient, before reusing this Variable in a new computation."""
        self.grad = None

    def backward(self, retain_grad=False):
        """Propagate grad back through every creator, one Function at a time."""
        if self.grad is None:
            self.grad = np.ones_like(self.data)  # step 09: dy/dy = 1 by default

        funcs = []
        seen_set = set()

        def add_func(f):
            # step 16: each function once, the latest generation popped first.
            if f not in seen_set:
                funcs.append(f)
                seen_set.add(f)
                funcs.sort(key=lambda x: x.generation)

        if self.creator is not None:
            add_func(self.creator)
        # step 08: a loop over pending functions instead of recursion, so the depth
        # of the graph is not limited by Python's recursion limit.
        while funcs:
            f = funcs.pop()
            gys = [output().grad for output in f.outputs]
            gxs = f.backward(*gys)
            if not isinstance(gxs, tuple):
                gxs = (gxs,)

            # step 13: a grad per input
            for x, gx in zip(f.inputs, gxs, strict=True):
                if x.grad is None:
                    x.grad = gx
                else:
                    # step 14: accumulate, out of place; `+=` would modify an array
                    # that another Variable may share (the book's appendix A).
                    x.grad = x.grad + gx

                if x.creator is not None:
                    add_func(x.creator)

            if not retain_grad:
                # step 18: only the leaves' gradients are usually wanted.
                for y in f.outputs:
                    y().grad = None  # y is a weakref


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

        if Config.enable_backprop:  # step 18: record the graph only when needed
            self.generation = max([x.generation for x in inputs])
            for output in outputs:
                output.set_creator(self)
            self.inputs = inputs  # step 06: backward needs the input seen in forward
            # step 17: weak references break the Function <-> output cycle, so a graph
            # is freed by reference counting as soon as its last output is dropped.
            self.outputs = [weakref.ref(output) for output in outputs]

        return outputs if len(outputs) > 1 else outputs[0]

    def forward(self, *xs):
        """The computation on arrays; every subclass defines its own."""
        raise NotImplementedError()

    def backward(self, *gys):
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
    """Sum of two inputs; gx0 = gx1 = gy."""

    def forward(self, x0, x1):
        y = x0 + x1
        return y

    def backward(self, gy):
        return gy, gy


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

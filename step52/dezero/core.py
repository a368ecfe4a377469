"""The stage-3 core of DeZero: gradients are Variables, so backward can be recorded."""

import contextlib
import numbers
import weakref

import numpy as np

import dezero

# step 52: Variables may hold CuPy arrays too, when CuPy is installed.
try:
    import cupy

    array_types = (np.ndarray, cupy.ndarray)
except ImportError:
    array_types = (np.ndarray,)


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

    # step 21: ndarray + Variable must call Variable.__radd__, not ndarray.__add__.
    __array_priority__ = 200

    def __init__(self, data, name=None):
        if data is not None:
            if not isinstance(data, array_types):
                raise TypeError(
                    f"{type(data)} is not supported: Variable data must be an "
                    "np.ndarray or None (wrap numbers with np.array)"
                )
            if data.dtype.kind not in "biufc":  # step 21: e.g. x + "a" ends up here
                raise TypeError(
                    f"dtype {data.dtype} is not supported: Variable data must hold "
                    "numbers"
                )
            if data.dtype.kind == "c":  # the derivatives here are for real numbers
                raise TypeError(
                    f"dtype {data.dtype} is not supported: Variable data must be "
                    "real (bool, int or float); complex gradients are not defined here"
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

    def backward(self, retain_grad=False, create_graph=False):
        """Propagate grad back through every creator, one Function at a time."""
        if self.grad is None:
            if self.data is None:
                raise ValueError(
                    "backward: this Variable holds no data (Variable(None)); "
                    "give it an ndarray before calling backward()"
                )
            # step 09: dy/dy = 1 by default
            # step 32: the gradient is a Variable, so it can be part of a graph.
            xp = dezero.cuda.get_array_module(self.data)  # step 52: on data's device
            self.grad = Variable(xp.ones_like(self.data))

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
        # step 32: backward runs DeZero functions; they record a graph of the
        # gradient computation only when a higher derivative is wanted. One with
        # block around the whole loop: entering it once per function cost more
        # than the arithmetic of a scalar backward.
        with using_config("enable_backprop", create_graph):
            # step 08: a loop over pending functions instead of recursion, so the
            # depth of the graph is not limited by Python's recursion limit.
            while funcs:
                f = funcs.pop()
                gys = [output().grad for output in f.outputs]
                gxs = f.backward(*gys)
                if not isinstance(gxs, tuple):
                    gxs = (gxs,)

                # step 13: a grad per input
                for x, gx in zip(f.inputs, gxs, strict=True):
                    if gx is None:  # step 43: a constant input gets no gradient
                        continue
                    if x.grad is None:
                        x.grad = gx
                    elif create_graph:
                        # step 14: accumulate, out of place; `+=` would modify an array
                        # that another Variable may share (the book's appendix A).
                        x.grad = x.grad + gx
                    else:
                        # Nothing to record: add the arrays without a Function call,
                        # still out of place.
                        x.grad = Variable(as_array(x.grad.data + gx.data))

                    if x.creator is not None:
                        add_func(x.creator)

                if not retain_grad:
                    # step 18: only the leaves' gradients are usually wanted.
                    for y in f.outputs:
                        y().grad = None  # y is a weakref

    # step 38: shape methods, as on an ndarray; the work is done in dezero.functions.
    def reshape(self, *shape):
        """x.reshape(2, 3), x.reshape((2, 3)) and x.reshape([2, 3]) all work."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return dezero.functions.reshape(self, shape)

    def transpose(self, *axes):
        """x.transpose() reverses the axes; x.transpose(1, 0, 2) or a tuple permutes."""
        if len(axes) == 0:
            axes = None
        elif len(axes) == 1 and (isinstance(axes[0], (tuple, list)) or axes[0] is None):
            axes = axes[0]
        return dezero.functions.transpose(self, axes)

    @property
    def T(self):
        """The transpose, axes reversed."""
        return dezero.functions.transpose(self)

    def sum(self, axis=None, keepdims=False):
        """Sum over axis, as ndarray.sum (step 39)."""
        return dezero.functions.sum(self, axis, keepdims)

    def to_cpu(self):
        """Move data to the CPU as a NumPy array (step 52)."""
        if self.data is not None:
            self.data = dezero.cuda.as_numpy(self.data)

    def to_gpu(self):
        """Move data to the GPU as a CuPy array (step 52); needs CuPy."""
        if self.data is not None:
            self.data = dezero.cuda.as_cupy(self.data)


class Parameter(Variable):
    """A Variable that a Layer learns: the same behaviour, told apart by isinstance."""


def as_variable(obj):
    """Return obj if it is a Variable, else wrap it in one."""
    if isinstance(obj, Variable):
        return obj
    return Variable(obj)


def as_array(x, array_module=np, like=None):
    """Turn a NumPy or Python scalar into a 0-d ndarray; return arrays unchanged.

    step 44: with `like` (the other operand), the scalar gets the dtype NumPy would
    give their result, so float32 * 0.5 stays float32 as it does for ndarrays;
    np.array(0.5) alone is float64, and float64 arrays win over float32 ones.
    step 52: the new array is made by array_module (np or cupy), or beside like.
    A constant (a NumPy scalar or a 0-d array too) never widens a float operand:
    float32 * np.float64(0.5) stays float32, as in PyTorch.
    """
    if np.isscalar(x):
        if like is None or not isinstance(x, numbers.Number):
            return array_module.array(x)  # e.g. a string: Variable rejects it
        like = like.data if isinstance(like, Variable) else like
        xp = dezero.cuda.get_array_module(like)  # step 52: beside like, on its device
        return xp.array(x, dtype=constant_dtype(like, x))
    if like is not None and isinstance(x, np.ndarray) and x.ndim == 0:
        like = like.data if isinstance(like, Variable) else like
        xp = dezero.cuda.get_array_module(like)
        return xp.asarray(x, dtype=constant_dtype(like, x))
    return x


def constant_dtype(like, x):
    """The dtype of a constant x beside an operand like: NumPy's promotion, except
    that a float operand keeps its own float dtype (NumPy 2 would widen float32 to
    float64 for an np.float64 scalar or a 0-d float64 array)."""
    like_dtype = getattr(like, "dtype", None)
    if like_dtype is not None and like_dtype.kind == "f":
        # A real constant takes the operand's float dtype: nothing to work out.
        if not isinstance(x, complex) and getattr(x, "dtype", like_dtype).kind != "c":
            return like_dtype
    # step 52: NumPy's result_type is given the dtype only, as like may be on the GPU.
    return np.result_type(like if like_dtype is None else like_dtype, x)


class Function:
    """Base class of operations: unwraps the input, runs forward, wraps the result."""

    def __call__(self, *inputs):
        # step 43: an input passed as an array, not as a Variable, is a constant: no
        # one holds a Variable of it, so no one can read its gradient, and backward
        # may skip computing it (Linear does, for a batch of data).
        needs_input_grad = [isinstance(x, Variable) for x in inputs]
        inputs = [as_variable(x) for x in inputs]  # step 21: arrays are welcome too
        xs = [x.data for x in inputs]
        try:
            ys = self.forward(*xs)
        except (TypeError, AttributeError) as error:
            empty = [i for i, x in enumerate(xs) if x is None]
            if not empty or "NoneType" not in str(error):  # not caused by a None
                raise
            raise TypeError(
                f"{type(self).__name__}: input {empty[0]} holds no data (None); "
                "expected a Variable with data, an ndarray or a number"
            ) from error
        if not isinstance(ys, tuple):  # step 12: a single output may come back bare
            ys = (ys,)
        # step 09: NumPy returns scalars such as np.float64 from 0-d arithmetic.
        outputs = [Variable(as_array(y)) for y in ys]

        if Config.enable_backprop:  # step 18: record the graph only when needed
            self.generation = max([x.generation for x in inputs])
            for output in outputs:
                output.set_creator(self)
            self.inputs = inputs  # step 06: backward needs the input seen in forward
            self.needs_input_grad = needs_input_grad
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
        (x,) = self.inputs
        gx = 2 * x * gy
        return gx


def square(x):
    """Square of a Variable, as a plain Python function."""
    return Square()(x)


class Exp(Function):
    """Elementwise exponential; gx = exp(x) * gy."""

    def forward(self, x):
        xp = dezero.cuda.get_array_module(x)
        return xp.exp(x)

    def backward(self, gy):
        (x,) = self.inputs
        gx = exp(x) * gy
        return gx


def exp(x):
    """Exponential of a Variable, as a plain Python function."""
    return Exp()(x)


def _operand_error(name, x0, x1, error):
    """NumPy's error from `x0 op x1`, said in terms of the DeZero call (step 21)."""
    for side, x in (("first", x0), ("second", x1)):
        if x is None:
            return TypeError(
                f"{name}: the {side} operand holds no data (None); expected a "
                "Variable with data, an ndarray or a number"
            )
    if isinstance(error, ValueError):  # shapes that NumPy cannot broadcast
        return ValueError(
            f"{name}: operands of shapes {x0.shape} and {x1.shape} do not fit: "
            "axis by axis from the right, sizes must be equal or 1"
        )
    return error


class Add(Function):
    """Sum of two inputs; gx0 = gx1 = gy."""

    def forward(self, x0, x1):
        try:
            y = x0 + x1
        except (TypeError, ValueError) as error:
            raise _operand_error("add", x0, x1, error) from error
        self.x0_shape, self.x1_shape = x0.shape, x1.shape  # step 40: for backward
        return y

    def backward(self, gy):
        gx0, gx1 = gy, gy
        if self.x0_shape != self.x1_shape:
            # step 40: NumPy broadcast an input to gy's shape; sum_to undoes that.
            gx0 = dezero.functions.sum_to(gx0, self.x0_shape)
            gx1 = dezero.functions.sum_to(gx1, self.x1_shape)
        return gx0, gx1


def add(x0, x1):
    """Sum of two Variables, as a plain Python function."""
    x1 = as_array(x1, like=x0)  # step 21: x1 may be a Python or NumPy scalar
    return Add()(x0, x1)


class Mul(Function):
    """Product of two inputs; gx0 = gy * x1, gx1 = gy * x0."""

    def forward(self, x0, x1):
        try:
            y = x0 * x1
        except (TypeError, ValueError) as error:
            raise _operand_error("mul", x0, x1, error) from error
        return y

    def backward(self, gy):
        x0, x1 = self.inputs
        gx0 = gy * x1
        gx1 = gy * x0
        if x0.shape != x1.shape:  # step 40: broadcast inputs
            gx0 = dezero.functions.sum_to(gx0, x0.shape)
            gx1 = dezero.functions.sum_to(gx1, x1.shape)
        return gx0, gx1


def mul(x0, x1):
    """Product of two Variables, as a plain Python function."""
    x1 = as_array(x1, like=x0)
    return Mul()(x0, x1)


class Neg(Function):
    """Negation; gx = -gy."""

    def forward(self, x):
        return -x

    def backward(self, gy):
        return -gy


def neg(x):
    """-x for a Variable."""
    return Neg()(x)


class Sub(Function):
    """Difference x0 - x1; gx0 = gy, gx1 = -gy."""

    def forward(self, x0, x1):
        try:
            y = x0 - x1
        except (TypeError, ValueError) as error:
            raise _operand_error("sub", x0, x1, error) from error
        self.x0_shape, self.x1_shape = x0.shape, x1.shape  # step 40: for backward
        return y

    def backward(self, gy):
        gx0 = gy
        gx1 = -gy
        if self.x0_shape != self.x1_shape:
            gx0 = dezero.functions.sum_to(gx0, self.x0_shape)
            gx1 = dezero.functions.sum_to(gx1, self.x1_shape)
        return gx0, gx1


def sub(x0, x1):
    """x0 - x1, where x1 may be a number or an array."""
    x1 = as_array(x1, like=x0)
    return Sub()(x0, x1)


def rsub(x0, x1):
    """x1 - x0: the reflected form, for `number - Variable`."""
    x1 = as_array(x1, like=x0)
    return Sub()(x1, x0)


class Div(Function):
    """Quotient x0 / x1; gx0 = gy / x1, gx1 = -gy * x0 / x1 ** 2."""

    def forward(self, x0, x1):
        try:
            y = x0 / x1
        except (TypeError, ValueError) as error:
            raise _operand_error("div", x0, x1, error) from error
        return y

    def backward(self, gy):
        x0, x1 = self.inputs
        gx0 = gy / x1
        gx1 = gy * (-x0 / x1**2)
        if x0.shape != x1.shape:  # step 40: broadcast inputs
            gx0 = dezero.functions.sum_to(gx0, x0.shape)
            gx1 = dezero.functions.sum_to(gx1, x1.shape)
        return gx0, gx1


def div(x0, x1):
    """x0 / x1, where x1 may be a number or an array."""
    x1 = as_array(x1, like=x0)
    return Div()(x0, x1)


def rdiv(x0, x1):
    """x1 / x0: the reflected form, for `number / Variable`."""
    x1 = as_array(x1, like=x0)
    return Div()(x1, x0)


class Pow(Function):
    """x ** c for a constant c; gx = c * x ** (c - 1) * gy (c gets no gradient)."""

    def __init__(self, c):
        self.c = c

    def forward(self, x):
        y = x**self.c
        return y

    def backward(self, gy):
        (x,) = self.inputs
        c = self.c
        gx = c * x ** (c - 1) * gy
        return gx


def pow(x, c):
    """x ** c for a Variable x and a constant exponent c."""
    if isinstance(c, Variable):
        raise TypeError(
            "pow: the exponent must be a constant (a number or an ndarray), not a "
            "Variable: Pow gives a gradient to the base x only"
        )
    return Pow(c)(x)


def setup_variable():
    """Install the arithmetic operators on Variable (called by dezero/__init__.py)."""
    # step 20: operators on Variables call the functions above.
    Variable.__add__ = add
    Variable.__radd__ = add
    Variable.__mul__ = mul
    Variable.__rmul__ = mul
    Variable.__neg__ = neg
    Variable.__sub__ = sub
    Variable.__rsub__ = rsub
    Variable.__truediv__ = div
    Variable.__rtruediv__ = rdiv
    Variable.__pow__ = pow
    # step 41: x.matmul(W) and x.dot(W), as the reference binds them.
    Variable.matmul = dezero.functions.matmul
    Variable.dot = dezero.functions.matmul
    Variable.__getitem__ = dezero.functions.get_item  # step 47: x[1], x[:, 0]


def numerical_diff(f, x, eps=1e-4):
    """Central difference (f(x + eps) - f(x - eps)) / (2 * eps) of f at Variable x."""
    x0 = Variable(as_array(x.data - eps))
    x1 = Variable(as_array(x.data + eps))
    y0 = f(x0)
    y1 = f(x1)
    return (y1.data - y0.data) / (2 * eps)

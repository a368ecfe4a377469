"""Differentiable functions beyond arithmetic; import it as `dezero.functions as F`."""

import numpy as np

import dezero
from dezero import cuda, utils
from dezero.core import Function, Variable, as_variable, exp


class Sin(Function):
    """Elementwise sine; gx = gy * cos(x)."""

    def forward(self, x):
        xp = cuda.get_array_module(x)  # step 52: NumPy or CuPy, as x is
        y = xp.sin(x)
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
        xp = cuda.get_array_module(x)
        y = xp.cos(x)
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
        xp = cuda.get_array_module(x)
        y = xp.tanh(x)
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
            xp = cuda.get_array_module(x)
            y = xp.broadcast_to(x, self.shape).copy()
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


def linear_simple(x, W, b=None):
    """x W + b from matmul and +, freeing the product's data once the sum exists."""
    t = matmul(x, W)
    if b is None:
        return t

    y = t + b
    # Add's backward needs only shapes, and MatMul's needs x and W, so t's values
    # (as large as y) can go now instead of living as long as the graph.
    t.data = None
    return y


class Linear(Function):
    """x W + b in one function; gx = gy Wᵀ, gW = xᵀ gy, gb = gy summed to b's shape."""

    def forward(self, x, W, b):
        if x.ndim != 2 or W.ndim != 2 or x.shape[1] != W.shape[0]:
            raise ValueError(
                f"linear: x of shape {x.shape} and W of shape {W.shape} do not fit: "
                "expected x (N, D) and W (D, H)"
            )
        y = x.dot(W)
        if b is not None:
            try:
                y = y + b
            except ValueError:
                raise ValueError(
                    f"linear: b of shape {b.shape} does not fit x W of shape {y.shape}:"
                    f" expected b of shape ({W.shape[1]},)"
                ) from None
        return y

    def backward(self, gy):
        x, W, b = self.inputs
        gb = None if b.data is None else sum_to(gy, b.shape)
        # A batch passed in as an array needs no gradient: one product of three.
        gx = matmul(gy, W.T) if self.needs_input_grad[0] else None
        gW = matmul(x.T, gy)
        return gx, gW, gb


def linear(x, W, b=None):
    """The affine map x W + b of a batch x (N, D) with weights W (D, H)."""
    return Linear()(x, W, b)


def sigmoid_simple(x):
    """1 / (1 + exp(-x)) from DeZero functions: every step stays in the graph."""
    x = as_variable(x)
    y = 1 / (1 + exp(-x))
    return y


class Sigmoid(Function):
    """Logistic sigmoid in one function; gx = gy * y * (1 - y), from the output y."""

    def forward(self, x):
        xp = cuda.get_array_module(x)
        y = xp.tanh(x * 0.5) * 0.5 + 0.5  # the same value, with no overflow in exp
        return y

    def backward(self, gy):
        y = self.outputs[0]()
        gx = gy * y * (1 - y)
        return gx


def sigmoid(x):
    """The logistic sigmoid 1 / (1 + exp(-x)), elementwise."""
    return Sigmoid()(x)


class GetItem(Function):
    """x[slices], NumPy indexing; gx = zeros with gy added back at those positions."""

    def __init__(self, slices):
        self.slices = slices

    def forward(self, x):
        try:
            y = x[self.slices]
        except (IndexError, TypeError) as error:  # x[5] on 3 elements, x[1.5]
            raise IndexError(
                f"get_item: index {self.slices!r} does not fit an array of shape "
                f"{x.shape}: {error}"
            ) from None
        return y

    def backward(self, gy):
        (x,) = self.inputs
        f = GetItemGrad(self.slices, x.shape)
        return f(gy)


class GetItemGrad(Function):
    """The backward of GetItem as a function of its own, so it is differentiable too.

    np.add.at adds every picked row, so a row picked twice gets both gradients
    (gx[slices] += gy would keep only one of them).
    """

    def __init__(self, slices, in_shape):
        self.slices = slices
        self.in_shape = in_shape

    def forward(self, gy):
        xp = cuda.get_array_module(gy)
        gx = xp.zeros(self.in_shape, dtype=gy.dtype)
        xp.add.at(gx, self.slices, gy)  # cupy.add.at exists from CuPy 12 on
        return gx

    def backward(self, ggx):
        return get_item(ggx, self.slices)


def get_item(x, slices):
    """x[slices] as a DeZero function (Variable.__getitem__ calls it)."""
    f = GetItem(slices)
    return f(x)


def _check_ids(name, ids, n_rows):
    """Embedding ids and class labels must be integers that index an existing row."""
    ids = (
        ids.data
        if isinstance(ids, Variable)
        else cuda.get_array_module(ids).asarray(ids)
    )
    if ids.dtype.kind not in "iu":
        raise TypeError(f"{name}: ids must be integers, not an array of {ids.dtype}")
    if ids.size and (ids.min() < 0 or ids.max() >= n_rows):
        raise ValueError(
            f"{name}: ids must lie in [0, {n_rows}), got values from {ids.min()} "
            f"to {ids.max()}"
        )
    return ids


def embed_id(x, W):
    """Rows of W picked by the integer ids x: W[x], shape x.shape + (W.shape[1],).

    Not in the book; the reference package and Grokking's Embedding have it. The
    gradient adds up, in W's rows, the gradients of every position that used them.
    """
    ids = _check_ids("embed_id", x, W.shape[0])
    return get_item(W, ids)


def softmax_simple(x, axis=1):
    """exp(x) / sum(exp(x)) along axis, from DeZero functions (overflows for big x)."""
    x = as_variable(x)
    y = exp(x)
    sum_y = sum(y, axis=axis, keepdims=True)
    return y / sum_y


class Softmax(Function):
    """Softmax along axis in one function; gx = y * gy - y * sum(y * gy, axis)."""

    def __init__(self, axis=1):
        self.axis = axis

    def forward(self, x):
        # Shifting by the maximum changes nothing in the ratio, and exp never
        # overflows: the largest term is exp(0) = 1.
        try:
            y = x - x.max(axis=self.axis, keepdims=True)
        except (np.exceptions.AxisError, TypeError):
            raise ValueError(
                f"softmax: axis {self.axis!r} does not fit an array of shape "
                f"{x.shape}: expected an int from {-x.ndim} to {x.ndim - 1}"
            ) from None
        xp = cuda.get_array_module(x)
        y = xp.exp(y)
        y /= y.sum(axis=self.axis, keepdims=True)
        return y

    def backward(self, gy):
        y = self.outputs[0]()
        gx = y * gy
        sumdx = sum(gx, axis=self.axis, keepdims=True)
        gx = gx - y * sumdx
        return gx


def softmax(x, axis=1):
    """Probabilities along axis: exp(x) normalised to sum to 1."""
    return Softmax(axis)(x)


class Log(Function):
    """Natural logarithm; gx = gy / x."""

    def forward(self, x):
        xp = cuda.get_array_module(x)
        y = xp.log(x)
        return y

    def backward(self, gy):
        (x,) = self.inputs
        gx = gy / x
        return gx


def log(x):
    """Natural logarithm of a Variable."""
    return Log()(x)


class Clip(Function):
    """x limited to [x_min, x_max]; the gradient passes only where x was inside."""

    def __init__(self, x_min, x_max):
        self.x_min = x_min
        self.x_max = x_max

    def forward(self, x):
        xp = cuda.get_array_module(x)
        y = xp.clip(x, self.x_min, self.x_max)
        return y

    def backward(self, gy):
        (x,) = self.inputs
        mask = (x.data >= self.x_min) * (x.data <= self.x_max)
        gx = gy * mask
        return gx


def clip(x, x_min, x_max):
    """x with values below x_min raised to it and above x_max lowered to it."""
    return Clip(x_min, x_max)(x)


def _check_labels(name, x, t):
    """Labels t of a (N, C) score batch: N integers in [0, C)."""
    if x.ndim != 2:
        raise ValueError(f"{name}: x must be (N, C) scores, not shape {x.shape}")
    t_data = t.data if isinstance(t, Variable) else cuda.get_array_module(t).asarray(t)
    if t_data.shape != (x.shape[0],):
        raise ValueError(
            f"{name}: t must hold one label per row of x, shape ({x.shape[0]},), "
            f"not {t_data.shape}"
        )
    return _check_ids(name, t_data, x.shape[1])


def softmax_cross_entropy_simple(x, t):
    """Mean of -log softmax(x)[i, t[i]], from DeZero functions."""
    x, t = as_variable(x), as_variable(t)
    t_data = _check_labels("softmax_cross_entropy_simple", x, t)
    N = x.shape[0]
    p = softmax(x)
    p = clip(p, 1e-15, 1.0)  # log(0) would be -inf
    log_p = log(p)
    xp = cuda.get_array_module(x)
    tlog_p = log_p[xp.arange(N), t_data]
    y = -1 * sum(tlog_p) / N
    return y


class SoftmaxCrossEntropy(Function):
    """Softmax and cross-entropy in one; gx = (softmax(x) - onehot(t)) * gy / N."""

    def forward(self, x, t):
        _check_labels("softmax_cross_entropy", x, t)
        N = x.shape[0]
        log_z = utils.logsumexp(x, axis=1)  # log sum exp, computed without overflow
        log_p = x - log_z
        xp = cuda.get_array_module(x)
        log_p = log_p[xp.arange(N), t.ravel()]
        y = -log_p.sum() / log_p.dtype.type(N)  # float32 stays float32 on NumPy 1.x
        return y

    def backward(self, gy):
        x, t = self.inputs
        N, CLS_NUM = x.shape

        gy = gy * (1 / N)
        y = softmax(x)
        xp = cuda.get_array_module(t.data)
        t_onehot = xp.eye(CLS_NUM, dtype=x.dtype)[t.data]
        y = (y - t_onehot) * gy
        return y, None  # labels get no gradient


def softmax_cross_entropy(x, t):
    """Mean cross-entropy of the softmax of scores x (N, C) against labels t (N,)."""
    return SoftmaxCrossEntropy()(x, t)


def accuracy(y, t):
    """The fraction of rows of scores y (N, C) whose largest score is at label t.

    A number to report, not a loss: the result is a Variable with no graph.
    """
    y, t = as_variable(y), as_variable(t)
    if y.ndim != 2 or t.shape != (y.shape[0],):
        raise ValueError(
            f"accuracy: expected scores (N, C) and labels (N,), got shapes {y.shape} "
            f"and {t.shape}"
        )
    pred = y.data.argmax(axis=1).reshape(t.shape)
    result = pred == t.data
    acc = result.mean()
    dtype = y.dtype if y.dtype.kind == "f" else np.float64  # int scores: no truncation
    return Variable(cuda.as_numpy(acc).astype(dtype))  # a number, on the CPU


class ReLU(Function):
    """max(x, 0) elementwise; the gradient passes where x > 0 and stops elsewhere."""

    def forward(self, x):
        xp = cuda.get_array_module(x)
        y = xp.maximum(x, 0.0)
        return y

    def backward(self, gy):
        (x,) = self.inputs
        mask = x.data > 0
        gx = gy * mask
        return gx


def relu(x):
    """The rectified linear unit max(x, 0)."""
    return ReLU()(x)


# The book's functions module also hands out the operators' functions, and its
# unit tests (the GPU ones among them) call F.add(x, y), gradient_check(F.mul, ...).
from dezero.core import add, div, mul, neg, pow, rsub, sub  # noqa: E402, F401


def dropout(x, dropout_ratio=0.5):
    """Inverted dropout: in training, zero each element with probability
    dropout_ratio and scale the rest by 1 / (1 - dropout_ratio); in test mode,
    x unchanged. The scaling keeps the expected value, so nothing changes at test
    time (the book's "direct" dropout scales at test time instead)."""
    x = as_variable(x)
    if not 0 <= dropout_ratio < 1:
        raise ValueError(
            f"dropout: dropout_ratio must be in [0, 1), not {dropout_ratio}"
        )

    if dezero.Config.train:
        xp = cuda.get_array_module(x)
        mask = xp.random.rand(*x.shape) > dropout_ratio
        scale = xp.array(1.0 - dropout_ratio).astype(x.dtype)
        y = x * mask / scale
        return y
    else:
        return x


class BatchNorm(Function):
    """Batch normalisation over the batch axis (and H, W for (N, C, H, W) inputs).

    In training, each feature is normalised with the batch's mean and variance,
    and the running averages `mean` and `var` (arrays, updated in place) follow
    them with `decay`; in test mode those averages are used instead. Then
    y = gamma * x_hat + beta.
    """

    def __init__(self, mean, var, decay, eps):
        self.avg_mean = mean
        self.avg_var = var
        self.decay = decay
        self.eps = eps
        self.inv_std = None

    def forward(self, x, gamma, beta):
        if x.ndim not in (2, 4) or gamma.shape != (x.shape[1],):
            raise ValueError(
                f"batch_norm: x must be (N, C) or (N, C, H, W) with gamma and beta of "
                f"shape (C,); got x {x.shape} and gamma {gamma.shape}"
            )
        x_ndim = x.ndim
        if x_ndim == 4:
            N, C, H, W = x.shape
            x = x.transpose(0, 2, 3, 1).reshape(-1, C)  # one row per pixel
        xp = cuda.get_array_module(x)

        self.train = dezero.Config.train
        if self.train:
            mean = x.mean(axis=0)
            var = x.var(axis=0)
            inv_std = 1 / xp.sqrt(var + self.eps)
            xc = (x - mean) * inv_std

            m = x.size // gamma.size
            s = m - 1.0 if m - 1.0 > 1.0 else 1.0
            adjust = m / s  # the running variance is the unbiased estimate
            self.avg_mean *= self.decay
            self.avg_mean += (1 - self.decay) * mean
            self.avg_var *= self.decay
            self.avg_var += (1 - self.decay) * adjust * var
        else:
            inv_std = 1 / xp.sqrt(self.avg_var + self.eps)
            xc = (x - self.avg_mean) * inv_std
        self.inv_std = inv_std
        y = gamma * xc + beta

        if x_ndim == 4:
            y = y.reshape(N, H, W, C).transpose(0, 3, 1, 2)
        return y

    def backward(self, gy):
        gy_ndim = gy.ndim
        if gy_ndim == 4:
            N, C, H, W = gy.shape
            gy = gy.transpose(0, 2, 3, 1).reshape(-1, C)

        x, gamma, beta = self.inputs
        batch_size = len(gy)

        if x.ndim == 4:
            N, C, H, W = x.shape
            x = x.transpose(0, 2, 3, 1).reshape(-1, C)
        if self.train:
            mean = x.sum(axis=0) / batch_size
        else:
            mean = self.avg_mean
        xc = (x - mean) * self.inv_std

        gbeta = sum(gy, axis=0)
        ggamma = sum(xc * gy, axis=0)
        if self.train:
            # The batch's mean and variance depend on every x: two extra terms.
            gx = gy - gbeta / batch_size - xc * ggamma / batch_size
        else:
            gx = gy  # in test mode the averages are constants
        gx = gx * (gamma * self.inv_std)

        if gy_ndim == 4:
            gx = gx.reshape(N, H, W, C).transpose(0, 3, 1, 2)
        return gx, ggamma, gbeta


def batch_norm(x, gamma, beta, mean, var, decay=0.9, eps=2e-5):
    """Batch normalisation of x; mean and var are the running averages (arrays)."""
    return BatchNorm(mean, var, decay, eps)(x, gamma, beta)


# The reference package and its tests spell it batch_nrom; keep that name working.
batch_nrom = batch_norm


class Max(Function):
    """Maximum over axis; the gradient goes to the element(s) equal to the max."""

    def __init__(self, axis=None, keepdims=False):
        self.axis = axis
        self.keepdims = keepdims

    def forward(self, x):
        try:
            y = x.max(axis=self.axis, keepdims=self.keepdims)
        except (np.exceptions.AxisError, TypeError):
            raise ValueError(
                f"max: axis {self.axis!r} does not fit an "
                f"array of shape {x.shape}: expected None, or ints from {-x.ndim} to "
                f"{x.ndim - 1}"
            ) from None
        return y

    def backward(self, gy):
        x = self.inputs[0]
        y = self.outputs[0]()  # weakref

        shape = utils.max_backward_shape(x, self.axis)
        gy = reshape(gy, shape)
        y = reshape(y, shape)
        cond = x.data == y.data
        gy = broadcast_to(gy, cond.shape)
        return gy * cond


class Min(Max):
    """Minimum over axis; the gradient goes to the element(s) equal to the min."""

    def forward(self, x):
        try:
            y = x.min(axis=self.axis, keepdims=self.keepdims)
        except (np.exceptions.AxisError, TypeError):
            raise ValueError(
                f"min: axis {self.axis!r} does not fit an array of shape {x.shape}: "
                f"expected None, or ints from {-x.ndim} to {x.ndim - 1}"
            ) from None
        return y


def max(x, axis=None, keepdims=False):
    """The largest element over axis (all of them for None)."""
    return Max(axis, keepdims)(x)


def min(x, axis=None, keepdims=False):
    """The smallest element over axis (all of them for None)."""
    return Min(axis, keepdims)(x)


class LeakyReLU(Function):
    """x for x > 0, slope * x otherwise; the gradient is 1 or slope accordingly."""

    def __init__(self, slope):
        self.slope = slope

    def forward(self, x):
        y = x.copy()
        y[x <= 0] *= self.slope
        return y

    def backward(self, gy):
        (x,) = self.inputs
        mask = (x.data > 0).astype(gy.dtype)
        mask[mask <= 0] = self.slope
        gx = gy * mask
        return gx


def leaky_relu(x, slope=0.2):
    """ReLU that lets a little through below 0: max(x, slope * x)."""
    return LeakyReLU(slope)(x)


class LogSoftmax(Function):
    """log softmax(x) = x - logsumexp(x) along axis; gx = gy - softmax * sum(gy)."""

    def __init__(self, axis=1):
        self.axis = axis

    def forward(self, x):
        try:
            log_z = utils.logsumexp(x, self.axis)
        except (np.exceptions.AxisError, TypeError):
            raise ValueError(
                f"log_softmax: axis {self.axis!r} does not fit an array of shape "
                f"{x.shape}: expected an int from {-x.ndim} to {x.ndim - 1}"
            ) from None
        y = x - log_z
        return y

    def backward(self, gy):
        y = self.outputs[0]()
        gx = gy - exp(y) * gy.sum(axis=self.axis, keepdims=True)
        return gx


def log_softmax(x, axis=1):
    """The logarithm of softmax, computed without overflow."""
    return LogSoftmax(axis)(x)


# step 57: convolution and pooling live in their own module; F.conv2d works too.
# The import comes last because functions_conv uses the functions above.
from dezero.functions_conv import (  # noqa: E402, F401
    average_pooling,
    col2im,
    conv2d,
    conv2d_simple,
    deconv2d,
    im2col,
    pooling,
    pooling_simple,
)

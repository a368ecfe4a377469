"""Convolution and pooling (step 57), re-exported by dezero.functions.

The trick that makes them fast in NumPy: im2col lays out every window the kernel
will see as one big array (a strided view of the image, copied once where a plain
array is needed), so a convolution becomes one matrix product per image instead
of loops over positions. Its backward, col2im, adds the window gradients back
into the image. Both are DeZero functions, so everything built from them can be
differentiated again.
"""

import numpy as np

from dezero import cuda
from dezero.core import Config, Function, as_variable
from dezero.functions import broadcast_to, linear
from dezero.utils import get_conv_outsize, get_deconv_outsize, pair

# =============================================================================
# conv2d_simple / conv2d / deconv2d
# =============================================================================


def _check_conv(name, x, W, w_channel_axis):
    """x must be (N, C, H, W) and have the channels the weights expect."""
    if x.ndim != 4 or W.ndim != 4:
        raise ValueError(
            f"{name}: x must be (N, C, H, W) and W 4-d, got x {x.shape} and W {W.shape}"
        )
    if x.shape[1] != W.shape[w_channel_axis]:
        raise ValueError(
            f"{name}: x has {x.shape[1]} channels but W of shape {W.shape} expects "
            f"{W.shape[w_channel_axis]}"
        )
    if W.shape[2] < 1 or W.shape[3] < 1:  # an empty kernel would give zeros
        raise ValueError(
            f"{name}: W of shape {W.shape} has an empty kernel; KH and KW (its last "
            "two sizes) must be at least 1"
        )


def _check_kernel(name, kernel_size):
    """A pooling window must be a positive int, or a pair of them."""
    sizes = kernel_size if isinstance(kernel_size, tuple) else (kernel_size,)
    if len(sizes) not in (1, 2) or any(
        isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1
        for k in sizes
    ):
        raise ValueError(
            f"{name}: kernel_size must be a positive int or a pair of them, not "
            f"{kernel_size!r}"
        )


def conv2d_simple(x, W, b=None, stride=1, pad=0):
    """Convolution as im2col, then linear, then a reshape back to (N, OC, OH, OW)."""
    x, W = as_variable(x), as_variable(W)
    _check_conv("conv2d_simple", x, W, 1)

    Weight = W
    N, C, H, W = x.shape
    OC, C, KH, KW = Weight.shape
    SH, SW = pair(stride)
    PH, PW = pair(pad)
    OH = get_conv_outsize(H, KH, SH, PH)
    OW = get_conv_outsize(W, KW, SW, PW)

    col = im2col(x, (KH, KW), stride, pad, to_matrix=True)  # (N*OH*OW, C*KH*KW)
    Weight = Weight.reshape(OC, -1).transpose()  # (C*KH*KW, OC)
    t = linear(col, Weight, b)  # (N*OH*OW, OC)
    y = t.reshape(N, OH, OW, OC).transpose(0, 3, 1, 2)
    return y


class Conv2d(Function):
    """Convolution with W (OC, C, KH, KW) and b (OC,) in one function.

    Backward: gx is the transposed convolution (deconv2d) of gy with the same W,
    gW a convolution of x with gy (Conv2DGradW), gb the sum of gy per channel.
    """

    def __init__(self, stride=1, pad=0):
        super().__init__()
        self.stride = pair(stride)
        self.pad = pair(pad)

    def forward(self, x, W, b):
        _check_conv("conv2d", x, W, 1)
        xp = cuda.get_array_module(x)

        KH, KW = W.shape[2:]
        col = im2col_array(x, (KH, KW), self.stride, self.pad, to_matrix=False)

        # One tensordot over (C, KH, KW), as the book and Chainer compute it: it
        # copies the windows into one (N*OH*OW, C*KH*KW) matrix for one matrix
        # product, so the float32 sums come out in their order, bit for bit.
        y = xp.tensordot(col, W, ((1, 2, 3), (1, 2, 3)))  # (N, OH, OW, OC)
        if b is not None:
            y += b
        # (N, OC, OH, OW), copied into that order: the next layer reads it in order
        return xp.ascontiguousarray(xp.rollaxis(y, 3, 1))

    def backward(self, gy):
        x, W, b = self.inputs
        gx = None  # step 43: a batch of images passed as an array needs no gradient
        if self.needs_input_grad[0]:
            gx = deconv2d(
                gy, W, b=None, stride=self.stride, pad=self.pad, outsize=x.shape[2:]
            )
        gW = Conv2DGradW(self)(x, gy)
        gb = None
        if b.data is not None:
            gb = gy.sum(axis=(0, 2, 3))
        return gx, gW, gb


def conv2d(x, W, b=None, stride=1, pad=0):
    """2-d convolution of x (N, C, H, W) with filters W (OC, C, KH, KW)."""
    return Conv2d(stride, pad)(x, W, b)


class Deconv2d(Function):
    """Transposed convolution with W (C, OC, KH, KW): each input pixel spreads a
    weighted copy of the kernel into the output; conv2d's backward for x."""

    def __init__(self, stride=1, pad=0, outsize=None):
        super().__init__()
        self.stride = pair(stride)
        self.pad = pair(pad)
        self.outsize = outsize

    def forward(self, x, W, b):
        _check_conv("deconv2d", x, W, 0)

        Weight = W
        SH, SW = self.stride
        PH, PW = self.pad
        C, OC, KH, KW = Weight.shape
        N, C, H, W = x.shape
        if self.outsize is None:
            out_h = get_deconv_outsize(H, KH, SH, PH)
            out_w = get_deconv_outsize(W, KW, SW, PW)
        else:
            out_h, out_w = pair(tuple(self.outsize))
        img_shape = (N, OC, out_h, out_w)

        # Per image, Wᵀ (OC*KH*KW, C) @ x (C, H*W): the window values to add back.
        gcol = Weight.reshape(C, OC * KH * KW).T @ x.reshape(N, C, H * W)
        gcol = gcol.reshape(N, OC, KH, KW, H, W)
        y = col2im_array(
            gcol, img_shape, (KH, KW), self.stride, self.pad, to_matrix=False
        )
        if b is not None:
            y += b.reshape((1, b.size, 1, 1))
        return y

    def backward(self, gy):
        x, W, b = self.inputs
        gx = conv2d(gy, W, b=None, stride=self.stride, pad=self.pad)
        f = Conv2DGradW(self)
        gW = f(gy, x)
        gb = None
        if b.data is not None:
            gb = gy.sum(axis=(0, 2, 3))
        return gx, gW, gb


def deconv2d(x, W, b=None, stride=1, pad=0, outsize=None):
    """Transposed convolution of x (N, C, H, W) with W (C, OC, KH, KW)."""
    return Deconv2d(stride, pad, outsize)(x, W, b)


class Conv2DGradW(Function):
    """gW of a convolution: windows of x (im2col) against gy, summed over the batch."""

    def __init__(self, conv2d):
        W = conv2d.inputs[1]
        kh, kw = W.shape[2:]
        self.kernel_size = (kh, kw)
        self.stride = conv2d.stride
        self.pad = conv2d.pad

    def forward(self, x, gy):
        xp = cuda.get_array_module(x)

        col = im2col_array(x, self.kernel_size, self.stride, self.pad, to_matrix=False)
        N, C, KH, KW, OH, OW = col.shape
        col = xp.ascontiguousarray(col).reshape(N, C * KH * KW, OH * OW)
        gy = gy.reshape(N, -1, OH * OW)  # (N, OC, OH*OW)
        # Per image gy (OC, OH*OW) @ colᵀ (OH*OW, C*KH*KW), summed over the batch
        # one image at a time (a stack of N products could outgrow the windows).
        gW = sum(gy[n] @ col[n].T for n in range(N))
        return gW.reshape(-1, C, KH, KW)

    def backward(self, ggW):
        # gW is bilinear in x and gy: each one's gradient uses the upstream ggW.
        x, gy = self.inputs
        xh, xw = x.shape[2:]
        gx = deconv2d(gy, ggW, stride=self.stride, pad=self.pad, outsize=(xh, xw))
        ggy = conv2d(x, ggW, stride=self.stride, pad=self.pad)
        return gx, ggy


# =============================================================================
# pooling (max) / average_pooling
# =============================================================================


def pooling_simple(x, kernel_size, stride=1, pad=0):
    """Max pooling as im2col, then a max over each window's row.

    im2col pads with zeros, so with pad > 0 a window of negative values plus
    padding gives 0 here; the fused pooling pads with -inf and gives their max.
    """
    x = as_variable(x)
    _check_kernel("pooling_simple", kernel_size)
    if x.ndim != 4:
        raise ValueError(
            f"pooling_simple: expected an (N, C, H, W) input, got {x.shape}"
        )
    N, C, H, W = x.shape
    KH, KW = pair(kernel_size)
    PH, PW = pair(pad)
    SH, SW = pair(stride)
    OH = get_conv_outsize(H, KH, SH, PH)
    OW = get_conv_outsize(W, KW, SW, PW)

    col = im2col(x, kernel_size, stride, pad, to_matrix=True)
    col = col.reshape(-1, KH * KW)
    y = col.max(axis=1)
    y = y.reshape(N, OH, OW, C).transpose(0, 3, 1, 2)
    return y


class Pooling(Function):
    """Max pooling; remembers which element of each window won, for backward."""

    def __init__(self, kernel_size, stride=1, pad=0):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride
        self.pad = pad

    def forward(self, x):
        col = im2col_array(
            x,
            self.kernel_size,
            self.stride,
            self.pad,
            to_matrix=False,
            pad_value=-np.inf,
        )

        N, C, KH, KW, OH, OW = col.shape
        col = col.reshape(N, C, KH * KW, OH, OW)
        if Config.enable_backprop:  # only backward needs to know the winners
            self.indexes = col.argmax(axis=2)
        y = col.max(axis=2)
        return y

    def backward(self, gy):
        return Pooling2DGrad(self)(gy)


class Pooling2DGrad(Function):
    """Max pooling's backward: each gy goes to its window's winner, zeros elsewhere."""

    def __init__(self, mpool2d):
        self.mpool2d = mpool2d
        self.kernel_size = mpool2d.kernel_size
        self.stride = mpool2d.stride
        self.pad = mpool2d.pad
        self.input_shape = mpool2d.inputs[0].shape
        self.dtype = mpool2d.inputs[0].dtype
        self.indexes = mpool2d.indexes

    def forward(self, gy):
        xp = cuda.get_array_module(gy)

        N, C, OH, OW = gy.shape
        N, C, H, W = self.input_shape
        KH, KW = pair(self.kernel_size)

        gcol = xp.zeros((N * C * OH * OW * KH * KW), dtype=self.dtype)
        # The flat position of each winner: its window's start plus its index.
        indexes = self.indexes.ravel() + xp.arange(
            0, self.indexes.size * KH * KW, KH * KW
        )
        gcol[indexes] = gy.ravel()
        gcol = gcol.reshape(N, C, OH, OW, KH, KW)
        gcol = xp.swapaxes(gcol, 2, 4)
        gcol = xp.swapaxes(gcol, 3, 5)  # (N, C, KH, KW, OH, OW)

        gx = col2im_array(
            gcol, (N, C, H, W), self.kernel_size, self.stride, self.pad, to_matrix=False
        )
        return gx

    def backward(self, ggx):
        f = Pooling2DWithIndexes(self.mpool2d)
        return f(ggx)


class Pooling2DWithIndexes(Function):
    """Picks the winners of an earlier max pooling: the backward of its backward."""

    def __init__(self, mpool2d):
        self.kernel_size = mpool2d.kernel_size
        self.stride = mpool2d.stride
        self.pad = mpool2d.pad
        self.input_shape = mpool2d.inputs[0].shape
        self.dtype = mpool2d.inputs[0].dtype
        self.indexes = mpool2d.indexes

    def forward(self, x):
        xp = cuda.get_array_module(x)
        col = im2col_array(x, self.kernel_size, self.stride, self.pad, to_matrix=False)
        N, C, KH, KW, OH, OW = col.shape
        col = col.reshape(N, C, KH * KW, OH, OW)
        col = col.transpose(0, 1, 3, 4, 2).reshape(-1, KH * KW)
        indexes = self.indexes.ravel()
        col = col[xp.arange(len(indexes)), indexes]
        return col.reshape(N, C, OH, OW)


def pooling(x, kernel_size, stride=1, pad=0):
    """Max pooling of each channel of x (N, C, H, W) over kernel_size windows."""
    _check_kernel("pooling", kernel_size)
    return Pooling(kernel_size, stride, pad)(x)


class AveragePooling(Function):
    """Average pooling; backward shares each gy equally over its window."""

    def __init__(self, kernel_size, stride=1, pad=0):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride
        self.pad = pad
        self.input_shape = None

    def forward(self, x):
        self.input_shape = x.shape
        col = im2col_array(x, self.kernel_size, self.stride, self.pad, to_matrix=False)
        y = col.mean(axis=(2, 3))
        return y

    def backward(self, gy):
        N, C, OH, OW = gy.shape
        KH, KW = pair(self.kernel_size)  # (the reference swaps these two)
        gy = gy / (KH * KW)
        gcol = broadcast_to(gy.reshape(-1), (KH, KW, N * C * OH * OW))
        gcol = gcol.reshape(KH, KW, N, C, OH, OW).transpose(2, 3, 0, 1, 4, 5)
        gx = col2im(
            gcol,
            self.input_shape,
            self.kernel_size,
            self.stride,
            self.pad,
            to_matrix=False,
        )
        return gx


def average_pooling(x, kernel_size, stride=1, pad=0):
    """Average pooling of each channel of x (N, C, H, W)."""
    _check_kernel("average_pooling", kernel_size)
    return AveragePooling(kernel_size, stride, pad)(x)


# =============================================================================
# im2col / col2im
# =============================================================================


class Im2col(Function):
    """Every kernel-sized window of x, side by side; backward is col2im."""

    def __init__(self, kernel_size, stride, pad, to_matrix):
        super().__init__()
        self.input_shape = None
        self.kernel_size = kernel_size
        self.stride = stride
        self.pad = pad
        self.to_matrix = to_matrix

    def forward(self, x):
        self.input_shape = x.shape
        y = im2col_array(x, self.kernel_size, self.stride, self.pad, self.to_matrix)
        return y.copy()  # an array of its own, not a read-only view of x

    def backward(self, gy):
        args = (self.input_shape, self.kernel_size, self.stride, self.pad)
        gx = col2im(gy, *args, self.to_matrix)
        return gx


def im2col(x, kernel_size, stride=1, pad=0, to_matrix=True):
    """Windows of x (N, C, H, W) as (N*OH*OW, C*KH*KW) rows; 6-d if not to_matrix."""
    y = Im2col(kernel_size, stride, pad, to_matrix)(x)
    return y


class Col2im(Function):
    """Adds windows back into an image of input_shape; backward is im2col."""

    def __init__(self, input_shape, kernel_size, stride, pad, to_matrix):
        super().__init__()
        self.input_shape = input_shape
        self.kernel_size = kernel_size
        self.stride = stride
        self.pad = pad
        self.to_matrix = to_matrix

    def forward(self, x):
        y = col2im_array(
            x, self.input_shape, self.kernel_size, self.stride, self.pad, self.to_matrix
        )
        return y

    def backward(self, gy):
        gx = im2col(gy, self.kernel_size, self.stride, self.pad, self.to_matrix)
        return gx


def col2im(x, input_shape, kernel_size, stride=1, pad=0, to_matrix=True):
    """The adjoint of im2col: every window's values added back where they came from."""
    return Col2im(input_shape, kernel_size, stride, pad, to_matrix)(x)


# =============================================================================
#  numpy im2col (the same strides serve CuPy)
# =============================================================================


def _out_sizes(img_shape, kernel_size, stride, pad):
    """(KH, KW), (SH, SW), (PH, PW), OH, OW; refuses a kernel bigger than the input."""
    N, C, H, W = img_shape
    KH, KW = pair(kernel_size)
    SH, SW = pair(stride)
    PH, PW = pair(pad)
    if SH < 1 or SW < 1 or PH < 0 or PW < 0:
        raise ValueError(
            f"stride must be at least 1 and pad at least 0, not {stride}, {pad}"
        )
    OH = get_conv_outsize(H, KH, SH, PH)
    OW = get_conv_outsize(W, KW, SW, PW)
    if OH < 1 or OW < 1:
        raise ValueError(
            f"kernel {KH}x{KW} is larger than the padded input "
            f"{H + 2 * PH}x{W + 2 * PW} (input {H}x{W}, pad {PH}, {PW})"
        )
    return (KH, KW), (SH, SW), (PH, PW), OH, OW


def im2col_array(img, kernel_size, stride, pad, to_matrix=True, pad_value=0):
    """The windows of img (N, C, H, W) as (N, C, KH, KW, OH, OW), or a matrix.

    The padding holds pad_value: 0 for convolution, -inf for max pooling, so that
    the padding never wins a window (PyTorch pads max pooling the same way).
    """
    if img.ndim != 4:
        raise ValueError(f"expected an (N, C, H, W) input, got shape {img.shape}")
    N, C, H, W = img.shape
    sizes = _out_sizes(img.shape, kernel_size, stride, pad)
    (KH, KW), (SH, SW), (PH, PW), OH, OW = sizes
    xp = cuda.get_array_module(img)

    if PH or PW:
        img = xp.pad(
            img,
            ((0, 0), (0, 0), (PH, PH), (PW, PW)),
            mode="constant",
            constant_values=(pad_value,),
        )

    # No copy: a view whose strides step one pixel inside a window and SH (SW)
    # pixels from one window to the next, so col[n, c, j, i, y, x] is
    # img[n, c, SH * y + j, SW * x + i]. Windows overlap in memory, so the view is
    # read-only; whoever needs a plain array (a reshape, a matrix product) copies
    # it once.
    sN, sC, sH, sW = img.strides
    shape = (N, C, KH, KW, OH, OW)
    strides = (sN, sC, sH, sW, SH * sH, SW * sW)
    if xp is np:
        col = np.lib.stride_tricks.as_strided(img, shape, strides, writeable=False)
    else:  # CuPy's as_strided has no writeable flag
        col = xp.lib.stride_tricks.as_strided(img, shape, strides)

    if to_matrix:
        col = col.transpose((0, 4, 5, 1, 2, 3)).reshape((N * OH * OW, -1))

    return col


def col2im_array(col, img_shape, kernel_size, stride, pad, to_matrix=True):
    """Adds the windows in col back into an image of img_shape (N, C, H, W)."""
    N, C, H, W = img_shape
    sizes = _out_sizes(img_shape, kernel_size, stride, pad)
    (KH, KW), (SH, SW), (PH, PW), OH, OW = sizes

    if to_matrix:
        col = col.reshape(N, OH, OW, C, KH, KW).transpose(0, 3, 4, 5, 1, 2)

    xp = cuda.get_array_module(col)
    img = xp.zeros((N, C, H + 2 * PH + SH - 1, W + 2 * PW + SW - 1), dtype=col.dtype)
    for j in range(KH):
        j_lim = j + SH * OH
        for i in range(KW):
            i_lim = i + SW * OW
            img[:, :, j:j_lim:SH, i:i_lim:SW] += col[:, :, j, i, :, :]
    return img[:, :, PH : H + PH, PW : W + PW]

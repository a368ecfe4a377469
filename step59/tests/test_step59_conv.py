"""Step 57: im2col, conv2d, deconv2d, pooling, max/min, Conv2d and Deconv2d.

The oracle is step 56's plain loops (copied below); PyTorch checks values and
every gradient, first and second order, where it is installed.
"""

import numpy as np
import pytest

import dezero.functions as F
import dezero.layers as L
from dezero import Variable
from dezero.utils import gradient_check, pair

rng = np.random.default_rng(57)


def conv2d_loops(x, W, b=None, stride=1, pad=0):
    """Step 56's loop convolution."""
    N, C, H, W_in = x.shape
    OC, _, KH, KW = W.shape
    SH, SW = pair(stride)
    PH, PW = pair(pad)
    OH, OW = (H + 2 * PH - KH) // SH + 1, (W_in + 2 * PW - KW) // SW + 1
    xp = np.pad(x, ((0, 0), (0, 0), (PH, PH), (PW, PW)))
    y = np.zeros((N, OC, OH, OW))
    for n in range(N):
        for oc in range(OC):
            for i in range(OH):
                for j in range(OW):
                    win = xp[n, :, i * SH : i * SH + KH, j * SW : j * SW + KW]
                    y[n, oc, i, j] = np.sum(win * W[oc]) + (0 if b is None else b[oc])
    return y


def pool_loops(x, kernel_size, stride=1, pad=0, reduce=np.max, fill=None):
    """Step 56's loop pooling (zeros padded for the mean, -inf for the max)."""
    N, C, H, W = x.shape
    KH, KW = pair(kernel_size)
    SH, SW = pair(stride)
    PH, PW = pair(pad)
    OH, OW = (H + 2 * PH - KH) // SH + 1, (W + 2 * PW - KW) // SW + 1
    if fill is None:
        fill = -np.inf if reduce is np.max else 0
    xp = np.pad(x, ((0, 0), (0, 0), (PH, PH), (PW, PW)), constant_values=fill)
    y = np.zeros((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            win = xp[:, :, i * SH : i * SH + KH, j * SW : j * SW + KW]
            y[:, :, i, j] = reduce(win, axis=(2, 3))
    return y


# (N, C, H, W), (OC, KH, KW), stride, pad
CONV_CASES = [
    ((2, 3, 7, 7), (4, 3, 3), 1, 1),
    ((1, 2, 8, 6), (3, 3, 2), 2, 0),
    ((2, 1, 5, 5), (2, 1, 1), 1, 0),
    ((1, 3, 9, 7), (2, 4, 3), (2, 1), (1, 2)),
    ((3, 4, 6, 6), (5, 5, 5), 1, 2),
]


@pytest.mark.parametrize("xs, ws, stride, pad", CONV_CASES)
@pytest.mark.parametrize("f", [F.conv2d, F.conv2d_simple], ids=["fused", "simple"])
def test_conv2d_equals_the_loops(f, xs, ws, stride, pad):
    x = rng.standard_normal(xs)
    W = rng.standard_normal((ws[0], xs[1], ws[1], ws[2]))
    b = rng.standard_normal(ws[0])
    np.testing.assert_allclose(
        f(x, W, b, stride, pad).data, conv2d_loops(x, W, b, stride, pad), rtol=1e-10
    )


@pytest.mark.parametrize(
    "ks, stride, pad", [(2, 2, 0), (3, 1, 1), ((2, 3), (2, 1), 0), (3, 2, 1)]
)
def test_pooling_equals_the_loops(ks, stride, pad):
    x = rng.standard_normal((2, 3, 7, 8))
    expected = pool_loops(x, ks, stride, pad)
    np.testing.assert_allclose(F.pooling(x, ks, stride, pad).data, expected)
    # pooling_simple pads with zeros (its docstring says so), pooling with -inf.
    simple = pool_loops(x, ks, stride, pad, fill=0)
    np.testing.assert_allclose(F.pooling_simple(x, ks, stride, pad).data, simple)
    np.testing.assert_allclose(
        F.average_pooling(x, ks, stride, pad).data,
        pool_loops(x, ks, stride, pad, reduce=np.mean),
    )


def test_im2col_and_col2im_are_adjoint():
    x = rng.standard_normal((2, 3, 6, 5))
    col = F.im2col(x, (3, 2), 2, 1).data
    c = rng.standard_normal(col.shape)
    back = F.col2im(c, x.shape, (3, 2), 2, 1).data
    assert np.sum(col * c) == pytest.approx(np.sum(x * back))


def test_im2col_windows_are_a_read_only_view():
    from dezero.functions_conv import im2col_array

    x = rng.standard_normal((2, 3, 7, 6)).astype(np.float32)
    col = im2col_array(x, (3, 2), (2, 1), 0, to_matrix=False)
    assert col.shape == (2, 3, 3, 2, 3, 5)
    assert np.shares_memory(col, x) and not col.flags.writeable  # no copy made
    # col[n, c, j, i, y, x] is img[n, c, SH * y + j, SW * x + i]
    for j, i, oy, ox in [(0, 0, 0, 0), (2, 1, 2, 4), (1, 0, 1, 3)]:
        assert col[1, 2, j, i, oy, ox] == x[1, 2, 2 * oy + j, ox + i]
    padded = im2col_array(x, 3, 1, 1, to_matrix=False)
    assert not np.shares_memory(padded, x)  # the padding is a new array
    with pytest.raises(ValueError, match="read-only"):
        col[0, 0, 0, 0, 0, 0] = 1.0
    mine = F.im2col(x, (3, 2), (2, 1), 0, to_matrix=False).data  # the public one
    assert not np.shares_memory(mine, x) and mine.flags.writeable
    np.testing.assert_array_equal(mine, col)


def test_conv2d_output_is_contiguous_and_pooling_skips_argmax_without_grad():
    from dezero import no_grad
    from dezero.functions_conv import Pooling

    x = rng.standard_normal((2, 3, 8, 8)).astype(np.float32)
    W = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    y = F.conv2d(x, W, np.ones(4, np.float32), pad=1)
    assert y.data.flags.c_contiguous and y.dtype == np.float32
    p = F.pooling(x, 2, 2)
    assert p.creator.indexes.shape == (2, 3, 4, 4)
    f = Pooling(2, 2)
    with no_grad():
        q = f(x)
    assert q.creator is None and not hasattr(f, "indexes")  # no backward to come
    np.testing.assert_array_equal(q.data, p.data)


def test_conv2d_skips_the_gradient_of_an_array_input():
    x = rng.standard_normal((2, 3, 6, 6))
    W0 = rng.standard_normal((4, 3, 3, 3))
    W = Variable(W0.copy())
    y = F.conv2d(x, W, stride=1, pad=1)  # the images as an array: a constant
    F.sum(y * y).backward()
    assert y.creator.inputs[0].grad is None  # the deconvolution never ran
    W2, xv = Variable(W0.copy()), Variable(x.copy())
    F.sum(F.conv2d(xv, W2, stride=1, pad=1) ** 2).backward()
    np.testing.assert_allclose(W.grad.data, W2.grad.data, rtol=1e-13)
    assert xv.grad.shape == x.shape


@pytest.mark.parametrize("which", ["x", "W", "b"])
def test_conv2d_numerical_gradients(which):
    args = {
        "x": rng.standard_normal((2, 2, 5, 4)),
        "W": rng.standard_normal((3, 2, 3, 2)),
        "b": rng.standard_normal(3),
    }
    w = rng.standard_normal((2, 3, 3, 5))  # OH = (5 + 2 - 3) // 2 + 1, OW = 5

    def f(v):
        a = dict(args, **{which: v})
        return F.sum(F.conv2d(a["x"], a["W"], a["b"], stride=(2, 1), pad=1) * w)

    assert gradient_check(f, args[which].copy())


@pytest.mark.parametrize(
    "f",
    [
        lambda x: F.pooling(x, 2, 2),
        lambda x: F.average_pooling(x, 3, 1, 1),
        lambda x: F.im2col(x, 3, 1, 1),
        lambda x: F.max(x, axis=(1, 3)),
        lambda x: F.min(x, axis=-1, keepdims=True),
        lambda x: F.leaky_relu(x, 0.1),
        lambda x: F.log_softmax(x.reshape(8, 9)),
    ],
    ids=[
        "pooling",
        "average_pooling",
        "im2col",
        "max",
        "min",
        "leaky_relu",
        "log_softmax",
    ],
)
def test_more_numerical_gradients(f):
    x0 = rng.permutation(72).reshape(2, 4, 3, 3) / 10.0 - 3.55  # distinct, off 0
    y_shape = f(Variable(x0.copy())).shape
    w = rng.standard_normal(y_shape)
    assert gradient_check(lambda x: F.sum(f(x) * w), x0)


def test_deconv2d_numerical_gradients_and_output_size():
    x0, W0 = rng.standard_normal((1, 2, 3, 3)), rng.standard_normal((2, 3, 3, 3))
    y = F.deconv2d(x0, W0, stride=2, pad=1)
    assert y.shape == (1, 3, 5, 5)  # 2 * (3 - 1) + 3 - 2
    w = rng.standard_normal(y.shape)
    assert gradient_check(lambda x: F.sum(F.deconv2d(x, W0, None, 2, 1) * w), x0)
    assert gradient_check(lambda W: F.sum(F.deconv2d(x0, W, None, 2, 1) * w), W0)


def test_max_min_and_variable_methods():
    x = Variable(np.array([[1.0, 5.0, 2.0], [7.0, 3.0, 7.0]]))
    np.testing.assert_array_equal(x.max(axis=1).data, [5.0, 7.0])
    assert x.min().data == 1.0
    F.sum(F.max(x, axis=1)).backward()
    np.testing.assert_array_equal(x.grad.data, [[0, 1, 0], [1, 0, 1]])  # ties both


def test_pair():
    assert pair(3) == (3, 3)
    assert pair((1, 2)) == (1, 2)
    for bad in (1.5, (1, 2, 3), [1, 2], "3"):
        with pytest.raises(ValueError, match="an int or a pair of ints"):
            pair(bad)


def test_conv2d_layer_lazy_channels_and_float32():
    np.random.seed(0)
    conv = L.Conv2d(6, kernel_size=(3, 2), stride=1, pad=1)
    y = conv(np.random.rand(2, 4, 8, 8).astype(np.float32))
    assert conv.W.shape == (6, 4, 3, 2) and conv.in_channels == 4
    assert y.shape == (2, 6, 8, 9) and y.dtype == np.float32
    assert conv.W.data.std() == pytest.approx(np.sqrt(1 / 24), rel=0.3)
    F.sum(y).backward()
    assert conv.W.grad.dtype == np.float32 and conv.b.grad.shape == (6,)
    assert [p.name for p in L.Conv2d(2, 3, nobias=True).params()] == ["W"]


def test_deconv2d_layer_upsamples():
    layer = L.Deconv2d(3, kernel_size=4, stride=2, pad=1)
    y = layer(np.zeros((1, 5, 7, 7), dtype=np.float32))
    assert layer.W.shape == (5, 3, 4, 4) and y.shape == (1, 3, 14, 14)


def test_bad_input_is_refused():
    with pytest.raises(
        ValueError, match=r"kernel 5x5 is larger than the padded input 4x4"
    ):
        F.conv2d(np.ones((1, 1, 4, 4)), np.ones((1, 1, 5, 5)))
    with pytest.raises(
        ValueError, match=r"kernel 3x3 is larger than the padded input 2x2"
    ):
        F.pooling(np.ones((1, 1, 2, 2)), 3)
    with pytest.raises(
        ValueError, match=r"x has 3 channels but W of shape \(2, 4, 3, 3\)"
    ):
        F.conv2d(np.ones((1, 3, 5, 5)), np.ones((2, 4, 3, 3)))
    with pytest.raises(ValueError, match=r"x must be \(N, C, H, W\)"):
        F.conv2d(np.ones((3, 5, 5)), np.ones((2, 3, 3, 3)))
    with pytest.raises(ValueError, match=r"expected an \(N, C, H, W\) input"):
        F.pooling(np.ones((5, 5)), 2)
    with pytest.raises(ValueError, match=r"Conv2d: expected \(N, C, H, W\) images"):
        L.Conv2d(2, 3)(np.ones((5, 5), dtype=np.float32))


torch_cases = pytest.mark.parametrize("xs, ws, stride, pad", CONV_CASES)


@torch_cases
def test_conv2d_and_its_gradients_match_pytorch(xs, ws, stride, pad):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0 = rng.standard_normal(xs)
    W0 = rng.standard_normal((ws[0], xs[1], ws[1], ws[2]))
    b0 = rng.standard_normal(ws[0])
    x, W, b = Variable(x0), Variable(W0), Variable(b0)
    y = F.conv2d(x, W, b, stride, pad)
    F.sum(y * y).backward()
    tx, tW, tb = (torch.tensor(v, requires_grad=True) for v in (x0, W0, b0))
    ty = torch.nn.functional.conv2d(tx, tW, tb, stride=pair(stride), padding=pair(pad))
    (ty * ty).sum().backward()
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    for v, t in ((x, tx), (W, tW), (b, tb)):
        np.testing.assert_allclose(v.grad.data, t.grad.numpy(), rtol=1e-9, atol=1e-10)


@torch_cases
def test_second_derivatives_of_conv2d_match_pytorch(xs, ws, stride, pad):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0 = rng.standard_normal(xs)
    W0 = rng.standard_normal((ws[0], xs[1], ws[1], ws[2]))
    v0 = rng.standard_normal(xs)
    x, W = Variable(x0), Variable(W0)
    y = F.conv2d(x, W, None, stride, pad)
    F.sum(y * y).backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    W.cleargrad()
    F.sum(gx * v0).backward()  # d/dx and d/dW of <grad_x, v>

    tx, tW = (torch.tensor(v, requires_grad=True) for v in (x0, W0))
    ty = torch.nn.functional.conv2d(tx, tW, stride=pair(stride), padding=pair(pad))
    (tgx,) = torch.autograd.grad((ty * ty).sum(), tx, create_graph=True)
    (tgx * torch.tensor(v0)).sum().backward()
    np.testing.assert_allclose(gx.data, tgx.detach().numpy(), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(W.grad.data, tW.grad.numpy(), rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("stride, pad", [(1, 0), (2, 1), ((2, 1), (1, 0))])
def test_deconv2d_matches_conv_transpose2d(stride, pad):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0, W0, b0 = (
        rng.standard_normal((2, 3, 4, 5)),
        rng.standard_normal((3, 2, 3, 3)),
        rng.random(2),
    )
    x, W, b = Variable(x0), Variable(W0), Variable(b0)
    y = F.deconv2d(x, W, b, stride, pad)
    F.sum(y * y).backward()
    tx, tW, tb = (torch.tensor(v, requires_grad=True) for v in (x0, W0, b0))
    ty = torch.nn.functional.conv_transpose2d(
        tx, tW, tb, stride=pair(stride), padding=pair(pad)
    )
    (ty * ty).sum().backward()
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    for v, t in ((x, tx), (W, tW), (b, tb)):
        np.testing.assert_allclose(v.grad.data, t.grad.numpy(), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize(
    "ks, stride, pad", [(2, 2, 0), (3, 1, 1), ((2, 3), (2, 1), (1, 0))]
)
def test_pooling_matches_pytorch(ks, stride, pad):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0 = rng.permutation(2 * 3 * 6 * 7).reshape(2, 3, 6, 7) / 7.0  # no ties
    for ours, theirs in (
        (F.pooling, torch.nn.functional.max_pool2d),
        (F.average_pooling, torch.nn.functional.avg_pool2d),
    ):
        x = Variable(x0.copy())
        y = ours(x, ks, stride, pad)
        F.sum(y * y).backward()
        tx = torch.tensor(x0, requires_grad=True)
        ty = theirs(tx, pair(ks), pair(stride), pair(pad))
        (ty * ty).sum().backward()
        np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_leaky_relu_and_log_softmax_match_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0 = rng.standard_normal((4, 5))
    x = Variable(x0)
    y = F.sum(F.leaky_relu(x, 0.2) * F.log_softmax(x))
    y.backward()
    tx = torch.tensor(x0, requires_grad=True)
    ty = (torch.nn.functional.leaky_relu(tx, 0.2) * torch.log_softmax(tx, dim=1)).sum()
    ty.backward()
    np.testing.assert_allclose(y.data, ty.item(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-10)


def test_stride_and_pad_must_be_sensible():
    with pytest.raises(
        ValueError, match=r"stride must be at least 1 and pad at least 0"
    ):
        F.conv2d(np.ones((1, 1, 4, 4)), np.ones((1, 1, 2, 2)), stride=0)
    with pytest.raises(ValueError, match=r"pooling_simple: expected an \(N, C, H, W\)"):
        F.pooling_simple(np.ones((1, 4, 4)), 2)


def conv2d_tensordot(x, W, b, stride, pad):
    """The book's (and Chainer's) forward, written plainly: im2col into a
    (N, C, KH, KW, OH, OW) array, one tensordot over (C, KH, KW), the bias, then
    the channel axis moved to the front."""
    N, C, H, W_in = x.shape
    OC, _, KH, KW = W.shape
    SH, SW = pair(stride)
    PH, PW = pair(pad)
    OH, OW = (H + 2 * PH - KH) // SH + 1, (W_in + 2 * PW - KW) // SW + 1
    img = np.pad(x, ((0, 0), (0, 0), (PH, PH), (PW, PW)))
    col = np.zeros((N, C, KH, KW, OH, OW), dtype=x.dtype)
    for j in range(KH):
        for i in range(KW):
            col[:, :, j, i] = img[:, :, j : j + SH * OH : SH, i : i + SW * OW : SW]
    y = np.tensordot(col, W, ((1, 2, 3), (1, 2, 3)))
    if b is not None:
        y += b
    return np.rollaxis(y, 3, 1)


# The book's tests compare with Chainer's convolution_2d by exact equality; these
# are their shapes, and one with a batch and stride 2.
BOOK_CASES = [
    ((1, 5, 15, 15), (8, 5, 3, 3), 1, 1, True),
    ((1, 5, 20, 15), (3, 5, 5, 3), 1, 3, True),
    ((1, 5, 20, 15), (3, 5, 5, 3), 1, 3, False),
    ((1, 5, 20, 15), (3, 5, 5, 3), (3, 1), (2, 1), False),
    ((4, 3, 12, 10), (6, 3, 3, 3), 2, 1, True),
]


@pytest.mark.parametrize("conv", [F.conv2d, F.conv2d_simple], ids=["fused", "simple"])
@pytest.mark.parametrize("xs, ws, stride, pad, bias", BOOK_CASES)
def test_conv2d_gives_the_tensordot_bits(conv, xs, ws, stride, pad, bias):
    x = rng.standard_normal(xs).astype(np.float32)
    W = rng.standard_normal(ws).astype(np.float32)
    b = rng.standard_normal(ws[0]).astype(np.float32) if bias else None
    y = conv(x, W, b, stride, pad)
    expected = conv2d_tensordot(x, W, b, stride, pad)
    assert y.dtype == np.float32 and y.shape == expected.shape
    assert np.array_equal(y.data, expected)  # bit for bit, not close

"""Step 57 demo: im2col, conv2d and pooling, the fast way.

im2col lays out every window a kernel will see: a read-only strided view of the
input, copied once when a matrix is asked for (to_matrix=True). conv2d_simple is
that matrix times the reshaped weights (linear); the fused conv2d copies the view
once, in the order its products read it, and does one matrix product per image.
The demo prints the shapes, how far the two convolutions differ (about 1e-15:
they sum in another order), and a Conv2d + relu + pooling stack's output; the
tests compare both convolutions with the plain loops of step 56.
"""

import argparse

import numpy as np

import dezero.functions as F
import dezero.layers as L
from dezero import Variable


def im2col_shapes(seed=0):
    """The book's examples: (1, 3, 7, 7) and (10, 3, 7, 7) with a 5 x 5 kernel."""
    rng = np.random.default_rng(seed)
    x1 = rng.random((1, 3, 7, 7))
    col1 = F.im2col(x1, kernel_size=5, stride=1, pad=0, to_matrix=True)
    x2 = rng.random((10, 3, 7, 7))
    col2 = F.im2col(x2, kernel_size=(5, 5), stride=(1, 1), pad=(0, 0), to_matrix=True)
    return col1.shape, col2.shape


def conv_shapes(seed=0):
    """conv2d_simple on x (1, 5, 15, 15), W (8, 5, 3, 3), pad 1, and its gradient."""
    rng = np.random.default_rng(seed)
    N, C, H, W = 1, 5, 15, 15
    OC, (KH, KW) = 8, (3, 3)
    x = Variable(rng.standard_normal((N, C, H, W)))
    W = rng.standard_normal((OC, C, KH, KW))
    y = F.conv2d_simple(x, W, b=None, stride=1, pad=1)
    y.backward()
    fused = F.conv2d(x.data, W, b=None, stride=1, pad=1)
    return y, x, np.abs(fused.data - y.data).max()


def small_cnn(seed=0):
    """Conv2d(16, 3, pad 1), relu, 2 x 2 max pooling on a batch of 28 x 28 images."""
    np.random.seed(seed)
    conv = L.Conv2d(16, kernel_size=3, stride=1, pad=1)
    x = np.random.rand(8, 1, 28, 28).astype(np.float32)
    y = F.pooling(F.relu(conv(x)), kernel_size=2, stride=2)
    return conv, y


def main():
    """Print the step's results and return them."""
    s1, s2 = im2col_shapes()
    print(f"im2col (1, 3, 7, 7), kernel 5: {s1}")
    print(f"im2col (10, 3, 7, 7), kernel 5: {s2}")
    y, x, diff = conv_shapes()
    print(f"conv2d_simple: y {y.shape}, x.grad {x.grad.shape}")
    print(f"conv2d (fused) differs from conv2d_simple by at most {diff:.1e}")
    conv, z = small_cnn()
    print(f"Conv2d(16, 3, pad=1) + relu + pooling(2, 2): (8, 1, 28, 28) -> {z.shape}")
    print(f"  W {conv.W.shape} {conv.W.dtype}, b {conv.b.shape}; output {z.dtype}")
    return {"im2col": (s1, s2), "conv": (y, x, diff), "cnn": (conv, z)}


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

"""Step 56 demo: convolution and pooling with channels and batches, as plain loops.

Data are (N, C, H, W): N images of C channels. Filters are (OC, C, KH, KW): OC
filters, each as deep as the input. The output is (N, OC, OH, OW), one channel per
filter, plus one bias per output channel. Pooling shrinks each channel on its
own. These loops are slow and obviously right; step 57's fast versions are
tested against them.
"""

import argparse

import numpy as np

from dezero.utils import get_conv_outsize


def conv2d_loops(x, W, b=None, stride=1, pad=0):
    """Convolution by looping over images, filters and output positions."""
    N, C, H, W_in = x.shape
    OC, C_w, KH, KW = W.shape
    if C != C_w:
        raise ValueError(f"x has {C} channels, the filters {C_w}")
    SH, SW = (stride, stride) if isinstance(stride, int) else stride
    PH, PW = (pad, pad) if isinstance(pad, int) else pad
    OH = get_conv_outsize(H, KH, SH, PH)
    OW = get_conv_outsize(W_in, KW, SW, PW)

    xp = np.pad(x, ((0, 0), (0, 0), (PH, PH), (PW, PW)))  # zeros around each image
    y = np.zeros((N, OC, OH, OW), dtype=np.result_type(x, W))
    for n in range(N):
        for oc in range(OC):
            for i in range(OH):
                for j in range(OW):
                    window = xp[n, :, i * SH : i * SH + KH, j * SW : j * SW + KW]
                    y[n, oc, i, j] = np.sum(window * W[oc])  # over C, KH and KW
            if b is not None:
                y[n, oc] += b[oc]
    return y


def pool_loops(x, kernel_size, stride=1, pad=0, reduce=np.max):
    """Max (or, with reduce=np.mean, average) pooling of each channel on its own."""
    N, C, H, W = x.shape
    KH, KW = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    SH, SW = (stride, stride) if isinstance(stride, int) else stride
    PH, PW = (pad, pad) if isinstance(pad, int) else pad
    OH = get_conv_outsize(H, KH, SH, PH)
    OW = get_conv_outsize(W, KW, SW, PW)
    fill = -np.inf if reduce is np.max else 0
    xp = np.pad(x, ((0, 0), (0, 0), (PH, PH), (PW, PW)), constant_values=fill)
    y = np.zeros((N, C, OH, OW), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    window = xp[n, c, i * SH : i * SH + KH, j * SW : j * SW + KW]
                    y[n, c, i, j] = reduce(window)
    return y


def main():
    """The hand-worked example, then shapes with channels and batches."""
    x = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]])
    f = np.array([[2, 0, 1], [0, 1, 2], [1, 0, 2]])
    y = conv2d_loops(x[None, None], f[None, None])
    print(f"4x4 input, 3x3 filter:\n{y[0, 0]}")
    padded = conv2d_loops(x[None, None], f[None, None], np.array([3]), pad=1)
    print(f"with bias 3 and pad 1:\n{padded[0, 0]}")

    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 7, 7))  # N, C, H, W
    W = rng.standard_normal((8, 3, 3, 3))  # OC, C, KH, KW
    b = rng.standard_normal(8)  # one per output channel
    y = conv2d_loops(x, W, b, stride=2, pad=1)
    p = pool_loops(y, 2, stride=2)
    print(f"conv: x {x.shape} * W {W.shape} (stride 2, pad 1) -> y {y.shape}")
    print(f"2x2 max pooling, stride 2: {y.shape} -> {p.shape}")
    return y, p


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

"""Step 55 demo: how big a convolution's output is.

A kernel of size K slides over an input of size H padded by P on each side, S
cells at a time: it fits (H + 2P - K) // S + 1 times.
"""

import argparse

from dezero.utils import get_conv_outsize


def main():
    """Print the book's example and a few more, and return them."""
    H, W = 4, 4  # input
    KH, KW = 3, 3  # kernel
    SH, SW = 1, 1  # stride
    PH, PW = 1, 1  # padding

    OH = get_conv_outsize(H, KH, SH, PH)
    OW = get_conv_outsize(W, KW, SW, PW)
    print(f"input {H}x{W}, kernel {KH}x{KW}, stride {SH}, pad {PH}: output {OH}x{OW}")

    cases = [(4, 3, 1, 0), (7, 3, 2, 0), (224, 3, 1, 1), (224, 7, 2, 3), (28, 5, 1, 0)]
    for h, k, s, p in cases:
        out = get_conv_outsize(h, k, s, p)
        print(f"  size {h:3d}, kernel {k}, stride {s}, pad {p} -> {out}")
    return OH, OW


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

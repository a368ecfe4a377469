"""Step 23 demo: the framework is now the package `dezero`, imported like a library."""

import argparse

import numpy as np

from dezero import Variable


def main():
    """y = (x + 3) ** 2 at x = 1: y = 16, dy/dx = 2 * (x + 3) = 8."""
    x = Variable(np.array(1.0))
    y = (x + 3) ** 2
    y.backward()
    print(y)
    print(x.grad)
    return y, x


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

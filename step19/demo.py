"""Step 19 demo: a Variable that looks like the array it holds."""

import argparse

import numpy as np

from dezero import Variable


def main():
    """Show name, shape, len, size, ndim, dtype and repr of a 2 x 3 Variable."""
    x = Variable(np.array([[1, 2, 3], [4, 5, 6]]), name="x")
    print(x.name)
    print(x.shape)
    print(len(x), x.size, x.ndim, x.dtype)
    print(x)
    print(Variable(None))
    return x


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

"""Step 12 demo: add(x0, x1) reads like ordinary Python."""

import argparse

import numpy as np

from dezero import Variable, add


def main():
    """Add 2 and 3 with the variadic interface."""
    x0 = Variable(np.array(2))
    x1 = Variable(np.array(3))
    y = add(x0, x1)
    print(y.data)
    return y


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

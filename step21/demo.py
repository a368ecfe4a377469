"""Step 21 demo: ndarrays and Python numbers work as operands on either side."""

import argparse

import numpy as np

from dezero import Variable


def main():
    """x = 2: x + np.array(3.0), x + 3.0 and 3.0 * x + 1.0."""
    x = Variable(np.array(2.0))
    ys = [x + np.array(3.0), x + 3.0, 3.0 * x + 1.0]
    for y in ys:
        print(y)
    return ys


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

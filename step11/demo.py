"""Step 11 demo: Add takes a list of two Variables and returns a list of outputs."""

import argparse

import numpy as np

from dezero import Add, Variable


def main():
    """Add 2 and 3 through the list-in, list-out interface."""
    xs = [Variable(np.array(2)), Variable(np.array(3))]
    f = Add()
    ys = f(xs)
    y = ys[0]
    print(y.data)
    return y


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

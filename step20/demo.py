"""Step 20 demo: y = a * b + c written with ordinary operators."""

import argparse

import numpy as np

from dezero import Variable


def main():
    """a = 3, b = 2, c = 1: y = 7, dy/da = b = 2, dy/db = a = 3."""
    a = Variable(np.array(3.0))
    b = Variable(np.array(2.0))
    c = Variable(np.array(1.0))

    y = a * b + c
    y.backward()

    print(y)
    print(a.grad)
    print(b.grad)
    return y, a, b


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

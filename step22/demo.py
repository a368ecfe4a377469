"""Step 22 demo: the remaining arithmetic operators on Variables."""

import argparse

import numpy as np

from dezero import Variable


def main():
    """x = 2: -x, 2.0 - x, x - 1.0, 3.0 / x, x ** 3, and d(x ** 3)/dx = 12."""
    x = Variable(np.array(2.0))
    ys = [-x, 2.0 - x, x - 1.0, 3.0 / x, x**3]
    for y in ys:
        print(y)
    ys[-1].backward()
    print(x.grad)
    return [float(y.data) for y in ys], float(x.grad)


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

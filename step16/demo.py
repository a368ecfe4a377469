"""Step 16 demo: with generations, the branching graph of step 15 comes out right."""

import argparse

import numpy as np

from dezero import Variable, add, square


def main():
    """y = a ** 2 + a ** 2 with a = x ** 2 at x = 2: y = 32, dy/dx = 8 * x ** 3 = 64."""
    x = Variable(np.array(2.0))
    a = square(x)
    y = add(square(a), square(a))
    y.backward()
    print(y.data)
    print(x.grad)
    return y, x


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

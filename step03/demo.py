"""Step 03 demo: functions chain because each one returns a Variable."""

import argparse

import numpy as np

from dezero import Exp, Square, Variable


def main():
    """Compute y = (exp(x ** 2)) ** 2 at x = 0.5 as a chain of three Functions."""
    A = Square()
    B = Exp()
    C = Square()

    x = Variable(np.array(0.5))
    a = A(x)
    b = B(a)
    y = C(b)
    print("x -> A(square) -> a -> B(exp) -> b -> C(square) -> y")
    print(y.data)
    return y


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

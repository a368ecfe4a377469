"""Step 04 demo: derivatives by numerical differentiation (central difference)."""

import argparse

import numpy as np

from dezero import Exp, Square, Variable, numerical_diff


def f(x):
    """The step-03 chain as one Python function: (exp(x ** 2)) ** 2."""
    A = Square()
    B = Exp()
    C = Square()
    return C(B(A(x)))


def main():
    """Differentiate Square at 2.0 and the composite f at 0.5; show eps too small."""
    dy = numerical_diff(Square(), Variable(np.array(2.0)))
    print(dy)

    x = Variable(np.array(0.5))
    dy_chain = numerical_diff(f, x)
    print(dy_chain)
    print(f"exact: {2 * np.exp(0.5)}")

    for eps in (1e-4, 1e-8, 1e-12):
        err = abs(numerical_diff(Square(), Variable(np.array(2.0)), eps=eps) - 4.0)
        print(f"eps={eps:g}: error {err:.1e}")
    return dy, dy_chain


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

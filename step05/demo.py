"""Step 05 demo: the chain rule by hand, evaluated from the output back to the input.

The framework does not change in this step. For y = C(B(A(x))) with A(x) = x ** 2,
B(a) = exp(a) and C(b) = b ** 2, the chain rule says

    dy/dx = dy/db * db/da * da/dx = C'(b) * B'(a) * A'(x)

and backpropagation multiplies these local derivatives starting at y (dy/dy = 1).
"""

import argparse

import numpy as np

from dezero import Exp, Square, Variable, numerical_diff


def main():
    """Multiply the local derivatives of the step-03 chain at x = 0.5, output first."""
    x = Variable(np.array(0.5))
    a = Square()(x)
    b = Exp()(a)
    y = Square()(b)

    dy_dy = 1.0
    dy_db = dy_dy * 2 * b.data  # C'(b) = 2b
    dy_da = dy_db * np.exp(a.data)  # B'(a) = exp(a)
    dy_dx = dy_da * 2 * x.data  # A'(x) = 2x
    print(f"y      = {y.data}")
    print(f"dy/db  = {dy_db}")
    print(f"dy/da  = {dy_da}")
    print(f"dy/dx  = {dy_dx}")

    numeric = numerical_diff(lambda v: Square()(Exp()(Square()(v))), x)
    print(f"numerical check: {numeric}")
    return dy_dx, numeric


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

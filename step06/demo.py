"""Step 06 demo: backpropagation by hand, calling each backward in reverse order."""

import argparse

import numpy as np

from dezero import Exp, Square, Variable


def main():
    """Forward through Square -> Exp -> Square at 0.5, then backward by hand."""
    A = Square()
    B = Exp()
    C = Square()

    x = Variable(np.array(0.5))
    a = A(x)
    b = B(a)
    y = C(b)

    y.grad = np.array(1.0)
    b.grad = C.backward(y.grad)
    a.grad = B.backward(b.grad)
    x.grad = A.backward(a.grad)
    print(x.grad)
    return x


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

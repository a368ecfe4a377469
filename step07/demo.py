"""Step 07 demo: each Variable knows its creator, so backward runs by itself."""

import argparse

import numpy as np

from dezero import Exp, Square, Variable


def main():
    """Build the Square -> Exp -> Square chain, walk its links, call y.backward()."""
    A = Square()
    B = Exp()
    C = Square()

    x = Variable(np.array(0.5))
    a = A(x)
    b = B(a)
    y = C(b)

    # Walk the graph backwards through the links recorded in forward.
    assert y.creator is C
    assert y.creator.input is b
    assert y.creator.input.creator is B
    assert y.creator.input.creator.input is a
    assert y.creator.input.creator.input.creator is A
    assert y.creator.input.creator.input.creator.input is x
    assert x.creator is None
    print("links: y <- C <- b <- B <- a <- A <- x")

    y.grad = np.array(1.0)
    y.backward()
    print(x.grad)
    return x


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

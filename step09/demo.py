"""Step 09 demo: Python functions, a default gradient and a type check."""

import argparse

import numpy as np

from dezero import Variable, exp, square


def main():
    """Differentiate square(exp(square(x))) at 0.5 without seeding y.grad by hand."""
    x = Variable(np.array(0.5))
    y = square(exp(square(x)))
    y.backward()
    print(x.grad)

    Variable(np.array(1.0))
    Variable(None)
    try:
        Variable(1.0)
    except TypeError as e:
        print(f"TypeError: {e}")
    return x


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

"""Step 02 demo: a Function takes a Variable and returns a new Variable."""

import argparse

import numpy as np

from dezero import Square, Variable


def main():
    """Square a Variable holding 10 and show what comes back."""
    x = Variable(np.array(10))
    f = Square()
    y = f(x)
    print(type(y))
    print(y.data)
    return y


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

"""Step 13 demo: gradients flow back through a Function with two inputs."""

import argparse

import numpy as np

from dezero import Variable, add, square


def main():
    """z = x ** 2 + y ** 2 at x = 2, y = 3; dz/dx = 2x and dz/dy = 2y."""
    x = Variable(np.array(2.0))
    y = Variable(np.array(3.0))
    z = add(square(x), square(y))
    z.backward()
    print(z.data)
    print(x.grad)
    print(y.grad)
    return z, x, y


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

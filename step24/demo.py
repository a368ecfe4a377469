"""Step 24 demo: gradients of three optimisation benchmark functions at (1, 1)."""

import argparse

import numpy as np

from dezero import Variable


def sphere(x, y):
    """x ** 2 + y ** 2."""
    z = x**2 + y**2
    return z


def matyas(x, y):
    """0.26 * (x ** 2 + y ** 2) - 0.48 * x * y."""
    z = 0.26 * (x**2 + y**2) - 0.48 * x * y
    return z


def goldstein(x, y):
    """The Goldstein-Price function; its minimum is 3 at (0, -1)."""
    z = (
        1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    ) * (
        30
        + (2 * x - 3 * y) ** 2
        * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
    )
    return z


def main():
    """Print dz/dx and dz/dy of each function at x = y = 1."""
    results = {}
    for name, f in [("sphere", sphere), ("matyas", matyas), ("goldstein", goldstein)]:
        x = Variable(np.array(1.0))
        y = Variable(np.array(1.0))
        z = f(x, y)
        z.backward()
        print(f"{name + ':':15} {x.grad} {y.grad}")
        results[name] = (float(z.data), float(x.grad), float(y.grad))
    return results


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

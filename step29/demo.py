"""Step 29 demo: Newton's method with a second derivative written by hand.

f(x) = x ** 4 - 2 * x ** 2 has minima at x = -1 and x = 1. Newton's method updates
x <- x - f'(x) / f''(x): backprop gives f'(x); f''(x) = 12 x ** 2 - 4 is coded here.
"""

import argparse

import numpy as np

from dezero import Variable


def f(x):
    """x ** 4 - 2 * x ** 2."""
    y = x**4 - 2 * x**2
    return y


def gx2(x):
    """The second derivative of f, derived by hand: 12 x ** 2 - 4."""
    return 12 * x**2 - 4


def newton(x0=2.0, iters=10, verbose=True):
    """Newton updates from x0; return the iterates, x0 first."""
    x = Variable(np.array(x0))
    xs = [float(x.data)]
    for i in range(iters):
        if verbose:
            print(i, x)
        y = f(x)
        x.cleargrad()
        y.backward()
        x.data -= x.grad / gx2(x.data)
        xs.append(float(x.data))
    return xs


def gradient_descent_updates(x0=2.0, lr=0.01, tol=1e-3, max_iters=100000):
    """Gradient-descent updates needed to get within tol of the minimum at 1."""
    x = Variable(np.array(x0))
    for i in range(max_iters):
        if abs(x.data - 1.0) < tol:
            return i
        y = f(x)
        x.cleargrad()
        y.backward()
        x.data -= lr * x.grad
    return max_iters


def main(iters=10):
    """Run Newton from x = 2 and compare with gradient descent (lr 0.01)."""
    xs = newton(2.0, iters)
    newton_updates = next(i for i, x in enumerate(xs) if x == 1.0)
    gd_updates = gradient_descent_updates()
    print(f"Newton reaches 1.0 after {newton_updates} updates")
    print(f"gradient descent (lr 0.01) needs {gd_updates} updates to get within 0.001")
    return xs, newton_updates, gd_updates


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=10)
    main(parser.parse_args().iters)

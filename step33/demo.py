"""Step 33 demo: Newton's method with the second derivative found by backprop too.

f(x) = x ** 4 - 2 * x ** 2. Step 29 coded f''(x) by hand; now backward(create_graph=
True) leaves a differentiable f'(x) in x.grad, and a second backward gives f''(x).
"""

import argparse

import numpy as np

from dezero import Variable


def f(x):
    """x ** 4 - 2 * x ** 2."""
    y = x**4 - 2 * x**2
    return y


def derivatives(x, clear=True):
    """Return (f'(x), f''(x)) of f at the Variable x, both by backprop."""
    y = f(x)
    x.cleargrad()
    y.backward(create_graph=True)
    gx = x.grad
    if clear:
        x.cleargrad()  # otherwise x.grad would be f'(x) + f''(x)
    gx.backward()
    gx2 = x.grad
    return gx, gx2


def newton(x0=2.0, iters=10, verbose=True):
    """Newton updates x <- x - f'(x) / f''(x) from x0; return the iterates."""
    x = Variable(np.array(x0))
    xs = [float(x.data)]
    for i in range(iters):
        if verbose:
            print(i, x)
        gx, gx2 = derivatives(x)
        x.data -= gx.data / gx2.data
        xs.append(float(x.data))
    return xs


def main(iters=10):
    """Show f'(2), f''(2) with and without cleargrad, then run Newton from 2."""
    gx, gx2 = derivatives(Variable(np.array(2.0)))
    print(f"f'(2) = {gx},  f''(2) = {gx2}")
    _, mixed = derivatives(Variable(np.array(2.0)), clear=False)
    print(f"without cleargrad the second backward adds up: {mixed}")
    xs = newton(2.0, iters)
    return gx, gx2, mixed, xs


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=10)
    main(parser.parse_args().iters)

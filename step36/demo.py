"""Step 36 demo: double backprop, the derivative of an expression built from a gradient.

y = x ** 2 and z = (dy/dx) ** 3 + y. With dy/dx = 2x, z = 8 x ** 3 + x ** 2 and
dz/dx = 24 x ** 2 + 2 x = 100 at x = 2. Treating dy/dx as a plain number gives 4.
"""

import argparse

import numpy as np

from dezero import Variable


def double_backprop(x0=2.0):
    """dz/dx for z = (dy/dx) ** 3 + y, y = x ** 2, differentiating through dy/dx."""
    x = Variable(np.array(x0))
    y = x**2
    y.backward(create_graph=True)
    gx = x.grad
    x.cleargrad()

    z = gx**3 + y
    z.backward()
    return x.grad


def gradient_as_a_constant(x0=2.0):
    """The same dz/dx when dy/dx is copied out as a constant: only y contributes."""
    x = Variable(np.array(x0))
    y = x**2
    y.backward()
    gx = Variable(x.grad.data.copy())  # a number, cut off from x
    x.cleargrad()

    z = gx**3 + y
    z.backward()
    return x.grad


def main():
    """Print both results at x = 2."""
    right = double_backprop()
    wrong = gradient_as_a_constant()
    print(f"dz/dx with double backprop:      {right}")
    print(f"dz/dx with dy/dx held constant:  {wrong}")
    return right, wrong


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

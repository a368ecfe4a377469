"""Step 40 demo: broadcasting in + - * /, with gradients of the inputs' own shapes.

NumPy stretches the smaller operand to the larger shape. Forward gets that for
free; backward must sum each gradient back down to its input's shape (sum_to).
"""

import argparse

import numpy as np

from dezero import Variable


def book_example():
    """x0 = [1, 2, 3] plus x1 = [10]: x1 is used three times, so its grad is 3."""
    x0 = Variable(np.array([1, 2, 3]))
    x1 = Variable(np.array([10]))
    y = x0 + x1
    y.backward()
    return y, x0, x1


def bias_and_scale():
    """A (2, 3) batch times a per-column scale (3,) plus a per-row shift (2, 1)."""
    x = Variable(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    scale = Variable(np.array([1.0, 10.0, 100.0]))
    shift = Variable(np.array([[0.5], [-0.5]]))
    y = x * scale + shift
    y.backward()
    return y, x, scale, shift


def main():
    """Print the step's results and return them."""
    y, x0, x1 = book_example()
    print(f"y = {y.data}, x0.grad = {x0.grad.data}, x1.grad = {x1.grad.data}")

    z, x, scale, shift = bias_and_scale()
    print(f"x * scale + shift =\n{z.data}")
    print(f"scale.grad = {scale.grad.data}  (column sums of x)")
    print(f"shift.grad = {shift.grad.data.tolist()}  (3 columns per row)")
    print(f"x.grad =\n{x.grad.data}")
    return {"y": y, "x0": x0, "x1": x1, "z": z, "x": x, "scale": scale, "shift": shift}


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

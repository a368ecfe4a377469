"""Step 27 demo: sine from its Taylor series; the graph grows with the precision."""

import argparse
import math
import os

import numpy as np

from dezero import Function, Variable
from dezero.utils import get_dot_graph, plot_dot_graph

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


class Sin(Function):
    """Elementwise sine; gx = gy * cos(x)."""

    def forward(self, x):
        y = np.sin(x)
        return y

    def backward(self, gy):
        x = self.inputs[0].data
        gx = gy * np.cos(x)
        return gx


def sin(x):
    """Sine of a Variable, as a plain Python function."""
    return Sin()(x)


def my_sin(x, threshold=0.0001):
    """Sine as its Maclaurin series, sum of (-1)^i x^(2i+1) / (2i+1)!, to threshold."""
    y = 0
    for i in range(100000):
        c = (-1) ** i / math.factorial(2 * i + 1)
        t = c * x ** (2 * i + 1)
        y = y + t
        if abs(t.data) < threshold:
            break
    return y


def count_functions(y):
    """Number of Function nodes in the DOT graph of y."""
    return get_dot_graph(y).count("shape=box")


def main(out_dir=None, thresholds=(1e-4, 1e-150)):
    """Compare sin and my_sin at pi/4, then draw my_sin's graph for each threshold."""
    out_dir = out_dir or os.path.join(HERE, "output")
    x = Variable(np.array(np.pi / 4))
    y = sin(x)
    y.backward()
    print("sin:    ", y.data, x.grad)

    x = Variable(np.array(np.pi / 4))
    y = my_sin(x)
    y.backward()
    print("my_sin: ", y.data, x.grad)

    sizes = {}
    for threshold in thresholds:
        x = Variable(np.array(np.pi / 4), name="x")
        y = my_sin(x, threshold)
        y.name = "y"
        sizes[threshold] = count_functions(y)
        to_file = os.path.join(out_dir, f"my_sin_{threshold:g}.png")
        try:
            plot_dot_graph(y, verbose=False, to_file=to_file)
            note = f"wrote {shown(to_file)}"
        except RuntimeError as e:
            note = str(e)
        print(f"threshold {threshold:g}: {sizes[threshold]} functions; {note}")
    return sizes


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threshold", type=float, action="append", help="repeatable")
    args = parser.parse_args()
    main(thresholds=args.threshold or (1e-4, 1e-150))

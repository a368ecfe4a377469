"""Step 26 demo: DeZero draws its own computational graph (Goldstein-Price)."""

import argparse
import os

import numpy as np

from dezero import Variable
from dezero.utils import plot_dot_graph

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def goldstein(x, y):
    """The Goldstein-Price function."""
    z = (
        1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    ) * (
        30
        + (2 * x - 3 * y) ** 2
        * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
    )
    return z


def main(out_dir=None, fmt="png", verbose=False):
    """Name x, y and z, backpropagate, and render the graph to output/goldstein.*."""
    out_dir = out_dir or os.path.join(HERE, "output")
    x = Variable(np.array(1.0))
    y = Variable(np.array(1.0))
    z = goldstein(x, y)
    z.backward()

    x.name = "x"
    y.name = "y"
    z.name = "z"
    to_file = os.path.join(out_dir, f"goldstein.{fmt}")
    try:
        plot_dot_graph(z, verbose=verbose, to_file=to_file)
        print(f"wrote {shown(to_file)}")
    except RuntimeError as e:
        print(e)
        to_file = None
    return z, to_file


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--format", default="png", choices=["png", "svg", "pdf"])
    parser.add_argument("--verbose", action="store_true", help="show shapes, dtypes")
    args = parser.parse_args()
    main(fmt=args.format, verbose=args.verbose)

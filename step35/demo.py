"""Step 35 demo: the graph behind a higher derivative of tanh, drawn by Graphviz.

Differentiates tanh at x = 1 `--order` times (default 2) with create_graph=True and
draws the graph that computes the last derivative to
output/tanh_derivative<order>_graph.png. The graph grows quickly with the order:
try --order 6.
"""

import argparse
import os

import numpy as np

import dezero.functions as F
from dezero import Variable
from dezero.utils import get_dot_graph, plot_dot_graph

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def nth_derivative(x, order):
    """Return the order-th derivative of tanh at the Variable x, with its graph."""
    y = F.tanh(x)
    x.name = "x"
    y.name = "y"
    y.backward(create_graph=True)
    for _ in range(order - 1):
        gx = x.grad
        x.cleargrad()
        gx.backward(create_graph=True)
    gx = x.grad
    gx.name = f"gx{order}"
    return gx


def count_functions(v):
    """Number of Function nodes in the DOT graph of v."""
    return get_dot_graph(v).count("shape=box")


def main(order=2, out_dir=None):
    """Print the derivatives up to order at x = 1 and draw the last one's graph."""
    for n in range(1, order + 1):
        gx = nth_derivative(Variable(np.array(1.0)), n)
        print(
            f"order {n}: {gx.data:.10f}, {count_functions(gx)} functions in its graph"
        )
    name = f"tanh_derivative{order}_graph.png"  # the graph that computes gx{order}
    to_file = os.path.join(out_dir or os.path.join(HERE, "output"), name)
    try:
        plot_dot_graph(gx, verbose=False, to_file=to_file)
        print(f"wrote {shown(to_file)}")
    except RuntimeError as e:
        print(e)
    return gx


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--order", type=int, default=2, help="which derivative")
    main(parser.parse_args().order)

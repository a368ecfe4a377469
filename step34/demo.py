"""Step 34 demo: sin and its higher derivatives, computed by repeated backprop.

Plots y = sin(x) and its first three derivatives on [-7, 7] to
output/sin_derivatives.png (needs matplotlib; `--show` opens a window).
"""

import argparse
import os

import numpy as np

import dezero.functions as F
from dezero import Variable

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def derivatives(x, f, n):
    """Values of f and its first n derivatives at the Variable x, as arrays."""
    y = f(x)
    values = [y.data]
    for _ in range(n):
        x.cleargrad()
        y.backward(create_graph=True)
        y = x.grad  # the derivative just found is the function to differentiate next
        values.append(y.data)
    return values


def plot(x, values, to_file, show=False):
    """Plot the curves; return to_file, or None without matplotlib."""
    try:
        import matplotlib

        if not show:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install matplotlib): no plot")
        return None
    fig, ax = plt.subplots(figsize=(8, 4.5))
    labels = ["y = sin(x)", "y' (1st derivative)", "y'' (2nd)", "y''' (3rd)"]
    for i, v in enumerate(values):
        ax.plot(x, v, label=labels[i] if i < len(labels) else f"order {i}")
    ax.set_xlabel("x")
    ax.set_ylabel("value")
    ax.set_title(
        "sin(x) and its derivatives, each found by backward(create_graph=True)"
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=4, fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(to_file), exist_ok=True)
    fig.savefig(to_file, dpi=100)
    if show:
        plt.show()
    plt.close(fig)
    return to_file


def main(out_dir=None, show=False):
    """Print sin's derivatives at x = 1, then plot them on a grid."""
    x = Variable(np.array(1.0))
    values = derivatives(x, F.sin, 4)
    for order, v in enumerate(values):
        print(f"order {order} at x = 1: {v}")

    x = Variable(np.linspace(-7, 7, 200))
    curves = derivatives(x, F.sin, 3)
    to_file = os.path.join(
        out_dir or os.path.join(HERE, "output"), "sin_derivatives.png"
    )
    if plot(x.data, curves, to_file, show):
        print(f"wrote {shown(to_file)}")
    return values, curves


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="open a plot window")
    main(show=parser.parse_args().show)

"""Step 28 demo: gradient descent on the Rosenbrock function, starting at (0, 2).

Runs 10000 updates by default (a few seconds); `--iters 50000` reaches the minimum
(1, 1) to about 1e-9. The path is plotted to output/rosenbrock.png.
"""

import argparse
import os

import numpy as np

from dezero import Variable

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def rosenbrock(x0, x1):
    """100 * (x1 - x0 ** 2) ** 2 + (x0 - 1) ** 2, with its minimum 0 at (1, 1)."""
    y = 100 * (x1 - x0**2) ** 2 + (x0 - 1) ** 2
    return y


def gradient_descent(x0, x1, lr=0.001, iters=1000, report_every=0):
    """Update x0 and x1 in place iters times; return the path, start included."""
    path = [(float(x0.data), float(x1.data))]
    for i in range(iters):
        y = rosenbrock(x0, x1)

        x0.cleargrad()
        x1.cleargrad()
        y.backward()

        x0.data -= lr * x0.grad
        x1.data -= lr * x1.grad
        path.append((float(x0.data), float(x1.data)))
        if report_every and (i + 1) % report_every == 0:
            print(f"after {i + 1:6d} updates: x0 = {x0.data:.8f}, x1 = {x1.data:.8f}")
    return path


def plot_path(path, to_file, show=False):
    """Draw the path over the function's contour lines; needs matplotlib."""
    try:
        import matplotlib

        if not show:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install matplotlib): no plot")
        return None
    a, b = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-1, 3, 200))
    z = 100 * (b - a**2) ** 2 + (a - 1) ** 2
    fig, ax = plt.subplots(figsize=(6, 6))
    ax.contour(a, b, z, levels=np.logspace(-1, 3.5, 15), cmap="viridis")
    p = np.array(path)
    ax.plot(
        p[:, 0],
        p[:, 1],
        "r.-",
        markersize=2,
        linewidth=0.8,
        label=f"gradient descent from (0, 2), {len(p) - 1} updates",
    )
    ax.plot(1, 1, "k*", markersize=12, label="minimum (1, 1)")
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_title("Rosenbrock function y(x0, x1): log-spaced contours, darker = lower")
    ax.legend(loc="upper left", fontsize=9)
    os.makedirs(os.path.dirname(to_file), exist_ok=True)
    fig.savefig(to_file, dpi=100)
    if show:
        plt.show()
    plt.close(fig)
    return to_file


def main(iters=10000, lr=0.001, out_dir=None, plot=True, show=False):
    """Print the gradient at the start, then descend and report every tenth."""
    x0 = Variable(np.array(0.0))
    x1 = Variable(np.array(2.0))
    y = rosenbrock(x0, x1)
    y.backward()
    print(f"gradient at (0, 2): {x0.grad} {x1.grad}")

    path = gradient_descent(x0, x1, lr, iters, report_every=max(iters // 10, 1))
    if plot:
        to_file = os.path.join(
            out_dir or os.path.join(HERE, "output"), "rosenbrock.png"
        )
        if plot_path(path, to_file, show):
            print(f"wrote {shown(to_file)}")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=10000, help="50000 converges")
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--show", action="store_true", help="open a plot window")
    args = parser.parse_args()
    main(args.iters, args.lr, show=args.show)

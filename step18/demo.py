"""Step 18 demo: drop gradients nobody asked for, and record no graph for inference."""

import argparse
import tracemalloc

import numpy as np

from dezero import Variable, add, no_grad, square


def peak_memory(fn):
    """Peak traced memory, in bytes, while fn() runs."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(size=100):
    """Show retain_grad's default, then compare memory with and without no_grad."""
    x0 = Variable(np.array(1.0))
    x1 = Variable(np.array(1.0))
    t = add(x0, x1)
    y = add(x0, t)
    y.backward()
    print(y.grad, t.grad)
    print(x0.grad, x1.grad)

    x = Variable(np.ones((size, size, size)))

    def forward():
        return square(square(square(x)))

    def forward_no_grad():
        with no_grad():
            return square(square(square(x)))

    with_graph = peak_memory(forward)
    without_graph = peak_memory(forward_no_grad)
    print(f"peak memory with the graph: {with_graph / 2**20:6.1f} MiB")
    print(f"peak memory with no_grad:   {without_graph / 2**20:6.1f} MiB")

    with no_grad():
        z = square(x)
    print(f"under no_grad the output's creator is {z.creator}")
    return {
        "grads": (y.grad, t.grad, float(x0.grad), float(x1.grad)),
        "memory": (with_graph, without_graph),
        "no_grad_creator": z.creator,
    }


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

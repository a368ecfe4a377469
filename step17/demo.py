"""Step 17 demo: a dropped graph is freed at once, even with the cycle collector off."""

import argparse
import gc
import tracemalloc

import numpy as np

from dezero import Variable, square


def main(iters=10, size=10000):
    """Build square(square(square(x))) repeatedly and print traced memory each time."""
    x = Variable(np.random.default_rng(0).standard_normal(size))
    gc.disable()  # only reference counting may free memory here
    tracemalloc.start()
    try:
        sizes = []
        for i in range(iters):
            y = square(square(square(x)))
            current, _ = tracemalloc.get_traced_memory()
            sizes.append(current)
            print(f"iteration {i}: {current / 1024:8.1f} KiB traced")
        del y
    finally:
        tracemalloc.stop()
        gc.enable()
    return sizes


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

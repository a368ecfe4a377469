"""Step 39 demo: F.sum with axis and keepdims, and its backward.

A sum adds each element once, so its gradient copies the upstream gradient back
over the summed axes: the input's shape again, all ones for a seed of ones.
"""

import argparse

import numpy as np

import dezero.functions as F
from dezero import Variable


def sum_and_grad(x0, **kwargs):
    """y = sum(x, **kwargs) and x.grad after y.backward()."""
    x = Variable(np.array(x0))
    y = F.sum(x, **kwargs)
    y.backward()
    return y, x.grad


def main():
    """Print the step's results and return them."""
    results = {}
    for label, x0, kwargs in [
        ("sum of [1..6]", [1, 2, 3, 4, 5, 6], {}),
        ("sum of [[1,2,3],[4,5,6]]", [[1, 2, 3], [4, 5, 6]], {}),
        ("axis=0", [[1, 2, 3], [4, 5, 6]], {"axis": 0}),
        ("axis=1, keepdims", [[1, 2, 3], [4, 5, 6]], {"axis": 1, "keepdims": True}),
    ]:
        y, gx = sum_and_grad(x0, **kwargs)
        results[label] = (y, gx)
        print(f"{label}: y = {y.data.tolist()}, x.grad = {gx.data.tolist()}")

    x = Variable(np.random.default_rng(0).standard_normal((2, 3, 4, 5)))
    kept = x.sum(keepdims=True)
    print(f"randn(2, 3, 4, 5).sum(keepdims=True).shape = {kept.shape}")
    results["keepdims_shape"] = kept.shape
    return results


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

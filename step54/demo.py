"""Step 54 demo: dropout, test mode, and batch normalisation.

Dropout zeroes random units while training and scales the others up, so that in
test mode it can simply step aside. Batch normalisation uses the batch's own
statistics while training and its running averages in test mode.
"""

import argparse

import numpy as np

import dezero
import dezero.functions as F
import dezero.layers as L


def dropout_both_modes(seed=0):
    """F.dropout on ones(5) in training and in test mode."""
    np.random.seed(seed)
    x = np.ones(5)
    y = F.dropout(x)
    with dezero.test_mode():
        z = F.dropout(x)
    return y, z


def dropout_keeps_the_mean(n=100000, seed=0):
    """The mean of dropout(ones) over many units: 1 on average, by the scaling."""
    np.random.seed(seed)
    return float(F.dropout(np.ones(n), dropout_ratio=0.3).data.mean())


def batch_norm_both_modes(seed=0):
    """A BatchNorm layer on batches with mean 5 and std 2, then in test mode."""
    rng = np.random.default_rng(seed)
    bn = L.BatchNorm()
    for _ in range(50):  # the running averages follow the batches
        x = (5 + 2 * rng.standard_normal((32, 3))).astype(np.float32)
        y = bn(x)
    with dezero.test_mode():
        y_test = bn(np.full((1, 3), 7.0, dtype=np.float32))
    return bn, y, y_test


def main():
    """Print the step's results and return them."""
    y, z = dropout_both_modes()
    print(f"dropout, training:  {y}")
    print(f"dropout, test mode: {z}")
    print(f"mean of dropout(ones(100000), 0.3): {dropout_keeps_the_mean():.4f}")

    bn, y_train, y_test = batch_norm_both_modes()
    with np.printoptions(precision=3, suppress=True):
        print(
            f"batch norm, training: batch mean {y_train.data.mean(axis=0)}, "
            f"std {y_train.data.std(axis=0)}"
        )
        print(f"running mean {bn.avg_mean.data}, running var {bn.avg_var.data}")
        print(f"test mode, x = 7 (one std above the mean): {y_test.data}")
    return {"dropout": (y, z), "bn": bn, "bn_train": y_train, "bn_test": y_test}


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

"""Step 46 demo: optimizers take the update rule out of the training loop.

MLP((10, 1)) and SGD(0.2) on the sine data give step 45's numbers; the same loop
with another optimizer is a one-line change, and the demo compares five of them.
"""

import argparse

import numpy as np

import dezero.functions as F
from dezero import optimizers
from dezero.models import MLP

OPTIMIZERS = {
    "SGD(lr=0.2)": lambda: optimizers.SGD(0.2),
    "MomentumSGD(lr=0.2)": lambda: optimizers.MomentumSGD(0.2),
    "AdaGrad(lr=0.2)": lambda: optimizers.AdaGrad(0.2),
    "AdaDelta()": lambda: optimizers.AdaDelta(),
    "Adam(alpha=0.01)": lambda: optimizers.Adam(0.01),
}


def train(make_optimizer, iters=10000, log_every=1000, seed=0, verbose=True):
    """The sine fit with an optimizer; returns the logged (iteration, loss) pairs."""
    np.random.seed(seed)  # the book's seed; Linear draws its weights from it
    x = np.random.rand(100, 1)
    y = np.sin(2 * np.pi * x) + np.random.rand(100, 1)

    model = MLP((10, 1))
    optimizer = make_optimizer().setup(model)

    logged = []
    for i in range(iters):
        y_pred = model(x)
        loss = F.mean_squared_error(y, y_pred)

        model.cleargrads()
        loss.backward()

        optimizer.update()
        if i % log_every == 0 or i == iters - 1:
            if verbose:
                print(f"iteration {i:5d}: loss {loss.data:.4f}")
            logged.append((i, float(loss.data)))
    return logged


def main(iters=10000, compare_iters=1000):
    """SGD for the full run, then every optimizer for compare_iters updates."""
    logged = train(OPTIMIZERS["SGD(lr=0.2)"], iters)
    print(f"\nloss in iteration {compare_iters - 1}, same model and data:")
    compared = {}
    for name, make in OPTIMIZERS.items():
        compared[name] = train(make, compare_iters, verbose=False)[-1][1]
        print(f"  {name:20s} {compared[name]:.4f}")
    return logged, compared


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=10000, help="SGD updates")
    parser.add_argument("--compare-iters", type=int, default=1000, help="per optimizer")
    args = parser.parse_args()
    main(args.iters, args.compare_iters)

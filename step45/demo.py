"""Step 45 demo: a Model that holds layers; MLP; Sequential on Grokking's toy data.

TwoLayerNet(Model) is step 44's network as one object: model.params() walks into
its layers, model.cleargrads() clears them all, and model.plot(x) draws it.
Writes output/model.png (needs Graphviz) and output/model.dot.
`--xor` trains Grokking's four-sample toy problem with models.Sequential instead.
"""

import argparse
import os

import numpy as np

import dezero.functions as F
import dezero.layers as L
from dezero import Model, Variable
from dezero.models import MLP, Sequential

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


class TwoLayerNet(Model):
    """Linear -> sigmoid -> Linear, with the layers as attributes."""

    def __init__(self, hidden_size, out_size):
        super().__init__()
        self.l1 = L.Linear(hidden_size)
        self.l2 = L.Linear(out_size)

    def forward(self, x):
        y = F.sigmoid(self.l1(x))
        y = self.l2(y)
        return y


def train_sine(iters=10000, lr=0.2, log_every=1000, seed=0):
    """The step-44 training loop with a model; returns the model, data and losses."""
    np.random.seed(seed)  # the book's seed; Linear draws its weights from it
    x = np.random.rand(100, 1)
    y = np.sin(2 * np.pi * x) + np.random.rand(100, 1)

    model = TwoLayerNet(10, 1)
    logged = []
    for i in range(iters):
        y_pred = model(x)
        loss = F.mean_squared_error(y, y_pred)

        model.cleargrads()
        loss.backward()

        for p in model.params():
            p.data -= lr * p.grad.data
        if i % log_every == 0:
            print(f"iteration {i:5d}: loss {loss.data:.4f}")
            logged.append((i, float(loss.data)))
    return model, x, logged


def train_xor(iters=10, lr=1.0, seed=0):
    """Grokking's toy problem: Linear(3), tanh, Linear(1), sigmoid on four samples.

    Its loss is the sum of squared errors (not the mean), updated by plain SGD.
    """
    np.random.seed(seed)
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    t = np.array([[1], [0], [1], [0]], dtype=np.float32)
    model = Sequential(L.Linear(3), F.tanh, L.Linear(1), F.sigmoid)
    losses = []
    for _ in range(iters):
        loss = F.sum((model(x) - t) ** 2)
        model.cleargrads()
        loss.backward()
        for p in model.params():
            p.data -= lr * p.grad.data
        losses.append(float(loss.data))
    print("loss per iteration:", " ".join(f"{v:.4f}" for v in losses))
    print(f"predictions: {model(x).data.ravel().round(3)}  targets: {t.ravel()}")
    return model, losses


def describe_mlp():
    """MLP((10, 20, 30, 40, 1)): five Linear layers, ten parameters after a call."""
    model = MLP((10, 20, 30, 40, 1))
    model(np.zeros((1, 3), dtype=np.float32))
    params = list(model.params())
    print(f"MLP((10, 20, 30, 40, 1)): {len(model.layers)} layers, {len(params)} params")
    return model, params


def main(iters=10000, xor=False, out_dir=None):
    """Train the sine model (or the toy problem), then draw the model's graph."""
    if xor:
        return train_xor()
    model, x, logged = train_sine(iters)
    describe_mlp()
    to_file = os.path.join(out_dir or os.path.join(HERE, "output"), "model.png")
    try:
        model.plot(Variable(x, name="x"), to_file=to_file)
        print(f"wrote {shown(to_file)}")
    except RuntimeError as e:  # no Graphviz: the .dot file is still there
        print(e)
    return model, logged


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=10000, help="gradient steps")
    parser.add_argument("--xor", action="store_true", help="Grokking's toy problem")
    args = parser.parse_args()
    main(args.iters, args.xor)

"""Step 49 demo: the spiral as a Dataset, transforms, and training from it.

Spiral()[i] is one (x, label) pair; a transform runs on each x as it is read.
Training builds every batch by indexing the dataset and stacking the samples,
and gives exactly step 48's numbers.
"""

import argparse
import math

import numpy as np

import dezero
import dezero.functions as F
from dezero import optimizers, transforms
from dezero.models import MLP


def show_dataset():
    """A sample, the length, and the same sample through two transforms."""
    train_set = dezero.datasets.Spiral(train=True)
    print(f"train_set[0] = {train_set[0]}, len = {len(train_set)}")

    halved = dezero.datasets.Spiral(transform=lambda x: x / 2.0)
    print(f"with transform x / 2: {halved[0][0]}")

    f = transforms.Compose(
        [transforms.Normalize(mean=0.5, std=2.0), transforms.AsType(np.float64)]
    )
    composed = dezero.datasets.Spiral(transform=f)
    print(f"with Normalize(0.5, 2.0) then AsType(float64): {composed[0][0]}")
    return train_set, halved, composed


def train(max_epoch=300, batch_size=30, hidden_size=10, lr=1.0, seed=0):
    """Step 48's loop, reading batches from a Dataset; returns the losses."""
    train_set = dezero.datasets.Spiral(train=True)
    np.random.seed(seed)
    model = MLP((hidden_size, 3))
    optimizer = optimizers.SGD(lr).setup(model)

    data_size = len(train_set)
    max_iter = math.ceil(data_size / batch_size)
    losses = []
    for epoch in range(max_epoch):
        index = np.random.permutation(data_size)
        sum_loss = 0

        for i in range(max_iter):
            batch_index = index[i * batch_size : (i + 1) * batch_size]
            batch = [train_set[i] for i in batch_index]
            batch_x = np.array([example[0] for example in batch])
            batch_t = np.array([example[1] for example in batch])

            y = model(batch_x)
            loss = F.softmax_cross_entropy(y, batch_t)
            model.cleargrads()
            loss.backward()
            optimizer.update()

            sum_loss += float(loss.data) * len(batch_t)

        avg_loss = sum_loss / data_size
        losses.append(avg_loss)
        if epoch % 50 == 0 or epoch == max_epoch - 1:
            print(f"epoch {epoch + 1:3d}, loss {avg_loss:.4f}")
    return losses


def main(max_epoch=300):
    """Show the dataset, then train from it."""
    show_dataset()
    return train(max_epoch)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300, help="passes over the data")
    main(parser.parse_args().epochs)

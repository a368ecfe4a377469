"""Data sets for the demos: generated ones here, files from disk later."""

import numpy as np


def get_spiral(train=True):
    """Three interleaved spiral arms of 100 points each, shuffled.

    Returns x (300, 2) float32 and t (300,) integer labels 0-2. The book seeds
    NumPy's global generator (1984 for train, 2020 for test); a RandomState with
    the same seed draws the same numbers without changing anyone else's.
    """
    rng = np.random.RandomState(1984 if train else 2020)
    num_data, num_class, input_dim = 100, 3, 2
    data_size = num_class * num_data
    x = np.zeros((data_size, input_dim), dtype=np.float32)
    t = np.zeros(data_size, dtype=np.int64)

    for j in range(num_class):
        for i in range(num_data):
            rate = i / num_data
            radius = 1.0 * rate
            theta = j * 4.0 + 4.0 * rate + rng.randn() * 0.2
            ix = num_data * j + i
            x[ix] = np.array([radius * np.sin(theta), radius * np.cos(theta)]).flatten()
            t[ix] = j
    # Shuffle, so that consecutive samples are not all of one class.
    indices = rng.permutation(num_data * num_class)
    x = x[indices]
    t = t[indices]
    return x, t


class Dataset:
    """Base class: data and label arrays, handed out one sample at a time.

    Subclasses fill self.data (and self.label, unless there are none) in
    prepare(). transform is applied to each sample, target_transform to each
    label, as they are read; None means leave it as it is.
    """

    def __init__(self, train=True, transform=None, target_transform=None):
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        if self.transform is None:
            self.transform = lambda x: x
        if self.target_transform is None:
            self.target_transform = lambda x: x

        self.data = None
        self.label = None
        self.prepare()

    def __getitem__(self, index):
        # One integer index: a batch is built by the caller (and by DataLoader).
        if not isinstance(index, (int, np.integer)):
            raise TypeError(
                f"{type(self).__name__}[index] takes one integer index, not "
                f"{type(index).__name__}"
            )
        if not -len(self) <= index < len(self):
            raise IndexError(
                f"{type(self).__name__} index {index} is out of range for "
                f"{len(self)} samples"
            )
        if self.label is None:
            return self.transform(self.data[index]), None
        return (
            self.transform(self.data[index]),
            self.target_transform(self.label[index]),
        )

    def __len__(self):
        return len(self.data)

    def prepare(self):
        """Load or make self.data and self.label; every subclass defines its own."""


class Spiral(Dataset):
    """get_spiral as a Dataset: Spiral()[i] is (x (2,) float32, label)."""

    def prepare(self):
        self.data, self.label = get_spiral(self.train)

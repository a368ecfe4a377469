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

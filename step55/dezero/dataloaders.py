"""DataLoader: mini-batches from a Dataset, one epoch per pass of a for loop."""

import math
import numbers

import numpy as np

from dezero import cuda


class DataLoader:
    """Iterate over a dataset in batches of (x, t) arrays, reshuffled every epoch.

    There are ceil(N / batch_size) batches; the last one is shorter when
    batch_size does not divide N. At the end of an epoch the loader resets itself,
    so the next for loop runs the next epoch.
    """

    def __init__(self, dataset, batch_size, shuffle=True, gpu=False):
        # A bool is an int to Python: DataLoader(data, True) means a forgotten size.
        if (
            isinstance(batch_size, bool)
            or not isinstance(batch_size, numbers.Integral)
            or batch_size <= 0
        ):
            raise ValueError(
                f"DataLoader: batch_size must be a positive integer, not {batch_size!r}"
            )
        if len(dataset) == 0:
            raise ValueError("DataLoader: the dataset is empty")
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.gpu = False  # step 52: batches as CuPy arrays after to_gpu()
        if gpu:
            self.to_gpu()  # says so at once when CuPy is missing
        self.data_size = len(dataset)
        self.max_iter = math.ceil(self.data_size / batch_size)

        self.reset()

    def reset(self):
        """Start a new epoch: back to the first batch, in a new order if shuffling."""
        self.iteration = 0
        if self.shuffle:
            self.index = np.random.permutation(len(self.dataset))
        else:
            self.index = np.arange(len(self.dataset))

    def __iter__(self):
        return self

    def __next__(self):
        if self.iteration >= self.max_iter:
            self.reset()
            raise StopIteration

        i, batch_size = self.iteration, self.batch_size
        batch_index = self.index[i * batch_size : (i + 1) * batch_size]
        batch = [self.dataset[i] for i in batch_index]
        xp = cuda.cupy if self.gpu else np
        x = xp.array([example[0] for example in batch])
        t = xp.array([example[1] for example in batch])

        self.iteration += 1
        return x, t

    def next(self):
        """The next batch, as next(loader) gives it."""
        return self.__next__()

    def to_cpu(self):
        """Hand out NumPy batches (step 52)."""
        self.gpu = False

    def to_gpu(self):
        """Hand out CuPy batches on the GPU (step 52); needs CuPy."""
        if not cuda.gpu_enable:
            raise RuntimeError(cuda.NO_CUPY)
        self.gpu = True

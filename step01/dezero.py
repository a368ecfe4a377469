"""DeZero: a deep-learning framework built from scratch, one step at a time."""


class Variable:
    """A box that holds a NumPy array in ``data``."""

    def __init__(self, data):
        self.data = data

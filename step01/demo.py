"""Step 01 demo: a Variable is a box; what is inside can be replaced."""

import argparse

import numpy as np

from dezero import Variable


def main():
    """Fill a Variable, replace its contents, and show arrays of rank 0, 1 and 2."""
    data = np.array(1.0)
    x = Variable(data)
    print(x.data)

    x.data = np.array(2.0)
    print(x.data)

    ranks = []
    for a in (np.array(1.0), np.array([1, 2, 3]), np.array([[1, 2, 3], [4, 5, 6]])):
        v = Variable(a)
        print(f"shape {v.data.shape} -> ndim {v.data.ndim}")
        ranks.append(v.data.ndim)
    return x, ranks


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

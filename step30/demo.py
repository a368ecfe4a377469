"""Step 30 demo: where values, gradients and links live, and why grads are dead ends.

The framework does not change in this step. Forward calls record the graph; backward
computes with plain NumPy values. So x.grad is a NumPy value (an ndarray, or an
np.float64 from 0-d arithmetic): nothing remembers how it was computed, and it
cannot be differentiated again.
"""

import argparse

import numpy as np

import dezero
from dezero import Variable


def main():
    """Differentiate y = x ** 3 at 2 and inspect what backward left behind."""
    x = Variable(np.array(2.0))
    y = x**3
    y.backward()
    print(f"y.creator:           {type(y.creator).__name__}")
    print(f"x.grad:              {x.grad!r}")
    print(f"type(x.grad):        {type(x.grad).__name__}")
    print(f"x.grad has creator:  {hasattr(x.grad, 'creator')}")
    print(f"core in use:         {dezero.Variable.__module__}")
    return x


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

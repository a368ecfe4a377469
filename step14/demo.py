"""Step 14 demo: reusing a Variable adds up its gradients; cleargrad starts over."""

import argparse

import numpy as np

from dezero import Variable, add


def main():
    """Differentiate x + x and x + x + x, with and without cleargrad in between."""
    grads = []

    x = Variable(np.array(3.0))
    y = add(x, x)
    y.backward()
    print("x + x              grad", x.grad)
    grads.append(float(x.grad))

    x = Variable(np.array(3.0))
    y = add(add(x, x), x)
    y.backward()
    print("x + x + x          grad", x.grad)
    grads.append(float(x.grad))

    # Reuse x without clearing: the old gradient 2.0 is still there.
    x = Variable(np.array(3.0))
    add(x, x).backward()
    add(add(x, x), x).backward()
    print("reuse, no clearing grad", x.grad)
    grads.append(float(x.grad))

    x.cleargrad()
    add(add(x, x), x).backward()
    print("after cleargrad    grad", x.grad)
    grads.append(float(x.grad))
    return grads


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

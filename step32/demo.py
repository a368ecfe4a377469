"""Step 32 demo: with core.py, backward can record the graph of the gradient."""

import argparse

import numpy as np

import dezero
from dezero import Variable


def main():
    """y = x ** 2 at x = 2, differentiated with and without create_graph."""
    print(f"core in use: {dezero.Variable.__module__}")

    x = Variable(np.array(2.0))
    y = x**2
    y.backward(create_graph=True)
    creator = type(x.grad.creator).__name__
    print(f"create_graph=True:  x.grad = {x.grad}, its creator is {creator}")
    with_graph = x.grad

    x = Variable(np.array(2.0))
    y = x**2
    y.backward()
    print(f"create_graph=False: x.grad = {x.grad}, its creator is {x.grad.creator}")
    return with_graph, x.grad


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

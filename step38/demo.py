"""Step 38 demo: reshape and transpose, functions that move elements around.

Neither computes anything; backward only puts each gradient element back where
its element came from, so the gradients come out with the input's shape.
"""

import argparse

import numpy as np

import dezero.functions as F
from dezero import Variable


def reshape_and_transpose():
    """(2, 3) -> (6,) and (2, 3) -> (3, 2); both backprop to ones of shape (2, 3)."""
    x = Variable(np.array([[1, 2, 3], [4, 5, 6]]))
    y = F.reshape(x, (6,))
    y.backward(retain_grad=True)
    reshape_grad = x.grad

    x.cleargrad()
    z = F.transpose(x)
    z.backward()
    return x, y, z, reshape_grad, x.grad


def three_ways_to_reshape():
    """x.reshape(2, 3), x.reshape((2, 3)) and x.reshape([2, 3]) give one result."""
    x = Variable(np.arange(6))
    return [x.reshape(2, 3), x.reshape((2, 3)), x.reshape([2, 3])]


def permute_axes(seed=0):
    """A 4-d transpose with a weighted loss: each gradient lands on its element."""
    rng = np.random.default_rng(seed)
    x = Variable(rng.standard_normal((2, 3, 4, 5)))
    axes = (1, 3, 0, 2)
    y = x.transpose(axes)  # shape (3, 5, 2, 4)
    w = rng.standard_normal(y.shape)
    loss = F.sum(y * w)
    loss.backward()
    return x, y, w, axes


def main():
    """Print the step's results and return them."""
    x, y, z, reshape_grad, transpose_grad = reshape_and_transpose()
    print(f"reshape: {x.shape} -> {y.shape}: {y.data}")
    print(f"transpose: {x.shape} -> {z.shape}:\n{z.data}")
    print(f"x.grad after reshape:\n{reshape_grad.data}")
    print(f"x.grad after transpose:\n{transpose_grad.data}")

    shapes = [v.shape for v in three_ways_to_reshape()]
    print(f"x.reshape(2, 3), ((2, 3)), ([2, 3]): {shapes}")
    print(f"x.T.shape = {x.T.shape}")

    x4, y4, w, axes = permute_axes()
    back = np.transpose(w, np.argsort(axes))
    print(f"transpose{axes}: {x4.shape} -> {y4.shape}; x.grad.shape = {x4.grad.shape}")
    same = np.array_equal(x4.grad.data, back)
    print(f"x.grad is the weight array permuted back: {same}")
    return {
        "x": x,
        "y": y,
        "z": z,
        "reshape_grad": reshape_grad,
        "transpose_grad": transpose_grad,
        "permuted": (x4, w, axes),
    }


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

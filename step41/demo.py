"""Step 41 demo: the matrix product and its backward; a Hessian-vector product.

For y = x W, the gradients are gx = gy Wᵀ and gW = xᵀ gy: each has its own
variable's shape, which is an easy way to remember the formulas.
"""

import argparse

import numpy as np

import dezero.functions as F
from dezero import Variable


def matmul_shapes(seed=0):
    """x (2, 3) times W (3, 4), then backward: the gradient shapes."""
    rng = np.random.default_rng(seed)
    x = Variable(rng.standard_normal((2, 3)))
    W = Variable(rng.standard_normal((3, 4)))
    y = F.matmul(x, W)
    y.backward()
    return x, W, y


def hessian_vector_product():
    """Hv for f(x) = sum(x²) at x = (1, 2), v = (4, 5), with no Hessian formed.

    Hv is the gradient of v·∇f: one more backward through the recorded gradient
    (the book's column after step 36).
    """
    x = Variable(np.array([1.0, 2.0]))
    v = Variable(np.array([4.0, 5.0]))
    y = F.sum(x**2)
    y.backward(create_graph=True)
    gx = x.grad
    x.cleargrad()

    z = F.matmul(v, gx)  # v·∇f, a scalar
    z.backward()
    return x.grad


def main():
    """Print the step's results and return them."""
    x, W, y = matmul_shapes()
    print(f"y = matmul(x, W): {x.shape} x {W.shape} -> {y.shape}")
    print(f"x.grad.shape = {x.grad.shape}, W.grad.shape = {W.grad.shape}")
    hv = hessian_vector_product()
    print(f"Hessian-vector product: {hv}")
    return {"x": x, "W": W, "y": y, "hv": hv}


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

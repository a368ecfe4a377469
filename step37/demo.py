"""Step 37 demo: functions on tensors, and what backward computes for them.

Elementwise functions work on arrays unchanged, and every gradient has the shape
of its variable. For y = sum(f(x)), backward gives the vector-Jacobian product
1ᵀJ; for an elementwise f, J is diagonal, so that product is f'(x) element by
element.
"""

import argparse

import numpy as np

import dezero.functions as F
from dezero import Variable


def tensor_add_and_sum():
    """y = sum(x + c) for x, c of shape (2, 3); the four gradients after backward."""
    x = Variable(np.array([[1, 2, 3], [4, 5, 6]]))
    c = Variable(np.array([[10, 20, 30], [40, 50, 60]]))
    t = x + c
    y = F.sum(t)
    y.backward(retain_grad=True)  # keep t.grad too, to look at it
    return y, t, x, c


def jacobian(f, x, eps=1e-4):
    """The Jacobian of f at the vector x by central differences: J[i, j] = dyi/dxj."""
    columns = []
    for j in range(x.size):
        h = np.zeros_like(x)
        h[j] = eps
        columns.append((f(x + h) - f(x - h)) / (2 * eps))
    return np.stack(columns, axis=1)


def vector_jacobian_product(x0):
    """Backward's answer for sum(sin(x)) next to 1ᵀJ from the full Jacobian."""
    x = Variable(x0.copy())
    y = F.sum(F.sin(x))
    y.backward()
    J = jacobian(np.sin, x0)
    return x.grad.data, np.ones(x0.size) @ J, J


def main():
    """Print the step's results and return them."""
    y, t, x, c = tensor_add_and_sum()
    print(f"y = {y.data}")
    print(f"y.grad = {y.grad.data}")
    for v, name in ((t, "t"), (x, "x"), (c, "c")):
        print(f"{name}.grad =\n{v.grad.data}  (shape {v.grad.shape})")

    s = F.sin(Variable(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])))
    print(f"sin keeps the shape: {s.shape}")

    x0 = np.array([0.0, 1.0, 2.0])
    vjp, ones_J, J = vector_jacobian_product(x0)
    with np.printoptions(precision=4, suppress=True):
        print(f"Jacobian of sin at {x0}:\n{J}")
        print(f"1ᵀJ      = {ones_J}")
        print(f"backward = {vjp}   (cos(x) = {np.cos(x0)})")
    return {"y": y, "t": t, "x": x, "c": c, "vjp": vjp, "ones_J": ones_J, "J": J}


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

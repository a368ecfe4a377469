"""Step 47 demo: picking elements (get_item), softmax and cross-entropy.

x[1] and x[[0, 0, 1]] are functions too: their backward scatters the gradient
back, adding where a row was picked twice. An MLP's scores become probabilities
with softmax, and softmax_cross_entropy scores them against the labels.
"""

import argparse

import numpy as np

import dezero.functions as F
from dezero import Variable
from dezero.models import MLP


def slicing():
    """x[1] and x[[0, 0, 1]] with the gradients they send back to x."""
    x = Variable(np.array([[1, 2, 3], [4, 5, 6]]))
    y = x[1]
    y.backward()
    row_grad = x.grad

    x.cleargrad()
    z = x[[0, 0, 1]]  # row 0 twice
    z.backward()
    return y, row_grad, z, x.grad


def scores_and_loss(seed=0):
    """MLP((10, 3)) on one sample and on a batch of four (the book's numbers)."""
    np.random.seed(seed)  # the book's seed; Linear draws its weights from it
    model = MLP((10, 3))

    x = np.array([[0.2, -0.4]])
    y = model(x)
    p = F.softmax(y)

    xs = np.array([[0.2, -0.4], [0.3, 0.5], [1.3, -3.2], [2.1, 0.3]])
    t = np.array([2, 0, 1, 0])
    loss = F.softmax_cross_entropy(model(xs), t)
    return y, p, loss


def main():
    """Print the step's results and return them."""
    y, row_grad, z, rows_grad = slicing()
    print(f"x[1] = {y.data}; x.grad =\n{row_grad.data}")
    print(f"x[[0, 0, 1]] =\n{z.data}\nx.grad =\n{rows_grad.data}")

    scores, probs, loss = scores_and_loss()
    with np.printoptions(precision=4):
        print(f"MLP((10, 3)) scores for [[0.2, -0.4]]: {scores.data}")
        print(f"softmax: {probs.data} (sum {probs.data.sum():.4f})")
    print(f"softmax_cross_entropy on the 4-sample batch: {loss.data:.4f}")
    return {
        "slicing": (y, row_grad, z, rows_grad),
        "scores": scores,
        "probs": probs,
        "loss": loss,
    }


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

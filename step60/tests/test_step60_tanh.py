"""Step 35: tanh, whose backward uses its output; graphs of its higher derivatives."""

import numpy as np

import dezero.functions as F
from dezero import Variable
from dezero.utils import get_dot_graph


def nth_derivative(x, order):
    """The order-th derivative of tanh at x, keeping the graph."""
    F.tanh(x).backward(create_graph=True)
    for _ in range(order - 1):
        gx = x.grad
        x.cleargrad()
        gx.backward(create_graph=True)
    return x.grad


def count_functions(v):
    """Function nodes in v's graph, as DeZero's own DOT writer finds them."""
    return get_dot_graph(v).count("shape=box")


def test_first_three_derivatives_match_the_closed_forms():
    t = np.tanh(1.0)
    g1 = nth_derivative(Variable(np.array(1.0)), 1)
    g2 = nth_derivative(Variable(np.array(1.0)), 2)
    g3 = nth_derivative(Variable(np.array(1.0)), 3)
    np.testing.assert_allclose(g1.data, 1 - t**2, rtol=1e-14)
    np.testing.assert_allclose(g2.data, -2 * t * (1 - t**2), rtol=1e-14)
    np.testing.assert_allclose(g3.data, (1 - t**2) * (6 * t**2 - 2), rtol=1e-13)
    np.testing.assert_allclose(
        [g1.data, g2.data], [0.4199743416, -0.6397000084], atol=1e-10
    )


def test_graph_grows_with_the_order():
    sizes = [
        count_functions(nth_derivative(Variable(np.array(1.0)), n)) for n in range(1, 6)
    ]
    assert all(a < b for a, b in zip(sizes, sizes[1:], strict=False))
    assert sizes == [4, 9, 21, 51, 129]  # the same counts as the book's reference code

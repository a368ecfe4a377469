"""Steps 34-35: sin, cos and tanh in dezero.functions, differentiable repeatedly."""

import numpy as np
import pytest

import dezero.functions as F
from dezero import Variable
from dezero.core import numerical_diff

GRID = np.linspace(-7, 7, 200)


def derivatives(x, f, n):
    """Values of f and its first n derivatives at the Variable x."""
    y = f(x)
    values = [y.data]
    for _ in range(n):
        x.cleargrad()
        y.backward(create_graph=True)
        y = x.grad
        values.append(y.data)
    return values


def test_forward():
    x = Variable(np.array([0.0, 0.5, 2.0]))
    np.testing.assert_array_equal(F.sin(x).data, np.sin(x.data))
    np.testing.assert_array_equal(F.cos(x).data, np.cos(x.data))


@pytest.mark.parametrize("f", [F.sin, F.cos, F.tanh])
def test_gradient_check(f):
    data = np.random.default_rng(34).uniform(-3, 3, 5)
    x = Variable(data.copy())
    f(x).backward()
    np.testing.assert_allclose(
        x.grad.data, numerical_diff(f, Variable(data)), rtol=1e-4, atol=1e-5
    )


def test_nth_derivative_of_sin_is_a_shifted_sine():
    values = derivatives(Variable(GRID.copy()), F.sin, 6)
    for n, v in enumerate(values):
        np.testing.assert_allclose(v, np.sin(GRID + n * np.pi / 2), atol=1e-10)


def test_nth_derivative_of_cos():
    values = derivatives(Variable(GRID.copy()), F.cos, 4)
    for n, v in enumerate(values):
        np.testing.assert_allclose(v, np.cos(GRID + n * np.pi / 2), atol=1e-10)


def test_second_derivative_of_a_composition():
    # d2/dx2 sin(x ** 2) = 2 cos(x ** 2) - 4 x ** 2 sin(x ** 2)
    x = Variable(np.array(0.7))
    values = derivatives(x, lambda v: F.sin(v**2), 2)
    a = 0.7**2
    np.testing.assert_allclose(values[2], 2 * np.cos(a) - 4 * a * np.sin(a), rtol=1e-12)

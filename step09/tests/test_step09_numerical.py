"""Step 04 behaviour, kept: numerical differentiation by central difference."""

import inspect

import numpy as np

from dezero import Exp, Square, Variable, as_array, numerical_diff


def test_square_at_two():
    dy = numerical_diff(Square(), Variable(np.array(2.0)))
    np.testing.assert_allclose(dy, 4.0, atol=1e-6)


def test_composite_matches_the_exact_derivative():
    dy = numerical_diff(lambda x: Square()(Exp()(Square()(x))), Variable(np.array(0.5)))
    np.testing.assert_allclose(dy, 2 * np.exp(0.5), atol=1e-6)


def test_elementwise_on_arrays():
    x = np.array([0.1, 0.7, -1.3])
    dy = numerical_diff(Exp(), Variable(x))
    np.testing.assert_allclose(dy, np.exp(x), rtol=1e-7)


def test_default_eps():
    assert inspect.signature(numerical_diff).parameters["eps"].default == 1e-4


def test_central_difference_formula_exactly():
    # For a cubic the central difference error is exactly eps ** 2.
    x = Variable(np.array(1.0))
    dy = numerical_diff(lambda v: Variable(as_array(v.data**3)), x, eps=0.1)
    np.testing.assert_allclose(dy, 3.0 + 0.1**2, rtol=1e-12)


def test_tiny_eps_loses_precision():
    good = abs(numerical_diff(Square(), Variable(np.array(2.0))) - 4.0)
    bad = abs(numerical_diff(Square(), Variable(np.array(2.0)), eps=1e-12) - 4.0)
    assert bad > 100 * good

"""Step 22: negation, subtraction, division and powers, in both operand orders."""

import numpy as np
import pytest

from dezero.core import Pow, Variable, numerical_diff

rng = np.random.default_rng(22)
A = rng.uniform(0.5, 2.0, size=3)  # positive, away from 0 for division and powers
B = rng.uniform(0.5, 2.0, size=3)

UNARY = {
    "neg": lambda x: -x,
    "sub const": lambda x: x - 1.5,
    "rsub const": lambda x: 1.5 - x,
    "div const": lambda x: x / 1.5,
    "rdiv const": lambda x: 1.5 / x,
    "rsub array": lambda x: np.array([1.0, 2.0, 3.0]) - x,
    "rdiv array": lambda x: np.array([1.0, 2.0, 3.0]) / x,
    "pow 3": lambda x: x**3,
    "pow -0.5": lambda x: x**-0.5,
    "radd const": lambda x: 3.0 + x,
    "rmul const": lambda x: 3.0 * x,
    "rmul array": lambda x: np.array([1.0, 2.0, 3.0]) * x,
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_gradient_check(name):
    f = UNARY[name]
    x = Variable(A.copy())
    y = f(x)
    assert isinstance(y, Variable)
    np.testing.assert_allclose(y.data, f(A), rtol=1e-15)
    y.backward()
    np.testing.assert_allclose(
        x.grad.data, numerical_diff(f, Variable(A.copy())), rtol=1e-4, atol=1e-5
    )


@pytest.mark.parametrize("op", ["sub", "div"])
def test_binary_gradient_check_for_both_inputs(op):
    f = (lambda p, q: p - q) if op == "sub" else (lambda p, q: p / q)
    x0, x1 = Variable(A.copy()), Variable(B.copy())
    f(x0, x1).backward()
    d0 = numerical_diff(lambda v: f(v, Variable(B)), Variable(A.copy()))
    d1 = numerical_diff(lambda v: f(Variable(A), v), Variable(B.copy()))
    np.testing.assert_allclose(x0.grad.data, d0, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(x1.grad.data, d1, rtol=1e-4, atol=1e-5)


def test_order_matters():
    x = Variable(np.array(2.0))
    assert (2.0 - x).data == 0.0 and (x - 1.0).data == 1.0
    assert (x - 3.0).data == -1.0 and (3.0 - x).data == 1.0
    assert (3.0 / x).data == 1.5 and (x / 4.0).data == 0.5


def test_pow_exponent_is_a_constant_without_gradient():
    x = Variable(np.array(2.0))
    y = x**3
    assert isinstance(y.creator, Pow) and y.creator.c == 3
    assert len(y.creator.inputs) == 1

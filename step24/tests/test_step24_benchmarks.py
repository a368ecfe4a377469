"""Step 24: the framework differentiates the sphere, Matyas and Goldstein-Price."""

import numpy as np
import pytest

import demo
from dezero import Variable
from dezero.core_simple import numerical_diff


def test_values_at_one_one(capsys):
    r = demo.main()
    assert r["sphere"] == (2.0, 2.0, 2.0)
    assert r["matyas"][1:] == (0.040000000000000036, 0.040000000000000036)
    assert r["goldstein"] == (1876.0, -5376.0, 8064.0)  # value 28 * 67
    assert capsys.readouterr().out.splitlines() == [
        "sphere:         2.0 2.0",
        "matyas:         0.040000000000000036 0.040000000000000036",
        "goldstein:      -5376.0 8064.0",
    ]


def test_goldstein_minimum():
    z = demo.goldstein(Variable(np.array(0.0)), Variable(np.array(-1.0)))
    assert z.data == 3.0


@pytest.mark.parametrize("f", [demo.sphere, demo.matyas, demo.goldstein])
def test_gradient_check(f):
    rng = np.random.default_rng(24)
    a, b = rng.uniform(-1.5, 1.5, 3), rng.uniform(-1.5, 1.5, 3)
    x, y = Variable(a.copy()), Variable(b.copy())
    f(x, y).backward()
    dx = numerical_diff(lambda v: f(v, Variable(b)), Variable(a.copy()))
    dy = numerical_diff(lambda v: f(Variable(a), v), Variable(b.copy()))
    np.testing.assert_allclose(x.grad, dx, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(y.grad, dy, rtol=1e-4, atol=1e-5)

"""Step 29: Newton's method with a hand-coded second derivative."""

import numpy as np

import demo
from dezero import Variable

EXPECTED = [
    2.0,
    1.4545454545454546,
    1.1510467893775467,
    1.0253259289766978,
    1.0009084519430513,
    1.0000012353089454,
    1.000000000002289,
    1.0,
]


def test_first_derivative_by_backprop():
    x = Variable(np.array(2.0))
    demo.f(x).backward()
    assert x.grad == 24.0 and demo.gx2(2.0) == 44.0


def test_iterates():
    xs = demo.newton(2.0, iters=7, verbose=False)
    np.testing.assert_allclose(xs, EXPECTED, rtol=0, atol=1e-9)
    assert abs(xs[7] - 1.0) < 1e-12


def test_gradient_descent_needs_far_more_updates():
    gd = demo.gradient_descent_updates()
    assert gd >= 10 * 7
    assert gd == 70  # from x = 2.0; the book reports 124, which we cannot reproduce


def test_demo(capsys):
    xs, newton_updates, gd_updates = demo.main(iters=10)
    assert newton_updates == 7 and gd_updates == 70
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "0 variable(2.0)" and out[7] == "7 variable(1.0)"
    assert out[-2] == "Newton reaches 1.0 after 7 updates"

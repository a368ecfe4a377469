"""Step 33: Newton's method with both derivatives computed by backprop."""

import numpy as np

import demo
from dezero import Variable

STEP29_ITERATES = [
    2.0,
    1.4545454545454546,
    1.1510467893775467,
    1.0253259289766978,
    1.0009084519430513,
    1.0000012353089454,
    1.000000000002289,
    1.0,
]


def test_first_and_second_derivative():
    gx, gx2 = demo.derivatives(Variable(np.array(2.0)))
    assert (gx.data, gx2.data) == (24.0, 44.0)


def test_without_cleargrad_the_second_backward_accumulates():
    _, mixed = demo.derivatives(Variable(np.array(2.0)), clear=False)
    assert mixed.data == 68.0  # 24 + 44


def test_second_derivative_matches_the_closed_form():
    for value in (-1.7, -0.2, 0.4, 3.0):
        gx, gx2 = demo.derivatives(Variable(np.array(value)))
        np.testing.assert_allclose(gx.data, 4 * value**3 - 4 * value, rtol=1e-13)
        np.testing.assert_allclose(gx2.data, 12 * value**2 - 4, rtol=1e-13)


def test_newton_matches_step_29_and_reaches_1_after_7_updates():
    xs = demo.newton(2.0, iters=7, verbose=False)
    np.testing.assert_allclose(xs, STEP29_ITERATES, rtol=0, atol=1e-12)
    assert xs[7] == 1.0 and xs[6] != 1.0


def test_demo(capsys):
    gx, gx2, mixed, xs = demo.main(iters=10)
    assert (gx.data, gx2.data, mixed.data) == (24.0, 44.0, 68.0)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "f'(2) = variable(24.0),  f''(2) = variable(44.0)"
    assert out[1].endswith("variable(68.0)")
    assert out[2] == "0 variable(2.0)" and out[9] == "7 variable(1.0)"

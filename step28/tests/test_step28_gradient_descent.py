"""Step 28: gradient descent on the Rosenbrock function."""

import numpy as np
import pytest

import demo
from dezero import Variable


def test_gradient_at_the_start():
    x0, x1 = Variable(np.array(0.0)), Variable(np.array(2.0))
    demo.rosenbrock(x0, x1).backward()
    assert (x0.grad, x1.grad) == (-2.0, 400.0)


def test_minimum():
    assert demo.rosenbrock(Variable(np.array(1.0)), Variable(np.array(1.0))).data == 0


def test_position_after_1000_updates():
    x0, x1 = Variable(np.array(0.0)), Variable(np.array(2.0))
    path = demo.gradient_descent(x0, x1, lr=0.001, iters=1000)
    assert len(path) == 1001
    np.testing.assert_allclose(path[-1], (0.683712, 0.465953), atol=1e-6)


def test_position_after_9999_and_10000_updates():
    x0, x1 = Variable(np.array(0.0)), Variable(np.array(2.0))
    path = demo.gradient_descent(x0, x1, lr=0.001, iters=10000)
    # The book prints (0.99449622, 0.98900063) at the top of its last iteration.
    np.testing.assert_allclose(path[9999], (0.99449622, 0.98900063), atol=1e-8)
    np.testing.assert_allclose(path[10000], (0.99449844, 0.98900505), atol=1e-8)


def test_50000_updates_reach_the_minimum():
    x0, x1 = Variable(np.array(0.0)), Variable(np.array(2.0))
    path = demo.gradient_descent(x0, x1, lr=0.001, iters=50000)
    np.testing.assert_allclose(path[-1], (1.0, 1.0), atol=1e-6)


def test_demo_prints_progress(capsys):
    path = demo.main(iters=100, plot=False)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "gradient at (0, 2): -2.0 400.0"
    assert len([line for line in out if line.startswith("after")]) == 10
    assert len(path) == 101


def test_demo_plots_the_path(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib is not installed")
    demo.main(iters=100, out_dir=str(tmp_path))
    with open(tmp_path / "rosenbrock.png", "rb") as f:
        assert f.read(4) == b"\x89PNG"

"""Step 27: sine by its Taylor series, differentiated through an ordinary loop."""

import shutil

import numpy as np
import pytest

import demo
from dezero import Variable


def test_sin_function():
    x = Variable(np.array(np.pi / 4))
    y = demo.sin(x)
    y.backward()
    assert y.data == np.sin(np.pi / 4) and x.grad == np.cos(np.pi / 4)
    np.testing.assert_allclose([y.data, x.grad], 2**-0.5, rtol=1e-15)


@pytest.mark.parametrize("value", [-2.0, -0.3, 0.5, np.pi / 4, 2.5])
def test_my_sin_close_to_sin_and_cos(value):
    x = Variable(np.array(value))
    y = demo.my_sin(x, threshold=1e-10)
    y.backward()
    np.testing.assert_allclose(y.data, np.sin(value), atol=1e-9)
    np.testing.assert_allclose(x.grad, np.cos(value), atol=1e-9)


def test_my_sin_at_default_threshold_matches_the_reference_run():
    x = Variable(np.array(np.pi / 4))
    y = demo.my_sin(x)
    y.backward()
    np.testing.assert_allclose(y.data, 0.7071064695751781, rtol=1e-12)
    np.testing.assert_allclose(x.grad, 0.7071032148228457, rtol=1e-12)
    assert abs(y.data - np.sin(np.pi / 4)) < 1e-5
    assert abs(x.grad - np.cos(np.pi / 4)) < 1e-5


def test_graph_grows_when_the_threshold_shrinks():
    sizes = [
        demo.count_functions(demo.my_sin(Variable(np.array(np.pi / 4)), t))
        for t in (1e-2, 1e-4, 1e-50, 1e-150)
    ]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]


def test_demo(tmp_path, capsys):
    sizes = demo.main(out_dir=str(tmp_path), thresholds=(1e-4, 1e-20))
    assert sizes[1e-4] < sizes[1e-20]
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("sin:     0.707106781186547")
    assert out[1].startswith("my_sin:  0.70710646")
    if shutil.which("dot"):
        assert (tmp_path / "my_sin_1e-20.png").exists()

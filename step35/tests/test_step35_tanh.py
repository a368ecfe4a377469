"""Step 35: tanh, whose backward uses its output; graphs of its higher derivatives."""

import shutil

import numpy as np

import demo
from dezero import Variable


def test_first_three_derivatives_match_the_closed_forms():
    t = np.tanh(1.0)
    g1 = demo.nth_derivative(Variable(np.array(1.0)), 1)
    g2 = demo.nth_derivative(Variable(np.array(1.0)), 2)
    g3 = demo.nth_derivative(Variable(np.array(1.0)), 3)
    np.testing.assert_allclose(g1.data, 1 - t**2, rtol=1e-14)
    np.testing.assert_allclose(g2.data, -2 * t * (1 - t**2), rtol=1e-14)
    np.testing.assert_allclose(g3.data, (1 - t**2) * (6 * t**2 - 2), rtol=1e-13)
    np.testing.assert_allclose(
        [g1.data, g2.data], [0.4199743416, -0.6397000084], atol=1e-10
    )


def test_graph_grows_with_the_order():
    sizes = [
        demo.count_functions(demo.nth_derivative(Variable(np.array(1.0)), n))
        for n in range(1, 6)
    ]
    assert all(a < b for a, b in zip(sizes, sizes[1:], strict=False))
    assert sizes == [4, 9, 21, 51, 129]  # the same counts as the book's reference code


def test_demo(tmp_path, capsys):
    gx = demo.main(order=3, out_dir=str(tmp_path))
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("order 1: 0.4199743416,")
    assert out[1].startswith("order 2: -0.6397000084,")
    assert gx.name == "gx3"
    if shutil.which("dot"):
        with open(tmp_path / "tanh_derivative3_graph.png", "rb") as f:
            assert f.read(4) == b"\x89PNG"

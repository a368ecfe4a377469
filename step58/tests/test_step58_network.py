"""Step 43: linear and sigmoid (composed and fused), and a two-layer network."""

import numpy as np
import pytest

import dezero.functions as F
from dezero import Variable
from dezero.utils import gradient_check

rng = np.random.default_rng(43)


def test_linear_and_linear_simple_agree():
    x0, W0, b0 = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.random(2)
    results = []
    for f in (F.linear_simple, F.linear):
        x, W, b = Variable(x0.copy()), Variable(W0.copy()), Variable(b0.copy())
        y = f(x, W, b)
        F.sum(y * y).backward()
        results.append((y.data, x.grad.data, W.grad.data, b.grad.data))
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13)
    np.testing.assert_allclose(results[1][0], x0 @ W0 + b0, rtol=1e-14)


def test_linear_without_bias():
    x0, W0 = rng.standard_normal((4, 3)), rng.standard_normal((3, 2))
    for f in (F.linear_simple, F.linear):
        x, W = Variable(x0.copy()), Variable(W0.copy())
        y = f(x, W)
        np.testing.assert_allclose(y.data, x0 @ W0, rtol=1e-14)
        y.backward()
        np.testing.assert_allclose(W.grad.data, x0.T @ np.ones((4, 2)), rtol=1e-14)


def test_linear_skips_the_gradient_of_an_array_input():
    own = np.random.default_rng(4343)  # leaves the module's rng to the others
    x0, W0, b0 = own.standard_normal((4, 3)), own.standard_normal((3, 2)), own.random(2)
    W, b = Variable(W0.copy()), Variable(b0.copy())
    y = F.linear(x0, W, b)  # x passed as an array: a constant
    assert y.creator.needs_input_grad == [False, True, True]
    F.sum(y * y).backward()
    assert y.creator.inputs[0].grad is None  # never computed
    gy = 2 * (x0 @ W0 + b0)
    np.testing.assert_allclose(W.grad.data, x0.T @ gy, rtol=1e-13)
    np.testing.assert_allclose(b.grad.data, gy.sum(axis=0), rtol=1e-13)
    x = Variable(x0.copy())  # the same batch as a Variable gets its gradient
    F.sum(F.linear(x, W, b) ** 2).backward()
    np.testing.assert_allclose(x.grad.data, gy @ W0.T, rtol=1e-13)


def test_a_call_without_a_graph_leaves_the_recorded_one_alone():
    from dezero import no_grad

    own = np.random.default_rng(4343)  # leaves the module's rng to the others
    x0, W0, b0 = own.standard_normal((4, 3)), own.standard_normal((3, 2)), own.random(2)
    x, W, b = Variable(x0.copy()), Variable(W0.copy()), Variable(b0.copy())
    f = F.Linear()
    y = f(x, W, b)
    with no_grad():
        f(x0, W, b)  # records nothing: needs_input_grad stays that of the graph
    F.sum(y).backward()
    np.testing.assert_allclose(x.grad.data, np.ones((4, 2)) @ W0.T, rtol=1e-14)


def test_linear_simple_frees_the_intermediate_yet_backward_works():
    x, W, b = Variable(np.ones((2, 3))), Variable(np.ones((3, 4))), Variable(np.ones(4))
    y = F.linear_simple(x, W, b)
    t = y.creator.inputs[0]  # the product x W
    assert t.data is None
    y.backward()
    np.testing.assert_array_equal(W.grad.data, np.full((3, 4), 2.0))
    np.testing.assert_array_equal(b.grad.data, np.full(4, 2.0))


@pytest.mark.parametrize("which", ["x", "W", "b"])
def test_linear_numerical_gradients(which):
    arrays = {
        "x": rng.standard_normal((4, 3)),
        "W": rng.standard_normal((3, 2)),
        "b": rng.standard_normal(2),
    }
    w = rng.standard_normal((4, 2))

    def f(v):
        args = dict(arrays, **{which: v})
        return F.sum(F.linear(args["x"], args["W"], args["b"]) * w)

    assert gradient_check(f, arrays[which].copy())


def test_sigmoid_and_sigmoid_simple_agree():
    x0 = rng.standard_normal((3, 4)) * 3
    grads = []
    for f in (F.sigmoid_simple, F.sigmoid):
        x = Variable(x0.copy())
        y = f(x)
        np.testing.assert_allclose(y.data, 1 / (1 + np.exp(-x0)), rtol=1e-12)
        y.backward()
        grads.append(x.grad.data)
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-13)
    s = 1 / (1 + np.exp(-x0))
    np.testing.assert_allclose(grads[1], s * (1 - s), rtol=1e-13)


def test_sigmoid_numerical_gradient_and_second_derivative():
    assert gradient_check(F.sigmoid, rng.standard_normal((3, 3)))
    x = Variable(np.array([0.3, -1.2]))
    F.sum(F.sigmoid(x)).backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    F.sum(gx).backward()
    s = 1 / (1 + np.exp(-x.data))
    np.testing.assert_allclose(x.grad.data, s * (1 - s) * (1 - 2 * s), rtol=1e-12)


def test_sigmoid_of_large_inputs_stays_finite():
    with np.errstate(all="raise"):
        y = F.sigmoid(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(y.data, [0.0, 1.0])


def test_exp_is_in_functions():
    np.testing.assert_allclose(F.exp(np.array([0.0, 1.0])).data, [1.0, np.e])


def test_linear_shape_errors():
    with pytest.raises(ValueError, match=r"linear: x of shape \(2, 3\) and W of shape"):
        F.linear(np.ones((2, 3)), np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"expected x \(N, D\)"):
        F.linear(np.ones(3), np.ones((3, 5)))


def test_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0, W0, b0 = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.random(4)
    x, W, b = Variable(x0.copy()), Variable(W0.copy()), Variable(b0.copy())
    y = F.sum(F.sigmoid(F.linear(x, W, b)) ** 2)
    y.backward()
    tx, tW, tb = (torch.tensor(v, requires_grad=True) for v in (x0, W0, b0))
    ty = (torch.sigmoid(torch.nn.functional.linear(tx, tW.T, tb)) ** 2).sum()
    ty.backward()
    np.testing.assert_allclose(y.data, ty.item(), rtol=1e-12)
    for v, t in ((x, tx), (W, tW), (b, tb)):
        np.testing.assert_allclose(v.grad.data, t.grad.numpy(), rtol=1e-12)

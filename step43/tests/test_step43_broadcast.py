"""Step 40: + - * / broadcast their inputs, and backward sums gradients back down."""

import numpy as np
import pytest

import dezero.functions as F
from dezero import Variable
from dezero.utils import gradient_check

rng = np.random.default_rng(40)

OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}
SHAPES = [
    ((2, 3), (3,)),
    ((2, 3), (2, 1)),
    ((3,), (2, 3)),
    ((2, 1), (1, 3)),
    ((), (2, 3)),
]


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("op", OPS)
def test_shapes_of_output_and_gradients(op, shapes):
    a = Variable(rng.uniform(0.5, 2.0, shapes[0]))
    b = Variable(rng.uniform(0.5, 2.0, shapes[1]))
    y = OPS[op](a, b)
    assert y.shape == np.broadcast_shapes(*shapes)
    np.testing.assert_allclose(y.data, OPS[op](a.data, b.data))
    F.sum(y).backward()
    assert a.grad.shape == a.shape
    assert b.grad.shape == b.shape


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("op", OPS)
def test_numerical_gradients_of_both_inputs(op, shapes):
    a0 = rng.uniform(0.5, 2.0, shapes[0])
    b0 = rng.uniform(0.5, 2.0, shapes[1])
    w = rng.standard_normal(np.broadcast_shapes(*shapes))
    assert gradient_check(lambda a: F.sum(OPS[op](a, b0) * w), a0)
    assert gradient_check(lambda b: F.sum(OPS[op](a0, b) * w), b0)


def test_second_derivative_with_broadcasting():
    # y = sum((x * c) ** 2) with x (3,) broadcast against c (2, 3).
    x = Variable(np.array([1.0, 2.0, 3.0]))
    c = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = F.sum((x * c) ** 2)
    y.backward(create_graph=True)
    gx = x.grad
    np.testing.assert_allclose(gx.data, 2 * x.data * (c**2).sum(axis=0))
    x.cleargrad()
    F.sum(gx).backward()
    np.testing.assert_allclose(x.grad.data, 2 * (c**2).sum(axis=0))


def test_incompatible_shapes_still_fail_in_forward():
    with pytest.raises(ValueError, match="do not fit"):
        Variable(np.ones((2, 3))) + Variable(np.ones((2,)))


def test_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    a0, b0, c0 = rng.random((4, 3)), rng.random((3,)) + 0.5, rng.random((4, 1))
    a, b, c = Variable(a0.copy()), Variable(b0.copy()), Variable(c0.copy())
    y = F.sum((a * b - c) / b + c)
    y.backward()
    ta, tb, tc = (torch.tensor(v, requires_grad=True) for v in (a0, b0, c0))
    ty = ((ta * tb - tc) / tb + tc).sum()
    ty.backward()
    np.testing.assert_allclose(y.data, ty.item(), rtol=1e-12)
    for v, t in ((a, ta), (b, tb), (c, tc)):
        np.testing.assert_allclose(v.grad.data, t.grad.numpy(), rtol=1e-12)

"""Step 47: get_item, softmax, log, clip, cross-entropy, and embed_id/EmbedID."""

import numpy as np
import pytest

import dezero.functions as F
import dezero.layers as L
from dezero import Variable
from dezero.utils import gradient_check, logsumexp

rng = np.random.default_rng(47)


def test_grokking_index_select_counts_each_row():
    # Grokking's example: rows [[1, 2, 3], [2, 3, 4]] of a 5 x 5 matrix.
    x = Variable(np.eye(5))
    F.sum(x[np.array([[1, 2, 3], [2, 3, 4]])]).backward()
    np.testing.assert_array_equal(x.grad.data.sum(axis=1), [0, 5, 10, 10, 5])
    np.testing.assert_array_equal(x.grad.data[:, 0], [0, 1, 2, 2, 1])


@pytest.mark.parametrize(
    "index",
    [1, (slice(None), 1), (np.array([0, 1, 1]), np.array([2, 0, 2])), np.array([2, 2])],
)
def test_get_item_numerical_gradient(index):
    x0 = rng.standard_normal((3, 3))
    y_shape = x0[index].shape
    w = rng.standard_normal(y_shape)
    assert gradient_check(lambda x: F.sum(F.get_item(x, index) * w), x0)


def test_get_item_second_derivative():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    y = F.sum(x[np.array([0, 0, 2])] ** 3)
    y.backward(create_graph=True)
    gx = x.grad
    np.testing.assert_allclose(gx.data, [6.0, 0.0, 27.0])
    x.cleargrad()
    F.sum(gx).backward()
    np.testing.assert_allclose(x.grad.data, [12.0, 0.0, 18.0])


def test_softmax_rows_sum_to_one_and_simple_agrees():
    x0 = rng.standard_normal((4, 5))
    p = F.softmax(x0)
    np.testing.assert_allclose(p.data.sum(axis=1), np.ones(4), rtol=1e-14)
    np.testing.assert_allclose(F.softmax_simple(x0).data, p.data, rtol=1e-13)
    np.testing.assert_allclose(F.softmax(x0, axis=0).data.sum(axis=0), np.ones(5))


def test_fused_softmax_stays_finite_for_large_scores():
    x = np.array([[1000.0, 1000.0, 0.0]])
    np.testing.assert_allclose(F.softmax(x).data, [[0.5, 0.5, 0.0]])
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(F.softmax_simple(x).data).any()


@pytest.mark.parametrize("axis", [0, 1])
def test_softmax_numerical_gradient(axis):
    w = rng.standard_normal((3, 4))
    assert gradient_check(lambda x: F.sum(F.softmax(x, axis) * w), rng.random((3, 4)))


def test_log_and_clip():
    assert gradient_check(F.log, rng.uniform(0.5, 2.0, (2, 3)))
    x = Variable(np.array([-2.0, 0.5, 3.0]))
    y = F.clip(x, 0.0, 1.0)
    np.testing.assert_array_equal(y.data, [0.0, 0.5, 1.0])
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 0.0])  # none outside


def test_logsumexp():
    x = np.array([[1000.0, 1000.0], [0.0, np.log(3.0)]])
    np.testing.assert_allclose(logsumexp(x), [[1000.0 + np.log(2.0)], [np.log(4.0)]])


def test_simple_and_fused_cross_entropy_agree():
    x0 = rng.standard_normal((6, 4))
    t = np.array([0, 3, 1, 1, 2, 0])
    grads = []
    for f in (F.softmax_cross_entropy_simple, F.softmax_cross_entropy):
        x = Variable(x0.copy())
        y = f(x, t)
        y.backward()
        grads.append(x.grad.data)
        p = np.exp(x0) / np.exp(x0).sum(axis=1, keepdims=True)
        assert y.data == pytest.approx(-np.log(p[np.arange(6), t]).mean(), rel=1e-12)
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-10)
    onehot = np.eye(4)[t]
    np.testing.assert_allclose(grads[1], (p - onehot) / 6, rtol=1e-12)


def test_cross_entropy_numerical_gradient_and_second_derivative():
    t = np.array([1, 0, 2])
    assert gradient_check(lambda x: F.softmax_cross_entropy(x, t), rng.random((3, 3)))
    x = Variable(rng.random((3, 3)))
    F.softmax_cross_entropy(x, t).backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    F.sum(gx * gx).backward()  # differentiable again: the backward is DeZero code
    assert x.grad is not None and np.abs(x.grad.data).sum() > 0


def test_float32_scores_give_float32_loss_and_gradient():
    x = Variable(rng.random((4, 3)).astype(np.float32))
    y = F.softmax_cross_entropy(x, np.array([0, 1, 2, 0]))
    y.backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


@pytest.mark.parametrize(
    "f",
    [F.softmax_cross_entropy, F.softmax_cross_entropy_simple],
    ids=["fused", "simple"],
)
@pytest.mark.parametrize(
    "t, message",
    [
        (np.array([0, 3]), r"ids must lie in \[0, 3\), got values from 0 to 3"),
        (np.array([0, -1]), r"ids must lie in \[0, 3\)"),
        (np.array([0.0, 1.0]), r"must be integers, not an array of float64"),
        (np.array([0, 1, 2]), r"one label per row of x, shape \(2,\), not \(3,\)"),
        (np.array([[0], [1]]), r"shape \(2,\), not \(2, 1\)"),
    ],
)
def test_bad_labels_are_refused(f, t, message):
    with pytest.raises((ValueError, TypeError), match=message):
        f(np.zeros((2, 3)), t)


def test_scores_must_be_a_matrix():
    with pytest.raises(
        ValueError, match=r"x must be \(N, C\) scores, not shape \(3,\)"
    ):
        F.softmax_cross_entropy(np.zeros(3), np.array([0]))


def test_embed_id_picks_rows_and_adds_their_gradients():
    W = Variable(rng.standard_normal((5, 3)))
    ids = np.array([[1, 2, 3], [2, 3, 4]])
    y = F.embed_id(ids, W)
    assert y.shape == (2, 3, 3)
    np.testing.assert_array_equal(y.data[1, 2], W.data[4])
    F.sum(y).backward()
    np.testing.assert_array_equal(W.grad.data[:, 0], [0, 1, 2, 2, 1])


def test_embed_id_layer():
    np.random.seed(0)
    emb = L.EmbedID(10, 4)
    assert emb.W.shape == (10, 4) and emb.W.dtype == np.float32
    y = emb(np.array([3, 3, 9]))
    np.testing.assert_array_equal(y.data[0], emb.W.data[3])
    assert [p.name for p in emb.params()] == ["W"]


def test_embed_id_refuses_bad_ids():
    W = np.zeros((4, 2))
    with pytest.raises(TypeError, match="embed_id: ids must be integers"):
        F.embed_id(np.array([0.0, 1.0]), W)
    with pytest.raises(ValueError, match=r"embed_id: ids must lie in \[0, 4\)"):
        F.embed_id(np.array([4]), W)


def test_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0 = rng.standard_normal((5, 4))
    t = np.array([3, 0, 1, 1, 2])
    x = Variable(x0.copy())
    loss = F.softmax_cross_entropy(x[np.array([0, 1, 2, 3, 4])] * 2.0, t)
    loss = loss + F.sum(F.log(F.softmax(x)[:, 0]))
    loss.backward()
    tx = torch.tensor(x0, requires_grad=True)
    tl = torch.nn.functional.cross_entropy(tx * 2.0, torch.tensor(t))
    tl = tl + torch.log(torch.softmax(tx, dim=1)[:, 0]).sum()
    tl.backward()
    np.testing.assert_allclose(loss.data, tl.item(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-10)

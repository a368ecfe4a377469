"""Step 59: RNN, RNNCell, unchain / unchain_backward, SinCurve."""

import numpy as np
import pytest

import dezero
import dezero.functions as F
import dezero.layers as L
from dezero import Variable
from dezero.datasets import SinCurve
from dezero.utils import gradient_check

rng = np.random.default_rng(59)


def test_sin_curve():
    np.random.seed(0)
    train, test = SinCurve(train=True), SinCurve(train=False)
    assert len(train) == 999 and train.data.shape == (999, 1)
    assert train.data.dtype == np.float32
    np.testing.assert_array_equal(train.data[1:], train.label[:-1])  # next value
    x = np.linspace(0, 2 * np.pi, 1000)
    np.testing.assert_allclose(test.data[:, 0], np.cos(x[:-1]), atol=1e-6)
    assert np.abs(train.data[:, 0] - np.sin(x[:-1])).max() <= 0.05 + 1e-6


def test_rnn_state_carries_and_reset_state_forgets():
    np.random.seed(0)
    rnn = L.RNN(4)
    x = rng.random((2, 3)).astype(np.float32)
    h1 = rnn(x)
    h2 = rnn(x)
    assert h1.shape == (2, 4) and not np.allclose(h1.data, h2.data)
    rnn.reset_state()
    np.testing.assert_allclose(rnn(x).data, h1.data)  # a fresh start: the same again
    np.testing.assert_allclose(
        h2.data, np.tanh(rnn.x2h(x).data + h1.data @ rnn.h2h.W.data)
    )


def test_unchain_cuts_one_link():
    x = Variable(np.array(2.0))
    y = x * 3
    z = y + 1
    y.unchain()
    z.backward()
    assert y.creator is None and x.grad is None  # backward stopped at y


def test_unchain_backward_cuts_everything_upstream_including_the_state():
    np.random.seed(0)
    rnn = L.RNN(3)
    x = np.ones((1, 2), dtype=np.float32)
    loss = F.sum(rnn(x)) + F.sum(rnn(x))
    loss.backward()
    loss.unchain_backward()
    assert rnn.h.creator is None  # the stored state no longer leads back
    # The next truncated segment's backward stops at the state.
    loss2 = F.sum(rnn(x))
    rnn.cleargrads()
    loss2.backward()
    # Three tanh steps were run; only the last one is still in the graph.
    n_tanh = 0
    funcs = [loss2.creator]
    while funcs:
        f = funcs.pop()
        n_tanh += type(f).__name__ == "Tanh"
        funcs += [v.creator for v in f.inputs if v.creator is not None]
    assert n_tanh == 1


def test_rnn_cell_agrees_with_rnn_given_the_same_weights():
    np.random.seed(1)
    rnn = L.RNN(5, in_size=3)
    cell = L.RNNCell(5, in_size=3)
    xs = [rng.random((2, 3)).astype(np.float32) for _ in range(4)]
    rnn(xs[0])
    rnn(xs[0])  # create h2h's weights
    rnn.reset_state()
    cell.x2h.W.data = rnn.x2h.W.data.copy()
    cell.x2h.b.data = rnn.x2h.b.data.copy()
    cell.h2h.W.data = rnn.h2h.W.data.copy()

    h = None
    loss_rnn, loss_cell = 0, 0
    for x in xs:
        y_rnn = rnn(x)
        y_cell, h = cell(x) if h is None else cell(x, h)  # cell(x): a zero state
        np.testing.assert_allclose(y_cell.data, y_rnn.data, rtol=1e-6)
        loss_rnn += F.sum(y_rnn)
        loss_cell += F.sum(y_cell)
    loss_rnn.backward()
    loss_cell.backward()
    np.testing.assert_allclose(cell.h2h.W.grad.data, rnn.h2h.W.grad.data, rtol=1e-5)
    np.testing.assert_allclose(cell.x2h.W.grad.data, rnn.x2h.W.grad.data, rtol=1e-5)


def test_rnn_cell_output_layer_and_init_hidden():
    cell = L.RNNCell(4, out_size=2, in_size=3)
    h0 = cell.init_hidden(5)
    assert h0.shape == (5, 4) and h0.dtype == np.float32 and not h0.data.any()
    y, h = cell(np.ones((5, 3), dtype=np.float32))
    assert y.shape == (5, 2) and h.shape == (5, 4)


def test_two_step_rnn_numerical_gradient():
    np.random.seed(2)
    rnn = L.RNN(3, in_size=2)
    for layer in (rnn.x2h, rnn.h2h):
        layer.dtype = np.float64
    rnn.x2h.W.data = rnn.x2h.W.data.astype(np.float64)
    rnn.x2h.b.data = rnn.x2h.b.data.astype(np.float64)
    w = rng.standard_normal((1, 3))

    def two_steps(x):
        rnn.reset_state()
        rnn(x[:1])
        return F.sum(rnn(x[1:]) * w)

    two_steps(np.zeros((2, 2)))  # create h2h
    rnn.h2h.W.data = rnn.h2h.W.data.astype(np.float64)
    assert gradient_check(two_steps, rng.standard_normal((2, 2)))


def test_rnn_matches_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    np.random.seed(3)
    rnn = L.RNN(4, in_size=3)
    xs = rng.standard_normal((5, 2, 3)).astype(np.float32)
    rnn(xs[0])
    rnn(xs[0])
    rnn.reset_state()
    ys = [rnn(x) for x in xs]
    loss = F.sum(ys[-1] * ys[-1]) + F.sum(ys[2])
    loss.backward()

    t = torch.nn.RNN(3, 4, nonlinearity="tanh")
    with torch.no_grad():
        t.weight_ih_l0.copy_(torch.tensor(rnn.x2h.W.data.T))
        t.bias_ih_l0.copy_(torch.tensor(rnn.x2h.b.data))
        t.weight_hh_l0.copy_(torch.tensor(rnn.h2h.W.data.T))
        t.bias_hh_l0.zero_()  # h2h has no bias
    out, _ = t(torch.tensor(xs))
    (out[-1] * out[-1]).sum().add(out[2].sum()).backward()
    np.testing.assert_allclose(
        ys[-1].data, out[-1].detach().numpy(), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(
        rnn.h2h.W.grad.data.T, t.weight_hh_l0.grad.numpy(), rtol=1e-4, atol=1e-5
    )
    np.testing.assert_allclose(
        rnn.x2h.W.grad.data.T, t.weight_ih_l0.grad.numpy(), rtol=1e-4, atol=1e-5
    )


def test_dezero_optimizers_reachable_after_a_bare_import():
    assert dezero.optimizers.Adam is not None


def test_a_new_batch_size_needs_reset_state():
    rnn = L.RNN(3)
    rnn(np.ones((2, 4), dtype=np.float32))
    with pytest.raises(
        ValueError, match=r"a batch of 5 after batches of 2; call reset"
    ):
        rnn(np.ones((5, 4), dtype=np.float32))
    rnn.reset_state()
    assert rnn(np.ones((5, 4), dtype=np.float32)).shape == (5, 3)

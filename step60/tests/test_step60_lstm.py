"""Step 60: SeqDataLoader, LSTM, LSTMCell, and the bAbI-like language task."""

import language
import numpy as np
import pytest

import demo
import dezero
import dezero.functions as F
import dezero.layers as L
from dezero import SeqDataLoader, Variable
from dezero.datasets import Dataset
from dezero.utils import gradient_check

rng = np.random.default_rng(60)


class Ten(Dataset):
    def prepare(self):
        self.data = np.arange(10)
        self.label = np.arange(10) * 10


def test_demo_loss_falls_and_the_cosine_is_predicted(tmp_path):
    losses, error = demo.main(max_epoch=10, out_dir=str(tmp_path))
    assert losses[0] == pytest.approx(0.4830, abs=1e-4)  # the reference: 0.48
    assert losses[-1] == pytest.approx(0.0395, abs=1e-4)  # the reference: 0.040
    assert all(a > b for a, b in zip(losses, losses[1:], strict=False))
    assert error < 0.2
    pytest.importorskip("matplotlib", reason="matplotlib is not installed")
    assert (tmp_path / "lstm_prediction.png").stat().st_size > 10_000


def test_seq_data_loader_rows_walk_their_own_stretch():
    loader = SeqDataLoader(Ten(), batch_size=2)
    batches = [x.tolist() for x, _ in loader]
    assert batches == [[0, 5], [1, 6], [2, 7], [3, 8], [4, 9]]
    x, t = next(iter(loader))
    assert t.tolist() == [0, 50]
    assert dezero.SeqDataLoader is SeqDataLoader


def test_seq_data_loader_batch_larger_than_the_data():
    with pytest.raises(ValueError, match=r"batch_size 11 is larger than the 10 items"):
        SeqDataLoader(Ten(), batch_size=11)


def test_lstm_shapes_state_and_reset():
    np.random.seed(0)
    lstm = L.LSTM(4)
    x = rng.random((3, 2)).astype(np.float32)
    h1 = lstm(x)
    assert h1.shape == (3, 4) and h1.dtype == np.float32 and lstm.c.shape == (3, 4)
    h2 = lstm(x)
    assert not np.allclose(h1.data, h2.data)
    lstm.reset_state()
    np.testing.assert_allclose(lstm(x).data, h1.data)


def float64_lstm(hidden, n_in, seed=1):
    np.random.seed(seed)
    lstm = L.LSTM(hidden, in_size=n_in)
    for p in lstm.params():
        p.data = p.data.astype(np.float64)
    return lstm


def test_two_step_lstm_numerical_gradient():
    lstm = float64_lstm(3, 2)
    w = rng.standard_normal((2, 3))

    def two_steps(x):
        lstm.reset_state()
        lstm(x[:, :2])
        return F.sum(lstm(x[:, 2:]) * w)

    assert gradient_check(two_steps, rng.standard_normal((2, 4)))

    x0 = rng.standard_normal((2, 4))

    def two_steps_of_weight(W):  # the same, as a function of one recurrent weight
        lstm.h2f.W = W if isinstance(W, Variable) else Variable(W)
        return two_steps(x0)

    assert gradient_check(two_steps_of_weight, lstm.h2f.W.data.copy())


def test_lstm_cell_agrees_with_lstm():
    np.random.seed(2)
    cell = L.LSTMCell(5, in_size=3)
    lstm = cell.lstm  # the same weights
    xs = [rng.random((2, 3)).astype(np.float32) for _ in range(4)]
    ys_layer = [lstm(x) for x in xs]
    state = ()
    for x, y_layer in zip(xs, ys_layer, strict=True):
        y, *state = cell(x, *state)
        np.testing.assert_allclose(y.data, y_layer.data, rtol=1e-6, atol=1e-7)
    cell2 = L.LSTMCell(5, out_size=7, in_size=3)
    y, h, c = cell2(xs[0])
    assert y.shape == (2, 7) and h.shape == c.shape == (2, 5)


def test_lstm_matches_pytorch_with_the_same_weights():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    lstm = float64_lstm(4, 3, seed=3)
    xs = rng.standard_normal((5, 2, 3))
    ys = [lstm(x) for x in xs]
    loss = F.sum(ys[-1] * ys[-1]) + F.sum(ys[1])
    loss.backward()

    t = torch.nn.LSTM(3, 4).double()
    with torch.no_grad():  # PyTorch stacks the gates as i, f, g (= u), o
        t.weight_ih_l0.copy_(
            torch.tensor(
                np.concatenate([getattr(lstm, f"x2{g}").W.data.T for g in "ifuo"])
            )
        )
        t.bias_ih_l0.copy_(
            torch.tensor(
                np.concatenate([getattr(lstm, f"x2{g}").b.data for g in "ifuo"])
            )
        )
        t.weight_hh_l0.copy_(
            torch.tensor(
                np.concatenate([getattr(lstm, f"h2{g}").W.data.T for g in "ifuo"])
            )
        )
        t.bias_hh_l0.zero_()
    out, _ = t(torch.tensor(xs))
    ((out[-1] * out[-1]).sum() + out[1].sum()).backward()
    np.testing.assert_allclose(ys[-1].data, out[-1].detach().numpy(), rtol=1e-10)
    grad_hh = np.concatenate([getattr(lstm, f"h2{g}").W.grad.data.T for g in "ifuo"])
    np.testing.assert_allclose(
        grad_hh, t.weight_hh_l0.grad.numpy(), rtol=1e-8, atol=1e-10
    )
    grad_ih = np.concatenate([getattr(lstm, f"x2{g}").W.grad.data.T for g in "ifuo"])
    np.testing.assert_allclose(
        grad_ih, t.weight_ih_l0.grad.numpy(), rtol=1e-8, atol=1e-10
    )


def test_corpus_is_babi_shaped():
    data, vocab = language.make_corpus(30)
    assert data.shape == (30, 6)
    line = [vocab[i] for i in data[0]]
    assert line[0] == "-" and line[3:5] == ["to", "the"]
    question = [vocab[i] for i in data[2]]
    assert question[:3] == ["-", "-", "where"] and question[-1] == "?"


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_language_model_beats_the_stated_accuracy_in_a_short_run(cell, capsys):
    model, data, vocab = language.train(cell, iters=300, log_every=1000)
    acc_all, acc_last = language.evaluate(model, data[:100], vocab)
    assert acc_all > 0.55  # chance is 1/19; the ceiling is about 0.64
    assert language.complete(model, vocab, ["-", "mary", "moved", "to"]) == "the"
    assert language.complete(model, vocab, ["-", "mary", "moved", "to", "the"]) in (
        language.PLACES
    )


def test_lstm_batch_change_and_numpy_integer_batch_sizes():
    lstm = L.LSTM(3)
    lstm(np.ones((2, 4), dtype=np.float32))
    with pytest.raises(ValueError, match=r"LSTM: a batch of 1 after batches of 2"):
        lstm(np.ones((1, 4), dtype=np.float32))
    with pytest.raises(ValueError, match=r"batch_size 11 is larger than the 10 items"):
        SeqDataLoader(Ten(), batch_size=np.int64(11))

"""Step 60 demo: an LSTM reads the sine 30 sequences at a time.

BetterRNN is LSTM(100) and Linear(1). SeqDataLoader hands it batches of 30, each
row a different stretch of the curve, so one update learns from 30 places at
once. Truncated BPTT every 30 steps, Adam. By default 50 epochs (a few seconds);
`--full` is the book's 100. Then it predicts a cosine one step ahead, as step 59
did, and writes output/lstm_prediction.png (needs matplotlib).
The language task (EmbedID + RNN/LSTM cells on a generated bAbI-like corpus) is
in language.py beside this file.
"""

import argparse
import os

import numpy as np

import dezero
import dezero.functions as F
import dezero.layers as L
from dezero import Model, SeqDataLoader

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


class BetterRNN(Model):
    """An LSTM layer of hidden_size units, then a linear read-out."""

    def __init__(self, hidden_size, out_size):
        super().__init__()
        self.rnn = L.LSTM(hidden_size)
        self.fc = L.Linear(out_size)

    def reset_state(self):
        self.rnn.reset_state()

    def forward(self, x):
        y = self.rnn(x)
        y = self.fc(y)
        return y


def progress(iterable, **kwargs):
    """A tqdm progress bar when tqdm is installed (off when not on a terminal)."""
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, disable=None, **kwargs)


def train(max_epoch=50, batch_size=30, hidden_size=100, bptt_length=30, seed=0):
    """Train on SinCurve with SeqDataLoader; returns the model and epoch losses."""
    np.random.seed(seed)
    train_set = dezero.datasets.SinCurve(train=True)
    dataloader = SeqDataLoader(train_set, batch_size=batch_size)
    seqlen = len(train_set)

    model = BetterRNN(hidden_size, 1)
    optimizer = dezero.optimizers.Adam().setup(model)

    losses = []
    for epoch in progress(range(max_epoch), desc="epochs"):
        model.reset_state()
        loss, count = 0, 0
        epoch_loss = 0.0

        for x, t in dataloader:
            y = model(x)
            loss += F.mean_squared_error(y, t)
            count += 1

            if count % bptt_length == 0 or count == seqlen:
                model.cleargrads()
                loss.backward()
                loss.unchain_backward()
                optimizer.update()
                epoch_loss += float(loss.data)
                loss = 0
        # The last 4 of the 34 batches are not trained: count == seqlen (999) never
        # comes with batches of 30. The book still counts their loss; so do we.
        if count % bptt_length:
            epoch_loss += float(loss.data)

        losses.append(epoch_loss / count)
        if epoch == 0 or (epoch + 1) % 10 == 0 or epoch + 1 == max_epoch:
            # The book prints every epoch; one line in ten keeps the page short.
            print(f"| epoch {epoch + 1} | loss {losses[-1]:.6f}")
    return model, losses


def predict_cosine(model):
    """One-step-ahead predictions of cos over [0, 4 pi], with the mean squared error."""
    xs = np.cos(np.linspace(0, 4 * np.pi, 1000)).astype(np.float32)
    model.reset_state()
    pred_list = []
    with dezero.no_grad():
        for x in xs:
            y = model(np.array(x).reshape(1, 1))
            pred_list.append(y.data.item())
    pred = np.array(pred_list)
    error = float(np.mean((pred[:-1] - xs[1:]) ** 2))
    return xs, pred, error


def plot(xs, pred, losses, to_file):
    """The cosine with the predictions, and the loss per epoch; None without pyplot."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install matplotlib): no plot")
        return None
    from matplotlib.ticker import (
        FormatStrFormatter,
        LogLocator,
        MaxNLocator,
        NullFormatter,
    )

    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(11, 4.5))
    # The inputs are cos(t) at 1000 points t in [0, 4 pi]; pred[i] is the
    # model's guess of the next value, cos(t[i + 1]), so it is drawn there.
    t = np.linspace(0, 4 * np.pi, len(xs))
    ax0.plot(t, xs, label="cos(t), fed in one value at a time")
    ax0.plot(t[1:], pred[:-1], "--", label="LSTM's prediction of the next value")
    ax0.set_xticks(np.pi * np.arange(5), ["0", "π", "2π", "3π", "4π"])
    ax0.set_xlabel("t (radians)")
    ax0.set_ylabel("value")
    ax0.set_title("Predicting a cosine one step ahead")
    ax0.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize=8)
    ax1.plot(np.arange(1, len(losses) + 1), losses, "o-")
    ax1.set_yscale("log")
    # Label 1, 2 and 5 times each power of ten: a range within one decade
    # would otherwise show a single labelled tick.
    ax1.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax1.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax1.yaxis.set_minor_formatter(NullFormatter())
    ax1.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("mean squared error per step (log scale)")
    ax1.set_title("Training loss on the noisy sine, mean of each epoch")
    ax1.grid(alpha=0.3, which="both")
    fig.tight_layout()
    os.makedirs(os.path.dirname(to_file), exist_ok=True)
    fig.savefig(to_file, dpi=100)
    plt.close(fig)
    return to_file


def main(max_epoch=50, out_dir=None):
    """Train, predict the cosine, plot; returns the losses and the error."""
    model, losses = train(max_epoch)
    xs, pred, error = predict_cosine(model)
    print(f"one-step-ahead prediction error on the cosine (MSE): {error:.6f}")
    to_file = os.path.join(
        out_dir or os.path.join(HERE, "output"), "lstm_prediction.png"
    )
    if plot(xs, pred, losses, to_file):
        print(f"wrote {shown(to_file)}")
    return losses, error


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the book's 100 epochs")
    parser.add_argument("--epochs", type=int, default=50, help="epochs (default 50)")
    args = parser.parse_args()
    main(100 if args.full else args.epochs)

"""Step 60, second demo: next-word prediction on a bAbI-like corpus, as in Grokking.

Grokking's framework ends with an RNN language model on bAbI task 1 ("single
supporting fact"): an embedding of 16, an RNN cell of 16, softmax cross-entropy,
SGD with alpha 0.05, batches of 100, 1000 iterations, each line left-padded with
'-' to 6 words, predicting each next word over 5 steps. bAbI is a download, so
this script writes a corpus of the same shape from templates (names x verbs x
places, and "where is ..." questions) and trains the same model with DeZero's
EmbedID and the explicit-state RNNCell, then with LSTMCell.
"""

import argparse

import numpy as np

import dezero.functions as F
import dezero.layers as L
from dezero import Model, no_grad, optimizers

NAMES = ["mary", "john", "sandra", "daniel"]
VERBS = ["moved", "went", "journeyed", "travelled"]
PLACES = ["bathroom", "hallway", "office", "kitchen", "garden", "bedroom"]
LENGTH = 6  # words per line, after left-padding with "-"
PROMPTS = [
    ["-", "mary", "moved", "to", "the"],
    ["-", "-", "where", "is"],
    ["-", "john"],
]


def make_corpus(n_lines=1000, seed=0):
    """Lines like bAbI's: two statements, then a question, again and again."""
    rng = np.random.RandomState(seed)
    lines = []
    while len(lines) < n_lines:
        for _ in range(2):
            name, verb, place = (str(rng.choice(w)) for w in (NAMES, VERBS, PLACES))
            lines.append([name, verb, "to", "the", place])
        lines.append(["where", "is", str(rng.choice(NAMES)), "?"])
    padded = [["-"] * (LENGTH - len(line)) + line for line in lines[:n_lines]]
    vocab = sorted({str(word) for line in padded for word in line})
    word2index = {w: i for i, w in enumerate(vocab)}
    data = np.array([[word2index[w] for w in line] for line in padded])
    return data, vocab


class Language(Model):
    """EmbedID(vocab, 16), then a recurrent cell of 16 with a vocab-sized output."""

    def __init__(self, vocab_size, cell="rnn", dim=16):
        super().__init__()
        self.embed = L.EmbedID(vocab_size, dim)
        if cell == "rnn":
            self.cell = L.RNNCell(dim, out_size=vocab_size, in_size=dim)
        else:
            self.cell = L.LSTMCell(dim, out_size=vocab_size, in_size=dim)

    def forward(self, words):
        """Scores for the next word after each word of words (N, T), T steps."""
        state = ()
        scores = []
        for t in range(words.shape[1]):
            y, *state = self.cell(self.embed(words[:, t]), *state)
            scores.append(y)
        return tuple(scores)  # a Layer returns Variables, one per step


def train(cell="rnn", iters=1000, lr=1.0, batch_size=100, seed=0, log_every=200):
    """Train on the corpus; returns the model, the corpus and the vocabulary.

    Grokking's alpha 0.05 multiplies a cross-entropy gradient summed over the
    batch of 100; DeZero's is a mean, so the same step would be alpha 5. That
    makes the RNN diverge here; lr 1.0 trains both cells.
    """
    np.random.seed(seed)
    data, vocab = make_corpus(seed=seed)
    model = Language(len(vocab), cell)
    optimizer = optimizers.SGD(lr).setup(model)
    n_batches = len(data) // batch_size
    for it in range(iters):
        batch = data[(it % n_batches) * batch_size :][:batch_size]
        scores = model(batch[:, :-1])
        loss = sum(
            F.softmax_cross_entropy(y, batch[:, t + 1]) for t, y in enumerate(scores)
        )
        model.cleargrads()
        loss.backward()
        optimizer.update()
        if it % log_every == 0 or it == iters - 1:
            print(
                f"{cell} iteration {it:4d}: loss {float(loss.data) / len(scores):.4f}"
            )
    return model, data, vocab


def evaluate(model, data, vocab):
    """Next-word accuracy over all five steps, and on the last word alone."""
    with no_grad():
        scores = model(data[:, :-1])
    pred = np.stack([y.data.argmax(axis=1) for y in scores], axis=1)
    target = data[:, 1:]
    return float((pred == target).mean()), float((pred[:, -1] == target[:, -1]).mean())


def complete(model, vocab, words):
    """The most likely next word after the start of a line (with its '-' padding)."""
    index = np.array([[vocab.index(w) for w in words]])
    with no_grad():
        scores = model(index)
    y = scores[-1] if isinstance(scores, tuple) else scores
    return str(vocab[int(y.data.argmax())])


def main(iters=1000, cells=("rnn", "lstm")):
    """Train each cell, report accuracies and a few completions."""
    results = {}
    for cell in cells:
        model, data, vocab = train(cell, iters)
        acc_all, acc_last = evaluate(model, data[:100], vocab)
        print(
            f"{cell}: next-word accuracy on the first 100 lines {acc_all:.3f}, "
            f"last word {acc_last:.3f}"
        )
        for prompt in PROMPTS:
            print(f"  {' '.join(prompt)!r} -> {complete(model, vocab, prompt)!r}")
        results[cell] = (acc_all, acc_last, model, vocab)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=1000, help="SGD iterations")
    parser.add_argument("--cell", choices=["rnn", "lstm", "both"], default="both")
    args = parser.parse_args()
    main(args.iters, ("rnn", "lstm") if args.cell == "both" else (args.cell,))

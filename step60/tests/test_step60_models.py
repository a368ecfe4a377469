"""Step 45: layers inside layers, Model, MLP, Sequential, Model.plot."""

import shutil

import numpy as np
import pytest

import dezero
import dezero.functions as F
import dezero.layers as L
from dezero import Model, Parameter
from dezero.models import MLP, Sequential

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz `dot` is not installed"
)


def test_model_is_exported_and_is_a_layer():
    assert dezero.Model is Model
    assert issubclass(Model, L.Layer)


def test_nested_parameters_are_all_found():
    class Inner(Model):
        def __init__(self):
            super().__init__()
            self.p = Parameter(np.array(1.0))
            self.fc = L.Linear(2, in_size=2)

    class Outer(Model):
        def __init__(self):
            super().__init__()
            self.a = Parameter(np.array(0.0))
            self.inner = Inner()
            self.fc = L.Linear(1, nobias=True, in_size=2)

    model = Outer()
    found = list(model.params())
    assert len(found) == 5
    assert found[0] is model.a and found[1] is model.inner.p
    assert found[2] is model.inner.fc.W and found[4] is model.fc.W


def test_cleargrads_reaches_nested_layers():
    model = MLP((3, 1))
    F.sum(model(np.ones((2, 2), dtype=np.float32))).backward()
    assert all(p.grad is not None for p in model.params())
    model.cleargrads()
    assert all(p.grad is None for p in model.params())


def test_mlp_layers_and_parameters():
    model = MLP((10, 20, 30, 40, 1))
    assert [type(getattr(model, f"l{i}")) for i in range(5)] == [L.Linear] * 5
    y = model(np.ones((4, 3), dtype=np.float32))
    assert y.shape == (4, 1)
    assert len(list(model.params())) == 10


def test_mlp_puts_the_activation_between_layers_only():
    calls = []

    def act(x):
        calls.append(x.shape)
        return F.sigmoid(x)

    model = MLP((5, 4, 2), activation=act)
    y = model(np.ones((3, 6), dtype=np.float32))
    assert calls == [(3, 5), (3, 4)]
    assert y.creator.__class__.__name__ == "Linear"  # no activation after the last


def test_sequential_mixes_layers_and_functions():
    model = Sequential(L.Linear(3), F.tanh, L.Linear(1), F.sigmoid)
    y = model(np.ones((4, 2), dtype=np.float32))
    assert y.shape == (4, 1) and y.creator.__class__.__name__ == "Sigmoid"
    assert len(list(model.params())) == 4  # W and b of the two Linear layers


def test_sequential_rejects_what_it_cannot_call():
    with pytest.raises(TypeError, match=r"Sequential: item 1 is int"):
        Sequential(L.Linear(3), 5)


def test_plot_writes_a_verbose_dot_graph(tmp_path):
    model = MLP((4, 2))
    to_file = tmp_path / "mlp.png"
    try:
        model.plot(np.ones((3, 5), dtype=np.float32), to_file=str(to_file))
    except RuntimeError:
        pass  # no dot: the .dot file is written all the same
    text = (tmp_path / "mlp.dot").read_text()
    assert "(3, 5) float32" in text and "(5, 4) float32" in text

"""Models: Layers that a program trains as a whole, and ready-made networks."""

import dezero.functions as F
import dezero.layers as L
from dezero import utils


class Model(L.Layer):
    """A Layer that stands for the whole network; it can draw its graph."""

    def plot(self, *inputs, to_file="model.png"):
        """Run forward on inputs and render the graph, shapes shown, with dot."""
        y = self.forward(*inputs)
        return utils.plot_dot_graph(y, verbose=True, to_file=to_file)


class MLP(Model):
    """Fully connected layers l0, l1, ... of the given output sizes.

    activation (sigmoid by default) runs between layers, not after the last.
    """

    def __init__(self, fc_output_sizes, activation=F.sigmoid):
        super().__init__()
        if not isinstance(fc_output_sizes, (tuple, list)) or not fc_output_sizes:
            raise ValueError(
                "MLP: fc_output_sizes must be a tuple with one output size per layer, "
                f"e.g. (10, 1), not {fc_output_sizes!r}"
            )
        self.activation = activation
        self.layers = []

        for i, out_size in enumerate(fc_output_sizes):
            layer = L.Linear(out_size)
            setattr(self, "l" + str(i), layer)  # registers it as a sub-layer
            self.layers.append(layer)

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = self.activation(layer(x))
        return self.layers[-1](x)


class Sequential(Model):
    """Layers (or plain functions such as F.relu) applied one after another.

    Not in the book; the reference package has it, and so does Grokking's
    framework, whose Sequential holds activation layers. Here an activation is
    just a function in the list.
    """

    def __init__(self, *layers):
        super().__init__()
        self.layers = []
        for i, layer in enumerate(layers):
            if not callable(layer):
                raise TypeError(
                    f"Sequential: item {i} is {type(layer).__name__}, not a Layer "
                    "or a function"
                )
            setattr(self, "l" + str(i), layer)  # a Layer is registered, F.tanh not
            self.layers.append(layer)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

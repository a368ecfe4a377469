"""Layers: objects that hold Parameters and compute with dezero.functions."""

import weakref

import numpy as np

import dezero.functions as F
from dezero.core import Parameter


class Layer:
    """Base class: every Parameter assigned as an attribute is found by params()."""

    def __init__(self):
        # A list, not the book's set: the order of params() must not depend on
        # hashing (PYTHONHASHSEED), so runs and saved files stay reproducible.
        self._params = []

    def __setattr__(self, name, value):
        # step 45: a Layer inside a Layer is registered too; params() descends.
        if isinstance(value, (Parameter, Layer)) and name not in self._params:
            self._params.append(name)
        super().__setattr__(name, value)

    def __call__(self, *inputs):
        outputs = self.forward(*inputs)
        if not isinstance(outputs, tuple):
            outputs = (outputs,)
        # Weak references, as Function keeps its outputs (step 17): a layer must
        # not keep a whole batch and its graph alive after training moves on.
        self.inputs = [weakref.ref(x) for x in inputs]
        self.outputs = [weakref.ref(y) for y in outputs]
        return outputs if len(outputs) > 1 else outputs[0]

    def forward(self, *inputs):
        """The layer's computation; every subclass defines its own."""
        raise NotImplementedError()

    def params(self):
        """Yield every Parameter of the layer and of the layers inside it, in order."""
        for name in self._params:
            obj = self.__dict__[name]
            if isinstance(obj, Layer):
                yield from obj.params()
            else:
                yield obj

    def cleargrads(self):
        """Forget the gradients of all parameters, before the next backward."""
        for param in self.params():
            param.cleargrad()


class Linear(Layer):
    """y = x W + b with W of shape (in_size, out_size), created at the first call.

    in_size may be left out: the first input's width decides it. W starts as
    randn * sqrt(1 / in_size), b as zeros, both of dtype (float32 by default).
    """

    def __init__(self, out_size, nobias=False, dtype=np.float32, in_size=None):
        super().__init__()
        if not isinstance(nobias, bool):
            # Linear(1, 10) in the book's first signature would mean no bias here.
            raise TypeError(
                f"Linear: nobias must be True or False, not {nobias!r}; the book's "
                "Linear(in_size, out_size) is Linear(out_size, in_size=in_size) here"
            )
        check_size("Linear", "out_size", out_size)
        if in_size is not None:
            check_size("Linear", "in_size", in_size)
        self.in_size = in_size
        self.out_size = out_size
        self.dtype = dtype

        self.W = Parameter(None, name="W")
        if self.in_size is not None:
            self._init_W()

        if nobias:
            self.b = None
        else:
            self.b = Parameter(np.zeros(out_size, dtype=dtype), name="b")

    def _init_W(self):
        n_in, n_out = self.in_size, self.out_size
        # Scale, then cast: randn(...).astype(float32) * np.sqrt(1 / n_in) would be
        # float64 under NumPy 2, since a NumPy float64 scalar outranks float32.
        W_data = (np.random.randn(n_in, n_out) * np.sqrt(1 / n_in)).astype(self.dtype)
        self.W.data = W_data

    def forward(self, x):
        if getattr(x, "ndim", None) != 2:
            raise ValueError(
                f"Linear: expected a batch of shape (N, in_size), got "
                f"{getattr(x, 'shape', type(x).__name__)}"
            )
        if self.W.data is None:
            self.in_size = x.shape[1]
            self._init_W()
        elif x.shape[1:] != (self.in_size,):
            raise ValueError(
                f"Linear: input of shape {x.shape} has {x.shape[1:]} features, but "
                f"this layer's W was made for {self.in_size} (W of shape "
                f"{self.W.shape}); use one Linear per input width"
            )
        y = F.linear(x, self.W, self.b)
        return y


def check_size(layer, name, value):
    """Refuse a size that is not a positive int before any weight is made."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{layer}: {name} must be a positive int, got {value!r}")
    if value < 1:
        raise ValueError(f"{layer}: {name} must be a positive int, got {value}")


class EmbedID(Layer):
    """A table of in_size vectors of length out_size; calling it with ids picks rows.

    Not in the book: the reference package has it, and Grokking's framework as
    Embedding. W starts as randn, in float32.
    """

    def __init__(self, in_size, out_size):
        super().__init__()
        check_size("EmbedID", "in_size", in_size)
        check_size("EmbedID", "out_size", out_size)
        self.W = Parameter(
            np.random.randn(in_size, out_size).astype(np.float32), name="W"
        )

    def forward(self, x):
        y = F.embed_id(x, self.W)
        return y

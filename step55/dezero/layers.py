"""Layers: objects that hold Parameters and compute with dezero.functions."""

import os
import tempfile
import weakref
import zipfile
import zlib

import numpy as np

import dezero.functions as F
from dezero import cuda
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

    def to_cpu(self):
        """Move every parameter to the CPU (step 52)."""
        for param in self.params():
            param.to_cpu()

    def to_gpu(self):
        """Move every parameter to the GPU (step 52); needs CuPy."""
        for param in self.params():
            param.to_gpu()

    def _flatten_params(self, params_dict, parent_key=""):
        """Fill params_dict with every Parameter under a path such as 'l1/W'."""
        for name in self._params:
            obj = self.__dict__[name]
            key = parent_key + "/" + name if parent_key else name

            if isinstance(obj, Layer):
                obj._flatten_params(params_dict, key)
            else:
                params_dict[key] = obj

    def save_weights(self, path):
        """Write every parameter to an .npz file (NumPy adds .npz to a bare name).

        The file is written under a temporary name in the same folder and renamed
        over path only when complete, so a failed or interrupted save leaves any
        earlier file as it was. Parameters on the GPU are copied, not moved.
        """
        params_dict = {}
        self._flatten_params(params_dict)
        empty = [key for key, param in params_dict.items() if param.data is None]
        if empty:
            raise ValueError(
                f"save_weights: {', '.join(empty)} have no data yet; run the model "
                "once (its layers learn their input sizes then) before saving"
            )
        array_dict = {k: cuda.as_numpy(p.data) for k, p in params_dict.items()}

        path = os.fspath(path)
        if not path.endswith(".npz"):
            path += ".npz"  # what np.savez_compressed does with a bare name
        folder = os.path.dirname(os.path.abspath(path))
        fd, tmp_path = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez_compressed(f, **array_dict)
            os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp made it private (0600)
            os.replace(tmp_path, path)  # atomic: the old file or the new one
        except BaseException:  # an error or Ctrl-C: no half-written file remains
            os.remove(tmp_path)
            raise
        return path

    def load_weights(self, path):
        """Fill the parameters from a file written by save_weights.

        The whole file is read and checked first (every name present, no extra
        names, the same shapes and dtypes); only then is anything assigned, so a
        failed load changes nothing. Pickled objects are refused: loading never
        runs code from the file. A never-run model takes the file's shapes.
        """
        arrays = _read_npz(path)
        params_dict = {}
        self._flatten_params(params_dict)

        problems = []
        for key in params_dict.keys() - arrays.keys():
            problems.append(f"{key} is missing from the file")
        for key in arrays.keys() - params_dict.keys():
            problems.append(f"{key} is in the file but not in this model")
        for key in params_dict.keys() & arrays.keys():
            data, array = params_dict[key].data, arrays[key]
            if data is not None and data.shape != array.shape:
                problems.append(
                    f"{key} has shape {array.shape}, the model {data.shape}"
                )
            elif data is not None and data.dtype != array.dtype:
                problems.append(
                    f"{key} has dtype {array.dtype}, the model {data.dtype}"
                )
        if problems:
            raise ValueError(
                f"load_weights: {path} does not fit this model: "
                + "; ".join(sorted(problems))
            )

        for key, param in params_dict.items():
            xp = cuda.get_array_module(param.data)  # keep the parameter's device
            param.data = xp.asarray(arrays[key])


def _umask():
    """The process's umask (read by setting it, then putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _read_npz(path):
    """Every array of an .npz file, read in full, with pickles refused."""
    unreadable = (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error)
    try:
        npz = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise
    except unreadable as e:
        raise _unreadable(path, e) from None
    if not isinstance(npz, np.lib.npyio.NpzFile):
        raise ValueError(f"load_weights: {path} holds one array, not an .npz archive")
    with npz:
        try:
            return {key: npz[key] for key in npz.files}
        except unreadable as e:
            raise _unreadable(path, e) from None


def _unreadable(path, e):
    return ValueError(
        f"load_weights: cannot read {path} ({type(e).__name__}: {e}); it is "
        "truncated, corrupted, holds pickled objects, or is no .npz file"
    )


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

    def _init_W(self, xp=np):
        n_in, n_out = self.in_size, self.out_size
        # Scale, then cast: randn(...).astype(float32) * np.sqrt(1 / n_in) would be
        # float64 under NumPy 2, since a NumPy float64 scalar outranks float32.
        W_data = (xp.random.randn(n_in, n_out) * np.sqrt(1 / n_in)).astype(self.dtype)
        self.W.data = W_data

    def forward(self, x):
        if getattr(x, "ndim", None) != 2:
            raise ValueError(
                f"Linear: expected a batch of shape (N, in_size), got "
                f"{getattr(x, 'shape', type(x).__name__)}"
            )
        if self.W.data is None:
            self.in_size = x.shape[1]
            xp = cuda.get_array_module(x)  # step 52: W is born where x lives
            self._init_W(xp)
            if self.b is not None:
                self.b.data = xp.asarray(self.b.data)  # and b beside it
        elif x.shape[1:] != self.W.shape[:1]:  # step 53: W may come from a file
            raise ValueError(
                f"Linear: input of shape {x.shape} has {x.shape[1:]} features, but "
                f"this layer's W was made for {self.W.shape[0]} (W of shape "
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


class BatchNorm(Layer):
    """Batch normalisation with learned gamma (scale) and beta (shift).

    avg_mean and avg_var are Parameters too, so save_weights keeps them; they get
    no gradient, so optimizers leave them alone. All four are created at the
    first call, with the input's feature count and dtype.
    """

    def __init__(self):
        super().__init__()
        self.avg_mean = Parameter(None, name="avg_mean")
        self.avg_var = Parameter(None, name="avg_var")
        self.gamma = Parameter(None, name="gamma")
        self.beta = Parameter(None, name="beta")

    def _init_params(self, x):
        if x.ndim not in (2, 4):  # check first: no state of the wrong size is kept
            raise ValueError(
                f"BatchNorm: expected a batch of shape (N, C) or (N, C, H, W), got "
                f"{x.shape}; nothing was created, so the next good call still works"
            )
        xp = cuda.get_array_module(x)
        D = x.shape[1]
        if self.avg_mean.data is None:
            self.avg_mean.data = xp.zeros(D, dtype=x.dtype)
        if self.avg_var.data is None:
            self.avg_var.data = xp.ones(D, dtype=x.dtype)
        if self.gamma.data is None:
            self.gamma.data = xp.ones(D, dtype=x.dtype)
        if self.beta.data is None:
            self.beta.data = xp.zeros(D, dtype=x.dtype)

    def forward(self, x):
        if self.avg_mean.data is None:
            self._init_params(x)
        return F.batch_norm(
            x, self.gamma, self.beta, self.avg_mean.data, self.avg_var.data
        )

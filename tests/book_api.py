"""The public names of the book's DeZero, step by step (checked by test_book_api.py).

API maps a step to the names that step adds, or changes, in the snapshot. A name
stays expected in every later step; a later row for the same name replaces the
earlier one from its own step on (F.sum takes x at step 37 and axis, keepdims from
step 39). Signatures are those of the book and of the reference DeZero (commit
b5f3cf1), which the book's scripts and the reference's tests call.

An entry is one of:

- "x, W, b=None": a function or method, its parameters written as in a def
  (methods list self). Defaults are Python expressions over `np`, `F` (the
  snapshot's dezero.functions), ANY (any default, as long as there is one) and
  one_of(a, b) (either value).
- Class("out_size, nobias=False"): a class and its __init__ parameters, without
  self ("" when it takes none); base= names a class it must derive from.
- Alias("dezero.models.Model"): the very same object as that name.
- PROPERTY: a property of a class (Variable.T).
- Value(True): a module attribute with exactly this value.

Names, kinds and defaults must match exactly, in order. A snapshot may add
parameters after the book's ones when every call the book makes still works:
defaulted or keyword-only parameters with a default, or **kwargs. `extra="..."`
says which extras we expect; it documents them and changes nothing in the check.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Class:
    """A class whose __init__ takes `params` (without self)."""

    params: str
    base: str | None = None
    extra: str | None = None


@dataclass(frozen=True)
class Func:
    """A function or method taking `params` (use a plain string for the usual case)."""

    params: str
    extra: str | None = None


@dataclass(frozen=True)
class Alias:
    """The same object as the qualified name `target`."""

    target: str


@dataclass(frozen=True)
class Value:
    """A module attribute equal to `value` (and of its type)."""

    value: object


PROPERTY = "<property>"


API = {
    # --- stage 2: the dezero package (core_simple.py) --------------------------
    23: {
        "dezero.core_simple.Config": Class(""),
        "dezero.core_simple.Variable": Class("data, name=None"),
        "dezero.core_simple.Variable.cleargrad": "self",
        "dezero.core_simple.Variable.backward": "self, retain_grad=False",
        "dezero.core_simple.Function": Class(""),
        "dezero.core_simple.using_config": "name, value",
        "dezero.core_simple.no_grad": "",
        "dezero.core_simple.as_array": "x",
        "dezero.core_simple.as_variable": "obj",
        "dezero.core_simple.setup_variable": "",
        "dezero.Config": Alias("dezero.core_simple.Config"),
        "dezero.Variable": Alias("dezero.core_simple.Variable"),
        "dezero.Function": Alias("dezero.core_simple.Function"),
        "dezero.using_config": Alias("dezero.core_simple.using_config"),
        "dezero.no_grad": Alias("dezero.core_simple.no_grad"),
        "dezero.as_array": Alias("dezero.core_simple.as_array"),
        "dezero.as_variable": Alias("dezero.core_simple.as_variable"),
        "dezero.setup_variable": Alias("dezero.core_simple.setup_variable"),
        "dezero.is_simple_core": Value(True),
    },
    # --- stage 3: graphs, core.py, dezero.functions ------------------------------
    26: {
        "dezero.utils.get_dot_graph": "output, verbose=True",
        "dezero.utils.plot_dot_graph": "output, verbose=True, to_file='graph.png'",
    },
    32: {
        "dezero.core.Config": Class(""),
        "dezero.core.Variable": Class("data, name=None"),
        "dezero.core.Variable.cleargrad": "self",
        "dezero.core.Variable.backward": (
            "self, retain_grad=False, create_graph=False"
        ),
        "dezero.core.Function": Class(""),
        "dezero.core.using_config": "name, value",
        "dezero.core.no_grad": "",
        "dezero.core.as_array": "x",
        "dezero.core.as_variable": "obj",
        "dezero.core.setup_variable": "",
        "dezero.Config": Alias("dezero.core.Config"),
        "dezero.Variable": Alias("dezero.core.Variable"),
        "dezero.Function": Alias("dezero.core.Function"),
        "dezero.using_config": Alias("dezero.core.using_config"),
        "dezero.no_grad": Alias("dezero.core.no_grad"),
        "dezero.as_array": Alias("dezero.core.as_array"),
        "dezero.as_variable": Alias("dezero.core.as_variable"),
        "dezero.setup_variable": Alias("dezero.core.setup_variable"),
        "dezero.is_simple_core": Value(False),
    },
    34: {
        "dezero.functions.sin": "x",
        "dezero.functions.cos": "x",
    },
    35: {
        "dezero.functions.tanh": "x",
    },
    # --- stage 4: neural networks -----------------------------------------------
    37: {
        "dezero.functions.sum": "x",  # every element; axis and keepdims at 39
        "dezero.utils.numerical_grad": "f, x, *args, **kwargs",
        "dezero.utils.gradient_check": ("f, x, *args, rtol=1e-4, atol=1e-5, **kwargs"),
        "dezero.utils.array_equal": "a, b",
        "dezero.utils.array_allclose": "a, b, rtol=1e-4, atol=1e-5",
    },
    38: {
        "dezero.functions.reshape": "x, shape",
        "dezero.functions.transpose": "x, axes=None",
        "dezero.Variable.reshape": "self, *shape",
        "dezero.Variable.transpose": "self, *axes",
        "dezero.Variable.T": PROPERTY,
    },
    39: {
        # The book calls broadcast_to here, a step before its lesson.
        "dezero.functions.sum": "x, axis=None, keepdims=False",
        "dezero.Variable.sum": "self, axis=None, keepdims=False",
        "dezero.functions.broadcast_to": "x, shape",
        "dezero.functions.sum_to": "x, shape",
        "dezero.utils.sum_to": "x, shape",
        "dezero.utils.reshape_sum_backward": "gy, x_shape, axis, keepdims",
    },
    # 40 adds no names: Add, Sub, Mul and Div learn to broadcast.
    41: {
        "dezero.functions.matmul": "x, W",
        # setup_variable binds the function itself, so its parameters show.
        "dezero.Variable.matmul": "x, W",
        "dezero.Variable.dot": "x, W",
    },
    42: {
        "dezero.functions.mean_squared_error_simple": "x0, x1",
        "dezero.functions.mean_squared_error": "x0, x1",
    },
    43: {
        "dezero.functions.linear_simple": "x, W, b=None",
        "dezero.functions.linear": "x, W, b=None",
        "dezero.functions.sigmoid_simple": "x",
        "dezero.functions.sigmoid": "x",
        "dezero.functions.exp": "x",
    },
    44: {
        "dezero.Parameter": Class("data, name=None", base="dezero.Variable"),
        "dezero.layers.Layer": Class(""),
        "dezero.layers.Layer.__call__": "self, *inputs",
        "dezero.layers.Layer.params": "self",
        "dezero.layers.Layer.cleargrads": "self",
        "dezero.layers.Linear": Class(
            "out_size, nobias=False, dtype=np.float32, in_size=None",
            base="dezero.layers.Layer",
        ),
    },
    45: {
        "dezero.models.Model": Class("", base="dezero.layers.Layer"),
        "dezero.models.Model.plot": "self, *inputs, to_file='model.png'",
        "dezero.Model": Alias("dezero.models.Model"),
        "dezero.models.MLP": Class(
            "fc_output_sizes, activation=F.sigmoid", base="dezero.models.Model"
        ),
        "dezero.models.Sequential": Class("*layers", base="dezero.models.Model"),
    },
    46: {
        "dezero.optimizers.Optimizer": Class(""),
        "dezero.optimizers.Optimizer.setup": "self, target",
        "dezero.optimizers.Optimizer.update": "self",
        "dezero.optimizers.Optimizer.update_one": "self, param",
        "dezero.optimizers.Optimizer.add_hook": "self, f",
        "dezero.optimizers.SGD": Class("lr=0.01", base="dezero.optimizers.Optimizer"),
        "dezero.optimizers.MomentumSGD": Class(
            "lr=0.01, momentum=0.9", base="dezero.optimizers.Optimizer"
        ),
        "dezero.optimizers.AdaGrad": Class(
            "lr=0.001, eps=1e-8", base="dezero.optimizers.Optimizer"
        ),
        "dezero.optimizers.AdaDelta": Class(
            "rho=0.95, eps=1e-6", base="dezero.optimizers.Optimizer"
        ),
        "dezero.optimizers.Adam": Class(
            "alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8",
            base="dezero.optimizers.Optimizer",
        ),
        # Hooks: called with the list of parameters that have a gradient.
        "dezero.optimizers.WeightDecay": Class("rate"),
        "dezero.optimizers.ClipGrad": Class("max_norm"),
        "dezero.optimizers.FreezeParam": Class("*layers"),
    },
    47: {
        "dezero.functions.get_item": "x, slices",
        "dezero.Variable.__getitem__": "x, slices",  # bound by setup_variable
        "dezero.functions.softmax_simple": "x, axis=1",
        "dezero.functions.softmax": "x, axis=1",
        "dezero.functions.log": "x",
        "dezero.functions.clip": "x, x_min, x_max",
        "dezero.functions.softmax_cross_entropy_simple": "x, t",
        "dezero.functions.softmax_cross_entropy": "x, t",
        "dezero.functions.embed_id": "x, W",
        "dezero.layers.EmbedID": Class("in_size, out_size", base="dezero.layers.Layer"),
    },
    48: {
        "dezero.datasets.get_spiral": "train=True",
    },
    49: {
        "dezero.datasets.Dataset": Class(
            "train=True, transform=None, target_transform=None"
        ),
        "dezero.datasets.Dataset.__getitem__": "self, index",
        "dezero.datasets.Dataset.__len__": "self",
        "dezero.datasets.Dataset.prepare": "self",
        "dezero.datasets.Spiral": Class(
            "train=True, transform=None, target_transform=None",
            base="dezero.datasets.Dataset",
        ),
        "dezero.transforms.Compose": Class("transforms=[]"),
        "dezero.transforms.Normalize": Class("mean=0, std=1"),
        "dezero.transforms.Flatten": Class(""),
        "dezero.transforms.AsType": Class("dtype=np.float32"),
        "dezero.transforms.ToFloat": Alias("dezero.transforms.AsType"),
        # The reference's np.int is gone from NumPy 2: np.int_ or int will do.
        "dezero.transforms.ToInt": Class("dtype=one_of(np.int_, int)"),
        # Pillow-based; Resize's default is Pillow's bilinear filter, however named.
        "dezero.transforms.Convert": Class("mode='RGB'"),
        "dezero.transforms.Resize": Class("size, mode=ANY"),
        "dezero.transforms.CenterCrop": Class("size"),
        "dezero.transforms.ToArray": Class("dtype=np.float32"),
        "dezero.transforms.ToPIL": Class(""),
    },
    50: {
        "dezero.dataloaders.DataLoader": Class("dataset, batch_size, shuffle=True"),
        "dezero.dataloaders.DataLoader.reset": "self",
        "dezero.dataloaders.DataLoader.__iter__": "self",
        "dezero.dataloaders.DataLoader.__next__": "self",
        "dezero.dataloaders.DataLoader.next": "self",
        "dezero.DataLoader": Alias("dezero.dataloaders.DataLoader"),
        "dezero.functions.accuracy": "y, t",
    },
    51: {
        # The default transform is Compose([Flatten(), ToFloat(), Normalize(0., 255.)]);
        # only its presence is checked here.
        "dezero.datasets.MNIST": Class(
            "train=True, transform=ANY, target_transform=None",
            base="dezero.datasets.Dataset",
            extra="where the idx files lie (no network in tests)",
        ),
        "dezero.datasets.MNIST.labels": "",  # a staticmethod
        "dezero.datasets.MNIST.show": "self, row=10, col=10",
        "dezero.datasets.FashionMNIST": Class(
            "train=True, transform=ANY, target_transform=None",
            base="dezero.datasets.MNIST",
            extra="where the idx files lie",
        ),
        "dezero.functions.relu": "x",
        "dezero.utils.get_file": Func(
            "url, file_name=None", extra="the cache directory, and the like"
        ),
    },
    # --- stage 5 (steps 52-60) ------------------------------------------------
    52: {
        "dezero.cuda.get_array_module": "x",
        "dezero.cuda.as_numpy": "x",
        "dezero.cuda.as_cupy": "x",
        "dezero.core.as_array": Func("x, array_module=np", extra="like=None (step 44)"),
        "dezero.Variable.to_cpu": "self",
        "dezero.Variable.to_gpu": "self",
        "dezero.layers.Layer.to_cpu": "self",
        "dezero.layers.Layer.to_gpu": "self",
        "dezero.dataloaders.DataLoader": Class(
            "dataset, batch_size, shuffle=True, gpu=False"
        ),
        "dezero.dataloaders.DataLoader.to_cpu": "self",
        "dezero.dataloaders.DataLoader.to_gpu": "self",
        # The book's functions module re-exports the operators' functions.
        "dezero.core.add": "x0, x1",
        "dezero.core.sub": "x0, x1",
        "dezero.core.rsub": "x0, x1",
        "dezero.core.mul": "x0, x1",
        "dezero.core.div": "x0, x1",
        "dezero.core.neg": "x",
        "dezero.core.pow": "x, c",
        "dezero.functions.add": Alias("dezero.core.add"),
        "dezero.functions.sub": Alias("dezero.core.sub"),
        "dezero.functions.rsub": Alias("dezero.core.rsub"),
        "dezero.functions.mul": Alias("dezero.core.mul"),
        "dezero.functions.div": Alias("dezero.core.div"),
        "dezero.functions.neg": Alias("dezero.core.neg"),
        "dezero.functions.pow": Alias("dezero.core.pow"),
    },
    53: {
        "dezero.layers.Layer._flatten_params": "self, params_dict, parent_key=''",
        "dezero.layers.Layer.save_weights": "self, path",
        "dezero.layers.Layer.load_weights": "self, path",
    },
    54: {
        "dezero.test_mode": "",
        "dezero.functions.dropout": "x, dropout_ratio=0.5",
        "dezero.functions.batch_norm": "x, gamma, beta, mean, var, decay=0.9, eps=2e-5",
        "dezero.functions.batch_nrom": Alias("dezero.functions.batch_norm"),
        "dezero.layers.BatchNorm": Class("", base="dezero.layers.Layer"),
    },
    55: {
        "dezero.utils.get_conv_outsize": "input_size, kernel_size, stride, pad",
    },
    57: {
        "dezero.functions.conv2d": "x, W, b=None, stride=1, pad=0",
        "dezero.functions.conv2d_simple": "x, W, b=None, stride=1, pad=0",
        "dezero.functions.deconv2d": "x, W, b=None, stride=1, pad=0, outsize=None",
        "dezero.functions.im2col": "x, kernel_size, stride=1, pad=0, to_matrix=True",
        "dezero.functions.col2im": (
            "x, input_shape, kernel_size, stride=1, pad=0, to_matrix=True"
        ),
        "dezero.functions.pooling": "x, kernel_size, stride=1, pad=0",
        "dezero.functions.pooling_simple": "x, kernel_size, stride=1, pad=0",
        "dezero.functions.average_pooling": "x, kernel_size, stride=1, pad=0",
        "dezero.functions.max": "x, axis=None, keepdims=False",
        "dezero.functions.min": "x, axis=None, keepdims=False",
        "dezero.functions.leaky_relu": "x, slope=0.2",
        "dezero.functions.log_softmax": "x, axis=1",
        "dezero.Variable.max": "x, axis=None, keepdims=False",
        "dezero.Variable.min": "x, axis=None, keepdims=False",
        "dezero.utils.pair": "x",
        "dezero.utils.get_deconv_outsize": "size, k, s, p",
        "dezero.layers.Conv2d": Class(
            "out_channels, kernel_size, stride=1, pad=0, nobias=False, "
            "dtype=np.float32, in_channels=None",
            base="dezero.layers.Layer",
        ),
        "dezero.layers.Deconv2d": Class(
            "out_channels, kernel_size, stride=1, pad=0, nobias=False, "
            "dtype=np.float32, in_channels=None",
            base="dezero.layers.Layer",
        ),
    },
    58: {
        "dezero.models.VGG16": Class("pretrained=False", base="dezero.models.Model"),
        "dezero.models.VGG16.preprocess": "image, size=(224, 224), dtype=np.float32",
        "dezero.datasets.ImageNet.labels": "",  # a staticmethod
    },
    59: {
        "dezero.Variable.unchain": "self",
        "dezero.Variable.unchain_backward": "self",
        "dezero.layers.RNN": Class(
            "hidden_size, in_size=None", base="dezero.layers.Layer"
        ),
        "dezero.layers.RNN.reset_state": "self",
        "dezero.datasets.SinCurve": Class(
            "train=True, transform=None, target_transform=None",
            base="dezero.datasets.Dataset",
        ),
        "dezero.optimizers.Adam": Class(
            "alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8",
            base="dezero.optimizers.Optimizer",
        ),
    },
    60: {
        "dezero.dataloaders.SeqDataLoader": Class(
            "dataset, batch_size, gpu=False", base="dezero.dataloaders.DataLoader"
        ),
        "dezero.SeqDataLoader": Alias("dezero.dataloaders.SeqDataLoader"),
        "dezero.layers.LSTM": Class(
            "hidden_size, in_size=None", base="dezero.layers.Layer"
        ),
        "dezero.layers.LSTM.reset_state": "self",
    },
}

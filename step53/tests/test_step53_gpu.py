"""Step 52: one code path for NumPy and CuPy.

Every test body below runs once with xp = numpy and once with xp = cupy. The
CuPy cases are marked `gpu` and skipped, with the reason, where CuPy or a GPU is
missing (as in CI); DEZERO_REQUIRE_GPU=1 (set by `make test-gpu`) turns that skip
into a failure, so a GPU run cannot pass by skipping.
"""

import copy
import os
import sys

import numpy as np
import pytest

import dezero
import dezero.functions as F
from dezero import DataLoader, Variable, cuda, optimizers
from dezero.datasets import Spiral
from dezero.models import MLP


def cupy_or_skip():
    try:
        import cupy

        cupy.zeros(1).sum()  # fails without a usable GPU
    except Exception as e:  # ImportError, or a CUDA error without a device
        reason = f"CuPy with a GPU is not available ({type(e).__name__}: {e})"
        if os.environ.get("DEZERO_REQUIRE_GPU") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return cupy


@pytest.fixture(params=["numpy", pytest.param("cupy", marks=pytest.mark.gpu)])
def xp(request):
    return np if request.param == "numpy" else cupy_or_skip()


def assert_close(actual, desired, rtol=1e-4, atol_of_max=1e-6, what="values"):
    """actual (on either device) equals desired, within float32 between two devices.

    The GPU's kernels sum in other orders than NumPy's, so float32 results differ in
    the last bits (1.06e-5 relative was seen on an H200): rtol 1e-4, plus an atol of
    atol_of_max times the largest |value| for the elements near 0 that no rtol holds.
    """
    actual, desired = cuda.as_numpy(actual), cuda.as_numpy(desired)
    assert actual.shape == desired.shape, f"{what}: {actual.shape} != {desired.shape}"
    atol = atol_of_max * float(np.abs(desired).max(initial=0.0))
    np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, err_msg=what)


rng = np.random.default_rng(52)
X = rng.uniform(0.5, 1.5, (4, 3)).astype(np.float32)
W = rng.standard_normal((3, 5)).astype(np.float32)
T = np.array([0, 4, 2, 1])

# Each case gets x and the array module, so constants live on x's device too.
CASES = {
    "sin": lambda x, xp: F.sin(x),
    "cos, tanh, exp": lambda x, xp: F.cos(x) * F.tanh(x) + F.exp(x),
    "log, clip": lambda x, xp: F.log(F.clip(x, 0.6, 1.4)),
    "sum axis": lambda x, xp: F.sum(x, axis=0) * 2.0,
    "reshape, transpose": lambda x, xp: F.transpose(F.reshape(x, (2, 6))),
    "broadcast, sum_to": lambda x, xp: F.sum_to(F.broadcast_to(x[0], (4, 3)), (1, 3)),
    "matmul, linear": lambda x, xp: (
        F.linear(x, xp.asarray(W), xp.ones(5, np.float32)) + F.matmul(x, xp.asarray(W))
    ),
    "sigmoid, relu": lambda x, xp: F.sigmoid(x) + F.relu(x - 1.0),
    "softmax": lambda x, xp: F.softmax(F.matmul(x, xp.asarray(W))),
    "get_item": lambda x, xp: x[xp.asarray([0, 0, 3])],
    "cross-entropy": lambda x, xp: F.softmax_cross_entropy(
        F.matmul(x, xp.asarray(W)), xp.asarray(T)
    ),
    "mean squared error": lambda x, xp: F.mean_squared_error(x, x * x),
    "F.add ... F.pow, as the book's tests call them": lambda x, xp: F.neg(
        F.pow(F.div(F.mul(F.add(x, x), F.sub(x, 0.2)), F.rsub(x, 3.0)), 2)
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_functions_give_numpys_values_and_gradients(xp, name):
    f = CASES[name]
    x_cpu = Variable(X.copy())
    y_cpu = f(x_cpu, np)
    F.sum(y_cpu).backward()

    x = Variable(xp.asarray(X))
    y = f(x, xp)
    F.sum(y).backward()
    assert cuda.get_array_module(y) is xp
    assert cuda.get_array_module(x.grad) is xp
    assert y.dtype == y_cpu.dtype and x.grad.dtype == np.float32
    assert_close(y.data, y_cpu.data, what="y")
    assert_close(x.grad.data, x_cpu.grad.data, what="x.grad")


@pytest.mark.parametrize("name", ["SGD", "MomentumSGD", "AdaGrad", "AdaDelta", "Adam"])
def test_training_steps_stay_on_the_device(xp, name):
    np.random.seed(0)
    model = MLP((8, 3))
    model(np.zeros((1, 2), np.float32))  # create W on the CPU ...
    if xp is not np:
        model.to_gpu()  # ... then move it
    opt = getattr(optimizers, name)().setup(model)
    loader = DataLoader(Spiral(), 30, shuffle=False)
    if xp is not np:
        loader.to_gpu()
    losses = []
    for x, t in loader:
        assert cuda.get_array_module(x) is xp
        loss = F.softmax_cross_entropy(model(x), t)
        model.cleargrads()
        loss.backward()
        opt.update()
        losses.append(float(loss.data))
    for p in model.params():
        assert cuda.get_array_module(p.data) is xp and p.data.dtype == np.float32
    assert np.isfinite(losses).all()


def test_lazy_weights_are_created_where_the_input_lives(xp):
    model = MLP((4, 2))
    model(xp.ones((3, 5), dtype=np.float32))
    assert all(cuda.get_array_module(p.data) is xp for p in model.params())


def test_to_gpu_and_back(xp):
    if xp is np:
        pytest.skip("the round trip needs a GPU; the CPU case is the next test")
    v = Variable(np.arange(3.0))
    v.to_gpu()
    assert cuda.get_array_module(v) is xp
    v.to_cpu()
    assert isinstance(v.data, np.ndarray)
    np.testing.assert_array_equal(v.data, [0.0, 1.0, 2.0])


def test_cpu_helpers_without_a_gpu(monkeypatch):
    monkeypatch.setattr(cuda, "gpu_enable", False)
    x = np.ones(2)
    assert cuda.get_array_module(x) is np
    assert cuda.get_array_module(Variable(x)) is np
    assert cuda.as_numpy(x) is x
    assert cuda.as_numpy(Variable(x)) is x
    assert cuda.as_numpy(3.0).shape == ()
    Variable(x).to_cpu()  # on the CPU already: nothing to do


@pytest.mark.parametrize(
    "call",
    [
        lambda: cuda.as_cupy(np.ones(2)),
        lambda: Variable(np.ones(2)).to_gpu(),
        lambda: MLP((2,)).to_gpu(),  # its biases exist before the first call
        lambda: DataLoader(Spiral(), 10).to_gpu(),
    ],
    ids=["as_cupy", "Variable.to_gpu", "Layer.to_gpu", "DataLoader.to_gpu"],
)
def test_gpu_entry_points_say_cupy_is_missing(monkeypatch, call):
    monkeypatch.setattr(cuda, "gpu_enable", False)
    with pytest.raises(RuntimeError, match=r"CuPy is not available.*pip install cupy"):
        call()


def test_gpu_enable_is_a_plain_flag():
    assert isinstance(dezero.cuda.gpu_enable, bool)


def test_dataloader_gpu_true_without_cupy_says_so_at_once(monkeypatch):
    monkeypatch.setattr(cuda, "gpu_enable", False)
    with pytest.raises(RuntimeError, match=r"CuPy is not available.*pip install cupy"):
        DataLoader(Spiral(), 10, gpu=True)


# Parity: training on the GPU gives the CPU's numbers. Each case makes a model on the
# CPU, keeps a copy of its first weights, trains the model on the CPU (the reference),
# then trains the copy moved by to_device (the candidate). With xp = numpy the
# candidate stays on the CPU, so the case must pass here too.


def to_device(obj, xp):
    """The candidate's copy of obj (an array, a model, a Variable) on xp's device."""
    obj = copy.deepcopy(obj)
    if xp is np:
        return obj
    if isinstance(obj, np.ndarray):
        return cuda.as_cupy(obj)
    obj.to_gpu()
    return obj


def break_candidate(monkeypatch, cls, method, wrong):
    """From the moment to_device makes the candidate (the reference has finished by
    then), cls.method is wrong(original): one device's path computes wrongly."""
    move = to_device

    def broken_move(obj, xp):
        monkeypatch.setattr(cls, method, wrong(getattr(cls, method)))
        return move(obj, xp)

    monkeypatch.setattr(sys.modules[__name__], "to_device", broken_move)


def off_by(factor):
    """A method whose result is `factor` times the original's."""
    return lambda f: lambda self, *args: f(self, *args) * factor


OPTIMIZERS = {
    "SGD": lambda: optimizers.SGD(lr=1.0),
    "Adam": lambda: optimizers.Adam(alpha=0.01),
}


def train_mlp(model, name, xp, steps=50):
    """steps updates on Spiral in batches of 30; the losses and the final weights."""
    np.random.seed(0)  # the loader shuffles with NumPy: the same batches both times
    loader = DataLoader(Spiral(), 30, gpu=xp is not np)
    optimizer = OPTIMIZERS[name]().setup(model)
    losses = []
    while len(losses) < steps:
        for x, t in loader:
            loss = F.softmax_cross_entropy(model(x), t)
            model.cleargrads()
            loss.backward()
            optimizer.update()
            losses.append(float(loss.data))
    return np.array(losses), [p.data for p in model.params()]


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_an_mlp_trains_the_same_on_both_devices(xp, name):
    np.random.seed(1)
    model = MLP((30, 3))
    model(np.zeros((1, 2), np.float32))  # the weights are born on the CPU
    start = copy.deepcopy(model)
    losses_cpu, params_cpu = train_mlp(model, name, np)

    losses, params = train_mlp(to_device(start, xp), name, xp)
    assert all(cuda.get_array_module(p) is xp for p in params)
    assert losses[-1] < losses[0] * 0.9  # it learned something
    assert_close(losses, losses_cpu, what="losses")
    for p, p_cpu in zip(params, params_cpu, strict=True):
        # 50 updates carry the rounding into every weight, and weights that end
        # near 0 carry the drift of the large ones: atol 1e-4 of the largest
        # (1e-5 with 10 ulp of noise put into every op's output on the CPU).
        assert_close(p, p_cpu, atol_of_max=1e-4, what="final weights")


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_the_mlp_case_fails_when_one_side_is_wrong(monkeypatch, name):
    # Not a gradient scaled (Adam would not see it): the candidate's sigmoid is off
    # by 0.1%, a bug that every step of the training carries.
    break_candidate(monkeypatch, F.Sigmoid, "forward", off_by(1.001))
    with pytest.raises(AssertionError, match="losses"):
        test_an_mlp_trains_the_same_on_both_devices(np, name)


def test_assert_close_fails_on_a_mismatch():
    desired = np.array([[1.0, -2.0], [0.5, 3e-3]], np.float32)
    assert_close(desired * np.float32(1 + 5e-5), desired)  # two devices' rounding
    assert_close(desired + np.float32(2e-6), desired)  # near 0: the scaled atol
    with pytest.raises(AssertionError, match="what"):
        assert_close(desired * np.float32(1 + 2e-4), desired, what="what")
    wrong = desired.copy()
    wrong[1, 1] += 1e-5  # one element near 0, off by more than 3e-6 (the atol)
    with pytest.raises(AssertionError):
        assert_close(wrong, desired)
    with pytest.raises(AssertionError, match=r"\(4,\) != \(2, 2\)"):
        assert_close(desired.ravel(), desired)


def test_weights_saved_on_the_gpu_load_into_a_cpu_model(xp, tmp_path):  # step 53
    np.random.seed(2)
    model = MLP((30, 3))
    model(np.zeros((1, 2), np.float32))
    model = to_device(model, xp)
    train_mlp(model, "Adam", xp, steps=10)  # trained where it lives
    path = model.save_weights(tmp_path / "mlp")
    assert all(cuda.get_array_module(p) is xp for p in model.params())  # copied

    cpu_model = MLP((30, 3))
    cpu_model.load_weights(path)
    assert all(isinstance(p.data, np.ndarray) for p in cpu_model.params())
    x = Spiral(train=False).data
    y_cpu = cpu_model(x)
    y = model(to_device(x, xp))
    assert cuda.get_array_module(y) is xp
    assert_close(y.data, y_cpu.data, what="outputs")


def test_the_save_load_case_fails_when_the_file_is_wrong(monkeypatch, tmp_path):
    savez = np.savez_compressed  # a save that writes the weights 0.1% off

    def wrong_savez(file, **arrays):
        savez(file, **{k: v * np.float32(1.001) for k, v in arrays.items()})

    monkeypatch.setattr(np, "savez_compressed", wrong_savez)
    with pytest.raises(AssertionError, match="outputs"):
        test_weights_saved_on_the_gpu_load_into_a_cpu_model(np, tmp_path)

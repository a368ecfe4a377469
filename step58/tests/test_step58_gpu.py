"""Step 52: one code path for NumPy and CuPy.

Every test body below runs once with xp = numpy and once with xp = cupy. The
CuPy cases are marked `gpu` and skipped, with the reason, where CuPy or a GPU is
missing (as in CI); DEZERO_REQUIRE_GPU=1 (set by `make test-gpu`) turns that skip
into a failure, so a GPU run cannot pass by skipping.
"""

import os

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


def assert_close(actual, desired, rtol=1e-4, what="values"):
    """actual (on either device) equals desired, within float32 between two devices.

    The GPU's kernels sum in other orders than NumPy's, so float32 results differ in
    the last bits (1.06e-5 relative was seen on an H200): rtol 1e-4, plus an atol of
    rtol/100 of the largest |value| for the elements near 0 that no rtol can hold.
    """
    actual, desired = cuda.as_numpy(actual), cuda.as_numpy(desired)
    assert actual.shape == desired.shape, f"{what}: {actual.shape} != {desired.shape}"
    atol = rtol / 100 * float(np.abs(desired).max(initial=0.0))
    np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, err_msg=what)


rng = np.random.default_rng(52)
X = rng.uniform(0.5, 1.5, (4, 3)).astype(np.float32)
W = rng.standard_normal((3, 5)).astype(np.float32)
T = np.array([0, 4, 2, 1])
WC = rng.standard_normal((2, 1, 2, 2)).astype(np.float32)

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
    "conv2d, pooling": lambda x, xp: F.pooling(  # step 57
        F.conv2d(x.reshape(1, 1, 4, 3), xp.asarray(WC), pad=1), 2, stride=1
    ),
    "average pooling, deconv2d": lambda x, xp: F.deconv2d(
        F.average_pooling(x.reshape(1, 1, 4, 3), 2),
        xp.asarray(WC.transpose(1, 0, 2, 3)),
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

"""Step 46: Optimizer, SGD, MomentumSGD, AdaGrad, AdaDelta, Adam and the hooks."""

import numpy as np
import pytest

import dezero.functions as F
import dezero.layers as L
from dezero import Parameter, Variable, optimizers
from dezero.models import MLP, Sequential

rng = np.random.default_rng(46)


def model_with_grads(seed=0):
    """A tiny float64 MLP whose parameters all have gradients."""
    np.random.seed(seed)
    model = MLP((3, 2))
    x = np.random.rand(4, 2)
    F.sum(model(x) ** 2).backward()
    return model, x


def snapshot(model):
    return [p.data.copy() for p in model.params()], [
        p.grad.data.copy() for p in model.params()
    ]


def test_sgd_equals_a_manual_update():
    model, _ = model_with_grads()
    before, grads = snapshot(model)
    optimizers.SGD(lr=0.1).setup(model).update()
    for p, b, g in zip(model.params(), before, grads, strict=True):
        np.testing.assert_array_equal(p.data, (b - 0.1 * g).astype(np.float32))


def test_momentum_two_steps_match_the_closed_form():
    p = Parameter(np.array([1.0, -2.0]))
    layer = L.Layer()
    layer.p = p
    opt = optimizers.MomentumSGD(lr=0.1, momentum=0.9).setup(layer)
    g1, g2 = np.array([0.5, 1.0]), np.array([-1.0, 2.0])
    p.grad = Variable(g1)
    opt.update()
    v1 = -0.1 * g1
    np.testing.assert_allclose(p.data, [1.0, -2.0] + v1)
    p.grad = Variable(g2)
    opt.update()
    v2 = 0.9 * v1 - 0.1 * g2
    np.testing.assert_allclose(p.data, [1.0, -2.0] + v1 + v2)


def test_parameters_without_a_gradient_are_untouched():
    layer = L.Layer()
    layer.a = Parameter(np.array([1.0]))
    layer.b = Parameter(np.array([2.0]))
    layer.a.grad = Variable(np.array([1.0]))
    for opt in (optimizers.SGD(1.0), optimizers.Adam(), optimizers.AdaDelta()):
        opt.setup(layer).update()
    assert layer.b.data[0] == 2.0
    assert layer.a.data[0] != 1.0


def test_setup_returns_the_optimizer():
    model = MLP((2,))
    opt = optimizers.SGD()
    assert opt.setup(model) is opt and opt.target is model


def test_setup_with_something_that_is_not_a_layer():
    with pytest.raises(TypeError, match=r"SGD.setup expects a Layer or Model.*list"):
        optimizers.SGD().setup([Parameter(np.zeros(1))])


def test_update_before_setup():
    with pytest.raises(RuntimeError, match=r"before setup\(\)"):
        optimizers.Adam().update()


@pytest.mark.parametrize("bad", [0, -0.1, "0.1", None])
def test_learning_rates_must_be_positive_numbers(bad):
    with pytest.raises(ValueError, match=r"SGD: lr must be a positive number"):
        optimizers.SGD(lr=bad)


def test_add_hook_needs_a_function():
    with pytest.raises(TypeError, match="add_hook expects a function"):
        optimizers.SGD().add_hook(0.01)


@pytest.mark.parametrize("name", ["SGD", "MomentumSGD", "AdaGrad", "AdaDelta", "Adam"])
def test_float32_parameters_stay_float32(name):
    np.random.seed(0)
    model = MLP((4, 1))
    opt = getattr(optimizers, name)().setup(model)
    x = np.random.rand(5, 3).astype(np.float32)
    for _ in range(3):
        model.cleargrads()
        F.mean_squared_error(model(x), np.zeros((5, 1), np.float32)).backward()
        opt.update()
    for p in model.params():
        assert p.data.dtype == np.float32
        assert p.grad.data.dtype == np.float32


def test_weight_decay_adds_rate_times_param():
    model, _ = model_with_grads()
    before, grads = snapshot(model)
    opt = optimizers.SGD(lr=1.0).setup(model)
    opt.add_hook(optimizers.WeightDecay(0.5))
    opt.update()
    for p, b, g in zip(model.params(), before, grads, strict=True):
        np.testing.assert_allclose(p.data, b - (g + 0.5 * b))


def test_hooks_do_not_write_through_a_shared_gradient():
    # y = a + b hands one gy object to both a and b; decaying a must not change b's.
    layer = L.Layer()
    layer.a = Parameter(np.array([1.0]))
    layer.b = Parameter(np.array([3.0]))
    (layer.a + layer.b).backward()
    opt = optimizers.SGD(lr=1.0).setup(layer)
    opt.add_hook(optimizers.WeightDecay(1.0))
    opt.update()
    np.testing.assert_allclose(layer.a.data, [1.0 - (1.0 + 1.0)])
    np.testing.assert_allclose(layer.b.data, [3.0 - (1.0 + 3.0)])


def test_clip_grad_scales_the_joint_norm():
    layer = L.Layer()
    layer.a = Parameter(np.zeros(2))
    layer.b = Parameter(np.zeros(1))
    layer.a.grad = Variable(np.array([3.0, 0.0]))
    layer.b.grad = Variable(np.array([4.0]))  # joint norm 5
    optimizers.ClipGrad(1.0)([layer.a, layer.b])
    np.testing.assert_allclose(layer.a.grad.data, [0.6, 0.0], rtol=1e-5)
    np.testing.assert_allclose(layer.b.grad.data, [0.8], rtol=1e-5)
    optimizers.ClipGrad(10.0)([layer.a, layer.b])  # below the limit: unchanged
    np.testing.assert_allclose(layer.b.grad.data, [0.8], rtol=1e-5)


def test_freeze_param_keeps_a_layer_fixed():
    np.random.seed(0)
    model = MLP((3, 1))
    model(np.ones((2, 2)))
    frozen = [p.data.copy() for p in model.l0.params()]
    opt = optimizers.SGD(0.5).setup(model)
    opt.add_hook(optimizers.FreezeParam(model.l0))
    F.sum(model(np.ones((2, 2)))).backward()
    before = model.l1.W.data.copy()
    opt.update()
    for p, f in zip(model.l0.params(), frozen, strict=True):
        np.testing.assert_array_equal(p.data, f)
    assert not np.array_equal(model.l1.W.data, before)


TORCH_CASES = {
    "SGD": (lambda: optimizers.SGD(0.1), lambda ps, t: t.optim.SGD(ps, lr=0.1)),
    "MomentumSGD": (
        lambda: optimizers.MomentumSGD(0.1, 0.9),
        lambda ps, t: t.optim.SGD(ps, lr=0.1, momentum=0.9),
    ),
    "AdaGrad": (
        lambda: optimizers.AdaGrad(0.1, eps=1e-8),
        lambda ps, t: t.optim.Adagrad(ps, lr=0.1, eps=1e-8),
    ),
    "AdaDelta": (
        lambda: optimizers.AdaDelta(rho=0.95, eps=1e-6),
        lambda ps, t: t.optim.Adadelta(ps, lr=1.0, rho=0.95, eps=1e-6),
    ),
    # The reference (after Chainer) adds eps before the bias correction, PyTorch
    # after it; with a tiny eps the two rules agree.
    "Adam": (
        lambda: optimizers.Adam(0.01, eps=1e-14),
        lambda ps, t: t.optim.Adam(ps, lr=0.01, eps=1e-14),
    ),
}


@pytest.mark.parametrize("name", TORCH_CASES)
def test_five_updates_match_pytorch(name):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    make_ours, make_theirs = TORCH_CASES[name]
    W0, x, t = (
        rng.standard_normal((3, 2)),
        rng.standard_normal((4, 3)),
        rng.random((4, 2)),
    )

    layer = L.Linear(2, dtype=np.float64, in_size=3)
    layer.W.data = W0.copy()
    opt = make_ours().setup(layer)
    tW = torch.tensor(W0, requires_grad=True)
    tb = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    topt = make_theirs([tW, tb], torch)
    for _ in range(5):
        layer.cleargrads()
        F.mean_squared_error(F.tanh(layer(x)), t).backward()
        opt.update()
        topt.zero_grad()
        pred = torch.tanh(torch.tensor(x) @ tW + tb)
        (((pred - torch.tensor(t)) ** 2).sum() / 4).backward()
        topt.step()
    np.testing.assert_allclose(
        layer.W.data, tW.detach().numpy(), rtol=1e-10, atol=1e-12
    )
    np.testing.assert_allclose(
        layer.b.data, tb.detach().numpy(), rtol=1e-10, atol=1e-12
    )


def test_a_layer_used_twice_is_updated_once():
    fc = L.Linear(2, dtype=np.float64, in_size=2)
    model = Sequential(fc, fc)
    model(np.ones((1, 2))).backward()
    before, grad = fc.W.data.copy(), fc.W.grad.data.copy()
    optimizers.SGD(0.1).setup(model).update()
    np.testing.assert_allclose(fc.W.data, before - 0.1 * grad)

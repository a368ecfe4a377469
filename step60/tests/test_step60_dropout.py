"""Step 54: Config.train, test_mode, dropout, and batch normalisation."""

import numpy as np
import pytest

import dezero
import dezero.functions as F
import dezero.layers as L
from dezero import Config, Variable
from dezero.utils import gradient_check

rng = np.random.default_rng(54)


def test_test_mode_restores_train_even_after_an_error():
    assert Config.train is True
    with dezero.test_mode():
        assert Config.train is False
    assert Config.train is True
    with pytest.raises(RuntimeError), dezero.test_mode():
        raise RuntimeError
    assert Config.train is True


def test_dropout_mean_is_kept_and_test_mode_is_deterministic():
    np.random.seed(0)
    assert F.dropout(np.ones(200000)).data.mean() == pytest.approx(1.0, abs=0.01)
    x = rng.random((3, 4))
    with dezero.test_mode():
        a, b = F.dropout(x), F.dropout(x)
    np.testing.assert_array_equal(a.data, x)
    np.testing.assert_array_equal(b.data, x)


def test_dropout_gradient_flows_only_through_kept_units():
    np.random.seed(1)
    x = Variable(np.ones((4, 5)))
    y = F.dropout(x, dropout_ratio=0.5)
    y.backward()
    kept = y.data != 0
    np.testing.assert_array_equal(x.grad.data, np.where(kept, 2.0, 0.0))
    assert 0 < kept.sum() < 20


def test_dropout_keeps_float32():
    y = F.dropout(np.ones(10, dtype=np.float32), 0.2)
    assert y.dtype == np.float32


@pytest.mark.parametrize("ratio", [1.0, -0.1, 1.5])
def test_dropout_ratio_out_of_range(ratio):
    with pytest.raises(ValueError, match=r"dropout_ratio must be in \[0, 1\)"):
        F.dropout(np.ones(3), ratio)


def test_batch_nrom_is_the_reference_spelling():
    assert F.batch_nrom is F.batch_norm


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 2, 2)])
def test_batch_norm_training_gradients(shape):
    C = shape[1]
    gamma, beta = rng.random(C) + 0.5, rng.standard_normal(C)
    w = rng.standard_normal(shape)

    def f(x, g=gamma, b=beta):
        mean, var = np.zeros(C), np.ones(C)
        return F.sum(F.batch_norm(x, g, b, mean, var) * w)

    assert gradient_check(f, rng.standard_normal(shape))
    x0 = rng.standard_normal(shape)
    assert gradient_check(lambda g: f(x0, g=g), gamma.copy())
    assert gradient_check(lambda b: f(x0, b=b), beta.copy())


def test_batch_norm_test_mode_gradient():
    mean, var = rng.standard_normal(3), rng.random(3) + 0.5
    gamma, beta = rng.random(3) + 0.5, rng.standard_normal(3)
    w = rng.standard_normal((5, 3))
    with dezero.test_mode():
        f = lambda x: F.sum(F.batch_norm(x, gamma, beta, mean, var) * w)  # noqa: E731
        assert gradient_check(f, rng.standard_normal((5, 3)))


def test_batch_norm_matches_pytorch_in_both_modes():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    x0 = rng.standard_normal((8, 3, 2, 2))
    gamma, beta = rng.random(3) + 0.5, rng.standard_normal(3)
    mean, var = np.zeros(3), np.ones(3)
    x = Variable(x0.copy())
    y = F.batch_norm(x, gamma, beta, mean, var, decay=0.9, eps=1e-5)
    F.sum(y * y).backward()

    tx = torch.tensor(x0, requires_grad=True)
    tmean, tvar = (
        torch.zeros(3, dtype=torch.float64),
        torch.ones(3, dtype=torch.float64),
    )
    ty = torch.nn.functional.batch_norm(
        tx,
        tmean,
        tvar,
        torch.tensor(gamma),
        torch.tensor(beta),
        training=True,
        momentum=0.1,
        eps=1e-5,
    )
    (ty * ty).sum().backward()
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(mean, tmean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(var, tvar.numpy(), rtol=1e-12)  # unbiased, as torch

    with dezero.test_mode():
        y_test = F.batch_norm(x0, gamma, beta, mean, var, eps=1e-5)
    t_test = torch.nn.functional.batch_norm(
        torch.tensor(x0),
        tmean,
        tvar,
        torch.tensor(gamma),
        torch.tensor(beta),
        training=False,
        eps=1e-5,
    )
    np.testing.assert_allclose(y_test.data, t_test.numpy(), rtol=1e-10)


def test_batch_norm_layer_parameters_and_dtype():
    bn = L.BatchNorm()
    y = bn(rng.standard_normal((4, 3, 5, 5)).astype(np.float32))
    assert y.shape == (4, 3, 5, 5) and y.dtype == np.float32
    assert [p.name for p in bn.params()] == ["avg_mean", "avg_var", "gamma", "beta"]
    F.sum(y).backward()
    assert bn.avg_mean.grad is None and bn.gamma.grad is not None


def test_batch_norm_shape_errors():
    with pytest.raises(ValueError, match=r"x must be \(N, C\) or \(N, C, H, W\)"):
        F.batch_norm(
            np.ones((2, 3, 4)), np.ones(3), np.zeros(3), np.zeros(3), np.ones(3)
        )
    with pytest.raises(ValueError, match=r"gamma \(4,\)"):
        F.batch_norm(np.ones((2, 3)), np.ones(4), np.zeros(4), np.zeros(4), np.ones(4))

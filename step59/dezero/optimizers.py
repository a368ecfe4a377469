"""Optimizers: update a model's parameters from their gradients."""

import math
import numbers

from dezero import cuda
from dezero.core import Parameter, Variable
from dezero.layers import Layer


class Optimizer:
    """Base class: setup(model), then update() after each backward.

    update() takes the parameters that have a gradient, lets every hook (weight
    decay, clipping, freezing) see them first, then calls update_one on each.
    """

    def __init__(self):
        self.target = None
        self.hooks = []

    def setup(self, target):
        """Choose the Layer or Model whose parameters to update; returns self."""
        if not isinstance(target, Layer):
            raise TypeError(
                f"{type(self).__name__}.setup expects a Layer or Model (something "
                f"with params()), not {type(target).__name__}"
            )
        self.target = target
        return self

    def update(self):
        """One update of every parameter that has a gradient."""
        if self.target is None:
            raise RuntimeError(
                f"{type(self).__name__}.update() before setup(): call "
                "optimizer.setup(model) first"
            )
        params = []
        for p in self.target.params():
            # A layer used twice yields its parameters twice: update each once.
            if p.grad is not None and all(p is not q for q in params):
                params.append(p)

        for f in self.hooks:
            f(params)

        for param in params:
            if param.grad is not None:  # a hook such as FreezeParam may drop it
                try:
                    self.update_one(param)
                except TypeError as error:  # NumPy's casting error, said plainly
                    if param.data.dtype.kind == "f":
                        raise
                    raise TypeError(
                        f"{type(self).__name__}.update: a Parameter of shape "
                        f"{param.shape} holds {param.dtype} data, which cannot take a "
                        "fractional step; parameters must be floating point "
                        "(e.g. np.float32)"
                    ) from error

    def update_one(self, param):
        """Update one parameter; every optimizer defines its own rule."""
        raise NotImplementedError()

    def add_hook(self, f):
        """Run f(params) before each update, e.g. WeightDecay(1e-4)."""
        if not callable(f):
            raise TypeError(f"add_hook expects a function, not {type(f).__name__}")
        self.hooks.append(f)


def _check_positive(owner, **values):
    """Hyperparameters such as lr must be positive numbers (not NaN or inf)."""
    for name, value in values.items():
        if not isinstance(value, numbers.Real) or not 0 < value < math.inf:
            raise ValueError(
                f"{owner}: {name} must be a positive number, not {value!r}"
            )


def _check_fraction(owner, **values):
    """Decay rates such as momentum, beta1 or rho must lie in [0, 1)."""
    for name, value in values.items():
        if not isinstance(value, numbers.Real) or not 0 <= value < 1:
            raise ValueError(f"{owner}: {name} must be in [0, 1), not {value!r}")


class SGD(Optimizer):
    """Stochastic gradient descent: param -= lr * grad."""

    def __init__(self, lr=0.01):
        super().__init__()
        _check_positive("SGD", lr=lr)
        self.lr = lr

    def update_one(self, param):
        param.data -= self.lr * param.grad.data


class MomentumSGD(Optimizer):
    """SGD with a velocity: v = momentum * v - lr * grad; param += v."""

    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__()
        _check_positive("MomentumSGD", lr=lr)
        _check_fraction("MomentumSGD", momentum=momentum)
        self.lr = lr
        self.momentum = momentum
        self.vs = {}

    def update_one(self, param):
        v_key = id(param)
        if v_key not in self.vs:
            xp = cuda.get_array_module(param.data)  # step 52: state beside the param
            self.vs[v_key] = xp.zeros_like(param.data)

        v = self.vs[v_key]
        v *= self.momentum
        v -= self.lr * param.grad.data
        param.data += v


class AdaGrad(Optimizer):
    """Per-parameter steps shrink with the sum of squared gradients seen so far."""

    def __init__(self, lr=0.001, eps=1e-8):
        super().__init__()
        _check_positive("AdaGrad", lr=lr, eps=eps)
        self.lr = lr
        self.eps = eps
        self.hs = {}

    def update_one(self, param):
        h_key = id(param)
        if h_key not in self.hs:
            xp = cuda.get_array_module(param.data)
            self.hs[h_key] = xp.zeros_like(param.data)

        h = self.hs[h_key]
        grad = param.grad.data
        h += grad * grad
        xp = cuda.get_array_module(param.data)
        param.data -= self.lr * grad / (xp.sqrt(h) + self.eps)


class AdaDelta(Optimizer):
    """No learning rate: the step is scaled by running averages of grad² and step²."""

    def __init__(self, rho=0.95, eps=1e-6):
        super().__init__()
        _check_positive("AdaDelta", eps=eps)
        _check_fraction("AdaDelta", rho=rho)
        self.rho = rho
        self.eps = eps
        self.msg = {}
        self.msdx = {}

    def update_one(self, param):
        key = id(param)
        if key not in self.msg:
            xp = cuda.get_array_module(param.data)
            self.msg[key] = xp.zeros_like(param.data)
            self.msdx[key] = xp.zeros_like(param.data)

        msg, msdx = self.msg[key], self.msdx[key]
        rho, eps = self.rho, self.eps
        grad = param.grad.data

        msg *= rho
        msg += (1 - rho) * grad * grad
        xp = cuda.get_array_module(param.data)
        dx = xp.sqrt((msdx + eps) / (msg + eps)) * grad
        msdx *= rho
        msdx += (1 - rho) * dx * dx
        param.data -= dx


class Adam(Optimizer):
    """Momentum and AdaGrad-like scaling, both as running averages, bias-corrected."""

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__()
        _check_positive("Adam", alpha=alpha, eps=eps)
        _check_fraction("Adam", beta1=beta1, beta2=beta2)
        self.t = 0
        self.alpha = alpha
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.ms = {}
        self.vs = {}

    def update(self, *args, **kwargs):
        self.t += 1  # the bias correction depends on the number of updates
        super().update(*args, **kwargs)

    @property
    def lr(self):
        """alpha with the bias corrections of both averages folded in."""
        fix1 = 1.0 - math.pow(self.beta1, self.t)
        fix2 = 1.0 - math.pow(self.beta2, self.t)
        return self.alpha * math.sqrt(fix2) / fix1

    def update_one(self, param):
        key = id(param)
        if key not in self.ms:
            xp = cuda.get_array_module(param.data)
            self.ms[key] = xp.zeros_like(param.data)
            self.vs[key] = xp.zeros_like(param.data)

        m, v = self.ms[key], self.vs[key]
        beta1, beta2, eps = self.beta1, self.beta2, self.eps
        grad = param.grad.data

        m += (1 - beta1) * (grad - m)
        v += (1 - beta2) * (grad * grad - v)
        xp = cuda.get_array_module(param.data)
        param.data -= self.lr * m / (xp.sqrt(v) + eps)


# Hooks: functions of the list of parameters, run by update() before the updates.
# They replace param.grad instead of editing its array in place, because one
# gradient array can be shared: Add's backward hands the same gy to both inputs.


class WeightDecay:
    """L2 regularisation: grad += rate * param."""

    def __init__(self, rate):
        if not isinstance(rate, numbers.Real) or not 0 <= rate < math.inf:
            raise ValueError(f"WeightDecay: rate must be a number >= 0, not {rate!r}")
        self.rate = rate

    def __call__(self, params):
        for param in params:
            param.grad = Variable(param.grad.data + self.rate * param.data)


class ClipGrad:
    """Scale all gradients down together when their joint L2 norm exceeds max_norm."""

    def __init__(self, max_norm):
        _check_positive("ClipGrad", max_norm=max_norm)
        self.max_norm = max_norm

    def __call__(self, params):
        total_norm = 0
        for param in params:
            total_norm += (param.grad.data**2).sum()
        total_norm = math.sqrt(float(total_norm))

        rate = self.max_norm / (total_norm + 1e-6)
        if rate < 1:
            for param in params:
                param.grad = Variable(param.grad.data * rate)


class FreezeParam:
    """Keep the parameters of some layers (or single Parameters) fixed."""

    def __init__(self, *layers):
        self.freeze_params = []
        for layer in layers:
            if isinstance(layer, Parameter):
                self.freeze_params.append(layer)
            else:
                for p in layer.params():
                    self.freeze_params.append(p)

    def __call__(self, params):
        for p in self.freeze_params:
            p.grad = None

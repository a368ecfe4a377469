"""Step 18: retain_grad, Config.enable_backprop, using_config and no_grad."""

import tracemalloc

import numpy as np
import pytest

from dezero.core import (
    Config,
    Square,
    Variable,
    add,
    no_grad,
    square,
    using_config,
)


def test_intermediate_grads_are_dropped_by_default():
    x0 = Variable(np.array(1.0))
    x1 = Variable(np.array(1.0))
    t = add(x0, x1)
    y = add(x0, t)
    y.backward()
    assert y.grad is None and t.grad is None
    assert (x0.grad.data, x1.grad.data) == (2.0, 1.0)


def test_retain_grad_keeps_them():
    x0 = Variable(np.array(1.0))
    x1 = Variable(np.array(1.0))
    t = add(x0, x1)
    y = add(x0, t)
    y.backward(retain_grad=True)
    assert (y.grad.data, t.grad.data, x0.grad.data, x1.grad.data) == (
        1.0,
        1.0,
        2.0,
        1.0,
    )


def test_no_grad_records_no_graph():
    x = Variable(np.ones(3))
    with no_grad():
        y = square(x)
    assert y.creator is None and y.generation == 0
    np.testing.assert_array_equal(y.data, [1.0, 1.0, 1.0])
    # A function called without backprop keeps no references to its inputs.
    with using_config("enable_backprop", False):
        f = Square()
        f(x)
    assert not hasattr(f, "inputs") and not hasattr(f, "outputs")


def test_using_config_restores_the_value_even_on_error():
    assert Config.enable_backprop is True
    with pytest.raises(RuntimeError):
        with using_config("enable_backprop", False):
            assert Config.enable_backprop is False
            raise RuntimeError("boom")
    assert Config.enable_backprop is True


def test_using_config_rejects_unknown_names():
    with pytest.raises(AttributeError, match="enable_backporp"):
        with using_config("enable_backporp", False):
            pass


def test_graph_is_recorded_again_after_no_grad():
    x = Variable(np.array(3.0))
    with no_grad():
        square(x)
    y = square(x)
    y.backward()
    assert x.grad.data == 6.0


def test_no_grad_keeps_no_intermediate_arrays_alive():
    x = Variable(np.ones((60, 60, 60)))  # 1.7 MB per array

    def peak(fn):
        tracemalloc.start()
        try:
            fn()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    def forward_no_grad():
        with no_grad():
            square(square(square(x)))

    with_graph = peak(lambda: square(square(square(x))))
    assert with_graph - peak(forward_no_grad) > x.data.nbytes

"""Step 32: gradients are Variables; backward(create_graph=True) records a graph."""

import numpy as np

import dezero
import dezero.core
import dezero.core_simple
from dezero.core import Function, Mul, Variable, exp, square


def graph_size(v):
    """Number of Functions reachable from v through creators."""
    seen, stack = set(), [v.creator] if v.creator else []
    while stack:
        f = stack.pop()
        if f not in seen:
            seen.add(f)
            stack += [x.creator for x in f.inputs if x.creator is not None]
    return len(seen)


def test_package_uses_core_and_keeps_core_simple():
    assert dezero.Variable is dezero.core.Variable
    assert dezero.core_simple.Variable is not dezero.core.Variable


def test_grad_is_a_variable_recorded_only_with_create_graph():
    x = Variable(np.array(2.0))
    y = x**2
    y.backward(create_graph=True)
    assert isinstance(x.grad, Variable) and x.grad.data == 4.0
    assert isinstance(x.grad.creator, Mul) and graph_size(x.grad) > 0

    x = Variable(np.array(2.0))
    y = x**2
    y.backward()
    assert isinstance(x.grad, Variable) and x.grad.data == 4.0
    assert x.grad.creator is None and graph_size(x.grad) == 0


def test_create_graph_false_keeps_no_backward_functions_alive(monkeypatch):
    made = []
    original = Function.__call__

    def recording_call(self, *inputs):
        made.append(self)
        return original(self, *inputs)

    x = Variable(np.array([1.0, 2.0]))
    y = (x**3 + x * x) / (x + 1)
    monkeypatch.setattr(Function, "__call__", recording_call)
    y.backward()
    assert made, "backward should run DeZero functions"
    assert not any(hasattr(f, "inputs") for f in made)  # nothing was recorded
    made.clear()
    y.backward(create_graph=True)
    assert made and all(hasattr(f, "inputs") for f in made)


def test_second_derivative_by_a_second_backward():
    x = Variable(np.array(2.0))
    y = x**3
    y.backward(create_graph=True)
    gx = x.grad
    assert gx.data == 12.0  # 3 x ** 2
    x.cleargrad()
    gx.backward()
    assert x.grad.data == 12.0  # 6 x


def test_a_gradient_from_several_paths_is_summed_out_of_place():
    x = Variable(np.array(3.0))
    y = x + x  # Add.backward hands the same gradient to both inputs
    y.backward(retain_grad=True)
    assert x.grad.data == 2.0 and y.grad.data == 1.0  # y's gradient untouched
    assert x.grad.creator is None  # no graph asked for, none recorded

    x = Variable(np.array(3.0))
    y = x * x + x  # three paths back to x
    y.backward(create_graph=True)
    assert x.grad.data == 7.0  # 2 x + 1
    assert x.grad.creator is not None  # the sum is part of the graph
    gx = x.grad
    x.cleargrad()
    gx.backward()
    assert x.grad.data == 2.0


def d(g, v, eps=1e-4):
    """Central difference of the scalar function g at v."""
    return (g(v + eps) - g(v - eps)) / (2 * eps)


def second_derivative(f, value):
    """(f'(value), f''(value)) by two backward passes."""
    x = Variable(np.array(value))
    f(x).backward(create_graph=True)
    gx = x.grad
    x.cleargrad()
    gx.backward()
    return gx.data, x.grad.data


def test_every_operator_is_twice_differentiable():
    def f(v):
        return (-v + 2.0) * v / (v - 3.0) ** 2 + 1.0 / v - v

    gx, gx2 = second_derivative(f, 1.5)
    np.testing.assert_allclose(gx, d(f, 1.5), rtol=1e-7)
    np.testing.assert_allclose(gx2, d(lambda v: d(f, v), 1.5), rtol=1e-4)


def test_square_and_exp_are_twice_differentiable():
    gx, gx2 = second_derivative(lambda v: exp(square(v)), 0.7)
    # d/dx exp(x^2) = 2x exp(x^2); d2/dx2 = (2 + 4x^2) exp(x^2)
    np.testing.assert_allclose(gx, 1.4 * np.exp(0.49), rtol=1e-14)
    np.testing.assert_allclose(gx2, (2 + 4 * 0.49) * np.exp(0.49), rtol=1e-14)

"""Step 16: generations order backward so a branching graph is handled correctly."""

import numpy as np

from dezero.core import Add, Square, Variable, add, numerical_diff, square


def diamond(x):
    a = square(x)
    return add(square(a), square(a))


def test_diamond_values():
    x = Variable(np.array(2.0))
    y = diamond(x)
    y.backward()
    assert y.data == 32.0 and x.grad.data == 64.0


def test_each_square_backward_runs_once(monkeypatch):
    calls = []
    original = Square.backward

    def counting(self, gy):
        calls.append(self)
        return original(self, gy)

    monkeypatch.setattr(Square, "backward", counting)
    diamond(Variable(np.array(2.0))).backward()
    assert len(calls) == 3 and len(set(calls)) == 3


def test_generations():
    x = Variable(np.array(2.0))
    a = square(x)
    b = square(a)
    y = add(b, square(a))
    assert (x.generation, a.generation, b.generation, y.generation) == (0, 1, 2, 3)
    assert (a.creator.generation, y.creator.generation) == (0, 2)


def test_generation_of_a_join_is_the_max_of_its_inputs():
    x = Variable(np.array(1.0))
    deep = square(square(square(x)))
    y = add(x, deep)
    assert y.creator.generation == 3 and y.generation == 4


def test_backward_visits_functions_from_the_latest_generation_down(monkeypatch):
    order = []
    for cls in (Square, Add):
        original = cls.backward

        def recording(self, *gys, original=original):
            order.append(self.generation)
            return original(self, *gys)

        monkeypatch.setattr(cls, "backward", recording)
    x = Variable(np.array(2.0))
    a = square(x)
    y = add(square(square(a)), square(a))  # branches of different depths
    y.backward()
    assert order == sorted(order, reverse=True) and len(order) == 5
    assert order[0] == y.creator.generation and order[-1] == 0


def test_diamond_gradient_check():
    data = np.array([0.3, -1.1, 0.8])
    x = Variable(data)
    diamond(x).backward()
    np.testing.assert_allclose(
        x.grad.data, numerical_diff(diamond, Variable(data)), rtol=1e-4, atol=1e-5
    )


def test_second_backward_accumulates_instead_of_raising():
    # The Grokking framework refuses to backprop twice; DeZero adds up (cleargrad).
    x = Variable(np.array(2.0))
    y = diamond(x)
    y.backward(retain_grad=True)
    assert (a := y.creator.inputs[1].creator.inputs[0]).grad.data == 16.0
    y.backward(retain_grad=True)
    # Intermediate gradients accumulate too (a.grad.data: 16 -> 16 + 32), so the second
    # pass adds 4 * 48 to x.grad.
    assert a.grad.data == 48.0
    assert x.grad.data == 64.0 + 4 * 48.0


def test_second_backward_without_retained_grads_adds_the_same_gradient():
    # Step 18: intermediate gradients are dropped, so only x.grad.data accumulates.
    x = Variable(np.array(2.0))
    y = diamond(x)
    y.backward()
    y.backward()
    assert x.grad.data == 128.0

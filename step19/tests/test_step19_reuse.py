"""Step 14 behaviour, kept: a reused Variable accumulates gradients; cleargrad."""

import numpy as np

from dezero import Variable, add


def test_x_plus_x():
    x = Variable(np.array(3.0))
    add(x, x).backward()
    assert x.grad == 2.0


def test_x_plus_x_plus_x():
    x = Variable(np.array(3.0))
    add(add(x, x), x).backward()
    assert x.grad == 3.0


def test_second_computation_without_cleargrad_keeps_the_old_gradient():
    x = Variable(np.array(3.0))
    add(x, x).backward()
    add(add(x, x), x).backward()
    assert x.grad == 5.0


def test_cleargrad_resets():
    x = Variable(np.array(3.0))
    add(x, x).backward()
    x.cleargrad()
    assert x.grad is None
    add(add(x, x), x).backward()
    assert x.grad == 3.0


def test_accumulation_does_not_share_arrays_between_variables():
    # The book's appendix A: with `x.grad += gx`, y.grad would become 2 as well.
    x = Variable(np.array(3.0))
    y = add(x, x)
    y.backward(retain_grad=True)
    assert y.grad == 1.0 and x.grad == 2.0
    assert y.grad is not x.grad


def test_grokking_example():
    # From the Grokking framework: b is used by two additions and gets both grads.
    a = Variable(np.array([1, 2, 3, 4, 5]))
    b = Variable(np.array([2, 2, 2, 2, 2]))
    c = Variable(np.array([5, 4, 3, 2, 1]))
    f = add(add(a, b), add(b, c))
    f.backward()
    np.testing.assert_array_equal(b.grad, [2, 2, 2, 2, 2])
    np.testing.assert_array_equal(a.grad, [1, 1, 1, 1, 1])

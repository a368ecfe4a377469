"""Stage 1 behaviour, kept: functions, numerical diff, automatic backward, checks."""

import sys

import numpy as np
import pytest

from dezero.core import (
    Exp,
    Function,
    Square,
    Variable,
    as_array,
    exp,
    numerical_diff,
    square,
)


def chain(x):
    return square(exp(square(x)))


def test_variable_holds_the_given_array():
    a = np.array([1.0, 2.0])
    x = Variable(a)
    assert x.data is a and x.grad is None and x.creator is None


def test_square_and_exp_forward():
    x = Variable(np.array([1.0, -2.0, 3.0]))
    np.testing.assert_array_equal(square(x).data, [1.0, 4.0, 9.0])
    np.testing.assert_allclose(exp(x).data, np.exp([1.0, -2.0, 3.0]), rtol=1e-15)


def test_base_class_is_abstract():
    with pytest.raises(NotImplementedError):
        Function().forward(np.array(1.0))
    with pytest.raises(NotImplementedError):
        Function().backward(np.array(1.0))
    # Called with several inputs it still says what is missing: a forward.
    with pytest.raises(NotImplementedError):
        Function()(Variable(np.array(1.0)), Variable(np.array(2.0)))
    with pytest.raises(NotImplementedError):
        Function().backward(np.array(1.0), np.array(2.0))


def test_numerical_diff():
    np.testing.assert_allclose(numerical_diff(square, Variable(np.array(2.0))), 4.0)
    dy = numerical_diff(chain, Variable(np.array(0.5)))
    np.testing.assert_allclose(dy, 2 * np.exp(0.5), atol=1e-6)


def test_links_recorded_in_forward():
    x = Variable(np.array(0.5))
    a = square(x)
    b = exp(a)
    assert x.creator is None
    assert isinstance(a.creator, Square) and isinstance(b.creator, Exp)
    assert a.creator.inputs[0] is x and a.creator.outputs[0]() is a
    assert b.creator.inputs[0] is a and b.creator.outputs[0]() is b


def test_backward_of_the_book_chain():
    x = Variable(np.array(0.5))
    y = chain(x)
    y.backward()
    assert x.grad.data == 3.297442541400256


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backward_matches_numerical_diff_on_arrays(seed):
    data = np.random.default_rng(seed).uniform(-1, 1, size=4)
    x = Variable(data)
    chain(x).backward()
    np.testing.assert_allclose(
        x.grad.data, numerical_diff(chain, Variable(data)), rtol=1e-4, atol=1e-5
    )


def test_backward_on_a_user_variable_seeds_ones():
    x = Variable(np.array([2.0, 3.0], dtype=np.float32))
    x.backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])


def test_loop_backward_survives_a_chain_deeper_than_the_recursion_limit():
    x = Variable(np.array(0.5))
    y = x
    for _ in range(sys.getrecursionlimit() + 100):
        y = square(y)
        y.data = np.array(0.5)  # keep values finite; gradients are 2 * 0.5 = 1
    y.backward()
    assert x.grad.data == 1.0


@pytest.mark.parametrize("bad", [1.0, 1, [1.0, 2.0], "1.0"])
def test_non_ndarray_data_is_rejected_with_its_type_named(bad):
    with pytest.raises(TypeError, match=f"{type(bad)} is not supported"):
        Variable(bad)


def test_as_array_and_0d_outputs():
    a = np.array([1.0, 2.0])
    assert as_array(a) is a
    assert isinstance(as_array(1.0), np.ndarray)
    assert isinstance(square(Variable(np.array(1.0))).data, np.ndarray)

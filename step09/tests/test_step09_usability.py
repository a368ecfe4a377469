"""Step 09: square/exp as functions, default gradient, type check, as_array."""

import numpy as np
import pytest

import demo
from dezero import Square, Variable, as_array, exp, numerical_diff, square


@pytest.mark.parametrize("bad", [1.0, 1, [1.0, 2.0], (1.0,), "1.0"])
def test_non_ndarray_data_is_rejected_with_its_type_named(bad):
    with pytest.raises(TypeError, match=f"{type(bad)} is not supported"):
        Variable(bad)


def test_ndarray_and_none_are_accepted():
    assert Variable(None).data is None
    assert Variable(np.array(1.0)).data == 1.0


def test_as_array():
    a = np.array([1.0, 2.0])
    assert as_array(a) is a
    for scalar in (1.0, 3, np.float64(2.5)):
        out = as_array(scalar)
        assert isinstance(out, np.ndarray) and out.ndim == 0 and out == scalar


def test_output_of_0d_computation_is_an_ndarray():
    # np.array(1.0) ** 2 is an np.float64, not an ndarray.
    assert not isinstance(np.array(1.0) ** 2, np.ndarray)
    y = square(Variable(np.array(1.0)))
    assert isinstance(y.data, np.ndarray)


def test_wrappers_make_a_fresh_function_each_call():
    x = Variable(np.array(2.0))
    y1, y2 = square(x), square(x)
    assert isinstance(y1.creator, Square) and y1.creator is not y2.creator
    np.testing.assert_allclose(exp(x).data, np.exp(2.0), rtol=1e-15)


def test_default_grad_is_ones_with_the_data_dtype():
    x = Variable(np.array([1.0, 2.0], dtype=np.float32))
    y = square(x)
    y.backward()
    assert y.grad.dtype == np.float32
    np.testing.assert_array_equal(y.grad, [1.0, 1.0])
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


def test_backward_matches_numerical_diff_on_arrays():
    rng = np.random.default_rng(0)
    data = rng.uniform(-1, 1, size=5)
    x = Variable(data)
    y = square(exp(square(x)))
    y.backward()
    f = lambda v: square(exp(square(v)))
    np.testing.assert_allclose(x.grad, numerical_diff(f, Variable(data)), rtol=1e-6)


def test_demo(capsys):
    x = demo.main()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "3.297442541400256"
    assert out[1].startswith("TypeError: <class 'float'> is not supported")
    assert x.grad == 3.297442541400256

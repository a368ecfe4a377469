"""Step 44: Parameter, Layer and Linear; float32 stays float32."""

import numpy as np
import pytest

import dezero.functions as F
import dezero.layers as L
from dezero import Parameter, Variable
from dezero.utils import gradient_check


def test_parameter_is_a_variable_told_apart_by_isinstance():
    p = Parameter(np.array(1.0))
    v = Variable(np.array(1.0))
    assert isinstance(p, Variable) and isinstance(p, Parameter)
    assert not isinstance(v, Parameter)
    y = p * v + p
    y.backward()
    assert p.grad.data == 2.0
    assert not isinstance(y, Parameter)  # results of functions are plain Variables


def test_layer_registers_parameters_only():
    layer = L.Layer()
    layer.p1 = Parameter(np.array(1))
    layer.p2 = Parameter(np.array(2))
    layer.v = Variable(np.array(3))
    layer.n = 4
    assert [p.data.item() for p in layer.params()] == [1, 2]


def test_reassigning_a_parameter_does_not_register_it_twice():
    layer = L.Layer()
    layer.w = Parameter(np.array(1.0))
    layer.w = Parameter(np.array(2.0))
    assert [p.data.item() for p in layer.params()] == [2.0]


def test_cleargrads_clears_every_parameter():
    layer = L.Linear(3, in_size=2)
    y = F.sum(layer(np.ones((4, 2), dtype=np.float32)))
    y.backward()
    assert all(p.grad is not None for p in layer.params())
    layer.cleargrads()
    assert all(p.grad is None for p in layer.params())


def test_linear_params_are_W_and_b_and_nobias_drops_b():
    layer = L.Linear(5, in_size=3)
    assert [p.name for p in layer.params()] == ["W", "b"]
    assert L.Linear(5, nobias=True, in_size=3).b is None
    assert [p.name for p in L.Linear(5, nobias=True, in_size=3).params()] == ["W"]


def test_linear_keywords_as_the_reference_tests_use_them():
    layer = L.Linear(in_size=3, out_size=4, nobias=True)
    assert layer.W.shape == (3, 4)
    assert layer.b is None


def test_lazy_in_size_is_taken_from_the_first_input():
    layer = L.Linear(4)
    assert layer.W.data is None
    y = layer(np.ones((2, 7), dtype=np.float32))
    assert layer.in_size == 7
    assert layer.W.shape == (7, 4) and y.shape == (2, 4)


def test_initial_weights_are_scaled_by_sqrt_one_over_in_size():
    np.random.seed(1)
    layer = L.Linear(2000, in_size=500)
    assert layer.W.data.std() == pytest.approx(np.sqrt(1 / 500), rel=0.01)
    np.testing.assert_array_equal(layer.b.data, np.zeros(2000))


def test_float32_weights_outputs_and_gradients():
    l1, l2 = L.Linear(6), L.Linear(1)
    x = np.random.rand(10, 3).astype(np.float32)
    t = np.random.rand(10, 1).astype(np.float32)
    y = l2(F.sigmoid(l1(x)))
    loss = F.mean_squared_error(y, t) * 0.5 + 1
    loss.backward()
    assert y.dtype == np.float32 and loss.dtype == np.float32
    for layer in (l1, l2):
        for p in layer.params():
            assert p.data.dtype == np.float32, p.name
            assert p.grad.data.dtype == np.float32, p.name


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_python_numbers_take_the_dtype_numpy_gives_them(dtype):
    x = Variable(np.ones(3, dtype=dtype))
    for y in (x * 2.0, 2.0 * x, x / 3, 1 - x, x + 1, 2.0 / x, x - 0.5, x**2):
        assert y.dtype == dtype
        assert y.dtype == (x.data * 2.0).dtype


def test_numpy_float64_scalars_keep_float32_as_in_pytorch():
    # NumPy 2 alone widens float32 * np.float64(2.0) to float64; a constant never
    # widens a float Variable here (constant_dtype), as in PyTorch.
    x = Variable(np.ones(3, dtype=np.float32))
    assert (x * np.float64(2.0)).dtype == np.float32
    assert (Variable(np.arange(3)) * 0.5).dtype == np.float64


def test_linear_numerical_gradient_through_the_layer():
    layer = L.Linear(3, dtype=np.float64, in_size=2)
    w = np.random.rand(4, 3)
    assert gradient_check(lambda x: F.sum(layer(x) * w), np.random.rand(4, 2))


def test_a_different_input_width_the_second_time_is_a_clear_error():
    layer = L.Linear(4)
    layer(np.ones((2, 3), dtype=np.float32))
    with pytest.raises(
        ValueError, match=r"Linear: input of shape \(2, 5\).* made for 3"
    ):
        layer(np.ones((2, 5), dtype=np.float32))


def test_layer_keeps_only_weak_references_to_its_inputs_and_outputs():
    layer = L.Linear(2, in_size=2)
    x = Variable(np.ones((1, 2), dtype=np.float32))
    y = layer(x)
    assert layer.inputs[0]() is x and layer.outputs[0]() is y
    del x, y
    assert layer.inputs[0]() is None and layer.outputs[0]() is None


def test_forward_of_the_base_class_is_abstract():
    with pytest.raises(NotImplementedError):
        L.Layer()(np.ones(1))


def test_nobias_must_be_a_bool_so_the_books_first_signature_is_caught():
    with pytest.raises(TypeError, match=r"nobias must be True or False, not 10"):
        L.Linear(1, 10)


@pytest.mark.parametrize("x", [np.zeros(3, np.float32), [[1.0, 2.0]]])
def test_linear_wants_a_2d_batch(x):
    with pytest.raises(ValueError, match=r"expected a batch of shape \(N, in_size\)"):
        L.Linear(2)(x)

"""A student's likely mistakes get an error that names the DeZero call, the value
that was wrong and what would be accepted (issue 15), from the step that brings
the API in."""

import numpy as np
import pytest

import dezero.functions as F
import dezero.layers as L
from dezero import Variable, optimizers


def test_complex_data_is_refused():
    # The derivatives DeZero knows are for real numbers; a complex gradient would
    # come out silently wrong.
    with pytest.raises(TypeError, match="complex128 is not supported.*real"):
        Variable(np.array([1 + 2j]))


def test_backward_of_an_empty_variable_says_so():
    with pytest.raises(ValueError, match=r"backward: this Variable holds no data"):
        Variable(None).backward()


@pytest.mark.parametrize("left", [True, False])
def test_an_operand_without_data_is_named(left):
    x, empty = Variable(np.array(2.0)), Variable(None)
    side = "first" if left else "second"
    with pytest.raises(TypeError, match=f"add: the {side} operand holds no data"):
        (empty + x) if left else (x + empty)
    with pytest.raises(TypeError, match="mul: the second operand holds no data"):
        x * None


def test_shapes_that_do_not_broadcast_name_the_operation_and_the_shapes():
    a, b = Variable(np.ones((2, 3))), Variable(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"add: operands of shapes \(2, 3\)"):
        a + b
    c = Variable(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"mul: operands of shapes \(2, 3\)"):
        a * c


def test_sub_and_div_name_themselves_when_shapes_do_not_fit():
    a, b = Variable(np.ones((2, 3))), Variable(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"sub: operands of shapes \(2, 3\)"):
        a - b
    with pytest.raises(ValueError, match=r"div: operands of shapes \(2, 3\)"):
        a / b


def test_a_variable_exponent_is_refused_clearly():
    x = Variable(np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="pow: the exponent must be a constant"):
        x ** Variable(np.array(2.0))
    assert np.array_equal((x ** np.array(2.0)).data, [1.0, 4.0])  # an ndarray is fine


def test_any_function_names_an_input_without_data():
    with pytest.raises(TypeError, match="Pow: input 0 holds no data"):
        Variable(None) ** 2


@pytest.mark.parametrize("shape", [(-2, 3), (-1, -1), (3.0, 2)])
def test_reshape_refuses_sizes_numpy_would_guess(shape):
    # NumPy reads reshape(-2, 3) as (-1, 3); a student who typed -2 meant something
    # else, so DeZero says what sizes are allowed.
    x = Variable(np.arange(6.0).reshape(2, 3))
    with pytest.raises(ValueError, match=r"reshape: got shape .*int >= 0, or -1 once"):
        x.reshape(*shape)
    assert x.reshape(-1, 3).shape == (2, 3)  # one -1 is still inferred


def test_sum_names_an_axis_of_the_wrong_type():
    x = Variable(np.ones((2, 3)))
    with pytest.raises(TypeError, match=r"sum: axis must be None, an int or a tuple"):
        F.sum(x, axis=1.5)
    with pytest.raises(TypeError, match=r"sum: axis must be .* different ints"):
        x.sum(axis=(0, 0))
    with pytest.raises(ValueError, match=r"sum: axis 5 is out of range .*\(2, 3\)"):
        F.sum(x, axis=5)


def test_mean_squared_error_of_two_scalars_is_their_squared_difference():
    # PyTorch's mse_loss returns (a - b) ** 2 for 0-d inputs; so does DeZero now
    # (it used to crash on len() of a 0-d array).
    a, b = Variable(np.array(1.0)), Variable(np.array(3.0))
    loss = F.mean_squared_error(a, b)
    assert loss.data == 4.0
    loss.backward()
    assert a.grad.data == -4.0 and b.grad.data == 4.0  # 2 (a - b), -2 (a - b)


def test_linear_names_a_bias_that_does_not_fit():
    x, W = np.ones((2, 3)), np.ones((3, 4))
    with pytest.raises(
        ValueError, match=r"linear: b of shape \(5,\) .*expected b.* \(4,\)"
    ):
        F.linear(x, W, np.ones(5))
    assert F.linear(x, W, np.ones(4)).shape == (2, 4)


@pytest.mark.parametrize(
    "args, kwargs, error, words",
    [
        ((-1,), {}, ValueError, "out_size must be a positive int, got -1"),
        ((2.5,), {}, TypeError, "out_size must be a positive int, got 2.5"),
        ((3,), {"in_size": 0}, ValueError, "in_size must be a positive int, got 0"),
        ((True,), {}, TypeError, "out_size must be a positive int, got True"),
    ],
)
def test_linear_refuses_sizes_before_making_weights(args, kwargs, error, words):
    with pytest.raises(error, match=f"Linear: {words}"):
        L.Linear(*args, **kwargs)


@pytest.mark.parametrize(
    "constant", [0.5, np.float64(0.5), np.array(0.5), np.float16(0.5), 2, np.int64(2)]
)
def test_a_constant_keeps_a_float32_variable_float32(constant):
    # PyTorch's rule: a number, a NumPy scalar or a 0-d array never widens a float
    # tensor. NumPy 2 alone would make float32 * np.float64(0.5) a float64.
    x = Variable(np.array([1.0, 2.0], dtype=np.float32))
    for y in (x * constant, constant * x, x + constant, x - constant, constant / x):
        assert y.dtype == np.float32
    assert np.array_equal((x * constant).data, x.data * np.float32(constant))


def test_constants_still_promote_where_numpy_and_pytorch_agree():
    ints = Variable(np.array([1, 2]))
    assert (ints * 0.5).dtype == np.float64  # an int array times a float
    assert (ints + 1).dtype == ints.dtype
    x32 = Variable(np.ones(2, dtype=np.float32))
    assert (x32 + np.ones(2)).dtype == np.float64  # a float64 array (not 0-d) wins


def test_a_weight_not_created_yet_is_named_as_an_input_without_data():
    # A lazy Linear makes W at its first call; using W before that is a common slip.
    layer = L.Linear(3)
    with pytest.raises(TypeError, match="MatMul: input 1 holds no data"):
        F.matmul(np.ones((2, 4)), layer.W)


@pytest.mark.parametrize("sizes", [(), 10])
def test_mlp_wants_a_tuple_of_layer_sizes(sizes):
    from dezero.models import MLP

    with pytest.raises(ValueError, match="MLP: fc_output_sizes must be a tuple"):
        MLP(sizes)


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: optimizers.SGD(lr=float("nan")), "SGD: lr must be a positive number"),
        (lambda: optimizers.SGD(lr=float("inf")), "SGD: lr must be a positive number"),
        (
            lambda: optimizers.MomentumSGD(momentum=-0.5),
            r"momentum must be in \[0, 1\)",
        ),
        (lambda: optimizers.AdaDelta(rho=1.5), r"AdaDelta: rho must be in \[0, 1\)"),
        (lambda: optimizers.Adam(beta1=1.5), r"Adam: beta1 must be in \[0, 1\)"),
        (lambda: optimizers.Adam(beta1=1.0), r"Adam: beta1 must be in \[0, 1\)"),
        (lambda: optimizers.Adam(beta2=-0.1), r"Adam: beta2 must be in \[0, 1\)"),
        (
            lambda: optimizers.WeightDecay(-0.1),
            "WeightDecay: rate must be a number >= 0",
        ),
        (lambda: optimizers.ClipGrad(-1.0), "ClipGrad: max_norm must be a positive"),
    ],
)
def test_impossible_hyperparameters_are_refused(make, words):
    with pytest.raises(ValueError, match=words):
        make()


def test_the_defaults_and_the_edges_that_make_sense_are_accepted():
    optimizers.MomentumSGD(momentum=0.0)
    optimizers.Adam(beta1=0.0, beta2=0.0)
    optimizers.WeightDecay(0.0)


def test_an_integer_parameter_gets_a_clear_error_from_update():
    layer = L.Linear(2, in_size=2)
    layer.W.data = np.array([[1, 2], [3, 4]])  # ints: no fractional step possible
    layer.W.grad = Variable(np.ones((2, 2)))
    optimizer = optimizers.SGD().setup(layer)
    with pytest.raises(TypeError, match=r"SGD.update: .* holds int\d+ data.*floating"):
        optimizer.update()


@pytest.mark.parametrize("index, words", [(5, "index 5 does not fit"), (1.5, "1.5")])
def test_get_item_names_the_index_and_the_shape(index, words):
    x = Variable(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(IndexError, match=rf"get_item: (index )?{words}.*shape \(3,\)"):
        x[index]


@pytest.mark.parametrize("axis", [5, -3, 1.5])
def test_softmax_names_an_axis_that_does_not_fit(axis):
    x = Variable(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"softmax: axis .* expected an int from -2"):
        F.softmax(x, axis=axis)
    assert np.allclose(F.softmax(x, axis=-1).data, 1 / 3)


def test_embed_id_refuses_sizes_below_one():
    with pytest.raises(ValueError, match="EmbedID: in_size must be a positive int"):
        L.EmbedID(0, 3)

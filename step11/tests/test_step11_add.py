"""Step 11: a Function takes a list of inputs and returns a list of outputs."""

import numpy as np

import demo
from dezero import Add, Square, Variable


def test_add_returns_a_list_of_one_variable():
    x0, x1 = Variable(np.array(2)), Variable(np.array(3))
    f = Add()
    ys = f([x0, x1])
    assert isinstance(ys, list) and len(ys) == 1
    assert ys[0].data == 5
    assert ys[0].creator is f
    assert f.inputs == [x0, x1] and f.outputs == ys


def test_forward_receives_a_list_and_returns_a_tuple():
    assert Add().forward([np.array(1.0), np.array(2.0)]) == (np.array(3.0),)
    assert Square().forward([np.array(3.0)]) == (np.array(9.0),)


def test_add_is_elementwise():
    ys = Add()([Variable(np.array([1.0, 2.0])), Variable(np.array([10.0, 20.0]))])
    np.testing.assert_array_equal(ys[0].data, [11.0, 22.0])


def test_demo(capsys):
    y = demo.main()
    assert y.data == 5
    assert capsys.readouterr().out.strip() == "5"

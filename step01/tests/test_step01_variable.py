"""Step 01: a Variable holds exactly the array it was given."""

import numpy as np

import demo
from dezero import Variable


def test_data_is_the_same_object():
    a = np.array(1.0)
    x = Variable(a)
    assert x.data is a


def test_data_can_be_replaced():
    x = Variable(np.array(1.0))
    b = np.array(2.0)
    x.data = b
    assert x.data is b
    assert x.data == 2.0


def test_arrays_of_any_rank():
    for shape in [(), (3,), (2, 3), (2, 3, 4)]:
        a = np.zeros(shape)
        assert Variable(a).data.shape == shape


def test_demo_prints_the_book_values(capsys):
    x, ranks = demo.main()
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["1.0", "2.0"]
    assert x.data == 2.0
    assert ranks == [0, 1, 2]

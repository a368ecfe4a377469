"""Step 01 behaviour, kept: a Variable holds exactly the array it was given."""

import numpy as np

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

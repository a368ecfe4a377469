"""Step 16's limitation: a Function and its outputs reference each other (a cycle)."""

import gc
import weakref

import numpy as np

from dezero import Variable, square


def test_dropped_graph_survives_until_the_cycle_collector_runs():
    gc.disable()
    try:
        x = Variable(np.array(2.0))
        y = square(square(x))
        func = weakref.ref(y.creator)
        del y
        assert func() is not None  # kept alive by the Function <-> output cycle
        gc.collect()
        assert func() is None
    finally:
        gc.enable()

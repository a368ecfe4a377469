"""Step 17: weak references from functions to outputs; graphs are freed at once."""

import gc
import tracemalloc
import weakref

import numpy as np

from dezero.core import Variable, square


def test_outputs_are_weak_references():
    x = Variable(np.array(2.0))
    y = square(x)
    (ref,) = y.creator.outputs
    assert isinstance(ref, weakref.ref) and ref() is y


def test_dropped_graph_is_freed_without_the_cycle_collector():
    gc.disable()
    try:
        x = Variable(np.array(2.0))
        y = square(square(x))
        func = weakref.ref(y.creator)
        del y
        assert func() is None
    finally:
        gc.enable()


def test_memory_stays_flat_when_a_large_graph_is_rebuilt():
    gc.disable()
    tracemalloc.start()
    try:
        x = Variable(np.ones(100_000))  # 800 KB per array
        y = square(square(square(x)))
        y.backward()
        first, _ = tracemalloc.get_traced_memory()
        for _ in range(20):
            y = square(square(square(x)))
            y.backward()
            x.cleargrad()
        last, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        gc.enable()
    # With strong references every dropped graph (several MB) would stay alive.
    assert last - first < 200_000

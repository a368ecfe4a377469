"""The GPU switch: NumPy on the CPU, CuPy (the same API) on an NVIDIA GPU.

Every function asks get_array_module(x) for `xp`, the module that owns its
input's array, and computes with xp.exp, xp.zeros ..., so one code path serves
both. Without CuPy, xp is always NumPy and the GPU entry points say so.
"""

import numpy as np

from dezero.core import Variable

gpu_enable = True
try:
    import cupy as cp

    cupy = cp
except ImportError:
    gpu_enable = False
    cupy = None

NO_CUPY = (
    "CuPy is not available, so nothing can move to the GPU. It needs an NVIDIA GPU "
    "with CUDA; install the build for your CUDA version, e.g. pip install "
    "cupy-cuda12x (see https://docs.cupy.dev/en/stable/install.html)."
)


def get_array_module(x):
    """numpy or cupy, whichever holds x (a Variable or an array); numpy without CuPy."""
    if isinstance(x, Variable):
        x = x.data
    if not gpu_enable:
        return np
    xp = cp.get_array_module(x)
    return xp


def as_numpy(x):
    """x as a NumPy array (copied from the GPU if it lives there)."""
    if isinstance(x, Variable):
        x = x.data
    if np.isscalar(x):
        return np.array(x)
    elif isinstance(x, np.ndarray):
        return x
    return cp.asnumpy(x)


def as_cupy(x):
    """x as a CuPy array on the GPU; a RuntimeError when CuPy is missing."""
    if isinstance(x, Variable):
        x = x.data
    if not gpu_enable:
        raise RuntimeError(NO_CUPY)
    return cp.asarray(x)

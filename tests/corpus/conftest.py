"""The shared corpus runs against one snapshot, chosen by DEZERO_STEP_DIR.

tests/test_corpus.py starts one pytest process per (corpus module, step); without
DEZERO_STEP_DIR (a plain `pytest tests`) the corpus modules are not collected.
"""

import importlib
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import settings

# Same examples on every run and machine, nothing written to .hypothesis/.
settings.register_profile("corpus", deadline=None, derandomize=True, database=None)
settings.load_profile("corpus")

STEP_DIR = os.environ.get("DEZERO_STEP_DIR")
collect_ignore_glob = [] if STEP_DIR else ["test_*.py"]

if STEP_DIR:
    sys.path.insert(0, STEP_DIR)
    sys.path.insert(1, str(Path(__file__).resolve().parents[2] / "shared"))


def values(grad):
    """A gradient as an ndarray: gradients are Variables from step 32 on."""
    return np.asarray(grad.data if hasattr(grad, "creator") else grad)


class Names(SimpleNamespace):
    """A snapshot's names; its repr stays short in a failing test's report."""

    def __repr__(self):
        return f"<dezero names from {STEP_DIR}>"


@pytest.fixture(scope="session")
def dz():
    """The snapshot's names, wherever the step keeps them, plus `values`."""
    importlib.import_module("dezero")  # from step 23 on this installs the operators
    for name in ("dezero.core", "dezero.core_simple", "dezero"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return Names(**vars(module), values=values)
    raise RuntimeError(f"no dezero under {STEP_DIR}")

"""Put this step's directory first on sys.path: `import dezero` finds this snapshot."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def restore_config():
    """Give every test the default Config and put it back afterwards."""
    from dezero import Config

    saved = dict(vars(Config))
    yield
    for name, value in saved.items():
        if not name.startswith("__"):
            setattr(Config, name, value)

"""DeZero: a deep-learning framework built from scratch, one step at a time."""

# step 52: dezero.cuda.gpu_enable, as the book's scripts ask for it.
import dezero.cuda

# step 48: the book calls dezero.datasets.get_spiral after a bare `import dezero`.
import dezero.datasets

# step 38: Variable.reshape and friends call into dezero.functions, so load it.
import dezero.functions

# step 59: the book's listing calls dezero.optimizers.Adam() after `import dezero`.
import dezero.optimizers

# step 49: and dezero.transforms, for Dataset(transform=...).
import dezero.transforms
from dezero.core import (
    Config,
    Function,
    Parameter,
    Variable,
    as_array,
    as_variable,
    no_grad,
    setup_variable,
    test_mode,
    using_config,
)
from dezero.dataloaders import DataLoader, SeqDataLoader
from dezero.models import Model

setup_variable()

# A fact about this snapshot, never a switch: the book's scripts for steps 28 and 29
# read it and then import dezero.core_simple. True while core_simple is the core
# (steps 23-31), False from step 32 on, where core.py is.
is_simple_core = False

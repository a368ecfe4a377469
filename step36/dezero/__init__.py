"""DeZero: a deep-learning framework built from scratch, one step at a time."""

from dezero.core import (
    Config,
    Function,
    Variable,
    as_array,
    as_variable,
    no_grad,
    setup_variable,
    using_config,
)

setup_variable()

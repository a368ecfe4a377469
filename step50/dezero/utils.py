"""Helpers around the core: graph drawing, gradient checks, shape bookkeeping."""

import os
import shutil
import subprocess

import numpy as np

from dezero.core import Variable, as_variable


def _dot_var(v, verbose=False):
    """DOT node of a Variable: its name and, when verbose, its shape and dtype."""
    name = "" if v.name is None else v.name
    if verbose and v.data is not None:
        if v.name is not None:
            name += ": "
        name += f"{v.shape} {v.dtype}"
    return f'{id(v)} [label="{name}", color=orange, style=filled]\n'


def _dot_func(f):
    """DOT node of a Function (a box) with edges from its inputs and to its outputs."""
    name = f.__class__.__name__
    txt = f'{id(f)} [label="{name}", color=lightblue, style=filled, shape=box]\n'
    for x in f.inputs:
        txt += f"{id(x)} -> {id(f)}\n"
    for y in f.outputs:
        txt += f"{id(f)} -> {id(y())}\n"  # y is a weakref
    return txt


def get_dot_graph(output, verbose=True):
    """DOT text of the graph behind output, found by walking back through creators."""
    txt = ""
    funcs = []
    seen_set = set()

    def add_func(f):
        # Unlike backward, any order will do: the drawing does not depend on it.
        if f not in seen_set:
            funcs.append(f)
            seen_set.add(f)

    if output.creator is not None:
        add_func(output.creator)
    txt += _dot_var(output, verbose)

    while funcs:
        func = funcs.pop()
        txt += _dot_func(func)
        for x in func.inputs:
            txt += _dot_var(x, verbose)

            if x.creator is not None:
                add_func(x.creator)

    return "digraph g {\n" + txt + "}\n"


def plot_dot_graph(output, verbose=True, to_file="graph.png"):
    """Write the graph to a .dot file beside to_file, then render to_file with dot.

    The image format follows to_file's extension (png, svg, pdf, ...). Without
    Graphviz the .dot file is still written and a RuntimeError says how to install it.
    """
    dot_graph = get_dot_graph(output, verbose)
    dot_file = os.path.splitext(to_file)[0] + ".dot"
    os.makedirs(os.path.dirname(os.path.abspath(to_file)), exist_ok=True)
    with open(dot_file, "w") as f:
        f.write(dot_graph)

    if shutil.which("dot") is None:
        raise RuntimeError(
            f"Graphviz's `dot` program was not found, so only {dot_file} was "
            "written. Install Graphviz: apt-get install graphviz (Debian/Ubuntu) "
            "or brew install graphviz (macOS)."
        )
    fmt = os.path.splitext(to_file)[1][1:]
    subprocess.run(["dot", dot_file, "-T", fmt, "-o", to_file], check=True)
    return to_file


def numerical_grad(f, x, *args, **kwargs):
    """Central differences of sum(f(x, *args, **kwargs)), one element of x at a time.

    x is an ndarray or a Variable, changed in place and restored; the result has
    the shape of x. Summing the output makes it the gradient that backward computes
    from a seed of ones.
    """
    eps = 1e-4
    x = x.data if isinstance(x, Variable) else x
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        original = x[idx].copy()
        x[idx] = original + eps
        y1 = _sum_of(f(x, *args, **kwargs))
        x[idx] = original - eps
        y2 = _sum_of(f(x, *args, **kwargs))
        x[idx] = original
        grad[idx] = (y1 - y2) / (2 * eps)
    return grad


def _sum_of(y):
    """The sum of an output's values, whether f returned a Variable or an array."""
    y = y.data if isinstance(y, Variable) else y
    return np.sum(y)


def gradient_check(f, x, *args, rtol=1e-4, atol=1e-5, **kwargs):
    """True when backprop's gradient of f at x matches numerical_grad's (in float64).

    On a mismatch it prints both gradients and returns False.
    """
    x = as_variable(x)
    x.data = x.data.astype(np.float64)  # float32 central differences are too coarse

    num_grad = numerical_grad(f, x, *args, **kwargs)
    y = f(x, *args, **kwargs)
    y.backward()
    bp_grad = x.grad.data

    if bp_grad.shape != num_grad.shape:
        raise ValueError(
            f"gradient shape {bp_grad.shape} differs from the input shape "
            f"{num_grad.shape}: a backward must return one gradient per element"
        )
    ok = array_allclose(num_grad, bp_grad, rtol=rtol, atol=atol)
    if not ok:
        print("gradient_check: backprop and numerical gradients differ")
        print(f"  backprop:  {bp_grad.ravel()[:10]} ...")
        print(f"  numerical: {num_grad.ravel()[:10]} ...")
        print(f"  largest difference: {np.max(np.abs(bp_grad - num_grad))}")
    return ok


def array_equal(a, b):
    """np.array_equal for arrays or Variables."""
    a = a.data if isinstance(a, Variable) else a
    b = b.data if isinstance(b, Variable) else b
    return np.array_equal(a, b)


def array_allclose(a, b, rtol=1e-4, atol=1e-5):
    """np.allclose for arrays or Variables, with gradient_check's tolerances."""
    a = a.data if isinstance(a, Variable) else a
    b = b.data if isinstance(b, Variable) else b
    return np.allclose(a, b, rtol=rtol, atol=atol)


def sum_to(x, shape):
    """Sum the ndarray x down to shape: the reverse of broadcasting shape to x.shape.

    Leading axes that broadcasting added are summed away; axes where shape has 1
    are summed with keepdims. (The same idea as Chainer's utils.sum_to.)
    """
    shape = tuple(shape)
    lead = x.ndim - len(shape)
    tail = x.shape[max(lead, 0) :]
    if lead < 0 or any(s not in (1, n) for s, n in zip(shape, tail, strict=True)):
        raise ValueError(
            f"sum_to: shape {shape} does not broadcast to the array's shape "
            f"{x.shape}, so the array cannot be summed down to it"
        )
    lead_axis = tuple(range(lead))
    axis = tuple(i + lead for i, size in enumerate(shape) if size == 1)
    y = x.sum(lead_axis + axis, keepdims=True)
    if lead > 0:
        y = y.squeeze(lead_axis)
    return y


def reshape_sum_backward(gy, x_shape, axis, keepdims):
    """gy of a sum, reshaped so that it broadcasts against the summed input x_shape.

    Without keepdims the summed axes are gone from gy; they come back as size 1.
    """
    ndim = len(x_shape)
    if axis is None:
        axes = None
    elif isinstance(axis, tuple):
        axes = axis
    else:
        axes = (axis,)

    if ndim == 0 or axes is None or keepdims:
        shape = gy.shape  # nothing to restore: gy is a scalar or kept the axes
    else:
        shape = list(gy.shape)
        for a in sorted(a % ndim for a in axes):
            shape.insert(a, 1)
    return gy.reshape(shape)


def logsumexp(x, axis=1):
    """log(sum(exp(x), axis)) with keepdims, shifted by the maximum so exp cannot
    overflow."""
    m = x.max(axis=axis, keepdims=True)
    y = np.exp(x - m)
    s = y.sum(axis=axis, keepdims=True)
    return m + np.log(s)

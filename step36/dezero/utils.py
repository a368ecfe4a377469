"""Helpers around the core: drawing a computational graph with Graphviz."""

import os
import shutil
import subprocess


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

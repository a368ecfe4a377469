"""Step 26: get_dot_graph writes DOT text for any graph; plot_dot_graph renders it."""

import re
import shutil

import numpy as np
import pytest

from dezero import Variable
from dezero.utils import get_dot_graph, plot_dot_graph

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz `dot` is not installed"
)


def parse_dot(text):
    """Return ({node id: attributes}, {(src, dst)}) of the DOT text DeZero writes."""
    assert text.startswith("digraph g {\n") and text.endswith("}\n")
    nodes = dict(re.findall(r"^(\d+) \[(.*)\]$", text, re.M))
    edges = set(re.findall(r"^(\d+) -> (\d+)$", text, re.M))
    return nodes, edges


def test_sum_of_two_variables():
    x0 = Variable(np.array(1.0), name="x0")
    x1 = Variable(np.array(1.0), name="x1")
    y = x0 + x1
    y.name = "y"
    nodes, edges = parse_dot(get_dot_graph(y, verbose=False))
    variables = {n for n, a in nodes.items() if "color=orange" in a}
    functions = {n for n, a in nodes.items() if "shape=box" in a}
    assert variables == {str(id(x0)), str(id(x1)), str(id(y))}
    assert functions == {str(id(y.creator))}
    f = str(id(y.creator))
    assert edges == {(str(id(x0)), f), (str(id(x1)), f), (f, str(id(y)))}
    assert 'label="Add"' in nodes[f] and 'label="x0"' in nodes[str(id(x0))]


def test_edges_point_from_inputs_through_functions_to_outputs():
    x = Variable(np.array(2.0))
    y = (x**2) * 3
    nodes, edges = parse_dot(get_dot_graph(y))
    pow_f, mul_f = y.creator.inputs[0].creator, y.creator
    a = y.creator.inputs[0]
    assert (str(id(x)), str(id(pow_f))) in edges
    assert (str(id(pow_f)), str(id(a))) in edges
    assert (str(id(a)), str(id(mul_f))) in edges
    assert (str(id(mul_f)), str(id(y))) in edges
    assert len([a for a in nodes.values() if "shape=box" in a]) == 2


def test_verbose_labels_show_shape_and_dtype():
    x = Variable(np.ones((2, 3)), name="x")
    text = get_dot_graph(x * 2, verbose=True)
    assert 'label="x: (2, 3) float64"' in text
    assert 'label="(2, 3) float64"' in text  # the unnamed output


def test_a_variable_without_creator_is_a_single_node():
    nodes, edges = parse_dot(get_dot_graph(Variable(np.array(1.0), name="x")))
    assert len(nodes) == 1 and not edges


def test_a_larger_graph_has_every_variable_and_function():
    x = Variable(np.array(1.0))
    y = Variable(np.array(1.0))
    z = (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2) / (y * y + 1)
    nodes, edges = parse_dot(get_dot_graph(z))
    functions, stack, seen = set(), [z.creator], set()
    while stack:
        f = stack.pop()
        if f in seen:
            continue
        seen.add(f)
        functions.add(str(id(f)))
        stack += [v.creator for v in f.inputs if v.creator is not None]
    assert functions == {n for n, a in nodes.items() if "shape=box" in a}
    assert {str(id(x)), str(id(y)), str(id(z))} <= set(nodes)
    assert all(src in nodes and dst in nodes for src, dst in edges)


def test_missing_graphviz_still_writes_the_dot_file(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    x = Variable(np.array(1.0), name="x")
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        plot_dot_graph(x * 2, to_file=str(tmp_path / "g.png"))
    assert (tmp_path / "g.dot").read_text().startswith("digraph g {")


@needs_dot
def test_svg_output_names_the_functions(tmp_path):
    x = Variable(np.array(1.0), name="x")
    out = plot_dot_graph(x * 2 + 1, to_file=str(tmp_path / "g.svg"))
    svg = open(out).read()
    assert "<svg" in svg and ">Mul<" in svg and ">Add<" in svg

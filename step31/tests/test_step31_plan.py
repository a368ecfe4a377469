"""Step 31: the planned backward graph of sin, as DOT text."""

import re

import demo


def test_planned_graph_of_the_sine_backward():
    nodes = dict(re.findall(r"^(\w+) \[(.*)\]$", demo.PLAN, re.M))
    edges = set(re.findall(r"^(\w+) -> (\w+)$", demo.PLAN, re.M))
    functions = {n for n, a in nodes.items() if "shape=box" in a}
    assert functions == {"sin", "cos", "mul"}
    assert set(nodes) - functions == {"x", "y", "gy", "cosx", "gx"}
    # Backward builds gx from gy and cos(x) through functions of x itself.
    assert {("x", "cos"), ("cos", "cosx"), ("gy", "mul"), ("cosx", "mul")} <= edges
    assert ("mul", "gx") in edges and all(a in nodes and b in nodes for a, b in edges)


def test_demo_writes_the_plan(tmp_path):
    dot_file, _ = demo.main(out_dir=str(tmp_path))
    assert open(dot_file).read() == demo.PLAN

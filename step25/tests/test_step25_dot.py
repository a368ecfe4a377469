"""Step 25: the DOT text of a tiny graph, and its rendering by Graphviz."""

import re
import shutil

import pytest

import demo

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz `dot` is not installed"
)


def parse_dot(text):
    """Return ({node id: attribute text}, [(src, dst)]) of a simple DOT digraph."""
    assert text.startswith("digraph g {") and text.rstrip().endswith("}")
    nodes = dict(re.findall(r"^(\d+) \[(.*)\]$", text, re.M))
    edges = re.findall(r"^(\d+) -> (\d+)$", text, re.M)
    return nodes, edges


def test_sample_has_two_variables_one_function_and_two_edges():
    nodes, edges = parse_dot(demo.SAMPLE)
    variables = [n for n, a in nodes.items() if "color=orange" in a]
    functions = [n for n, a in nodes.items() if "shape=box" in a]
    assert sorted(variables) == ["1", "2"] and functions == ["3"]
    assert edges == [("1", "3"), ("3", "2")]  # x -> Exp -> y


def test_demo_writes_the_dot_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    dot_file, image = demo.main(out_dir=str(tmp_path))
    assert image is None
    assert open(dot_file).read() == demo.SAMPLE
    assert "apt-get install graphviz" in capsys.readouterr().out


@needs_dot
@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_rendering(tmp_path, fmt, magic):
    _, image = demo.main(out_dir=str(tmp_path), fmt=fmt)
    with open(image, "rb") as f:
        assert f.read(5).startswith(magic)

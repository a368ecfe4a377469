"""Step 31 demo: the plan for higher-order derivatives, drawn as a graph.

The framework does not change in this step. If backward computed gx = gy * cos(x)
with DeZero functions on Variables instead of with NumPy, running backward would
itself record a graph: x -> Cos -> cos(x), and (gy, cos(x)) -> Mul -> gx. That graph
could then be differentiated again. This script writes the planned graph as DOT text
(output/sin_backward.dot) and renders it when Graphviz is installed.
"""

import argparse
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


# Forward: x -> Sin -> y.  Backward, once written with DeZero functions:
# x -> Cos -> cos(x); gy, cos(x) -> Mul -> gx.
PLAN = """digraph g {
x [label="x", color=orange, style=filled]
y [label="y", color=orange, style=filled]
gy [label="gy", color=orange, style=filled]
cosx [label="cos(x)", color=orange, style=filled]
gx [label="gx", color=orange, style=filled]
sin [label="Sin", color=lightblue, style=filled, shape=box]
cos [label="Cos", color=lightblue, style=filled, shape=box]
mul [label="Mul", color=lightblue, style=filled, shape=box]
x -> sin
sin -> y
x -> cos
cos -> cosx
gy -> mul
cosx -> mul
mul -> gx
}
"""


def main(out_dir=None):
    """Write the planned graph and render it when `dot` is available."""
    out_dir = out_dir or os.path.join(HERE, "output")
    os.makedirs(out_dir, exist_ok=True)
    dot_file = os.path.join(out_dir, "sin_backward.dot")
    with open(dot_file, "w") as f:
        f.write(PLAN)
    print(f"wrote {shown(dot_file)}")
    if shutil.which("dot") is None:
        print("Graphviz is missing: apt-get install graphviz, or brew install graphviz")
        return dot_file, None
    image = os.path.join(out_dir, "sin_backward.png")
    subprocess.run(["dot", dot_file, "-T", "png", "-o", image], check=True)
    print(f"wrote {shown(image)}")
    return dot_file, image


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

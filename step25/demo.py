"""Step 25 demo: describe a graph in the DOT language and render it with Graphviz.

The framework does not change in this step. Graphviz's `dot` program turns a text
file like the one below into an image:

    dot output/sample.dot -T png -o output/sample.png

Install it with `sudo apt-get install graphviz` (Debian/Ubuntu) or `brew install
graphviz` (macOS); `dot -V` prints its version.
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


SAMPLE = """digraph g {
1 [label="x", color=orange, style=filled]
2 [label="y", color=orange, style=filled]
3 [label="Exp", color=lightblue, style=filled, shape=box]
1 -> 3
3 -> 2
}
"""


def render(dot_file, to_file):
    """Run Graphviz on dot_file; the output format follows to_file's extension."""
    fmt = os.path.splitext(to_file)[1][1:]
    subprocess.run(["dot", dot_file, "-T", fmt, "-o", to_file], check=True)


def main(out_dir=None, fmt="png"):
    """Write output/sample.dot and, when Graphviz is installed, output/sample.<fmt>."""
    out_dir = out_dir or os.path.join(HERE, "output")
    os.makedirs(out_dir, exist_ok=True)
    dot_file = os.path.join(out_dir, "sample.dot")
    with open(dot_file, "w") as f:
        f.write(SAMPLE)
    print(f"wrote {shown(dot_file)}")

    if shutil.which("dot") is None:
        print("Graphviz is missing: apt-get install graphviz, or brew install graphviz")
        return dot_file, None
    image = os.path.join(out_dir, f"sample.{fmt}")
    render(dot_file, image)
    print(f"wrote {shown(image)}")
    return dot_file, image


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", default="png", choices=["png", "svg", "pdf"])
    main(fmt=parser.parse_args().format)

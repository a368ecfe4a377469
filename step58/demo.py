"""Step 58 demo: VGG16, a real CNN: its graph, its size, a forward pass.

The book classifies a photo of a zebra with the pretrained weights (a 528 MB
download). Offline, the weights are random, so the "prediction" means nothing:
the demo shows the architecture instead. It draws the model (output/vgg16.png,
needs Graphviz), counts its parameters, preprocesses a striped test image and
runs it through the network: 64 x 64 by default, the real 224 x 224 with --full
(seconds, and about 1.4 GB of memory). `--pretrained` tries the real weights.
"""

import argparse
import os
import time

import numpy as np

import dezero
from dezero.models import VGG16

HERE = os.path.dirname(os.path.abspath(__file__))


def shown(path):
    """path as printed: relative to the current folder if it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def striped_image(size=256):
    """A synthetic black-and-white striped picture, as a Pillow image."""
    from PIL import Image

    x = np.arange(size)
    stripes = ((x[None, :] + x[:, None] // 3) // 12 % 2) * 255
    rgb = np.stack([stripes] * 3, axis=-1).astype(np.uint8)
    return Image.fromarray(rgb)


def main(full=False, pretrained=False, out_dir=None, seed=0):
    """Plot, count, preprocess, forward; returns (model, output, seconds)."""
    np.random.seed(seed)
    out_dir = out_dir or os.path.join(HERE, "output")
    size = 224 if full else 64

    # The graph of a small input: the same layers, a picture that stays readable.
    small = VGG16()
    try:
        to_file = os.path.join(out_dir, "vgg16.png")
        small.plot(np.zeros((1, 3, 32, 32), dtype=np.float32), to_file=to_file)
        print(f"wrote {shown(to_file)}")
    except RuntimeError as e:  # no Graphviz: the .dot file is written anyway
        print(e)

    model = VGG16(pretrained=pretrained)
    x = VGG16.preprocess(striped_image(), size=(size, size))
    x = x[np.newaxis]  # a batch of one: (1, 3, size, size)
    print(f"input {x.shape} {x.dtype}, BGR means subtracted")

    start = time.perf_counter()
    with dezero.test_mode(), dezero.no_grad():  # no dropout, no graph
        y = model(x)
    seconds = time.perf_counter() - start
    n_params = sum(p.size for p in model.params())
    print(f"output {y.shape} {y.dtype} in {seconds:.1f} s")
    print(f"parameters: {n_params:,} (138,357,544 for 224 x 224 inputs)")

    top = np.argsort(y.data[0])[::-1][:3]
    labels = dezero.datasets.ImageNet.labels()
    print("top classes:", ", ".join(f"{labels[i]} ({y.data[0, i]:.2f})" for i in top))
    return model, y, seconds


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="a 224 x 224 input")
    parser.add_argument("--pretrained", action="store_true", help="the real weights")
    args = parser.parse_args()
    main(args.full, args.pretrained)

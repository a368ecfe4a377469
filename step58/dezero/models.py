"""Models: Layers that a program trains as a whole, and ready-made networks."""

import os

import numpy as np

import dezero.functions as F
import dezero.layers as L
from dezero import utils


class Model(L.Layer):
    """A Layer that stands for the whole network; it can draw its graph."""

    def plot(self, *inputs, to_file="model.png"):
        """Run forward on inputs and render the graph, shapes shown, with dot."""
        y = self.forward(*inputs)
        return utils.plot_dot_graph(y, verbose=True, to_file=to_file)


class MLP(Model):
    """Fully connected layers l0, l1, ... of the given output sizes.

    activation (sigmoid by default) runs between layers, not after the last.
    """

    def __init__(self, fc_output_sizes, activation=F.sigmoid):
        super().__init__()
        if not isinstance(fc_output_sizes, (tuple, list)) or not fc_output_sizes:
            raise ValueError(
                "MLP: fc_output_sizes must be a tuple with one output size per layer, "
                f"e.g. (10, 1), not {fc_output_sizes!r}"
            )
        self.activation = activation
        self.layers = []

        for i, out_size in enumerate(fc_output_sizes):
            layer = L.Linear(out_size)
            setattr(self, "l" + str(i), layer)  # registers it as a sub-layer
            self.layers.append(layer)

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = self.activation(layer(x))
        return self.layers[-1](x)


class Sequential(Model):
    """Layers (or plain functions such as F.relu) applied one after another.

    Not in the book; the reference package has it, and so does Grokking's
    framework, whose Sequential holds activation layers. Here an activation is
    just a function in the list.
    """

    def __init__(self, *layers):
        super().__init__()
        self.layers = []
        for i, layer in enumerate(layers):
            if not callable(layer):
                raise TypeError(
                    f"Sequential: item {i} is {type(layer).__name__}, not a Layer "
                    "or a function"
                )
            setattr(self, "l" + str(i), layer)  # a Layer is registered, F.tanh not
            self.layers.append(layer)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class VGG16(Model):
    """VGG16 (Simonyan and Zisserman, 2014): 13 convolutions and 3 fully connected
    layers, 138,357,544 parameters for 224 x 224 images.

    Every convolution is 3 x 3 with pad 1 and a ReLU; 2 x 2 max pooling halves the
    image after each block. pretrained=True downloads the weights converted for
    DeZero (about 528 MB) into the cache; pretrained="file.npz" loads a local
    file. Either is checked like load_weights. Weights are random otherwise.
    """

    WEIGHTS_PATH = (
        "https://github.com/koki0702/dezero-models/releases/download/v0.1/vgg16.npz"
    )

    def __init__(self, pretrained=False):
        super().__init__()
        self.conv1_1 = L.Conv2d(64, kernel_size=3, stride=1, pad=1)
        self.conv1_2 = L.Conv2d(64, kernel_size=3, stride=1, pad=1)
        self.conv2_1 = L.Conv2d(128, kernel_size=3, stride=1, pad=1)
        self.conv2_2 = L.Conv2d(128, kernel_size=3, stride=1, pad=1)
        self.conv3_1 = L.Conv2d(256, kernel_size=3, stride=1, pad=1)
        self.conv3_2 = L.Conv2d(256, kernel_size=3, stride=1, pad=1)
        self.conv3_3 = L.Conv2d(256, kernel_size=3, stride=1, pad=1)
        self.conv4_1 = L.Conv2d(512, kernel_size=3, stride=1, pad=1)
        self.conv4_2 = L.Conv2d(512, kernel_size=3, stride=1, pad=1)
        self.conv4_3 = L.Conv2d(512, kernel_size=3, stride=1, pad=1)
        self.conv5_1 = L.Conv2d(512, kernel_size=3, stride=1, pad=1)
        self.conv5_2 = L.Conv2d(512, kernel_size=3, stride=1, pad=1)
        self.conv5_3 = L.Conv2d(512, kernel_size=3, stride=1, pad=1)
        self.fc6 = L.Linear(4096)
        self.fc7 = L.Linear(4096)
        self.fc8 = L.Linear(1000)

        if pretrained is True:
            weights_path = utils.get_file(VGG16.WEIGHTS_PATH)
            self.load_weights(weights_path)
        elif pretrained:  # a local file
            if not os.path.isfile(pretrained):
                raise FileNotFoundError(f"VGG16: no weights file {pretrained}")
            self.load_weights(pretrained)

    def forward(self, x):
        x = F.relu(self.conv1_1(x))
        x = F.relu(self.conv1_2(x))
        x = F.pooling(x, 2, 2)
        x = F.relu(self.conv2_1(x))
        x = F.relu(self.conv2_2(x))
        x = F.pooling(x, 2, 2)
        x = F.relu(self.conv3_1(x))
        x = F.relu(self.conv3_2(x))
        x = F.relu(self.conv3_3(x))
        x = F.pooling(x, 2, 2)
        x = F.relu(self.conv4_1(x))
        x = F.relu(self.conv4_2(x))
        x = F.relu(self.conv4_3(x))
        x = F.pooling(x, 2, 2)
        x = F.relu(self.conv5_1(x))
        x = F.relu(self.conv5_2(x))
        x = F.relu(self.conv5_3(x))
        x = F.pooling(x, 2, 2)
        x = F.reshape(x, (x.shape[0], -1))
        x = F.dropout(F.relu(self.fc6(x)))
        x = F.dropout(F.relu(self.fc7(x)))
        x = self.fc8(x)
        return x

    @staticmethod
    def preprocess(image, size=(224, 224), dtype=np.float32):
        """A Pillow image as the network's input: resized, BGR, centred, (3, H, W).

        The means are those of the ImageNet training images in B, G, R order, as
        the original (Caffe) weights expect.
        """
        image = image.convert("RGB")
        if size:
            image = image.resize(size)
        image = np.asarray(image, dtype=dtype)
        image = image[:, :, ::-1]  # RGB -> BGR
        image -= np.array([103.939, 116.779, 123.68], dtype=dtype)
        image = image.transpose((2, 0, 1))
        return image

"""Data sets for the demos: generated ones, and image files from disk or the web."""

import ast
import gzip
import hashlib
import os

import numpy as np

from dezero.transforms import Compose, Flatten, Normalize, ToFloat
from dezero.utils import get_file


def get_spiral(train=True):
    """Three interleaved spiral arms of 100 points each, shuffled.

    Returns x (300, 2) float32 and t (300,) integer labels 0-2. The book seeds
    NumPy's global generator (1984 for train, 2020 for test); a RandomState with
    the same seed draws the same numbers without changing anyone else's.
    """
    rng = np.random.RandomState(1984 if train else 2020)
    num_data, num_class, input_dim = 100, 3, 2
    data_size = num_class * num_data
    x = np.zeros((data_size, input_dim), dtype=np.float32)
    t = np.zeros(data_size, dtype=np.int64)

    for j in range(num_class):
        for i in range(num_data):
            rate = i / num_data
            radius = 1.0 * rate
            theta = j * 4.0 + 4.0 * rate + rng.randn() * 0.2
            ix = num_data * j + i
            x[ix] = np.array([radius * np.sin(theta), radius * np.cos(theta)]).flatten()
            t[ix] = j
    # Shuffle, so that consecutive samples are not all of one class.
    indices = rng.permutation(num_data * num_class)
    x = x[indices]
    t = t[indices]
    return x, t


class Dataset:
    """Base class: data and label arrays, handed out one sample at a time.

    Subclasses fill self.data (and self.label, unless there are none) in
    prepare(). transform is applied to each sample, target_transform to each
    label, as they are read; None means leave it as it is.
    """

    def __init__(self, train=True, transform=None, target_transform=None):
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        if self.transform is None:
            self.transform = lambda x: x
        if self.target_transform is None:
            self.target_transform = lambda x: x

        self.data = None
        self.label = None
        self.prepare()

    def __getitem__(self, index):
        # One integer index: a batch is built by the caller (and by DataLoader).
        if not isinstance(index, (int, np.integer)):
            raise TypeError(
                f"{type(self).__name__}[index] takes one integer index, not "
                f"{type(index).__name__}"
            )
        if not -len(self) <= index < len(self):
            raise IndexError(
                f"{type(self).__name__} index {index} is out of range for "
                f"{len(self)} samples"
            )
        if self.label is None:
            return self.transform(self.data[index]), None
        return (
            self.transform(self.data[index]),
            self.target_transform(self.label[index]),
        )

    def __len__(self):
        return len(self.data)

    def prepare(self):
        """Load or make self.data and self.label; every subclass defines its own."""


class Spiral(Dataset):
    """get_spiral as a Dataset: Spiral()[i] is (x (2,) float32, label)."""

    def prepare(self):
        self.data, self.label = get_spiral(self.train)


# MNIST's idx files: a big-endian uint32 header (magic number, then one count per
# dimension) followed by the unsigned bytes. The magic says "ubyte, 3 dims" (images)
# or "ubyte, 1 dim" (labels).
IDX_IMAGES_MAGIC = 2051
IDX_LABELS_MAGIC = 2049


def _idx_dims(raw, file_name, magic, ndim):
    """The dimensions in an idx file's header, after checking magic and length."""
    header_size = 4 * (1 + ndim)
    if len(raw) < header_size:
        raise ValueError(f"{file_name}: {len(raw)} bytes, too short for an idx header")
    found, *dims = np.frombuffer(raw, dtype=">u4", count=1 + ndim).tolist()
    if found != magic:
        raise ValueError(f"{file_name}: magic number {found}, expected {magic}")
    size = header_size + int(np.prod(dims))
    if len(raw) != size:
        raise ValueError(
            f"{file_name}: {len(raw)} bytes, but its header {dims} says {size}"
        )
    return dims


def _idx_images(raw, file_name):
    """The images of an idx3 file's bytes as an (N, 1, 28, 28) uint8 array."""
    n, rows, cols = _idx_dims(raw, file_name, IDX_IMAGES_MAGIC, 3)
    if (rows, cols) != (28, 28):
        raise ValueError(f"{file_name}: images of {rows}x{cols} pixels, expected 28x28")
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, 1, 28, 28)


def _idx_labels(raw, file_name):
    """The labels of an idx1 file's bytes as an (N,) uint8 array of 0-9."""
    _idx_dims(raw, file_name, IDX_LABELS_MAGIC, 1)
    labels = np.frombuffer(raw, dtype=np.uint8, offset=8)
    if labels.size and labels.max() > 9:
        raise ValueError(f"{file_name}: label {labels.max()}, expected 0 to 9")
    return labels


class MNIST(Dataset):
    """Handwritten digits: 60000 train / 10000 test images of 28x28 grey pixels.

    data is (N, 1, 28, 28) uint8 and label (N,) uint8, the files' own dtype (a
    one-hot made with it keeps float32 maths in float32). The files are downloaded
    once into the cache folder (dezero.utils.get_cache_dir()). source is the path
    of the images file read, so a demo can say where its data came from.
    """

    name = "MNIST"
    url = "https://ossci-datasets.s3.amazonaws.com/mnist/"
    files = {  # (images, labels) of each split
        "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
    }
    md5 = {  # of the .gz files, as published with them
        "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
    }
    cache_prefix = ""  # FashionMNIST's files have the same names: it adds a prefix

    def __init__(
        self,
        train=True,
        transform=Compose([Flatten(), ToFloat(), Normalize(0.0, 255.0)]),  # noqa: B008
        target_transform=None,
    ):
        # The book's default transform: each image becomes (784,) float32 in [0, 1].
        super().__init__(train, transform, target_transform)

    def prepare(self):
        image_file, label_file = self.files["train" if self.train else "test"]
        try:
            image_path, image_bytes = self._read(image_file)
            label_path, label_bytes = self._read(label_file)
        except RuntimeError as e:  # say at once which files a hand copy needs
            names = [
                self.cache_prefix + f for pair in self.files.values() for f in pair
            ]
            raise RuntimeError(
                f"{e}\n{self.name} uses four files: {', '.join(names)}."
            ) from e
        self.data = _idx_images(image_bytes, image_path)
        self.label = _idx_labels(label_bytes, label_path)
        if len(self.data) != len(self.label):
            raise ValueError(
                f"{image_path} has {len(self.data)} images but {label_path} has "
                f"{len(self.label)} labels"
            )
        self.source = image_path

    def _read(self, file_name):
        """Path and decompressed bytes of one idx file, downloaded if not cached."""
        path = get_file(
            self.url + file_name, self.cache_prefix + file_name, self.md5[file_name]
        )
        with gzip.open(path) as f:
            return path, f.read()

    def show(self, row=10, col=10, to_file=None):
        """Draw row x col random images in a grid: in a window, or into to_file.

        Returns the grid as a (row * 28, col * 28) uint8 array.
        """
        H, W = 28, 28
        img = np.zeros((H * row, W * col), dtype=np.uint8)
        for r in range(row):
            for c in range(col):
                i = np.random.randint(0, len(self.data))
                img[r * H : (r + 1) * H, c * W : (c + 1) * W] = self.data[i, 0]

        import matplotlib.pyplot as plt  # only show() needs matplotlib

        fig, ax = plt.subplots()
        ax.imshow(img, cmap="gray", interpolation="nearest")
        ax.axis("off")
        if to_file is None:
            plt.show()
        else:
            fig.savefig(to_file)
            plt.close(fig)
        return img

    @staticmethod
    def labels():
        """Class names by label: here the digits themselves, {0: '0', ..., 9: '9'}."""
        return {i: str(i) for i in range(10)}


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: MNIST's format and sizes, ten kinds of clothes.

    Read offline from the Debian package dataset-fashion-mnist when it is
    installed, else downloaded from Zalando's repository into the cache folder.
    """

    name = "Fashion-MNIST"
    url = (
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/"
        "data/fashion/"
    )
    md5 = {
        "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    }
    cache_prefix = "fashion-"
    # `apt-get install dataset-fashion-mnist` puts the same four files here. Debian
    # recompressed them, so their .gz MD5s differ: check the decompressed bytes.
    debian_dir = "/usr/share/datasets/fashion-mnist"
    sha256 = {
        "train-images-idx3-ubyte.gz": (
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"
        ),
        "train-labels-idx1-ubyte.gz": (
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"
        ),
        "t10k-images-idx3-ubyte.gz": (
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"
        ),
        "t10k-labels-idx1-ubyte.gz": (
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"
        ),
    }

    def _read(self, file_name):
        """The Debian package's file when installed (and intact), else MNIST's way."""
        path = os.path.join(self.debian_dir, file_name)
        if not os.path.exists(path):
            try:
                return super()._read(file_name)
            except RuntimeError as e:
                raise RuntimeError(
                    f"{e} Fashion-MNIST can also be read offline from "
                    f"{self.debian_dir}: apt-get install dataset-fashion-mnist."
                ) from e
        try:
            with gzip.open(path) as f:
                raw = f.read()
        except (OSError, EOFError) as e:  # not gzip, or cut short: name the file
            raise RuntimeError(
                f"Refused {path}: it is not a complete gzip file ({e}). Reinstall the "
                "package (apt-get install --reinstall dataset-fashion-mnist), or set "
                "FashionMNIST.debian_dir to another folder."
            ) from e
        digest = hashlib.sha256(raw).hexdigest()
        if digest != self.sha256[file_name]:
            # Never train on something else than Fashion-MNIST without saying so.
            raise RuntimeError(
                f"Refused {path}: the SHA-256 of its decompressed bytes is {digest}, "
                f"expected {self.sha256[file_name]}. Reinstall the package "
                "(apt-get install --reinstall dataset-fashion-mnist), or set "
                "FashionMNIST.debian_dir to another folder."
            )
        return path, raw

    @staticmethod
    def labels():
        """Class names by label, as Zalando publishes them."""
        return {
            0: "T-shirt/top",
            1: "Trouser",
            2: "Pullover",
            3: "Dress",
            4: "Coat",
            5: "Sandal",
            6: "Shirt",
            7: "Sneaker",
            8: "Bag",
            9: "Ankle boot",
        }


class ImageNet:
    """ImageNet's 1000 class names (the images themselves are out of scope)."""

    LABELS_URL = (
        "https://gist.githubusercontent.com/doi-t/8f1cc58cb2fd47c6c1da0ab40c5"
        "f9e23/raw/imagenet1000_clsidx_to_labels.txt"
    )

    @staticmethod
    def labels():
        """{0: 'tench, Tinca tinca', ...}, downloaded once into the cache.

        The file is a Python dict literal; it is read with ast.literal_eval, which
        accepts only literals (the reference calls eval, which would run any code
        in the file). Offline, the names are class_0 ... class_999, and a line says
        so.
        """
        try:
            path = get_file(ImageNet.LABELS_URL, "imagenet1000_clsidx_to_labels.txt")
        except RuntimeError as e:
            print(f"ImageNet.labels: {str(e).splitlines()[0]}; using class_0 ...")
            return {i: f"class_{i}" for i in range(1000)}
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            labels = ast.literal_eval(text)
        except (ValueError, SyntaxError) as e:  # code, or a cut-off download
            raise ValueError(
                f"ImageNet.labels: {path} does not hold a dict literal of labels "
                f"({type(e).__name__}: {e}); nothing in it was run. Delete it and "
                "call again to download it afresh."
            ) from None
        if not isinstance(labels, dict) or len(labels) != 1000:
            raise ValueError(f"{path} does not hold 1000 ImageNet labels")
        return labels


class SinCurve(Dataset):
    """A noisy sine to learn from (train) and a clean cosine to predict (test).

    1000 points over [0, 2 pi]; data[i] is the curve at point i and label[i] at
    point i + 1, so the task is to predict the next value. The training noise is
    uniform in [-0.05, 0.05], drawn from NumPy's global generator (seed it for
    repeatable runs). float32, where the reference uses float64.
    """

    def prepare(self):
        num_data = 1000
        dtype = np.float32
        x = np.linspace(0, 2 * np.pi, num_data)
        noise_range = (-0.05, 0.05)
        noise = np.random.uniform(noise_range[0], noise_range[1], size=x.shape)
        if self.train:
            y = np.sin(x) + noise
        else:
            y = np.cos(x)
        y = y.astype(dtype)
        self.data = y[:-1][:, np.newaxis]
        self.label = y[1:][:, np.newaxis]

"""MNIST and FashionMNIST: reading idx files, checking them, transforms, show().

The tests write tiny idx.gz files themselves, into a cache folder of their own
(DEZERO_CACHE_DIR) or a fake Debian folder; any attempt to use the network fails.
One test reads the real Fashion-MNIST of the Debian package when it is installed.
"""

import gzip
import hashlib
import os
import subprocess
import sys
import urllib.request

import numpy as np
import pytest

import dezero
from dezero.datasets import MNIST, FashionMNIST

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """No network, and a fresh cache folder, for every test."""

    def no_network(*args, **kwargs):
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setenv("DEZERO_CACHE_DIR", str(tmp_path / "cache"))


def idx_raw(magic, array):
    """An idx file's bytes: a big-endian uint32 header, then the unsigned bytes."""
    header = np.array([magic, *array.shape], dtype=">u4").tobytes()
    return header + array.astype(np.uint8).tobytes()


def idx_gz(magic, array):
    return gzip.compress(idx_raw(magic, array))


def tiny_set(n):
    """n images whose pixels encode (image, row, col), and labels n-1 ... 0."""
    i, r, c = np.meshgrid(np.arange(n), np.arange(28), np.arange(28), indexing="ij")
    images = (i * 40 + r + c).astype(np.uint8)
    labels = np.arange(n)[::-1].astype(np.uint8)
    return images, labels


@pytest.fixture
def cached_mnist(tmp_path, monkeypatch):
    """write(replace={}) puts a tiny MNIST (6 train, 4 test) into the cache folder,
    with the files in replace swapped in, trusted by their MD5s; returns the train
    arrays.
    """

    def write(replace=None):
        images, labels = tiny_set(6)
        test_images, test_labels = tiny_set(4)
        files = {
            TRAIN_IMAGES: idx_gz(2051, images),
            TRAIN_LABELS: idx_gz(2049, labels),
            TEST_IMAGES: idx_gz(2051, test_images),
            TEST_LABELS: idx_gz(2049, test_labels),
            **(replace or {}),
        }
        folder = tmp_path / "cache"
        folder.mkdir()
        for name, body in files.items():
            (folder / name).write_bytes(body)
        md5 = {name: hashlib.md5(body).hexdigest() for name, body in files.items()}
        monkeypatch.setattr(MNIST, "md5", md5)
        return images, labels

    return write


def test_shapes_dtypes_values(cached_mnist, tmp_path):
    images, labels = cached_mnist()
    train = MNIST(train=True, transform=None)
    assert train.data.shape == (6, 1, 28, 28) and train.data.dtype == np.uint8
    assert train.label.shape == (6,) and train.label.dtype == np.uint8
    np.testing.assert_array_equal(train.data[:, 0], images)
    np.testing.assert_array_equal(train.label, [5, 4, 3, 2, 1, 0])
    assert train.source == str(tmp_path / "cache" / TRAIN_IMAGES)
    assert len(MNIST(train=False)) == 4


def test_transform_none_gives_raw_images(cached_mnist):
    cached_mnist()
    x, t = MNIST(transform=None)[3]
    assert x.shape == (1, 28, 28) and x.dtype == np.uint8
    assert x[0, 27, 27] == 3 * 40 + 54 and t == 2


def test_default_transform(cached_mnist):
    images, _ = cached_mnist()
    x, t = MNIST()[5]
    assert x.shape == (784,) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    assert x[0] == np.float32(200 / 255) and x[-1] == np.float32(254 / 255)
    np.testing.assert_allclose(x, images[5].ravel() / 255, rtol=1e-6)
    assert t == 0


def test_target_transform(cached_mnist):
    cached_mnist()
    _, t = MNIST(target_transform=lambda t: int(t) * 10)[0]
    assert t == 50


ZEROS = np.zeros((6, 28, 28))


@pytest.mark.parametrize(
    "name, raw, message",
    [
        (TRAIN_IMAGES, idx_raw(2049, ZEROS), "magic number 2049, expected 2051"),
        (TRAIN_LABELS, idx_raw(2051, np.zeros(6)), "magic number 2051, expected 2049"),
        (TRAIN_IMAGES, b"\0\0\x08", "3 bytes, too short for an idx header"),
        (
            TRAIN_IMAGES,
            idx_raw(2051, ZEROS) + b"\0",
            "4721 bytes, but its header [6, 28, 28] says 4720",
        ),
        (
            TRAIN_IMAGES,
            idx_raw(2051, ZEROS)[:-1],
            "4719 bytes, but its header [6, 28, 28] says 4720",
        ),
        (
            TRAIN_IMAGES,
            idx_raw(2051, np.zeros((7, 28, 28)))[:4720],
            "4720 bytes, but its header [7, 28, 28] says 5504",
        ),
        (
            TRAIN_IMAGES,
            idx_raw(2051, np.zeros((6, 32, 32))),
            "images of 32x32 pixels, expected 28x28",
        ),
        (
            TRAIN_LABELS,
            idx_raw(2049, np.zeros(6))[:-1],
            "13 bytes, but its header [6] says 14",
        ),
        (TRAIN_LABELS, idx_raw(2049, np.arange(5, 11)), "label 10, expected 0 to 9"),
    ],
)
def test_bad_files(cached_mnist, tmp_path, name, raw, message):
    cached_mnist({name: gzip.compress(raw)})
    with pytest.raises(ValueError) as e:
        MNIST()
    assert str(e.value) == f"{tmp_path / 'cache' / name}: {message}"


def test_counts_must_match(cached_mnist, tmp_path):
    cached_mnist({TRAIN_LABELS: idx_gz(2049, np.zeros(5))})
    with pytest.raises(ValueError, match="has 6 images but .* has 5 labels") as e:
        MNIST()
    assert str(tmp_path / "cache" / TRAIN_LABELS) in str(e.value)


def test_import_is_light():
    # matplotlib (show) and tqdm (big downloads) load only when used.
    code = (
        "import sys, dezero.datasets\n"
        "print('matplotlib' in sys.modules, 'tqdm' in sys.modules)"
    )
    root = os.path.dirname(os.path.dirname(dezero.__file__))
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["False", "False"]


def test_labels():
    assert MNIST.labels() == {i: str(i) for i in range(10)}
    names = FashionMNIST.labels()
    assert list(names) == list(range(10))
    assert names[0] == "T-shirt/top" and names[9] == "Ankle boot"
    assert list(names.values()) == [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]  # fmt: skip


def test_show_writes_a_grid(cached_mnist, tmp_path):
    pytest.importorskip("matplotlib")
    images, _ = cached_mnist()
    np.random.seed(0)
    to_file = tmp_path / "grid.png"
    grid = MNIST().show(row=2, col=3, to_file=str(to_file))
    assert grid.shape == (56, 84) and grid.dtype == np.uint8
    # Every cell is one of the images, whole, and they are not all the same one.
    shown = set()
    for r in range(2):
        for c in range(3):
            cell = grid[r * 28 : (r + 1) * 28, c * 28 : (c + 1) * 28]
            shown.add(cell[0, 0] // 40)  # the image's index, as tiny_set encodes it
            np.testing.assert_array_equal(cell, images[cell[0, 0] // 40])
    assert len(shown) > 1
    assert to_file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# FashionMNIST from a (fake) Debian folder


@pytest.fixture
def fake_debian(tmp_path, monkeypatch):
    """A Debian-like folder with a tiny Fashion-MNIST, trusted by its SHA-256s."""
    folder = tmp_path / "debian"
    folder.mkdir()
    images, labels = tiny_set(6)
    test_images, test_labels = tiny_set(2)
    raws = {
        TRAIN_IMAGES: idx_raw(2051, images),
        TRAIN_LABELS: idx_raw(2049, labels),
        TEST_IMAGES: idx_raw(2051, test_images),
        TEST_LABELS: idx_raw(2049, test_labels),
    }
    for name, raw in raws.items():
        # Compressed differently from any official file, as Debian's are.
        (folder / name).write_bytes(gzip.compress(raw, compresslevel=1, mtime=0))
    sha256 = {name: hashlib.sha256(raw).hexdigest() for name, raw in raws.items()}
    monkeypatch.setattr(FashionMNIST, "debian_dir", str(folder))
    monkeypatch.setattr(FashionMNIST, "sha256", sha256)
    return folder, images, labels


def test_fashion_mnist_from_debian_folder(fake_debian, tmp_path):
    folder, images, labels = fake_debian
    train = FashionMNIST(transform=None)
    assert train.name == "Fashion-MNIST"
    assert train.source == str(folder / TRAIN_IMAGES)
    np.testing.assert_array_equal(train.data[:, 0], images)
    np.testing.assert_array_equal(train.label, labels)
    assert len(FashionMNIST(train=False)) == 2
    assert not (tmp_path / "cache").exists()  # nothing downloaded, nothing cached


def test_changed_debian_file_is_refused(fake_debian):
    folder, images, _ = fake_debian
    images = images.copy()
    images[0, 0, 0] += 1  # one pixel differs
    raw = idx_raw(2051, images)
    (folder / TRAIN_IMAGES).write_bytes(gzip.compress(raw))
    with pytest.raises(RuntimeError) as e:
        FashionMNIST()
    message = str(e.value)
    assert f"Refused {folder / TRAIN_IMAGES}" in message
    assert hashlib.sha256(raw).hexdigest() in message
    assert FashionMNIST.sha256[TRAIN_IMAGES] in message


@pytest.mark.skipif(
    not os.path.isdir(DEBIAN_DIR),
    reason=f"{DEBIAN_DIR} is absent (apt-get install dataset-fashion-mnist)",
)
def test_real_fashion_mnist_from_the_debian_package(tmp_path):
    train = FashionMNIST(transform=None)
    assert train.source == os.path.join(DEBIAN_DIR, TRAIN_IMAGES)
    assert train.data.shape == (60000, 1, 28, 28) and train.data.dtype == np.uint8
    assert train.label.shape == (60000,) and train.label.dtype == np.uint8
    np.testing.assert_array_equal(np.bincount(train.label), [6000] * 10)
    np.testing.assert_array_equal(train.label[:10], [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
    assert train.data.sum(dtype=np.int64) == 3431114169
    x, t = FashionMNIST()[0]
    assert x.shape == (784,) and x.dtype == np.float32 and t == 9  # an ankle boot
    assert x.sum(dtype=np.float64) * 255 == pytest.approx(76247, rel=1e-6)

    test = FashionMNIST(train=False, transform=None)
    assert test.source == os.path.join(DEBIAN_DIR, TEST_IMAGES)
    assert test.data.shape == (10000, 1, 28, 28) and test.label.shape == (10000,)
    np.testing.assert_array_equal(np.bincount(test.label), [1000] * 10)
    assert test.data.sum(dtype=np.int64) == 573469082
    assert not (tmp_path / "cache").exists()  # read in place, nothing copied


def test_an_offline_error_names_all_four_files(monkeypatch):
    import dezero.datasets

    def offline(*args, **kwargs):
        raise RuntimeError("Could not download it: offline.")

    monkeypatch.setattr(dezero.datasets, "get_file", offline)
    with pytest.raises(
        RuntimeError,
        match=r"(?s)offline\..*MNIST uses four files: "
        r"train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
        r"t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz\.",
    ):
        dezero.datasets.MNIST(train=True)

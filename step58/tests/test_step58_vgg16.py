"""Step 58: VGG16, its preprocessing, pretrained weights offline, ImageNet labels."""

import os

import numpy as np
import pytest

import demo
import dezero
import dezero.functions as F
from dezero.datasets import ImageNet
from dezero.models import VGG16

CONVS = [
    "conv1_1",
    "conv1_2",
    "conv2_1",
    "conv2_2",
    "conv3_1",
    "conv3_2",
    "conv3_3",
    "conv4_1",
    "conv4_2",
    "conv4_3",
    "conv5_1",
    "conv5_2",
    "conv5_3",
]


def small_forward(model, size=32):
    x = np.random.default_rng(58).random((1, 3, size, size)).astype(np.float32)
    with dezero.test_mode(), dezero.no_grad():
        return model(x)


def test_demo_full_size_has_138357544_parameters(tmp_path, capsys):
    model, y, _ = demo.main(full=True, out_dir=str(tmp_path))
    assert y.shape == (1, 1000) and y.dtype == np.float32
    assert sum(p.size for p in model.params()) == 138_357_544
    assert "parameters: 138,357,544" in capsys.readouterr().out
    assert (tmp_path / "vgg16.dot").read_text().count('label="Conv2d"') == 13


def test_layer_names_and_shapes():
    np.random.seed(0)
    model = VGG16()
    small_forward(model)
    flat = {}
    model._flatten_params(flat)
    assert list(flat)[:2] == ["conv1_1/W", "conv1_1/b"]
    assert [k.split("/")[0] for k in flat][::2] == CONVS + ["fc6", "fc7", "fc8"]
    assert model.conv1_1.W.shape == (64, 3, 3, 3)
    assert model.conv5_3.W.shape == (512, 512, 3, 3)
    assert model.fc6.W.shape == (512, 4096)  # (in, out); 25088 in for 224 x 224
    assert model.fc8.W.shape == (4096, 1000)
    assert all(p.dtype == np.float32 for p in model.params())


def test_test_mode_is_deterministic_and_training_is_not():
    np.random.seed(0)
    model = VGG16()
    x = np.random.rand(1, 3, 32, 32).astype(np.float32)
    with dezero.test_mode(), dezero.no_grad():
        a, b = model(x), model(x)
    np.testing.assert_array_equal(a.data, b.data)
    with dezero.no_grad():
        c = model(x)  # training mode: dropout in fc6 and fc7
    assert not np.array_equal(a.data, c.data)


def test_preprocess_resizes_swaps_to_bgr_and_subtracts_the_means():
    Image = pytest.importorskip("PIL.Image", reason="Pillow is not installed")
    rgb = np.zeros((300, 400, 3), dtype=np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 200, 100, 50  # R, G, B
    x = VGG16.preprocess(Image.fromarray(rgb))
    assert x.shape == (3, 224, 224) and x.dtype == np.float32
    np.testing.assert_allclose(
        x[:, 0, 0], [50 - 103.939, 100 - 116.779, 200 - 123.68], rtol=1e-5
    )
    assert VGG16.preprocess(Image.fromarray(rgb), size=None).shape == (3, 300, 400)


def test_pretrained_offline_fails_at_once_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("DEZERO_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(VGG16, "WEIGHTS_PATH", "http://127.0.0.1:9/vgg16.npz")
    with pytest.raises(
        RuntimeError, match=r"Could not download http://127.0.0.1:9/vgg16"
    ):
        VGG16(pretrained=True)
    assert [p.name for p in tmp_path.iterdir()] == []  # nothing half-written


def test_a_local_weights_file_is_checked_and_loaded(tmp_path):
    np.random.seed(0)
    source = VGG16()
    small_forward(source)
    for p in source.params():
        p.data = np.full_like(p.data, 0.01)  # compresses to almost nothing
    path = source.save_weights(tmp_path / "vgg16_small.npz")

    model = VGG16(pretrained=path)
    np.testing.assert_array_equal(small_forward(model).data, small_forward(source).data)

    broken = dict(np.load(path))
    del broken["fc8/b"]
    np.savez(tmp_path / "broken.npz", **broken)
    with pytest.raises(ValueError, match=r"fc8/b is missing from the file"):
        VGG16(pretrained=str(tmp_path / "broken.npz"))
    with pytest.raises(FileNotFoundError, match="no weights file"):
        VGG16(pretrained=str(tmp_path / "none.npz"))


def test_imagenet_labels_offline_and_from_a_cached_file(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DEZERO_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(ImageNet, "LABELS_URL", "http://127.0.0.1:9/labels.txt")
    labels = ImageNet.labels()
    assert len(labels) == 1000 and labels[7] == "class_7"
    assert "using class_0" in capsys.readouterr().out
    names = {i: f"name {i}" for i in range(1000)}
    (tmp_path / "imagenet1000_clsidx_to_labels.txt").write_text(repr(names))
    assert ImageNet.labels()[340] == "name 340"


def test_imagenet_labels_never_run_code_from_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("DEZERO_CACHE_DIR", str(tmp_path))
    (tmp_path / "imagenet1000_clsidx_to_labels.txt").write_text(
        "__import__('os').system('touch SHOULD_NOT_EXIST')"
    )
    monkeypatch.chdir(tmp_path)
    # Refused, and the message names the file to delete.
    where = r"ImageNet.labels: .*imagenet1000_clsidx_to_labels.txt does not hold"
    with pytest.raises(ValueError, match=where):
        ImageNet.labels()
    assert not os.path.exists(tmp_path / "SHOULD_NOT_EXIST")


def test_a_training_step_reaches_the_first_layer():
    np.random.seed(0)
    model = VGG16()
    x = np.random.rand(2, 3, 32, 32).astype(np.float32)
    loss = F.softmax_cross_entropy(model(x), np.array([1, 2]))
    loss.backward()
    assert model.conv1_1.W.grad.shape == (64, 3, 3, 3)
    assert model.conv1_1.W.grad.dtype == np.float32

"""Step 49: Dataset, Spiral and transforms."""

import numpy as np
import pytest

import dezero.functions as F
from dezero import transforms as T
from dezero.datasets import Dataset, Spiral, get_spiral
from dezero.models import MLP


def test_spiral_dataset_is_get_spiral_one_sample_at_a_time():
    ds = Spiral()
    x, t = get_spiral()
    assert len(ds) == 300
    for i in (0, 7, 299, -1):
        np.testing.assert_array_equal(ds[i][0], x[i])
        assert ds[i][1] == t[i]
    np.testing.assert_array_equal(Spiral(train=False)[0][0], get_spiral(False)[0][0])


def test_transforms_run_per_item():
    ds = Spiral(transform=lambda x: x / 2, target_transform=lambda t: t + 10)
    x, t = get_spiral()
    np.testing.assert_allclose(ds[3][0], x[3] / 2)
    assert ds[3][1] == t[3] + 10


def test_dataset_without_labels_returns_none():
    class Unlabelled(Dataset):
        def prepare(self):
            self.data = np.arange(5)

    ds = Unlabelled()
    assert ds[2] == (2, None) and len(ds) == 5


@pytest.mark.parametrize("index", [300, -301])
def test_index_out_of_range(index):
    with pytest.raises(
        IndexError, match=rf"Spiral index {index} is out of range for 300"
    ):
        Spiral()[index]


@pytest.mark.parametrize("index", [slice(0, 2), [0, 1], 1.0])
def test_only_one_integer_index(index):
    with pytest.raises(TypeError, match="takes one integer index"):
        Spiral()[index]


def test_a_class_with_only_getitem_and_len_trains():
    class Tiny:
        def __init__(self):
            self.x, self.t = get_spiral()

        def __getitem__(self, i):
            return self.x[i], self.t[i]

        def __len__(self):
            return 30

    ds = Tiny()
    np.random.seed(0)
    model = MLP((5, 3))
    batch = [ds[i] for i in range(len(ds))]
    x = np.array([b[0] for b in batch])
    t = np.array([b[1] for b in batch])
    loss = F.softmax_cross_entropy(model(x), t)
    loss.backward()
    assert x.shape == (30, 2) and model.l0.W.grad is not None


def test_compose_runs_in_order():
    f = T.Compose([lambda x: x + 1, lambda x: x * 10])
    assert f(np.array(1)) == 20
    assert T.Compose()(np.array(3)) == 3


def test_normalize_arithmetic_and_dtype():
    x = np.array([[1.0, 3.0]], dtype=np.float32)
    y = T.Normalize(mean=1.0, std=2.0)(x)
    np.testing.assert_array_equal(y, [[0.0, 1.0]])
    assert y.dtype == np.float32
    img = np.ones((3, 2, 2), dtype=np.float32)
    y = T.Normalize(mean=[0.0, 1.0, 2.0], std=[1.0, 2.0, 4.0])(img)
    np.testing.assert_allclose(y[:, 0, 0], [1.0, 0.0, -0.25])
    assert T.Normalize(np.float64(0.5))(x).dtype == np.float32


def test_normalize_refuses_integer_arrays():
    with pytest.raises(TypeError, match="Normalize expects a float array, not uint8"):
        T.Normalize(0.0, 255.0)(np.zeros(3, dtype=np.uint8))


def test_flatten_astype_toint():
    x = np.arange(6, dtype=np.uint8).reshape(1, 2, 3)
    y = T.Compose([T.Flatten(), T.ToFloat(), T.Normalize(0.0, 255.0)])(x)
    assert y.shape == (6,) and y.dtype == np.float32
    assert y[-1] == pytest.approx(5 / 255)
    assert T.ToFloat is T.AsType
    assert T.ToInt()(np.array([1.7])).dtype == np.int64
    assert T.AsType(np.float16)(x).dtype == np.float16


@pytest.mark.parametrize(
    "transform", [T.Flatten(), T.ToFloat(), T.Normalize(), T.ToPIL(), T.ToInt()]
)
def test_array_transforms_refuse_other_inputs(transform):
    with pytest.raises(TypeError, match=r"expects an np.ndarray, not list"):
        transform([1, 2, 3])


def test_image_transforms():
    Image = pytest.importorskip("PIL.Image", reason="Pillow is not installed")
    rgb = np.zeros((40, 60, 3), dtype=np.uint8)
    rgb[..., 0] = 200  # red
    img = Image.fromarray(rgb)
    assert T.Resize(20)(img).size == (20, 20)
    assert T.Resize((30, 10))(img).size == (30, 10)
    assert T.CenterCrop(16)(img).size == (16, 16)
    bgr = T.ToArray(np.uint8)(T.Convert("BGR")(img))
    assert bgr.shape == (3, 40, 60) and bgr[2, 0, 0] == 200 and bgr[0, 0, 0] == 0
    grey = T.ToArray()(T.Convert("L")(img))
    assert grey.shape == (1, 40, 60) and grey.dtype == np.float32
    arr = T.ToArray(np.uint8)(img)
    back = T.ToPIL()(arr)
    np.testing.assert_array_equal(np.asarray(back), rgb)
    x = np.ones((2, 2), dtype=np.float32)
    assert T.ToArray()(x) is x  # arrays pass through


def test_image_transforms_refuse_arrays_and_oversized_crops():
    Image = pytest.importorskip("PIL.Image", reason="Pillow is not installed")
    with pytest.raises(TypeError, match="Resize expects a PIL image, not ndarray"):
        T.Resize(4)(np.zeros((4, 4)))
    with pytest.raises(TypeError, match="ToArray expects a PIL image, not list"):
        T.ToArray()([1, 2])
    with pytest.raises(ValueError, match=r"CenterCrop: \(8, 8\) is larger"):
        T.CenterCrop(8)(Image.new("RGB", (4, 4)))
    with pytest.raises(ValueError, match="an int or a pair of ints"):
        T.Resize((1, 2, 3))

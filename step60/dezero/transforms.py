"""Transforms: small callables applied to each sample as a Dataset hands it out.

Array transforms need NumPy only; the image ones (Convert, Resize, CenterCrop,
ToArray, ToPIL) work on Pillow images and import Pillow when first used.
"""

import numpy as np


def _pil_image():
    """The PIL.Image module, or a clear error saying how to install Pillow."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "this transform works on images and needs Pillow: pip install pillow"
        ) from None
    return Image


def _check_array(name, x):
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} expects an np.ndarray, not {type(x).__name__}")


def _check_image(name, img):
    if not isinstance(img, _pil_image().Image):
        raise TypeError(f"{name} expects a PIL image, not {type(img).__name__}")


def _pair(x):
    """An int n becomes (n, n); a pair stays as it is."""
    if isinstance(x, int):
        return (x, x)
    if isinstance(x, tuple) and len(x) == 2:
        return x
    raise ValueError(f"expected an int or a pair of ints, not {x!r}")


class Compose:
    """Apply transforms one after another, first to last."""

    def __init__(self, transforms=[]):  # noqa: B006 (the book's default; never changed)
        self.transforms = list(transforms)

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img


# Transforms on PIL images.


class Convert:
    """Change an image's colour mode: 'RGB', 'L' (grey), or 'BGR' (channels swapped)."""

    def __init__(self, mode="RGB"):
        self.mode = mode

    def __call__(self, img):
        _check_image("Convert", img)
        if self.mode == "BGR":
            img = img.convert("RGB")
            r, g, b = img.split()
            return _pil_image().merge("RGB", (b, g, r))
        return img.convert(self.mode)


class Resize:
    """Resize an image to size (width, height), or (n, n) for an int n.

    mode is a Pillow resampling filter; None means bilinear (the reference's
    default, Image.BILINEAR, which would need Pillow just to define the class).
    """

    def __init__(self, size, mode=None):
        self.size = _pair(size)
        self.mode = mode

    def __call__(self, img):
        _check_image("Resize", img)
        mode = _pil_image().Resampling.BILINEAR if self.mode is None else self.mode
        return img.resize(self.size, mode)


class CenterCrop:
    """Cut the central size (width, height) region out of an image."""

    def __init__(self, size):
        self.size = _pair(size)

    def __call__(self, img):
        _check_image("CenterCrop", img)
        W, H = img.size
        OW, OH = self.size
        if OW > W or OH > H:
            raise ValueError(
                f"CenterCrop: {self.size} is larger than the image {img.size}"
            )
        left = (W - OW) // 2
        up = (H - OH) // 2
        return img.crop((left, up, left + OW, up + OH))


class ToArray:
    """A PIL image (H, W, C) to an array (C, H, W) of dtype; arrays pass through."""

    def __init__(self, dtype=np.float32):
        self.dtype = dtype

    def __call__(self, img):
        if isinstance(img, np.ndarray):
            return img
        _check_image("ToArray", img)
        img = np.asarray(img)
        if img.ndim == 2:  # a grey image has no channel axis
            img = img[:, :, np.newaxis]
        img = img.transpose(2, 0, 1)
        return img.astype(self.dtype)


class ToPIL:
    """An array (C, H, W) back to a PIL image."""

    def __call__(self, array):
        _check_array("ToPIL", array)
        data = array.transpose(1, 2, 0)
        if data.shape[2] == 1:
            data = data[:, :, 0]
        return _pil_image().fromarray(data)


# Transforms on arrays.


class Normalize:
    """(x - mean) / std; mean and std are numbers or one value per channel.

    The result keeps the array's float dtype, so float32 data stay float32.
    """

    def __init__(self, mean=0, std=1):
        self.mean = mean
        self.std = std

    def __call__(self, array):
        _check_array("Normalize", array)
        if array.dtype.kind != "f":
            raise TypeError(
                f"Normalize expects a float array, not {array.dtype}: put "
                "ToFloat() before it"
            )
        mean = self._per_channel(self.mean, array)
        std = self._per_channel(self.std, array)
        return (array - mean) / std

    @staticmethod
    def _per_channel(value, array):
        """A number, or per-channel values shaped to broadcast over (C, H, W)."""
        value = np.asarray(value, dtype=array.dtype)
        if value.ndim == 0:
            return value
        shape = [1] * array.ndim
        shape[0] = len(value)
        return value.reshape(shape)


class Flatten:
    """An array to one dimension."""

    def __call__(self, array):
        _check_array("Flatten", array)
        return array.flatten()


class AsType:
    """An array cast to dtype (float32 by default)."""

    def __init__(self, dtype=np.float32):
        self.dtype = dtype

    def __call__(self, array):
        _check_array(type(self).__name__, array)
        return array.astype(self.dtype)


ToFloat = AsType


class ToInt(AsType):
    """An array cast to an integer dtype (int64 by default)."""

    def __init__(self, dtype=np.int64):
        self.dtype = dtype

"""Helpers around the core: graph drawing, gradient checks, shape bookkeeping,
and downloading files into a cache."""

import hashlib
import http.client
import os
import shutil
import subprocess
import tempfile
import urllib.request

import numpy as np

from dezero import cuda
from dezero.core import Variable, as_variable


def _dot_var(v, verbose=False):
    """DOT node of a Variable: its name and, when verbose, its shape and dtype."""
    name = "" if v.name is None else v.name
    if verbose and v.data is not None:
        if v.name is not None:
            name += ": "
        name += f"{v.shape} {v.dtype}"
    return f'{id(v)} [label="{name}", color=orange, style=filled]\n'


def _dot_func(f):
    """DOT node of a Function (a box) with edges from its inputs and to its outputs."""
    name = f.__class__.__name__
    txt = f'{id(f)} [label="{name}", color=lightblue, style=filled, shape=box]\n'
    for x in f.inputs:
        txt += f"{id(x)} -> {id(f)}\n"
    for y in f.outputs:
        txt += f"{id(f)} -> {id(y())}\n"  # y is a weakref
    return txt


def get_dot_graph(output, verbose=True):
    """DOT text of the graph behind output, found by walking back through creators."""
    txt = ""
    funcs = []
    seen_set = set()

    def add_func(f):
        # Unlike backward, any order will do: the drawing does not depend on it.
        if f not in seen_set:
            funcs.append(f)
            seen_set.add(f)

    if output.creator is not None:
        add_func(output.creator)
    txt += _dot_var(output, verbose)

    while funcs:
        func = funcs.pop()
        txt += _dot_func(func)
        for x in func.inputs:
            txt += _dot_var(x, verbose)

            if x.creator is not None:
                add_func(x.creator)

    return "digraph g {\n" + txt + "}\n"


def plot_dot_graph(output, verbose=True, to_file="graph.png"):
    """Write the graph to a .dot file beside to_file, then render to_file with dot.

    The image format follows to_file's extension (png, svg, pdf, ...). Without
    Graphviz the .dot file is still written and a RuntimeError says how to install it.
    """
    dot_graph = get_dot_graph(output, verbose)
    dot_file = os.path.splitext(to_file)[0] + ".dot"
    os.makedirs(os.path.dirname(os.path.abspath(to_file)), exist_ok=True)
    with open(dot_file, "w") as f:
        f.write(dot_graph)

    if shutil.which("dot") is None:
        raise RuntimeError(
            f"Graphviz's `dot` program was not found, so only {dot_file} was "
            "written. Install Graphviz: apt-get install graphviz (Debian/Ubuntu) "
            "or brew install graphviz (macOS)."
        )
    fmt = os.path.splitext(to_file)[1][1:]
    subprocess.run(["dot", dot_file, "-T", fmt, "-o", to_file], check=True)
    return to_file


def numerical_grad(f, x, *args, **kwargs):
    """Central differences of sum(f(x, *args, **kwargs)), one element of x at a time.

    x is an ndarray or a Variable, changed in place and restored; the result has
    the shape of x. Summing the output makes it the gradient that backward computes
    from a seed of ones.
    """
    eps = 1e-4
    x = x.data if isinstance(x, Variable) else x
    xp = cuda.get_array_module(x)
    grad = xp.zeros_like(x)
    for idx in np.ndindex(x.shape):
        original = x[idx].copy()
        x[idx] = original + eps
        y1 = _sum_of(f(x, *args, **kwargs))
        x[idx] = original - eps
        y2 = _sum_of(f(x, *args, **kwargs))
        x[idx] = original
        grad[idx] = (y1 - y2) / (2 * eps)
    return grad


def _sum_of(y):
    """The sum of an output's values, whether f returned a Variable or an array."""
    y = y.data if isinstance(y, Variable) else y
    return cuda.as_numpy(y).sum()


def gradient_check(f, x, *args, rtol=1e-4, atol=1e-5, **kwargs):
    """True when backprop's gradient of f at x matches numerical_grad's (in float64).

    On a mismatch it prints both gradients and returns False.
    """
    x = as_variable(x)
    x.data = x.data.astype(np.float64)  # float32 central differences are too coarse

    num_grad = numerical_grad(f, x, *args, **kwargs)
    y = f(x, *args, **kwargs)
    y.backward()
    bp_grad = x.grad.data

    if bp_grad.shape != num_grad.shape:
        raise ValueError(
            f"gradient shape {bp_grad.shape} differs from the input shape "
            f"{num_grad.shape}: a backward must return one gradient per element"
        )
    ok = array_allclose(num_grad, bp_grad, rtol=rtol, atol=atol)
    if not ok:
        print("gradient_check: backprop and numerical gradients differ")
        print(f"  backprop:  {bp_grad.ravel()[:10]} ...")
        print(f"  numerical: {num_grad.ravel()[:10]} ...")
        print(f"  largest difference: {np.max(np.abs(bp_grad - num_grad))}")
    return ok


def array_equal(a, b):
    """np.array_equal for arrays or Variables."""
    a = cuda.as_numpy(a)  # step 52: compare on the CPU, from either device
    b = cuda.as_numpy(b)
    return np.array_equal(a, b)


def array_allclose(a, b, rtol=1e-4, atol=1e-5):
    """np.allclose for arrays or Variables, with gradient_check's tolerances."""
    a = cuda.as_numpy(a)
    b = cuda.as_numpy(b)
    return np.allclose(a, b, rtol=rtol, atol=atol)


def sum_to(x, shape):
    """Sum the ndarray x down to shape: the reverse of broadcasting shape to x.shape.

    Leading axes that broadcasting added are summed away; axes where shape has 1
    are summed with keepdims. (The same idea as Chainer's utils.sum_to.)
    """
    shape = tuple(shape)
    lead = x.ndim - len(shape)
    tail = x.shape[max(lead, 0) :]
    if lead < 0 or any(s not in (1, n) for s, n in zip(shape, tail, strict=True)):
        raise ValueError(
            f"sum_to: shape {shape} does not broadcast to the array's shape "
            f"{x.shape}, so the array cannot be summed down to it"
        )
    lead_axis = tuple(range(lead))
    axis = tuple(i + lead for i, size in enumerate(shape) if size == 1)
    y = x.sum(lead_axis + axis, keepdims=True)
    if lead > 0:
        y = y.squeeze(lead_axis)
    return y


def reshape_sum_backward(gy, x_shape, axis, keepdims):
    """gy of a sum, reshaped so that it broadcasts against the summed input x_shape.

    Without keepdims the summed axes are gone from gy; they come back as size 1.
    """
    ndim = len(x_shape)
    if axis is None:
        axes = None
    elif isinstance(axis, tuple):
        axes = axis
    else:
        axes = (axis,)

    if ndim == 0 or axes is None or keepdims:
        shape = gy.shape  # nothing to restore: gy is a scalar or kept the axes
    else:
        shape = list(gy.shape)
        for a in sorted(a % ndim for a in axes):
            shape.insert(a, 1)
    return gy.reshape(shape)


def logsumexp(x, axis=1):
    """log(sum(exp(x), axis)) with keepdims, shifted by the maximum so exp cannot
    overflow."""
    xp = cuda.get_array_module(x)
    m = x.max(axis=axis, keepdims=True)
    y = xp.exp(x - m)
    s = y.sum(axis=axis, keepdims=True)
    return m + xp.log(s)


# Downloads go to the book's folder, so a reader's existing cache works. The
# environment variable DEZERO_CACHE_DIR moves it; get_cache_dir reads it on every
# call, so it can be set after import.
cache_dir = os.path.join(os.path.expanduser("~"), ".dezero")
DOWNLOAD_TIMEOUT = 30  # seconds a connection may stay silent before we give up
PROGRESS_MIN_BYTES = 1 << 20  # show a progress bar for downloads above 1 MiB


def get_cache_dir():
    """The download folder: $DEZERO_CACHE_DIR if set, else cache_dir (~/.dezero)."""
    return os.path.expanduser(os.environ.get("DEZERO_CACHE_DIR") or cache_dir)


def file_md5(path):
    """MD5 of a file's bytes, as 32 hex digits."""
    md5 = hashlib.md5(usedforsecurity=False)  # a checksum, not a security measure
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            md5.update(chunk)
    return md5.hexdigest()


def get_file(url, file_name=None, md5=None):
    """Path of url's file in the cache folder, downloading it first if missing.

    file_name defaults to the last part of the URL. With md5 given, a cached file
    is checked before use and a download is kept only if its MD5 matches. A file
    enters the cache only when complete, so a failed download leaves nothing.
    """
    if file_name is None:
        file_name = url[url.rfind("/") + 1 :]
    folder = get_cache_dir()
    file_path = os.path.join(folder, file_name)

    if os.path.exists(file_path):
        if md5 is not None:
            actual_md5 = file_md5(file_path)
            if actual_md5 != md5:
                raise RuntimeError(
                    f"The cached file {file_path} is corrupt: its MD5 is "
                    f"{actual_md5}, expected {md5}. Delete it and run again to "
                    "download it afresh."
                )
        return file_path

    os.makedirs(folder, exist_ok=True)
    # Write to a temporary name in the same folder, so os.replace below is atomic:
    # an interrupted download never looks like a cached file.
    fd, tmp_path = tempfile.mkstemp(prefix=file_name + ".", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            actual_md5 = _download(url, f, file_name, folder)
        if md5 is not None and actual_md5 != md5:
            raise RuntimeError(
                f"Refused the download of {file_name} from {url}: its MD5 is "
                f"{actual_md5}, expected {md5}. Nothing was saved in {folder}."
            )
        os.replace(tmp_path, file_path)
    finally:
        if os.path.exists(tmp_path):
            os.remove(tmp_path)
    return file_path


def _download(url, f, file_name, folder):
    """Copy url's bytes into the open file f and return their MD5."""
    print(f"Downloading {url} to {folder}")
    md5 = hashlib.md5(usedforsecurity=False)
    size = 0
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response:
            length = response.headers.get("Content-Length")
            expected = int(length) if length is not None else None
            with _progress_bar(expected, file_name) as bar:
                for chunk in iter(lambda: response.read(1 << 16), b""):
                    f.write(chunk)
                    md5.update(chunk)
                    size += len(chunk)
                    bar.update(len(chunk))
    except (OSError, http.client.HTTPException) as e:
        # URLError (no route, refused, HTTP 404), timeouts and broken connections.
        raise RuntimeError(
            f"Could not download {url}: {e}. Without internet access, "
            f"copy {file_name} into the cache folder {folder} yourself, or set "
            "DEZERO_CACHE_DIR to a folder that has it, and run again."
        ) from e
    # http.client returns a short body without complaint when the server closes
    # the connection early, so compare with the announced length ourselves.
    if expected is not None and size != expected:
        raise RuntimeError(
            f"The download of {url} was cut short: got {size} of {expected} bytes. "
            f"Nothing was saved in {folder}; run again to retry."
        )
    return md5.hexdigest()


class _NoBar:
    """Stands in for a tqdm bar when none is wanted (small or unknown size)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass


def _progress_bar(total, file_name):
    """A tqdm progress bar for big downloads; tqdm is imported only then."""
    if total is None or total < PROGRESS_MIN_BYTES:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, desc=file_name)


def get_conv_outsize(input_size, kernel_size, stride, pad):
    """Output length of a convolution along one axis: (H + 2P - K) // S + 1."""
    return (input_size + pad * 2 - kernel_size) // stride + 1


def get_deconv_outsize(size, k, s, p):
    """Output length of a transposed convolution: S (H - 1) + K - 2P."""
    return s * (size - 1) + k - 2 * p


def pair(x):
    """An int n as (n, n); a pair of ints unchanged; anything else is an error."""
    if isinstance(x, int):
        return (x, x)
    elif isinstance(x, tuple) and len(x) == 2:
        return x
    else:
        raise ValueError(f"expected an int or a pair of ints, not {x!r}")


def max_backward_shape(x, axis):
    """x's shape with the axes a max reduced set to 1 (so gy broadcasts back)."""
    if axis is None:
        axis = range(x.ndim)
    elif isinstance(axis, int):
        axis = (axis,)
    axis = [a % x.ndim for a in axis]
    shape = [s if ax not in axis else 1 for ax, s in enumerate(x.shape)]
    return shape

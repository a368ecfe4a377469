"""get_file and MNIST's download path, against a real HTTP server on 127.0.0.1.

Each test starts its own server (http.server in a thread, a free port) and points
the cache at a fresh tmp_path through DEZERO_CACHE_DIR; nothing touches the
internet or ~/.dezero.
"""

import gzip
import hashlib
import http.server
import os
import socket
import threading

import numpy as np
import pytest

import dezero.utils
from dezero.datasets import MNIST, FashionMNIST
from dezero.utils import get_file

PAYLOAD = bytes(range(256)) * 40  # 10240 bytes
PAYLOAD_MD5 = hashlib.md5(PAYLOAD).hexdigest()


class FakeServer:
    """Serves self.files ({"/name": bytes}) and records every requested path.

    mode "truncate" announces the full Content-Length but sends half the body and
    closes; mode "stall" waits (until the test ends) before answering.
    """

    def __init__(self):
        self.files = {}
        self.requests = []
        self.mode = "normal"
        self.release = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                if server.mode == "stall":
                    server.release.wait(10)
                    return
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.mode == "truncate":
                    body = body[: len(body) // 2]
                self.wfile.write(body)

            def log_message(self, *args):
                pass  # keep the test output clean

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        # A short poll interval makes shutdown() quick.
        serve = lambda: self.httpd.serve_forever(poll_interval=0.01)
        threading.Thread(target=serve, daemon=True).start()

    def stop(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    # A proxy from the environment would take the requests away from 127.0.0.1.
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server():
    s = FakeServer()
    yield s
    s.stop()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("DEZERO_CACHE_DIR", str(folder))
    return folder


def cache_files(folder):
    """Everything in the cache folder (temporary files included), sorted."""
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_cache_dir_default_and_env(monkeypatch, tmp_path):
    monkeypatch.delenv("DEZERO_CACHE_DIR", raising=False)
    expected = os.path.join(os.path.expanduser("~"), ".dezero")
    assert dezero.utils.cache_dir == expected
    assert dezero.utils.get_cache_dir() == expected
    monkeypatch.setenv("DEZERO_CACHE_DIR", str(tmp_path))
    assert dezero.utils.get_cache_dir() == str(tmp_path)


def test_download_then_cache(server, cache):
    server.files["/data/a.bin"] = PAYLOAD
    path = get_file(server.url + "data/a.bin", md5=PAYLOAD_MD5)
    assert path == str(cache / "a.bin")  # file_name defaults to the URL's last part
    with open(path, "rb") as f:
        assert f.read() == PAYLOAD
    assert cache_files(cache) == ["a.bin"]
    assert server.requests == ["/data/a.bin"]

    assert get_file(server.url + "data/a.bin", md5=PAYLOAD_MD5) == path
    assert server.requests == ["/data/a.bin"]  # the second call made no request


def test_file_name_and_no_md5(server, cache):
    server.files["/a.bin"] = PAYLOAD
    path = get_file(server.url + "a.bin", "renamed.bin")
    assert path == str(cache / "renamed.bin")
    assert cache_files(cache) == ["renamed.bin"]


def test_wrong_md5_is_refused(server, cache):
    server.files["/a.bin"] = PAYLOAD
    wrong = "0" * 32
    with pytest.raises(RuntimeError) as e:
        get_file(server.url + "a.bin", md5=wrong)
    message = str(e.value)
    assert "a.bin" in message and wrong in message and PAYLOAD_MD5 in message
    assert cache_files(cache) == []  # neither the file nor a temporary one


def test_truncated_download_is_refused(server, cache):
    server.files["/a.bin"] = PAYLOAD
    server.mode = "truncate"
    with pytest.raises(RuntimeError, match="got 5120 of 10240 bytes"):
        get_file(server.url + "a.bin")
    assert cache_files(cache) == []


def test_server_gone(cache):
    with socket.socket() as s:  # a port that nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/a.bin"
    with pytest.raises(RuntimeError) as e:
        get_file(url)
    message = str(e.value)
    assert f"Could not download {url}" in message
    assert str(cache) in message and "DEZERO_CACHE_DIR" in message
    assert cache_files(cache) == []


def test_http_error(server, cache):
    url = server.url + "missing.bin"
    with pytest.raises(RuntimeError, match=f"Could not download {url}: HTTP Error 404"):
        get_file(url)
    assert cache_files(cache) == []


def test_timeout(server, cache, monkeypatch):
    server.mode = "stall"
    monkeypatch.setattr(dezero.utils, "DOWNLOAD_TIMEOUT", 0.3)
    with pytest.raises(RuntimeError, match="Could not download .*timed out"):
        get_file(server.url + "a.bin")
    assert cache_files(cache) == []


def test_corrupt_cached_file(server, cache):
    cache.mkdir()
    (cache / "a.bin").write_bytes(PAYLOAD[:-1])
    with pytest.raises(RuntimeError) as e:
        get_file(server.url + "a.bin", md5=PAYLOAD_MD5)
    message = str(e.value)
    assert str(cache / "a.bin") in message and "Delete it" in message
    assert hashlib.md5(PAYLOAD[:-1]).hexdigest() in message
    assert server.requests == []


def test_copied_file_is_used_offline(cache):
    # What the network error tells a reader to do: copy the file into the cache.
    cache.mkdir()
    (cache / "a.bin").write_bytes(PAYLOAD)
    url = "http://127.0.0.1:9/a.bin"  # never asked: the file is there
    assert get_file(url, md5=PAYLOAD_MD5) == str(cache / "a.bin")


def test_progress_bar_for_big_files(server, cache, monkeypatch, capsys):
    server.files["/big.bin"] = PAYLOAD
    monkeypatch.setattr(dezero.utils, "PROGRESS_MIN_BYTES", 1000)
    get_file(server.url + "big.bin")
    err = capsys.readouterr().err
    assert "big.bin" in err and "10.2k" in err  # tqdm's bar, on stderr


# MNIST through the fake server


def test_published_sources():
    assert MNIST.url == "https://ossci-datasets.s3.amazonaws.com/mnist/"
    assert MNIST.files == {
        "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
    }
    assert FashionMNIST.files == MNIST.files
    assert MNIST.md5 == {
        "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
    }
    assert FashionMNIST.url == (
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/"
        "data/fashion/"
    )
    assert FashionMNIST.md5 == {
        "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    }
    assert FashionMNIST.debian_dir == "/usr/share/datasets/fashion-mnist"
    assert sorted(FashionMNIST.sha256) == sorted(MNIST.md5)


def idx_gz(magic, array):
    """An idx file (big-endian uint32 header, then the bytes), gzipped."""
    header = np.array([magic, *array.shape], dtype=">u4").tobytes()
    return gzip.compress(header + array.astype(np.uint8).tobytes())


def serve_mnist(server, monkeypatch, cls, n_train=5, n_test=3):
    """Put a tiny data set of each split on the server; return {file: array}."""
    rng = np.random.default_rng(0)
    arrays = {}
    md5 = {}
    for split, n in (("train", n_train), ("test", n_test)):
        images, labels = cls.files[split]
        arrays[images] = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        arrays[labels] = rng.integers(0, 10, n, dtype=np.uint8)
        for name, magic in ((images, 2051), (labels, 2049)):
            body = idx_gz(magic, arrays[name])
            server.files["/mnist/" + name] = body
            md5[name] = hashlib.md5(body).hexdigest()
    monkeypatch.setattr(cls, "url", server.url + "mnist/")
    monkeypatch.setattr(cls, "md5", md5)
    return arrays


def test_mnist_downloads_once(server, cache, monkeypatch):
    arrays = serve_mnist(server, monkeypatch, MNIST)
    train = MNIST(train=True, transform=None)
    assert server.requests == [
        "/mnist/train-images-idx3-ubyte.gz",
        "/mnist/train-labels-idx1-ubyte.gz",
    ]
    assert train.data.shape == (5, 1, 28, 28) and train.data.dtype == np.uint8
    assert train.label.shape == (5,) and train.label.dtype == np.uint8
    np.testing.assert_array_equal(
        train.data[:, 0], arrays["train-images-idx3-ubyte.gz"]
    )
    np.testing.assert_array_equal(train.label, arrays["train-labels-idx1-ubyte.gz"])
    assert train.source == str(cache / "train-images-idx3-ubyte.gz")

    test = MNIST(train=False)
    assert len(test) == 3
    x, t = test[2]
    assert x.shape == (784,) and x.dtype == np.float32
    np.testing.assert_array_equal(
        x * 255, arrays["t10k-images-idx3-ubyte.gz"][2].ravel()
    )
    assert t == arrays["t10k-labels-idx1-ubyte.gz"][2]

    MNIST(train=True)
    MNIST(train=False)
    assert len(server.requests) == 4  # both splits now come from the cache
    assert cache_files(cache) == sorted(MNIST.md5)


def test_fashion_mnist_downloads_without_the_debian_package(
    server, cache, monkeypatch, tmp_path
):
    arrays = serve_mnist(server, monkeypatch, FashionMNIST)
    monkeypatch.setattr(FashionMNIST, "debian_dir", str(tmp_path / "no-such-dir"))
    train = FashionMNIST(transform=None)
    np.testing.assert_array_equal(
        train.data[:, 0], arrays["train-images-idx3-ubyte.gz"]
    )
    # Cached under names of its own: MNIST's files of the same names stay apart.
    assert train.source == str(cache / "fashion-train-images-idx3-ubyte.gz")
    assert cache_files(cache) == [
        "fashion-train-images-idx3-ubyte.gz",
        "fashion-train-labels-idx1-ubyte.gz",
    ]


def test_fashion_mnist_offline_error_names_the_package(cache, monkeypatch, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(FashionMNIST, "url", f"http://127.0.0.1:{port}/")
    monkeypatch.setattr(FashionMNIST, "debian_dir", str(tmp_path / "no-such-dir"))
    with pytest.raises(RuntimeError) as e:
        FashionMNIST()
    message = str(e.value)
    assert f"Could not download http://127.0.0.1:{port}/train-images" in message
    assert "apt-get install dataset-fashion-mnist" in message

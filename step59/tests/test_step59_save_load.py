"""Step 53: save_weights and load_weights, which cannot lose or execute anything."""

import os
import pickle

import numpy as np
import pytest

import dezero.layers as L
from dezero import Model
from dezero.models import MLP

X = np.random.default_rng(53).random((2, 4)).astype(np.float32)


def trained_mlp(seed=0):
    np.random.seed(seed)
    model = MLP((3, 2))
    model(X)
    return model


def snapshot(model):
    return {k: p.data.copy() for k, p in flat(model).items()}


def flat(model):
    d = {}
    model._flatten_params(d)
    return d


def test_flatten_params_names_nested_layers():
    class Net(Model):
        def __init__(self):
            super().__init__()
            self.body = MLP((3, 2))
            self.head = L.Linear(1, in_size=2)

    net = Net()
    assert list(flat(net)) == [
        "body/l0/W",
        "body/l0/b",
        "body/l1/W",
        "body/l1/b",
        "head/W",
        "head/b",
    ]


def test_save_perturb_load_restores_every_parameter(tmp_path):
    model = trained_mlp()
    saved = snapshot(model)
    path = model.save_weights(tmp_path / "w.npz")
    for p in model.params():
        p.data += 1.0
    model.load_weights(path)
    for key, value in snapshot(model).items():
        np.testing.assert_array_equal(value, saved[key])
        assert value.dtype == np.float32


def test_a_bare_name_gets_npz_as_numpy_would(tmp_path):
    path = trained_mlp().save_weights(str(tmp_path / "my_mlp"))
    assert path == str(tmp_path / "my_mlp.npz") and os.path.isfile(path)


def test_loading_into_a_fresh_never_run_model(tmp_path):
    model = trained_mlp()
    path = model.save_weights(tmp_path / "w.npz")
    fresh = MLP((3, 2))
    assert fresh.l0.W.data is None
    fresh.load_weights(path)
    np.testing.assert_array_equal(fresh(X).data, model(X).data)


def test_saving_a_never_run_model_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"l0/W, l1/W have no data yet; run the model"):
        MLP((3, 2)).save_weights(tmp_path / "w.npz")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_save_keeps_the_old_file(tmp_path, monkeypatch):
    model = trained_mlp()
    path = model.save_weights(tmp_path / "w.npz")
    before = open(path, "rb").read()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez_compressed", interrupted)
    for p in model.params():
        p.data += 1.0
    with pytest.raises(KeyboardInterrupt):
        model.save_weights(path)
    assert open(path, "rb").read() == before
    assert os.listdir(tmp_path) == ["w.npz"]  # no temporary file left behind


@pytest.mark.parametrize(
    "other, message",
    [
        (lambda: MLP((3, 2, 1)), r"l2/W is missing from the file"),
        (lambda: MLP((3,)), r"l1/W is in the file but not in this model"),
        (lambda: MLP((4, 2)), r"l0/W has shape \(4, 3\), the model \(4, 4\)"),
    ],
)
def test_a_file_for_another_architecture_names_what_differs(tmp_path, other, message):
    path = trained_mlp().save_weights(tmp_path / "w.npz")
    target = other()
    target(X)
    before = snapshot(target)
    with pytest.raises(ValueError, match=message):
        target.load_weights(path)
    for key, value in snapshot(target).items():  # a failed load changed nothing
        np.testing.assert_array_equal(value, before[key])


def test_a_dtype_mismatch_is_refused(tmp_path):
    path = tmp_path / "w.npz"
    model = trained_mlp()
    arrays = {k: v.astype(np.float64) for k, v in snapshot(model).items()}
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=r"has dtype float64, the model float32"):
        model.load_weights(path)


def test_truncated_and_corrupted_files_are_refused(tmp_path):
    model = trained_mlp()
    path = model.save_weights(tmp_path / "w.npz")
    data = open(path, "rb").read()
    before = snapshot(model)
    for name, content in [
        ("short.npz", data[: len(data) // 2]),
        ("noise.npz", bytes(range(256)) * 10),
        ("empty.npz", b""),
    ]:
        bad = tmp_path / name
        bad.write_bytes(content)
        with pytest.raises(ValueError, match=r"cannot read .*truncated, corrupted"):
            model.load_weights(bad)
    for key, value in snapshot(model).items():
        np.testing.assert_array_equal(value, before[key])


class Boom:
    """Unpickling this would run code: it must never happen."""

    def __reduce__(self):
        return (os.system, ("touch SHOULD_NOT_EXIST",))


def test_pickled_objects_are_refused_and_never_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model = trained_mlp()
    arrays = snapshot(model)
    arrays["l0/W"] = np.array([Boom()], dtype=object)
    np.savez(tmp_path / "evil.npz", **arrays)
    with pytest.raises(ValueError, match="holds pickled objects"):
        model.load_weights(tmp_path / "evil.npz")
    (tmp_path / "evil.pkl").write_bytes(pickle.dumps(Boom()))
    with pytest.raises(ValueError, match="cannot read"):
        model.load_weights(tmp_path / "evil.pkl")
    assert not (tmp_path / "SHOULD_NOT_EXIST").exists()


def test_a_single_npy_array_is_not_weights(tmp_path):
    np.save(tmp_path / "one.npy", np.ones(3))
    with pytest.raises(ValueError, match="holds one array, not an .npz archive"):
        trained_mlp().load_weights(tmp_path / "one.npy")


def test_a_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        trained_mlp().load_weights(tmp_path / "nothing.npz")


def test_a_saved_file_gets_the_usual_permissions(tmp_path):
    path = trained_mlp().save_weights(tmp_path / "w.npz")
    mask = os.umask(0)
    os.umask(mask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~mask

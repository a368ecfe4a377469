"""Every public name of the book's DeZero exists in each snapshot, with its signature.

The table is tests/book_api.py. Each step is checked in a process of its own
(every snapshot is a package called `dezero`): this file, run as a script with a
step directory, imports the snapshot, compares each expected name with
inspect.signature and prints the mismatches as JSON. Steps that do not exist yet
are not checked.
"""

import importlib
import inspect
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import book_api
import pytest
from book_api import PROPERTY, Alias, Class, Func, Value

ROOT = Path(__file__).resolve().parent.parent
STEPS = sorted(int(p.name[4:]) for p in ROOT.glob("step[0-9][0-9]") if p.is_dir())


class _Any:
    """An expected default that only has to exist."""

    def __repr__(self):
        return "<any default>"


ANY = _Any()


class one_of:  # lower case: it reads as a function in the table
    """An expected default that may be any of the given values."""

    def __init__(self, *values):
        self.values = values

    def __repr__(self):
        return " | ".join(_show(v) for v in self.values)


def expected_for(step, api=None):
    """{qualified name: entry} in force at step: the latest row at or before it."""
    merged = {}
    for since, rows in sorted((api or book_api.API).items()):
        if since <= step:
            merged.update(rows)
    return merged


def checked_steps():
    """The existing step directories that the table says anything about."""
    return [s for s in STEPS if expected_for(s)]


# --- comparing signatures (plain functions, tested below without a snapshot) ----


def _show(value):
    """A default as the table would write it (np.float32, not <class ...>)."""
    if inspect.isclass(value) or inspect.isfunction(value):
        module = {"numpy": "np.", "builtins": ""}.get(value.__module__)
        return (
            value.__module__ + "." if module is None else module
        ) + value.__qualname__
    return repr(value)


def show_params(params):
    """Parameters as in a def: 'x, *args, rtol=0.0001, **kwargs'."""
    parts, seen_star = [], False
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            parts.append(f"*{p.name}")
            seen_star = True
            continue
        if p.kind is p.KEYWORD_ONLY and not seen_star:
            parts.append("*")
            seen_star = True
        if p.kind is p.VAR_KEYWORD:
            parts.append(f"**{p.name}")
        elif p.default is p.empty:
            parts.append(p.name)
        else:
            parts.append(f"{p.name}={_show(p.default)}")
    return "(" + ", ".join(parts) + ")"


def parse_params(text, namespace):
    """The parameters of `def _(text)`, defaults evaluated in namespace."""
    scope = dict(namespace)
    exec(f"def _expected({text}):\n    pass\n", scope)  # the table is our own code
    return list(inspect.signature(scope["_expected"]).parameters.values())


def same_value(expected, actual):
    """Equal and of the same type (0 is not 0.0), or the very same object."""
    if expected is actual:
        return True
    if isinstance(expected, _Any):
        return actual is not inspect.Parameter.empty
    if isinstance(expected, one_of):
        return any(same_value(v, actual) for v in expected.values)
    try:
        return type(expected) is type(actual) and bool(expected == actual)
    except Exception:  # e.g. comparing arrays
        return False


def compare_params(expected, actual):
    """Why actual parameters do not fit the expected ones ('' when they do).

    The expected parameters must come first, in order, with the same names, kinds
    and defaults. Extra parameters may follow if a call with the expected ones
    still works: each has a default, is keyword-only with a default, or is **kwargs.
    """
    var_kw = inspect.Parameter.VAR_KEYWORD
    e_kw = [p for p in expected if p.kind is var_kw]
    a_kw = [p for p in actual if p.kind is var_kw]
    e_core = [p for p in expected if p.kind is not var_kw]
    a_core = [p for p in actual if p.kind is not var_kw]
    problems = []
    for i, e in enumerate(e_core):
        if i >= len(a_core):
            problems.append(f"{e.name!r} is missing")
            break
        a = a_core[i]
        if a.name != e.name:
            problems.append(f"parameter {i + 1} is {a.name!r}, not {e.name!r}")
            break
        if a.kind is not e.kind:
            problems.append(
                f"{e.name!r} is {a.kind.description}, not {e.kind.description}"
            )
        if not same_value(e.default, a.default):
            want = (
                "no default" if e.default is e.empty else f"default {_show(e.default)}"
            )
            got = "none" if a.default is a.empty else _show(a.default)
            problems.append(f"{e.name!r} should have {want} (has {got})")
    else:
        for a in a_core[len(e_core) :]:
            if a.kind is a.VAR_POSITIONAL or a.default is a.empty:
                problems.append(f"extra parameter {a.name!r} is not optional")
    if e_kw and (not a_kw or a_kw[0].name != e_kw[0].name):
        problems.append(f"'**{e_kw[0].name}' is missing")
    return "; ".join(problems)


def init_params(cls):
    """The parameters of cls.__init__ without self (none for object's __init__)."""
    if cls.__init__ is object.__init__:
        return []
    return list(inspect.signature(cls.__init__).parameters.values())[1:]


# --- the check inside a snapshot's process --------------------------------------


class Missing(Exception):
    """A name that the snapshot does not have."""


def resolve(qualname):
    """The object a dotted name refers to, importing submodules on the way."""
    parts = qualname.split(".")
    obj = importlib.import_module(parts[0])
    for i, part in enumerate(parts[1:], start=1):
        if inspect.ismodule(obj):
            sub = ".".join(parts[: i + 1])
            try:
                obj = importlib.import_module(sub)
                continue
            except ModuleNotFoundError as error:
                if error.name != sub:  # the submodule exists but needs something
                    raise
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise Missing(".".join(parts[:i]) + f" has no {part!r}") from None
    return obj


def check_entry(qualname, entry, namespace):
    """One mismatch text, or '' when qualname fits entry."""
    try:
        obj = resolve(qualname)
        if isinstance(entry, Alias):
            try:
                target = resolve(entry.target)
            except Missing as error:
                return f"should be {entry.target}, which is missing ({error})"
            return "" if obj is target else f"is not {entry.target}"
        if isinstance(entry, Value):
            return (
                ""
                if same_value(entry.value, obj)
                else f"is {obj!r}, not {entry.value!r}"
            )
        if entry == PROPERTY:
            return "" if isinstance(obj, property) else f"is {obj!r}, not a property"
        if isinstance(entry, Class):
            if not inspect.isclass(obj):
                return f"is {obj!r}, not a class"
            if entry.base and not issubclass(obj, resolve(entry.base)):
                return f"does not derive from {entry.base}"
            actual = init_params(obj)
        else:
            if inspect.isclass(obj) or not callable(obj):
                return f"is {obj!r}, not a function"
            actual = list(inspect.signature(obj).parameters.values())
        text = entry.params if isinstance(entry, Class | Func) else entry
        expected = parse_params(text, namespace(text))
    except Missing as error:
        return f"missing ({error})"
    except Exception as error:  # an import that fails, a signature that cannot be read
        first_line = str(error).strip().splitlines()[:1] or [""]
        return f"cannot be checked: {type(error).__name__}: {first_line[0]}"
    why = compare_params(expected, actual)
    return (
        f"expected {show_params(expected)}, got {show_params(actual)}: {why}"
        if why
        else ""
    )


def check_step(step):
    """['name [step N]: mismatch', ...] for the snapshot on sys.path.

    [step N] is the table row in force: the step that added or last changed name.
    """
    import numpy as np

    def namespace(text):
        names = {"np": np, "ANY": ANY, "one_of": one_of}
        if "F." in text:
            names["F"] = importlib.import_module("dezero.functions")
        return names

    try:
        importlib.import_module("dezero")
    except Exception as error:  # one line, not one per name
        return [f"import dezero fails: {type(error).__name__}: {error}"]
    row_step = {}
    for since, rows in sorted(book_api.API.items()):
        for name in rows:
            if since <= step:
                row_step[name] = since
    problems = []
    for name, entry in expected_for(step).items():
        why = check_entry(name, entry, namespace)
        if why:
            problems.append(f"{name} [step {row_step[name]}]: {why}")
    return problems


def run_check(step):
    """Run this file as a script against stepNN in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, __file__, str(ROOT / f"step{step:02d}"), str(step)],
        cwd=ROOT,
        env=dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- the tests --------------------------------------------------------------------


@pytest.fixture(scope="module")
def results():
    """Every step's check, started together over the cores."""
    steps = checked_steps()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(steps, pool.map(run_check, steps), strict=True))


@pytest.mark.parametrize("step", checked_steps())
def test_book_api_on_step(results, step):
    result = results[step]
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    problems = json.loads(result.stdout)
    assert not problems, f"step{step:02d} differs from the book's API:\n  " + (
        "\n  ".join(problems)
    )


class _AnyFunctions:
    """Stands in for dezero.functions when only the table's syntax is checked."""

    def __getattr__(self, name):
        return name


def test_table_is_well_formed():
    names = {"np": __import__("numpy"), "ANY": ANY, "one_of": one_of}
    names["F"] = _AnyFunctions()
    for since, rows in book_api.API.items():
        assert 1 <= since <= 60
        for name, entry in rows.items():
            assert name.startswith("dezero."), name
            assert isinstance(entry, str | Func | Class | Alias | Value), name
            text = entry if isinstance(entry, str) else getattr(entry, "params", None)
            if text is not None and text != PROPERTY:
                parse_params(text, names)  # valid syntax, defaults that evaluate


def test_aliases_and_bases_name_rows_of_the_table():
    for step in range(1, 61):
        rows = expected_for(step)
        for name, entry in rows.items():
            other = getattr(entry, "target", None) or getattr(entry, "base", None)
            assert other is None or other in rows, f"{name} at step {step}: {other}"


def test_later_rows_replace_earlier_ones():
    api = {37: {"dezero.functions.sum": "x"}, 39: {"dezero.functions.sum": "x, axis"}}
    assert expected_for(36, api) == {}
    assert expected_for(38, api) == {"dezero.functions.sum": "x"}
    assert expected_for(60, api) == {"dezero.functions.sum": "x, axis"}


def _params(text):
    return parse_params(text, {"np": __import__("numpy"), "ANY": ANY, "one_of": one_of})


@pytest.mark.parametrize(
    "expected, actual",
    [
        ("x, axis=None, keepdims=False", "x, axis=None, keepdims=False"),
        ("x", "x, axis=None"),  # a trailing default: book calls still work
        ("f, x, *args, rtol=1e-4, **kwargs", "f, x, *args, rtol=1e-4, eps=1, **kwargs"),
        ("url, file_name=None", "url, file_name=None, *, cache_dir=None"),
        ("url", "url, **kwargs"),
        ("size, mode=ANY", "size, mode=2"),
        ("dtype=one_of(np.int_, int)", "dtype=int"),
        ("dtype=np.float32", "dtype=np.float32"),
        ("transforms=[]", "transforms=[]"),
    ],
)
def test_compatible_signatures_pass(expected, actual):
    assert compare_params(_params(expected), _params(actual)) == ""


@pytest.mark.parametrize(
    "expected, actual, why",
    [
        ("x, shape", "x", "'shape' is missing"),
        ("x, W", "x, w", "parameter 2 is 'w', not 'W'"),
        (
            "self, *shape",
            "self, shape",
            "'shape' is positional or keyword, not variadic",
        ),
        ("x, axes=None", "x, axes", "'axes' should have default None (has none)"),
        ("x, axis=1", "x, axis=-1", "'axis' should have default 1 (has -1)"),
        ("mean=0, std=1", "mean=0.0, std=1", "'mean' should have default 0 (has 0.0)"),
        ("dtype=np.float32", "dtype=np.float64", "should have default np.float32"),
        ("x", "x, y", "extra parameter 'y' is not optional"),
        ("x", "x, *rest", "extra parameter 'rest' is not optional"),
        ("x", "x, *, y", "extra parameter 'y' is not optional"),
        ("f, x, *args, **kwargs", "f, x, *args", "'**kwargs' is missing"),
        ("size, mode=ANY", "size, mode", "'mode' should have default <any default>"),
        ("dtype=one_of(np.int_, int)", "dtype=np.int32", "should have default np."),
    ],
)
def test_incompatible_signatures_fail(expected, actual, why):
    assert why in compare_params(_params(expected), _params(actual))


def test_show_params_writes_a_def():
    text = "f, x, *args, rtol=1e-4, dtype=np.float32, **kwargs"
    assert show_params(_params(text)) == (
        "(f, x, *args, rtol=0.0001, dtype=np.float32, **kwargs)"
    )
    assert show_params(_params("x, *, y=1")) == "(x, *, y=1)"


if __name__ == "__main__":
    sys.path.insert(0, sys.argv[1])  # the snapshot first: it is `dezero`
    print(json.dumps(check_step(int(sys.argv[2])), indent=1))

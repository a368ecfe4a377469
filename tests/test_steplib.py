"""tools/steplib.py: step selections and step directories shared by the tools."""

import pytest
from helpers import load_tool

steplib = load_tool("steplib")


@pytest.mark.parametrize(
    "spec, steps",
    [
        ("7", [7]),
        ("07", [7]),
        ("1-3", [1, 2, 3]),
        ("3,5,7", [3, 5, 7]),
        ("1-3,9,2", [1, 2, 3, 9]),
        ("step4-step5", [4, 5]),
    ],
)
def test_parse_steps(spec, steps):
    assert steplib.parse_steps(spec) == steps


@pytest.mark.parametrize("spec", ["x", "3-1", "", "1-"])
def test_parse_steps_rejects_nonsense(spec):
    with pytest.raises(ValueError):
        steplib.parse_steps(spec)


def test_find_steps_maps_numbers_to_two_digit_directories(tmp_path):
    for name in ("step02", "step01", "step3", "step100", "notes"):
        (tmp_path / name).mkdir()
    (tmp_path / "step04").write_text("a file, not a step\n")
    assert steplib.find_steps(tmp_path) == {
        1: tmp_path / "step01",
        2: tmp_path / "step02",
    }


def test_choose_steps_keeps_the_present_ones(tmp_path):
    available = {1: tmp_path / "step01", 2: tmp_path / "step02"}
    assert steplib.choose_steps(available, "2-5", tmp_path) == [2]
    assert steplib.choose_steps(available, "2,9", tmp_path) == [2]
    with pytest.raises(ValueError, match="no step directory .* matches --steps 7"):
        steplib.choose_steps(available, "7", tmp_path)
    with pytest.raises(ValueError, match="no such step directory .*: step09"):
        steplib.choose_steps(available, "2,9", tmp_path, singles_must_exist=True)

"""Step 55: get_conv_outsize."""

import pytest

from dezero.utils import get_conv_outsize


@pytest.mark.parametrize(
    "args, expected",
    [
        ((4, 3, 1, 0), 2),
        ((7, 3, 2, 0), 3),
        ((4, 3, 1, 1), 4),
        ((224, 7, 2, 3), 112),
        ((5, 2, 2, 0), 2),
        ((1, 1, 1, 0), 1),
    ],
)
def test_output_sizes(args, expected):
    assert get_conv_outsize(*args) == expected


def test_matches_the_positions_a_kernel_can_take():
    for h in range(1, 12):
        for k in range(1, 5):
            for s in range(1, 4):
                for p in range(0, 3):
                    if h + 2 * p < k:
                        continue
                    positions = len(range(0, h + 2 * p - k + 1, s))
                    assert get_conv_outsize(h, k, s, p) == positions

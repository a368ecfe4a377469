"""Step 15: the step-14 backward visits functions in the wrong order on a diamond."""

import numpy as np
import pytest

import demo
from dezero import Variable, add, square


def test_documented_wrong_gradient_of_the_step14_loop(capsys):
    y, x, calls = demo.main()
    assert y.data == 32.0
    assert x.grad == 96.0  # the bug the next step fixes; correct is 64.0
    assert calls == [4.0, 2.0, 4.0, 2.0]  # the first square (input 2.0) ran twice
    assert "x.grad = 96.0" in capsys.readouterr().out


@pytest.mark.xfail(strict=True, reason="fixed by step 16's generations")
def test_correct_gradient_of_the_diamond():
    x = Variable(np.array(2.0))
    a = square(x)
    add(square(a), square(a)).backward()
    assert x.grad == 64.0

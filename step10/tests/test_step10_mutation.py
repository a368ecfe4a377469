"""Step 10: the gradient check must catch a wrong backward (a mutation test)."""

import io
import unittest

import demo
from dezero import Square


def run_square_tests():
    loader = unittest.defaultTestLoader
    suite = loader.loadTestsFromName("test_step10_square.SquareTest")
    return unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)


def test_square_tests_pass_on_the_real_backward():
    result = run_square_tests()
    assert result.testsRun == 3 and result.wasSuccessful()


def test_gradient_check_fails_when_backward_is_wrong(monkeypatch):
    # A plausible slip: forgetting the factor 2.
    monkeypatch.setattr(Square, "backward", lambda self, gy: self.input.data * gy)
    result = run_square_tests()
    failed = sorted(test.id().rsplit(".", 1)[1] for test, _ in result.failures)
    assert failed == ["test_backward", "test_gradient_check"]


def test_demo_runs_the_suite(capsys):
    result = demo.main()
    assert result.testsRun == 3 and result.wasSuccessful()
    err = capsys.readouterr().err
    assert "Ran 3 tests" in err and "OK" in err

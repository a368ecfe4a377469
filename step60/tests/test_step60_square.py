"""Step 10 behaviour, kept: unit tests for square in the unittest style of the book.

pytest collects unittest.TestCase classes too, so `python -m pytest` runs these, and
`python demo.py` runs them with unittest alone.
"""

import unittest

import numpy as np

from dezero.core import Variable, numerical_diff, square


class SquareTest(unittest.TestCase):
    def test_forward(self):
        x = Variable(np.array(2.0))
        y = square(x)
        expected = np.array(4.0)
        self.assertEqual(y.data, expected)

    def test_backward(self):
        x = Variable(np.array(3.0))
        y = square(x)
        y.backward()
        expected = np.array(6.0)
        self.assertEqual(x.grad.data, expected)

    def test_gradient_check(self):
        x = Variable(np.random.default_rng(10).random(1))
        y = square(x)
        y.backward()
        num_grad = numerical_diff(square, x)
        flg = np.allclose(x.grad.data, num_grad)
        self.assertTrue(flg, f"backprop {x.grad.data} vs numerical {num_grad}")

"""Step 15 demo: why last-in-first-out backward breaks on a branching graph.

The framework does not change in this step. The graph below branches after `a` and
joins again at the addition:

        x -> square -> a -> square -> b -> add -> y
                          \\-> square -> c -/

Square's backward at `a` should run once, after both branches have sent their
gradients. The step-14 loop pops the most recently added function instead, so it
runs too early, runs twice, and x.grad comes out as 96 instead of 64.
"""

import argparse

import numpy as np

from dezero import Square, Variable, add, square


def main():
    """Run the branching graph at x = 2 and count Square.backward calls."""
    calls = []
    original = Square.backward

    def counting_backward(self, gy):
        calls.append(float(self.inputs[0].data))
        return original(self, gy)

    Square.backward = counting_backward
    try:
        x = Variable(np.array(2.0))
        a = square(x)
        y = add(square(a), square(a))
        y.backward()
    finally:
        Square.backward = original

    print(f"y = {y.data}")
    print(f"x.grad = {x.grad}   (correct: dy/dx = 8 * x ** 3 = 64.0)")
    print(f"Square.backward ran {len(calls)} times, at inputs {calls}")
    return y, x, calls


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    main()

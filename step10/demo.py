"""Step 10 demo: run the step's unit tests (tests/test_step10_square.py) with unittest.

`python -m pytest` runs the same tests together with the rest of the step's suite.
"""

import argparse
import os
import sys
import unittest


def main():
    """Load SquareTest from the tests folder and run it; return the unittest result."""
    tests_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tests")
    sys.path.insert(0, tests_dir)
    suite = unittest.defaultTestLoader.loadTestsFromName(
        "test_step10_square.SquareTest"
    )
    return unittest.TextTestRunner(verbosity=2).run(suite)


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    sys.exit(0 if main().wasSuccessful() else 1)

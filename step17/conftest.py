"""Put this step's directory first on sys.path: `import dezero` finds this snapshot."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

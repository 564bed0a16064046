"""Make `tests.conftest` and this folder's helpers importable as `tests.<folder>.<module>`."""
import sys
from pathlib import Path

REPO = str(Path(__file__).resolve().parents[2])
if REPO not in sys.path:  # so that `from tests.conftest import require` works in any import mode
    sys.path.insert(0, REPO)

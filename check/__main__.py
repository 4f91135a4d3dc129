"""``python -m check``: see :mod:`check.cli` (``python -m derive check`` is an alias)."""
import sys

from common.cli import run

from check.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(run(main))

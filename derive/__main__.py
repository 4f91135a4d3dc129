"""``python -m derive``: see :mod:`derive.cli`."""
import sys

from common.cli import run

from .cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(run(main))

"""What every command of the project shares, and nothing of the homework.

- :mod:`common.cli`: the command-line plumbing (one-line errors and exit status 2, argument
  types, atomic writes, writable folders, progress bars).

It imports nothing from ``derive``, ``numeric`` or ``report``; they all import it.
"""
__all__ = ["cli"]

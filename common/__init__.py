"""What every command of the project shares, and nothing of the homework.

- :mod:`common.cli`: the command-line plumbing (one-line errors and exit status 2, argument
  types, atomic writes, writable folders, progress bars);
- :mod:`common.latexbuild` (latexmk) and :mod:`common.texescape` (text into LaTeX): the LaTeX
  build that the writeup (``report``) and the checker's PDF (``check``) share.

It imports nothing from ``derive``, ``numeric``, ``check`` or ``report``; they all import it.
"""
__all__ = ["cli"]

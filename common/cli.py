"""Command-line plumbing shared by ``derive``, ``numeric``, ``report`` and ``bench``.

- :class:`Parser`: argparse whose errors are one line, ``error: ...``, exit status 2.
- :class:`UserError`: raise it for bad input; :func:`run` turns it into that one line.
- :func:`atomic_write`: write a temporary file in the same folder, then rename it into
  place, so an interrupted run never leaves a half-written file that a later run trusts.
- :func:`progress`: a tqdm bar on a terminal, silent with ``--quiet`` or when piped.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Sequence

__all__ = ["UserError", "Parser", "run", "atomic_write", "progress", "positive_int", "nonneg_int",
           "positive_float", "writable_dir"]

EXIT_USAGE = 2


class UserError(Exception):
    """Bad input from the user: printed as one line ``error: ...``, exit status 2."""


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):  # noqa: D401 - argparse hook
        sys.stderr.write(f"error: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_USAGE)


def run(main: Callable[[Sequence[str] | None], int | None], argv=None) -> int:
    """Call ``main(argv)``; bad input becomes a one-line error and exit status 2."""
    try:
        return int(main(argv) or 0)
    except UserError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def progress(iterable: Iterable, *, quiet: bool = False, **kw):
    """``tqdm(iterable)`` on a terminal; the plain iterable with ``quiet`` or when piped."""
    if quiet or not sys.stderr.isatty():
        return iterable
    from tqdm.auto import tqdm
    return tqdm(iterable, **kw)


def _integer(text: str, minimum: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text!r} must be {what}")
    return value


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    return _integer(text, 1, "a positive integer")


def nonneg_int(text: str) -> int:
    """argparse type: an integer >= 0 (a seed)."""
    return _integer(text, 0, ">= 0")


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (value > 0 and value != float("inf")):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive finite number")
    return value


def writable_dir(path: str | os.PathLike) -> Path:
    """Create ``path`` if needed and check that files can be written there."""
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=p):
            pass
    except OSError as exc:
        raise UserError(f"cannot write to output folder {str(p)!r}: {exc.strerror or exc}") from None
    return p

"""Command-line plumbing shared by ``derive``, ``numeric``, ``report`` and ``bench``.

- :class:`Parser`: argparse whose errors are one line, ``error: ...``, exit status 2.
- :class:`UserError`: raise it for bad input; :func:`run` turns it into that one line.
- :func:`atomic_write`: write a temporary file in the same folder, then rename it into
  place (:func:`replace_file`), so an interrupted run never leaves a half-written file that a
  later run trusts. The rename replaces only a regular file: a device (``--csv /dev/full``), a
  FIFO, a folder or a link at the path is refused, one line, and left as it is.
- :func:`progress`: a tqdm bar on a terminal, silent with ``--quiet`` or when piped.
- :func:`run` also guards standard output while the command runs: a full disk (``> /dev/full``)
  or a closed standard output (``>&-``) is a one-line error, not a traceback, and a reader that
  went away (``| head``) ends the command quietly. A command prints only after its results are
  in place, so neither loses them. :func:`write_stdout` prints and flushes.
- :func:`run` also turns SIGTERM into a clean exit (status 143) that runs every ``finally``:
  staged outputs are discarded and child processes are ended.
"""
from __future__ import annotations

import argparse
import os
import signal
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Sequence

__all__ = ["UserError", "Terminated", "Parser", "run", "atomic_write", "progress", "positive_int", "nonneg_int",
           "positive_float", "out_dir", "writable_dir", "write_stdout", "stdout_closed", "kind_of",
           "replace_file", "out_file"]

EXIT_USAGE = 2
EXIT_TERMINATED = 128 + signal.SIGTERM


class UserError(Exception):
    """Bad input from the user: printed as one line ``error: ...``, exit status 2."""


class Terminated(BaseException):
    """SIGTERM arrived (raised by the handler :func:`run` installs, so ``finally`` blocks run)."""


def _terminate(signum, frame):
    raise Terminated()


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):  # noqa: D401 - argparse hook
        sys.stderr.write(f"error: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_USAGE)


def run(main: Callable[[Sequence[str] | None], int | None], argv=None) -> int:
    """Call ``main(argv)``; bad input becomes a one-line error and exit status 2, SIGTERM
    and Ctrl-C end it through every ``finally`` (exit status 143 and 130). Standard output
    is guarded meanwhile (:class:`_Output`) and flushed before the exit status is known."""
    previous = _on_sigterm(_terminate)
    stdout, sys.stdout = sys.stdout, _Output(sys.stdout)
    try:
        status = int(main(argv) or 0)
        sys.stdout.flush()
        return status
    except UserError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Terminated:
        sys.stderr.write("terminated\n")
        return EXIT_TERMINATED
    except BrokenPipeError:  # the reader went away (``| head``): not an error
        _silence_stdout()
        return 0
    finally:
        sys.stdout = stdout
        _on_sigterm(previous)


class _Output:
    """Standard output while :func:`run` runs: a write or flush that fails (a full disk, a
    closed standard output) raises :class:`UserError`; a broken pipe stays
    :class:`BrokenPipeError` (the reader went away, :func:`run` ends quietly)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        if self._stream is None:
            raise UserError("standard output is closed; nothing was written")
        return self._guarded(self._stream.write, text)

    def flush(self) -> None:
        if self._stream is not None:
            self._guarded(self._stream.flush)

    def __getattr__(self, name):
        return getattr(self._stream, name)

    @staticmethod
    def _guarded(call, *args):
        try:
            return call(*args)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            _silence_stdout()
            raise UserError(f"cannot write to standard output: {getattr(exc, 'strerror', None) or exc}") from None


def _on_sigterm(handler):
    """Install ``handler`` for SIGTERM (main thread only); returns the one it replaces."""
    if handler is None:
        return None
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        return None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's final flush of what is
    still buffered cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def stdout_closed() -> bool:
    """Whether standard output is closed (``>&-``): a command checks it before its work."""
    return getattr(sys.stdout, "_stream", sys.stdout) is None


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output and flush it; a closed standard output or one that
    cannot take the text (``> /dev/full``) raises :class:`UserError` (under :func:`run` or not)."""
    out = sys.stdout if isinstance(sys.stdout, _Output) else _Output(sys.stdout)
    out.write(text)
    out.flush()


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        replace_file(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def kind_of(mode: int) -> str:
    """'' for a regular file, else what it is instead ('a folder', 'a FIFO', 'a device', ...).

    >>> kind_of(os.stat("/dev/null").st_mode), kind_of(os.stat("/").st_mode)
    ('a device', 'a folder')
    """
    if stat.S_ISREG(mode):
        return ""
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def replace_file(tmp: str | os.PathLike, path: str | os.PathLike) -> None:
    """``os.replace(tmp, path)``, when ``path`` is missing or a regular file; anything else
    there (a device, a FIFO, a folder, a symbolic link) raises :class:`UserError` and stays."""
    try:
        kind = kind_of(os.lstat(path).st_mode)
    except FileNotFoundError:
        kind = ""
    if kind:
        raise UserError(f"{os.fspath(path)} is {kind}, not a regular file; it was not replaced (name a file)")
    os.replace(tmp, path)


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


def out_dir(text: str) -> str:
    """argparse type: an output folder; the empty string is refused (it would mean the
    current folder without saying so)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the output folder must not be empty")
    return text


def out_file(text: str) -> str:
    """argparse type: an output file; the empty string is refused (it would write nothing
    without saying so)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the output file name must not be empty")
    return text


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

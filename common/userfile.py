"""Read a file the user names: a regular file of at most a size limit, or a one-line error.

Every reader of a user's file goes through :func:`read_user_file` (the checker's input files and
``--notation``, ``report --config``, the SGD ``--data`` CSV, the derivation cache's entries). A
FIFO, a device (``/dev/zero``), a socket or a folder is refused, not read: the file is opened
with ``O_NONBLOCK`` (so a FIFO without a writer cannot block the open), checked on the open
descriptor (so it cannot be swapped after the check), and read to at most ``limit + 1`` bytes
(so a file that grows meanwhile cannot exhaust memory either).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.toml"
>>> _ = path.write_text("[sgd]\\n")
>>> read_user_file(path, "the config file", limit=100)
b'[sgd]\\n'
>>> for bad in (path.parent, "/dev/zero"):
...     try:
...         read_user_file(bad, "the config file", limit=100)
...     except Refused as exc:
...         print(exc.why)
it is a folder, not a file
it is not a regular file (a device)
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from common.cli import UserError, kind_of

__all__ = ["read_user_file", "regular_file_size", "Refused"]


class Refused(UserError):
    """``cannot read WHAT 'PATH': WHY`` (``why`` alone: for a caller that words it itself)."""

    def __init__(self, path, what: str, why: str):
        super().__init__(f"cannot read {what} {str(path)!r}: {why}")
        self.why = why


def _not_regular(mode: int) -> str:
    kind = kind_of(mode)
    if not kind:
        return ""
    return "it is a folder, not a file" if kind == "a folder" else f"it is not a regular file ({kind})"


def _size(n: int) -> str:
    return f"{n // 1000} kB" if n < 10 ** 7 else f"{n // 10 ** 6} MB"


def regular_file_size(path: str | os.PathLike, what: str) -> int:
    """The size of the regular file ``path`` (followed if a link), without opening it: for
    an estimate made before reading. :class:`UserError` if it is missing or not a regular file."""
    try:
        mode, size = (st := os.stat(path)).st_mode, st.st_size
    except OSError as exc:
        raise Refused(path, what, exc.strerror or str(exc)) from None
    why = _not_regular(mode)
    if why:
        raise Refused(path, what, why)
    return size


def _read_at_most(fd: int, n: int, error) -> bytes:
    chunks, got = [], 0
    while got < n:
        try:
            chunk = os.read(fd, min(n - got, 1 << 20))
        except OSError as exc:
            raise error(exc) from None
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_user_file(path: str | os.PathLike, what: str, limit: int, *, follow_symlinks: bool = True,
                   vet: Callable[[os.stat_result], str] | None = None) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes.

    Raises :class:`Refused` (a :class:`UserError`) ``cannot read WHAT 'PATH': why`` when it is missing,
    unreadable, not a regular file, larger than ``limit`` or refused by ``vet(fstat) -> why``
    (a reason, '' to accept). ``follow_symlinks=False``: a symbolic link is refused too."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        fd = os.open(Path(path), flags)
    except OSError as exc:
        raise Refused(path, what, exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        why = _not_regular(st.st_mode) or (vet(st) if vet else "")
        if not why and st.st_size > limit:
            why = f"{_size(st.st_size)} exceeds the limit of {_size(limit)}"
        if why:
            raise Refused(path, what, why)
        data = _read_at_most(fd, limit + 1, lambda exc: Refused(path, what, exc.strerror or str(exc)))
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Refused(path, what, f"it grew beyond the limit of {_size(limit)} while it was read")
    return data

"""An exclusive lock on an output folder, with a record of who holds it.

:func:`hold` takes an ``fcntl`` lock on a lock file; a second process that asks for the
same lock gets :class:`Busy` (a :class:`~common.cli.UserError`: ``DIR is in use by process N``)
instead of writing into the folder at the same time. The kernel releases the lock when its
holder exits, however it exits (kill -9 included), so a lock is never left stale.

The lock file is opened without following a symbolic link and must be a regular file (a new
one is created with ``O_EXCL``): a link or a FIFO planted at its path is refused, never
written through.

The lock file holds a small JSON record (the holder's process id and whatever it adds,
such as the process groups of its children). The next holder reads the previous record
(:attr:`Lock.previous`): after a kill -9 it names the children that may still be running.

:func:`hold_folder` is the lock every command takes before it writes into an output folder
``DIR`` (``DIR/.lock``): ``python -m report``, ``python -m numeric NAME``, ``python -m derive
check --format pdf``. A holder hands it to the commands it starts itself (:func:`handed_down`,
in their environment): a child whose parent holds the lock writes into the folder as part
of its parent's work. A child whose parent has gone (a kill -9 of the report before the child
asked for the lock) refuses to take the free lock for itself: the next build ends it and runs
it again, instead of finding the folder held by an orphan.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "lock"
>>> with hold(path, "the folder") as lock:
...     lock.write({"note": "mine"})
...     sorted(lock.record)
['note', 'pid']
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from common.cli import UserError

__all__ = ["Busy", "Lock", "hold", "hold_folder", "handed_down", "pid_alive", "LOCK_NAME", "HELD_BY_ENV"]

LOCK_NAME = ".lock"  # in DIR: the lock of the output folder
HELD_BY_ENV = "HW6_LOCK_HELD_BY"  # the process id of a parent that holds the folder's lock for us


class Busy(UserError):
    """The folder is locked by another live process."""


class Lock:
    """A held lock: ``previous`` is the record the last holder left, ``record`` ours.
    A lock held for us by our parent (``inherited``) keeps the parent's record."""

    def __init__(self, fd: int, previous: dict, inherited: bool = False):
        self.fd, self.previous, self.inherited = fd, previous, inherited
        self.record = previous if inherited else {"pid": os.getpid()}

    def write(self, extra: dict) -> None:
        """Replace our record by ``{"pid": ..., **extra}`` (in place: the lock is on the file)."""
        if self.inherited:
            return
        self.record = {"pid": os.getpid(), **extra}
        data = json.dumps(self.record).encode()
        data += b" " * (os.fstat(self.fd).st_size - len(data))  # never empty or cut: a child reads it
        os.pwrite(self.fd, data, 0)
        os.ftruncate(self.fd, len(data))


def _read(fd: int) -> dict:
    try:
        value = json.loads(os.pread(fd, 1 << 16, 0) or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _open(path: Path) -> int:
    """A descriptor of the regular file ``path`` (created if missing), never through a
    symbolic link and never blocking on a FIFO."""
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW on a symbolic link
            raise UserError(f"the lock {path} is not a regular file (a symbolic link); remove it") from None
        raise UserError(f"cannot open the lock {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UserError(f"the lock {path} is not a regular file; remove it")
    return fd


def _held_for_us(record: dict) -> bool:
    """Whether our parent holds the lock and handed it to us (:func:`handed_down`)."""
    parent = os.environ.get(HELD_BY_ENV)
    return parent is not None and parent == str(record.get("pid")) == str(os.getppid())


@contextmanager
def hold(path: Path, what: str) -> Iterator[Lock]:
    """Hold the exclusive lock ``path`` for the block, or raise :class:`Busy` naming ``what``
    and the process that holds it (unless that process is our parent and handed it to us)."""
    fd = _open(Path(path))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            parent = os.environ.get(HELD_BY_ENV)
            if parent is not None:  # started under a parent's lock that nobody holds now
                raise Busy(f"{what}: the command that started this one (process {parent}, named by "
                           f"{HELD_BY_ENV}) no longer holds its lock; not writing into it")
            lock = Lock(fd, _read(fd))
            lock.write({})
        except BlockingIOError:
            record = _read(fd)
            if not _held_for_us(record):
                holder = record.get("pid")
                raise Busy(f"{what} is in use by process {holder if holder else 'unknown'}; "
                           "wait for it to finish") from None
            lock = Lock(fd, record, inherited=True)
        yield lock
    finally:
        os.close(fd)  # releases the lock


def hold_folder(out: str | os.PathLike):
    """``with hold_folder(DIR):`` the lock ``DIR/.lock`` that every command writing into
    ``DIR`` holds (``DIR`` must exist)."""
    out = Path(out)
    return hold(out / LOCK_NAME, str(out))


def handed_down(env: dict) -> dict:
    """``env`` for a child process that writes into the folder whose lock we hold."""
    return {**env, HELD_BY_ENV: str(os.getpid())}


def pid_alive(pid) -> bool:
    """Whether a process with this id exists (and may be signalled by us)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

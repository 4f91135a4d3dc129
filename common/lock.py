"""An exclusive lock on an output folder, with a record of who holds it.

:func:`hold` takes an ``fcntl`` lock on a lock file; a second process that asks for the
same lock gets :class:`Busy` (a :class:`~common.cli.UserError`: ``DIR is in use by process N``)
instead of writing into the folder at the same time. The kernel releases the lock when its
holder exits, however it exits (kill -9 included), so a lock is never left stale.

The lock file holds a small JSON record (the holder's process id and whatever it adds,
such as the process groups of its children). The next holder reads the previous record
(:attr:`Lock.previous`): after a kill -9 it names the children that may still be running.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "lock"
>>> with hold(path, "the folder") as lock:
...     lock.write({"note": "mine"})
...     sorted(lock.record)
['note', 'pid']
"""
from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from common.cli import UserError

__all__ = ["Busy", "Lock", "hold", "pid_alive"]


class Busy(UserError):
    """The folder is locked by another live process."""


class Lock:
    """A held lock: ``previous`` is the record the last holder left, ``record`` ours."""

    def __init__(self, fd: int, previous: dict):
        self.fd, self.previous, self.record = fd, previous, {"pid": os.getpid()}

    def write(self, extra: dict) -> None:
        """Replace our record by ``{"pid": ..., **extra}`` (in place: the lock is on the file)."""
        self.record = {"pid": os.getpid(), **extra}
        data = json.dumps(self.record).encode()
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)


def _read(fd: int) -> dict:
    try:
        value = json.loads(os.pread(fd, 1 << 16, 0) or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@contextmanager
def hold(path: Path, what: str) -> Iterator[Lock]:
    """Hold the exclusive lock ``path`` for the block, or raise :class:`Busy` naming ``what``
    and the process that holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd).get("pid")
            raise Busy(f"{what} is in use by process {holder if holder else 'unknown'}; "
                       "wait for it to finish") from None
        lock = Lock(fd, _read(fd))
        lock.write({})
        yield lock
    finally:
        os.close(fd)  # releases the lock


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

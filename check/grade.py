"""A class's worth of submissions: one task per file through joblib (:func:`common.jobs.run_tasks`).

``python -m check DIR/*.tex --part 2.a --csv grades.csv --jobs N`` checks the files ``N`` at a
time: local loky processes by default (at most one per core, ending with the command), or any
backend of ``joblib.parallel_config`` around the call (Dask, Ray: the files must be readable on
the workers, and the package installed there). A task takes only names (the file, the part, the
notation file) and returns the file's :class:`~check.checker.FileResult`; the results come back
in input order and each is deterministic, so the text, JSON and CSV do not depend on ``N`` or
the backend. A file that cannot be read still has its result: no steps, its error
(:func:`unread`). Each file's steps run in the checker's sandbox, a child process of the
worker, so a worker must be allowed children: Dask's nanny makes its workers daemonic unless
``distributed.worker.daemon`` is false (a one-line error says so).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from functools import lru_cache

from check.checker import FileResult, Unreadable, check_file, load_notation
from common.cli import UserError
from common.jobs import run_tasks

__all__ = ["grade", "grade_file", "notation", "unread", "is_unread", "RECURSION"]

RECURSION = 5000  # SymPy and the parser recurse over deep trees
DAEMONIC = ("a joblib worker is a daemonic process, which cannot start the checker's sandbox; start Dask "
            "workers with DASK_DISTRIBUTED__WORKER__DAEMON=False (or --no-nanny)")


def grade(files: list[str], part_id: str | None, notation_file: str | None, jobs: int = 1,
          quiet: bool = False, assume: tuple = ()) -> list[FileResult]:
    """The result of each file, in the order given, checked ``jobs`` files at a time (``assume``:
    the ``--assume`` relations, :func:`check.conventions.assumption_lines`)."""
    tasks = [(grade_file, f, part_id, notation_file, assume) for f in files]
    return run_tasks(tasks, max(1, min(jobs, len(tasks))), quiet=quiet, desc="check", unit="file")


def grade_file(path: str, part_id: str | None, notation_file: str | None, assume: tuple = ()) -> FileResult:
    """One task: the file's result, or :func:`unread` with why it could not be read."""
    if multiprocessing.current_process().daemon:  # a Dask worker under a nanny, by default
        raise UserError(DAEMONIC)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION))
    nota, part = notation(part_id, notation_file, assume)
    try:
        return check_file(path, nota, part)
    except Unreadable as exc:
        return unread(path, part_id, str(exc))


def notation(part_id: str | None, notation_file: str | None, assume: tuple = ()):
    """``(Notation, Part)`` in force (:func:`check.checker.load_notation`), loaded once per
    process and notation file version."""
    return _notation(part_id, notation_file, tuple(assume), _version(notation_file))


@lru_cache(maxsize=8)
def _notation(part_id, notation_file, assume, version):
    return load_notation(part_id, notation_file, assume)


def _version(path: str | None) -> tuple | None:
    try:
        st = os.stat(path) if path else None
    except OSError:
        return None  # load_notation says what is wrong with it
    return st and (st.st_ino, st.st_mtime_ns, st.st_size)


def unread(path: str, part_id: str | None, message: str) -> FileResult:
    """The result of a file that could not be read: no steps, no final verdict, ``message``
    its one error."""
    return FileResult(path, part_id, [], {"verdict": None, "reference_id": None, "counterexample": None,
                                          "unread": True}, [message])


def is_unread(r: FileResult) -> bool:
    return bool(r.final.get("unread"))

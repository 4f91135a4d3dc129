"""A worker process that runs the judge's jobs with a time and a memory limit per job.

The worker is forked after the file has been read, so it holds the parsed document and
needs no input but the number of the job and its time; it answers with a plain dict and the
CPU time it has used. Before each job it sets ``RLIMIT_CPU`` (``resource.setrlimit``) to its CPU
time so far plus :data:`STEP_SECONDS`, or what is left of the file's :data:`FILE_SECONDS` when
that is less (a file of many slow steps is bounded too: once the file's time is spent, the
remaining steps are ``inconclusive`` and say so); its address space is capped once at its size after the fork plus
:data:`MEMORY_MB`. A job that runs out of time (SIGXCPU, or the parent's wall-clock
guard) or memory (``MemoryError``) comes back ``inconclusive`` with the reason, the
worker is replaced, and the next job runs: one pathological step never stops the rest.
"""
from __future__ import annotations

import multiprocessing as mp
import sys
import resource
import signal
from typing import Callable, Sequence

__all__ = ["Sandbox", "STEP_SECONDS", "FILE_SECONDS", "MEMORY_MB", "WALL_FACTOR"]

STEP_SECONDS = 20     # CPU seconds per job
FILE_SECONDS = 240    # CPU seconds for all the jobs of one file
MEMORY_MB = 1500      # address space per worker, beyond its size after the fork
WALL_FACTOR = 4       # wall-clock guard: WALL_FACTOR * STEP_SECONDS + 10 s
RECURSION = 8000      # Python recursion limit in the worker (SymPy recurses over deep trees)


def _inconclusive(reason: str) -> dict:
    return {"verdict": "inconclusive", "detail": reason, "counterexample": None}


def _vm_bytes() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _worker(conn, jobs: Sequence[Callable[[], dict]], memory_mb: int) -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION))
    vm = _vm_bytes()
    if vm:
        limit = vm + memory_mb * 2 ** 20
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
        except (ValueError, OSError):
            pass
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        i, seconds = job
        start = _cpu()
        soft = int(start) + 1 + seconds
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
        try:
            out = jobs[i]()
        except MemoryError:
            out = None
        except RecursionError:
            out = _inconclusive("the expression is nested too deeply for SymPy")
        except Exception as exc:  # the one net: a bug in the judge or SymPy, reported as a bug, not fatal
            out = {**_inconclusive(f"internal error: {type(exc).__name__}: {exc}"[:300]), "internal": True}
        if out is None:  # the heap may be in a bad state: the parent starts a fresh worker
            conn.send((_inconclusive(f"memory limit ({memory_mb} MB) reached"), False, _cpu() - start))
            return
        conn.send((out, True, _cpu() - start))


class Sandbox:
    """Run ``jobs`` (functions returning a dict) one by one in a limited worker."""

    def __init__(self, jobs: Sequence[Callable[[], dict]], seconds: int = STEP_SECONDS,
                 memory_mb: int = MEMORY_MB, file_seconds: int = FILE_SECONDS):
        self.jobs, self.seconds, self.memory_mb = list(jobs), seconds, memory_mb
        self.left = file_seconds  # CPU seconds left for the file's jobs
        self.file_seconds = file_seconds
        self._ctx = mp.get_context("fork")
        self._proc = self._conn = None

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_worker, args=(child, self.jobs, self.memory_mb),
                                       daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.join(timeout=2)
            if self._proc.is_alive():
                self._proc.kill()
                self._proc.join()
        self._proc = self._conn = None

    def run(self, i: int) -> dict:
        """Job ``i``'s result, or ``inconclusive`` with the limit it reached."""
        if self.left < 1:
            return _inconclusive(f"the file's time limit ({self.file_seconds} s) was reached before this step")
        if self._proc is None or not self._proc.is_alive():
            self._stop()
            self._start()
        seconds = min(self.seconds, int(self.left))
        self._conn.send((i, seconds))
        wall = WALL_FACTOR * seconds + 10
        try:
            if self._conn.poll(wall):
                out, alive, used = self._conn.recv()
                self.left -= used
                if not alive:
                    self._stop()
                return out
        except (EOFError, OSError):
            pass
        self.left -= seconds
        self._proc.join(timeout=1)
        code = self._proc.exitcode
        self._stop()
        if code is None:
            return _inconclusive(f"time limit ({wall} s wall clock) reached")
        if code == -signal.SIGXCPU and seconds < self.seconds:
            return _inconclusive(f"the file's time limit ({self.file_seconds} s) reached")
        if code == -signal.SIGXCPU:
            return _inconclusive(f"time limit ({seconds} s) reached")
        if code == -signal.SIGKILL:
            return _inconclusive("the worker was killed (out of memory?)")
        return _inconclusive(f"the worker stopped (exit status {code})")

    def run_all(self) -> list[dict]:
        """Every job's result, in order; the worker is stopped at the end."""
        try:
            return [self.run(i) for i in range(len(self.jobs))]
        finally:
            if self._conn is not None:
                try:
                    self._conn.send(None)
                except OSError:
                    pass
            self._stop()

"""Independent tasks through joblib, the one way the project runs work in parallel.

:func:`run_tasks` sends ``(f, *args)`` tasks to joblib's active backend and gathers the results
in task order, so what a command writes does not depend on the number of jobs or the backend.
On this machine (loky, the default; processes or threads) it runs at most one job per core, and
loky's workers die with the process that started them (:func:`die_with_parent`), kill -9
included; a distributed backend (Dask, Ray: ``joblib.parallel_config``) gets ``jobs`` as asked.
joblib is imported only when tasks run.
"""
from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from contextlib import nullcontext

from common.cli import progress

__all__ = ["run_tasks", "die_with_parent", "LOCAL_BACKENDS"]

LOCAL_BACKENDS = ("loky", "multiprocessing", "threading", "sequential")  # on this machine: jobs <= cores
PR_SET_PDEATHSIG = 1  # prctl(2)


def run_tasks(tasks: list, jobs: int, quiet: bool = True, desc: str = "", unit: str = "task") -> list:
    """``[f(*args) for f, *args in tasks]``, dispatched through joblib's active backend, in
    task order. On this machine (loky, the default; processes or threads) at most one job per
    core, and loky's workers die with this process (:func:`die_with_parent`), kill -9 included;
    a distributed backend (Dask, Ray: ``joblib.parallel_config``) gets ``jobs`` as asked. A
    progress bar (``desc``, counted in ``unit``) on a terminal unless ``quiet``."""
    from joblib import Parallel, cpu_count, delayed, parallel_config
    from joblib.parallel import BACKENDS, get_active_backend

    backend = type(get_active_backend()[0])
    local = backend in {BACKENDS.get(n) for n in LOCAL_BACKENDS}
    config = parallel_config(backend="loky", initializer=die_with_parent, initargs=(os.getpid(),)) \
        if backend is BACKENDS.get("loky") else nullcontext()
    with config:
        gen = Parallel(n_jobs=min(jobs, cpu_count()) if local else jobs, return_as="generator")(
            delayed(f)(*a) for f, *a in tasks)
        return list(progress(gen, quiet=quiet, total=len(tasks), desc=desc, unit=unit))


def die_with_parent(parent: int) -> None:
    """Run in each worker as it starts: the kernel kills it when ``parent`` ends (Linux's
    parent-death signal; elsewhere a thread that checks every second), so that a command killed
    with kill -9 leaves no worker, and so no resource tracker, behind."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):  # not Linux
        armed = False
    if os.getppid() != parent:  # it ended before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)

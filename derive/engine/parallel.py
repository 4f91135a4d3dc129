"""Run independent tasks in parallel processes (fork), results in the order given.

Each task is a function of no arguments that returns plain data (bytes, strings, dicts):
SymPy objects travel as bytes of :func:`derive.engine.cache.dumps`, which keeps unevaluated
expressions as written. With one core (or one task, or no ``fork``) the tasks run in this
process. Results do not depend on the number of processes.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence

__all__ = ["run_all", "workers"]


def workers() -> int:
    """The cores this process may use (``HW6_JOBS`` overrides)."""
    env = os.environ.get("HW6_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _call(task: Callable[[], object]):
    return task()


def run_all(tasks: Sequence[Callable[[], object]], jobs: int | None = None) -> list:
    """``[t() for t in tasks]``, computed by up to ``jobs`` processes."""
    jobs = min(jobs or workers(), len(tasks))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [t() for t in tasks]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_call, tasks))

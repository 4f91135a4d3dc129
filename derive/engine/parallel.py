"""Run independent builders in parallel processes (fork), results in the order given.

Each builder is a function of no arguments. Its result travels back pickled by
:func:`derive.engine.cache.dumps`, which keeps unevaluated SymPy expressions as written, so
a result built in a worker is the result built in the parent. With one core (or one
builder, or no ``fork``) the builders run in this process. Results do not depend on the
number of processes.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence

from derive.engine.cache import dumps

__all__ = ["run_all", "workers"]


def workers() -> int:
    """The cores this process may use (``HW6_JOBS`` overrides)."""
    env = os.environ.get("HW6_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _call(builder: Callable[[], object]) -> bytes:
    return dumps(builder())


def run_all(builders: Sequence[Callable[[], object]], jobs: int | None = None) -> list:
    """``[b() for b in builders]``, computed by up to ``jobs`` processes."""
    jobs = min(jobs or workers(), len(builders))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [b() for b in builders]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return [pickle.loads(r) for r in pool.map(_call, builders)]

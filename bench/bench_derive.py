"""Start-up of ``python -m derive`` (all topics) against ``python -c "import sympy"``.

Cold: an empty derivation cache (every step verified again), on every core and on one core
(both commands pinned to the first core this process may use, as ``taskset -c``: the
derivations' parallel build gets no second core). Warm: the cache is filled.
Targets (issues "Foundation" and 20): cold <= 10x the import, on one core too; warm <= 2x.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from bench.timing import compare

__all__ = ["comparisons"]


def _cmd(args, env, one_core: bool = False):
    first = min(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    pin = (lambda: os.sched_setaffinity(0, {first})) if one_core and first is not None else None
    return lambda: subprocess.run([sys.executable, *args], env=env, check=True,
                                  stdout=subprocess.DEVNULL, preexec_fn=pin)


def comparisons():
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HW6_CACHE_DIR=tmp)
        cold_env = dict(os.environ, HW6_CACHE_DIR="off")
        imp = _cmd(["-c", "import sympy"], env)
        cold = compare(_cmd(["-m", "derive"], cold_env), imp, repeats=3, warmup=0)
        one = compare(_cmd(["-m", "derive"], cold_env, True), _cmd(["-c", "import sympy"], env, True),
                      repeats=3, warmup=0)
        _cmd(["-m", "derive"], env)()  # fill the cache
        warm = compare(_cmd(["-m", "derive"], env), imp, repeats=5)
    return [("derive cold (no cache)", *cold), ("derive cold, one core", *one), ("derive warm (cached)", *warm)]

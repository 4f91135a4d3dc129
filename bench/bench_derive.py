"""Start-up of ``python -m derive`` (all topics) against ``python -c "import sympy"``.

Cold: an empty derivation cache (every step verified again). Warm: the cache is filled.
Targets (issue "Foundation"): cold <= 10x the import, warm <= 2x.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from bench.timing import compare

__all__ = ["comparisons"]


def _cmd(args, env):
    return lambda: subprocess.run([sys.executable, *args], env=env, check=True,
                                  stdout=subprocess.DEVNULL)


def comparisons():
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HW6_CACHE_DIR=tmp)
        cold_env = dict(os.environ, HW6_CACHE_DIR="off")
        imp = _cmd(["-c", "import sympy"], env)
        cold = compare(_cmd(["-m", "derive"], cold_env), imp, repeats=3, warmup=0)
        _cmd(["-m", "derive"], env)()  # fill the cache
        warm = compare(_cmd(["-m", "derive"], env), imp, repeats=5)
    return [("derive cold (no cache)", *cold), ("derive warm (cached)", *warm)]

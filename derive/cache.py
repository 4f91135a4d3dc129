"""Disk cache of built derivations.

Verification (integrals, ``simplify``) is what makes building derivations slow, so built
:class:`~derive.derivation.Derivation` values are pickled per topic. The key is the SHA-256
of every source file of the ``derive`` package plus the SymPy and Python versions: change
a derivation (or upgrade SymPy) and it is rebuilt, and so re-verified. Location:
``$HW6_CACHE_DIR``, else ``$XDG_CACHE_HOME/hw6-verified``, else ``~/.cache/hw6-verified``;
``HW6_CACHE_DIR=off`` disables it. A cache that cannot be read or written is ignored.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable

__all__ = ["cache_dir", "source_key", "cached"]


def cache_dir() -> Path | None:
    env = os.environ.get("HW6_CACHE_DIR")
    if env == "off":
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hw6-verified"


@lru_cache(maxsize=1)
def source_key() -> str:
    """Hash of the derive sources and the SymPy/Python versions."""
    import sympy
    h = hashlib.sha256(f"{sympy.__version__}|{sys.version_info[:3]}".encode())
    for f in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:20]


def cached(name: str, build: Callable[[], object]):
    """``build()``, or its pickled value from an earlier run with the same sources."""
    folder = cache_dir()
    path = folder / f"{name}-{source_key()}.pickle" if folder else None
    if path is not None and path.exists():
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # stale or damaged: rebuild
            pass
    value = build()
    if path is not None:
        try:
            from .cli import atomic_write
            atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # read-only home, unpicklable value: run without the cache
            pass
    return value

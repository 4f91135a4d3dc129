"""Disk cache of built derivations.

Verification (integrals, ``simplify``) is what makes building derivations slow, so built
:class:`~derive.engine.chain.Derivation` values are pickled per topic. The key is the SHA-256
of every source file of the ``derive`` package plus the SymPy and Python versions: change
a derivation (or upgrade SymPy) and it is rebuilt, and so re-verified. Location:
``$HW6_CACHE_DIR``, else ``$XDG_CACHE_HOME/hw6-verified``, else ``~/.cache/hw6-verified``;
``HW6_CACHE_DIR=off`` disables it. A cache that cannot be read or written is ignored.

Unevaluated sums and products (``Add(..., evaluate=False)``, the written order of a step)
are pickled so that loading rebuilds them unevaluated: a warm run prints exactly what a
cold run prints.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable

__all__ = ["cache_dir", "source_key", "cached", "lookup", "store", "dumps"]


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
    """Hash of the derive sources and the SymPy/Python versions (read without importing
    SymPy, so that a cached run need not import it)."""
    from importlib.metadata import version
    h = hashlib.sha256(f"{version('sympy')}|{sys.version_info[:3]}".encode())
    for f in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:20]


def _unevaluated(cls, args):
    return cls(*args, evaluate=False)


class _Pickler(pickle.Pickler):
    """Pickle SymPy sums/products/powers as ``cls(*args, evaluate=False)``: plain pickling
    re-evaluates them on load, which reorders the terms of a displayed step."""

    def reducer_override(self, obj):
        import sympy as sp
        if isinstance(obj, (sp.Add, sp.Mul, sp.Pow, sp.MatAdd, sp.MatMul, sp.HadamardProduct)):
            return _unevaluated, (type(obj), obj.args)
        return NotImplemented


def dumps(value) -> bytes:
    """``pickle.dumps`` that keeps unevaluated SymPy expressions as written."""
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buf.getvalue()


_MISSING = object()


def _path(name: str) -> Path | None:
    folder = cache_dir()
    return folder / f"{name}-{source_key()}.pickle" if folder else None


def lookup(name: str, default=None):
    """The cached value of ``name`` for the current sources, else ``default``."""
    path = _path(name)
    if path is not None and path.exists():
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # stale or damaged: rebuild
            pass
    return default


def store(name: str, value) -> None:
    """Cache ``value`` as ``name`` for the current sources (entries of older sources go)."""
    path = _path(name)
    if path is None:
        return
    try:
        from common.cli import atomic_write
        atomic_write(path, dumps(value))
        for old in path.parent.glob(f"{name}-*.pickle"):  # entries of older sources
            if old != path:
                old.unlink(missing_ok=True)
    except Exception:  # read-only home, unpicklable value: run without the cache
        pass


def cached(name: str, build: Callable[[], object]):
    """``build()``, or its pickled value from an earlier run with the same sources."""
    value = lookup(name, _MISSING)
    if value is _MISSING:
        value = build()
        store(name, value)
    return value

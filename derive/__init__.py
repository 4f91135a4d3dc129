"""Machine-verified SymPy derivations for CS 480/680 Homework 6.

>>> from derive import get
>>> get("kl.univariate").result   # doctest: +SKIP
mu**2/2 + sigma**2/2 - log(sigma) - 1/2

The public names are imported on first use (PEP 562), so that ``derive.cli`` and a cached
``python -m derive`` start without importing SymPy.
"""
from importlib import import_module

_EXPORTS = {
    "Chain": "derivation", "Derivation": "derivation", "Step": "derivation",
    "VerificationError": "derivation", "Notation": "notation", "DEFAULT": "notation",
    "latex": "notation", "to_latex": "render", "to_json": "render", "to_json_obj": "render",
    "standalone": "render", "TOPICS": "topics", "get": "topics", "load": "topics",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'derive' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)

"""Machine-verified SymPy derivations for CS 480/680 Homework 6.

The verification engine is :mod:`derive.engine` (it knows nothing of the homework); the
content is one subpackage per problem (:mod:`derive.kl`, :mod:`derive.elbo`,
:mod:`derive.sgd`, :mod:`derive.gan`), built from the symbols of :mod:`derive.symbols` and the
display operators of :mod:`derive.ops`, and printed in the notation of
:data:`derive.symbols.NOTATION` (:mod:`derive.printing`). The registry of topics is
:mod:`derive.topics`.

>>> from derive import get
>>> get("kl.univariate").result
mu**2/2 + sigma**2/2 - log(sigma**2)/2 - 1/2

The public names are imported on first use (PEP 562), so that a cached ``python -m derive``
starts without importing SymPy.
"""
from importlib import import_module

_EXPORTS = {
    "Chain": "engine.chain", "Derivation": "engine.chain", "Step": "engine.chain",
    "VerificationError": "engine.verify", "Notation": "engine.notation", "NOTATION": "symbols", "DOCUMENT": "symbols",
    "latex": "printing", "to_latex": "printing", "to_json": "printing",
    "to_json_obj": "printing", "standalone": "printing", "srepr": "engine.render",
    "TOPICS": "topics", "get": "topics", "load": "topics",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'derive' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)

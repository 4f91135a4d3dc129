"""The verification engine: step chains (:mod:`.chain`), the check of one equality
(:mod:`.verify`, with the one evaluator at a point :mod:`.evaluate` and the one sampler of points
:mod:`.points`), instance checks (:mod:`.checks`), the walker that makes expressions explicit
(:mod:`.explicit`), sum algebra and index calculus (:mod:`.sums`), parallel builds
(:mod:`.parallel`), rules for integrals of
densities (:mod:`.integrals`), proofs for every size: diagonal matrices of symbolic size
(:mod:`.diagonal`), marginals of a product of m densities (:mod:`.marginals`), random b-subsets
of {1..n} (:mod:`.subsets`); renderers (:mod:`.render`, :mod:`.notation`), the disk cache
(:mod:`.cache`). It knows nothing of the homework: the content packages use it.

Names are imported on first use (PEP 562): the cache needs no SymPy.
"""
from importlib import import_module

_EXPORTS = {
    "Chain": "chain", "Derivation": "chain", "Step": "chain",
    "VerificationError": "verify", "VerificationBug": "verify", "Verdict": "verify", "verify": "verify",
    "verify_equal": "verify", "SYMBOLIC": "verify", "INSTANCES": "verify", "NUMERIC": "verify", "LEVELS": "verify",
    "sums_equal": "sums", "entry": "sums", "run_all": "parallel", "induction": "checks", "proved": "checks",
    "Notation": "notation", "DEFAULT": "notation", "latex": "notation",
    "to_latex": "render", "to_json": "render", "to_json_obj": "render", "standalone": "render",
    "srepr": "render", "cached": "cache", "Explicit": "explicit", "instances": "checks",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'derive.engine' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)

"""Checks for steps written in a generic dimension: instantiate, then compare.

A step such as ``|diag(sigma^2)| = prod_j sigma_j^2`` holds for every ``m``; SymPy cannot
simplify ``Product(..., (j, 1, m))`` against a determinant of a symbolic ``m x m``
matrix, so :func:`dims_check` substitutes ``m = 1, 2, 3, 4``, expands sums and products,
replaces matrix symbols by explicit matrices, and compares the two sides at each ``m``
with :func:`derive.engine.verify.verify_equal` (symbolic first, then numeric) or with a custom
comparison. The step records the weakest outcome over all instantiations.
"""
from __future__ import annotations

from typing import Callable, Iterable

import sympy as sp

from derive.ops import NormalPDF, QuadForm
from derive.engine.verify import NUMERIC, SYMBOLIC, VerificationError, verify_equal

__all__ = ["expand_sums", "explicit", "dims_check", "weakest"]


def expand_sums(expr):
    """``expr`` with every ``Sum``/``Product`` with numeric bounds written out."""
    return expr.replace(lambda e: isinstance(e, (sp.Sum, sp.Product)), lambda e: e.doit())


def explicit(expr):
    """Matrix expressions made explicit: quadratic forms, determinants, traces, normal
    densities (after the matrix symbols have been replaced by explicit matrices)."""
    expr = expand_sums(sp.sympify(expr))
    expr = expr.replace(lambda e: isinstance(e, QuadForm), lambda e: e.explicit())
    expr = expr.replace(lambda e: isinstance(e, NormalPDF), lambda e: e.explicit())
    expr = expr.replace(lambda e: isinstance(e, (sp.Determinant, sp.Trace)),
                        lambda e: e.doit())
    return expr


def weakest(outcomes: Iterable[str]) -> str:
    """``"numeric"`` if any instantiation was checked numerically, else ``"symbolic"``."""
    return NUMERIC if NUMERIC in set(outcomes) else SYMBOLIC


def dims_check(instantiate: Callable[[object, int], object], dims=(1, 2, 3, 4),
               compare: Callable | None = None, **verify_kw) -> Callable:
    """A ``check=`` function for :meth:`derive.engine.chain.Chain.step`.

    instantiate(expr, k): ``expr`` at dimension ``k`` (explicit, no matrix symbols);
    compare(a, b) -> "symbolic" | "numeric" (raises on failure); default
    :func:`verify_equal` with ``verify_kw``.
    """
    def check(lhs, rhs):
        outcomes = []
        for k in dims:
            a, b = instantiate(lhs, k), instantiate(rhs, k)
            try:
                outcomes.append(compare(a, b) if compare else verify_equal(a, b, **verify_kw))
            except VerificationError as exc:
                raise VerificationError(f"at dimension {k}: {exc}") from None
        return weakest(outcomes)
    return check

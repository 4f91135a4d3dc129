"""Machine verification of one equality ``lhs = rhs``.

First symbolically: ``simplify((lhs - rhs).doit()) == 0``. Where SymPy cannot show that,
numerically: at ``n_points`` random points, in ``dps`` digits with mpmath (``evalf``,
which also evaluates unevaluated integrals and sums by quadrature), require
``|lhs - rhs| <= rtol * max(1, |lhs|)``. A step that passes neither raises
:class:`VerificationError`; there is no "unverified" outcome.
"""
from __future__ import annotations

import random
from typing import Callable, Iterable, Mapping

import mpmath
import sympy as sp

__all__ = ["VerificationError", "verify_equal", "random_point", "SYMBOLIC", "NUMERIC"]

SYMBOLIC = "symbolic"
NUMERIC = "numeric"


class VerificationError(AssertionError):
    """A derivation step that SymPy could not confirm: a bug in the derivation."""


def random_point(symbols: Iterable[sp.Symbol], rng: random.Random) -> dict:
    """A random value for each symbol that respects its assumptions.

    positive -> log-uniform in [1e-2, 1e2] (integers: 1..6); real -> uniform in [-3, 3];
    complex/unknown -> uniform real in [-3, 3].
    """
    point = {}
    for s in sorted(symbols, key=lambda s: s.name):
        if s.is_integer:
            point[s] = sp.Integer(rng.randint(1, 6) if s.is_positive or s.is_nonnegative else rng.randint(-4, 4))
        elif s.is_positive:
            point[s] = sp.Float(10 ** rng.uniform(-2, 2), 40)
        elif s.is_nonnegative:
            point[s] = sp.Float(rng.uniform(0, 3), 40)
        elif s.is_negative:
            point[s] = sp.Float(-10 ** rng.uniform(-2, 2), 40)
        else:
            point[s] = sp.Float(rng.uniform(-3, 3), 40)
    return point


def _is_symbolically_zero(diff: sp.Expr) -> bool:
    if diff == 0:
        return True
    try:
        diff = diff.doit()
        if diff == 0:
            return True
        if isinstance(diff, sp.MatrixBase):
            return all(sp.simplify(e) == 0 for e in diff)
        return sp.simplify(diff) == 0
    except Exception:  # SymPy gave up (NotImplementedError, ...): fall back to numbers
        return False


def _numeric_check(lhs, rhs, n_points: int, dps: int, rtol: float, seed: int,
                   sampler: Callable[[random.Random], Mapping] | None) -> None:
    free = (sp.sympify(lhs).free_symbols | sp.sympify(rhs).free_symbols)
    rng = random.Random(seed)
    with mpmath.workdps(dps):
        for _ in range(n_points):
            point = sampler(rng) if sampler else random_point(free, rng)
            a = sp.sympify(lhs).subs(point).evalf(dps)
            b = sp.sympify(rhs).subs(point).evalf(dps)
            if not (a.is_number and b.is_number):
                raise VerificationError(f"cannot evaluate numerically: {lhs} = {rhs} at {point}")
            err = abs(complex(a - b))
            if not err <= rtol * max(1.0, abs(complex(a))):
                raise VerificationError(f"{lhs} = {rhs} fails at {point}: {a} vs {b}")


def verify_equal(lhs, rhs, *, how: str = "auto", n_points: int = 24, dps: int = 30,
                 rtol: float = 1e-15, seed: int = 0,
                 sampler: Callable[[random.Random], Mapping] | None = None) -> str:
    """Check ``lhs == rhs``; return ``"symbolic"`` or ``"numeric"`` or raise.

    how: ``"auto"`` (symbolic, then numeric), ``"symbolic"`` (symbolic only) or
    ``"numeric"`` (skip the symbolic attempt, e.g. where ``simplify`` is known to be slow).
    sampler: optional ``rng -> {symbol: value}`` for points the default sampler cannot make.
    """
    if how in ("auto", SYMBOLIC) and _is_symbolically_zero(sp.sympify(lhs) - sp.sympify(rhs)):
        return SYMBOLIC
    if how == SYMBOLIC:
        raise VerificationError(f"not symbolically equal: {lhs} = {rhs}")
    _numeric_check(lhs, rhs, n_points, dps, rtol, seed, sampler)
    return NUMERIC

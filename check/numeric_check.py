r"""The numeric check of a step at fixed sizes: both sides evaluated at sampled points.

Points (:func:`points`): the engine's one sampler (:mod:`derive.engine.points`) with the first
three special values of each atom: 0, 1, -1 of every atom at once (as its domain allows:
``1, 2, 1/2`` where it is positive, ``1, 2, 3`` for a positive integer), then each atom at each
of them with the others random (at most :data:`MAX_SINGLE` of these, drawn with the seed
:data:`SEED` when there are more), then :data:`N_RANDOM` random points; an undefined function
and its derivatives are independent unknowns at a point.

At each point (:func:`number`, :data:`DPS` digits: the engine's evaluator) a side is a real
number or undefined (complex, infinite, nan); ``a = b`` holds there when
``|a - b| <= RTOL * max(1, |a|, |b|)`` (:func:`holds`; an inequality with the same slack).

The verdict (:func:`numeric`): ``wrong`` at the first point where both sides are defined and
differ, unless every real symbol positive makes it hold (``domain``); ``domain`` when the right
side is undefined where the left side is defined; ``inconclusive`` with fewer than
:data:`MIN_VALID` points where both sides are defined; else ``numeric``. With an integral left
(quadrature): :data:`DPS_QUAD` digits, :data:`RTOL_QUAD`, the three joint special points and
:data:`N_RANDOM_QUAD` random ones, at least 4 valid points.
"""
from __future__ import annotations

import random

import mpmath
import sympy as sp

from derive.engine import points as points_
from derive.engine.evaluate import value
from check.arithmetic import basic
from check.verdicts import DOMAIN, INCONCLUSIVE, NUMERIC, WRONG, Verdict, verdict
from derive.ops import NormalPDF, normal_pdf
from derive.printing import latex

__all__ = ["numeric", "constant_difference", "points", "assumptions_hold", "DPS", "RTOL", "MIN_VALID", "N_RANDOM", "MAX_SINGLE",
           "DPS_QUAD", "RTOL_QUAD", "N_RANDOM_QUAD", "SEED"]

DPS = 30                        # digits of the numeric check
RTOL = 1e-12                    # relative tolerance of the numeric check
MIN_VALID = 6                   # points where both sides are defined, at least
N_RANDOM = 16                   # random points besides the special ones
MAX_SINGLE = 48                 # single-atom special points at most (an atom drawn at random when more)
DPS_QUAD, RTOL_QUAD, N_RANDOM_QUAD = 15, 1e-9, 5   # the same where an integral is left (quadrature)
SEED = 0


def _frozen_basic(e):
    """``e`` as the sampler evaluates it: SymPy numbers, ``N(x; mu, sigma^2)`` written out,
    undefined functions and their derivatives independent symbols."""
    e = basic(e).replace(lambda x: isinstance(x, NormalPDF), lambda x: normal_pdf(*x.args))
    return points_.frozen(e, latex)


def points(atoms: list, rng: random.Random, positive_only: bool = False, quad: bool = False) -> list[dict]:
    """The engine's points (:func:`derive.engine.points.points`) at the checker's sizes: the three
    joint special points, each atom at its special values (at most :data:`MAX_SINGLE`), then
    :data:`N_RANDOM` random points (``quad``: the three joint special points and
    :data:`N_RANDOM_QUAD` random ones)."""
    return points_.points(atoms, rng, n_random=N_RANDOM_QUAD if quad else N_RANDOM, n_special=3,
                          max_single=0 if quad else MAX_SINGLE, positive_only=positive_only)


def _show_value(v):
    if isinstance(v, str):  # already in the digits that tell the two sides apart
        return v
    if isinstance(v, tuple):
        (r, c), vals = v
        return [_round(x) for x in vals] if c == 1 else [[_round(vals[i * c + j]) for j in range(c)] for i in range(r)]
    return _round(v) if v is not None else "undefined"


def _round(x: float):
    return float(f"{x:.12g}")


def _point_dict(point: dict, extra: dict | None = None) -> dict:
    out = {latex(k): int(v) if isinstance(v, sp.Integer) or (isinstance(v, sp.Rational) and v.q == 1)
           else _round(float(v)) for k, v in point.items()}
    return {**(extra or {}), **out}


_FAR = "the counterexample's point"


def _where(point: dict) -> str:
    """The point in words when it is short; else a pointer to the counterexample."""
    if len(point) > 4:
        return _FAR
    return ", ".join(f"{k} = {v}" for k, v in point.items())


def _tally(a, b, relation: str, pts: list[dict], quad: bool = False, keep=None) -> points_.Tally:
    dps, rtol = (DPS_QUAD, RTOL_QUAD) if quad else (DPS, RTOL)
    return points_.tally(a, b, relation, pts, dps=dps, rtol=rtol, keep=keep)


def assumptions_hold(assumptions):
    """A predicate on points (or sizes): every assumption ``(lhs, relation, rhs)`` holds there
    (None without assumptions)."""
    if not assumptions:
        return None

    def keep(p):
        for lhs, rel, rhs in assumptions:
            x, y = points_.number(lhs, p), points_.number(rhs, p)
            if x is None or y is None or not points_.holds(x, y, rel, 0.0):
                return False
        return True
    return keep


def numeric(a, b, relation: str, extra: dict | None = None, label: str = "", assumptions=()) -> Verdict:
    """Points (those where the assumptions hold), then the verdict (see the module docstring)."""
    keep = assumptions_hold(list(assumptions))
    if keep:
        label += " (where the assumptions hold)"
    a, b = _frozen_basic(a), _frozen_basic(b)
    atoms = points_.atoms(a, b)
    rng = random.Random(SEED)
    quad = a.has(sp.Integral) or b.has(sp.Integral)
    dps = DPS_QUAD if quad else DPS
    with mpmath.workdps(dps):
        t = _tally(a, b, relation, points(atoms, rng, quad=quad), quad, keep)
        if t.wrong:
            real = [s for s in atoms if points_.domain(s) == "real"]
            if real:
                r = _tally(a, b, relation, points(atoms, random.Random(SEED + 1), positive_only=True, quad=quad), quad,
                           keep)
                if r.wrong is None and r.valid >= MIN_VALID:
                    p, x, y = t.wrong
                    names = ", ".join(latex(s) for s in real)
                    return verdict(DOMAIN, f"holds where {names} > 0 ({r.valid} points){label}; fails at {_where(_point_dict(p, extra))}",
                                   _counterexample(p, x, y, extra))
            p, x, y = t.wrong
            where = _where(_point_dict(p, extra))
            sizes_shown = bool(extra) and where != _FAR  # the point names the sizes: no label again
            return verdict(WRONG, (f"fails at {where}" if where else "the two sides are different numbers")
                           + ("" if sizes_shown else label), _counterexample(p, x, y, extra))
        if t.one_sided:
            p, x, _ = t.one_sided
            return verdict(DOMAIN, f"the right side is undefined at {_where(_point_dict(p, extra))}, where the left side is "
                           f"{_show_value(x)}{label}", _counterexample(p, x, None, extra))
    total = t.valid + t.undefined
    if t.valid < (MIN_VALID if not quad else 4):
        return verdict(INCONCLUSIVE, f"too few points where both sides are defined ({t.valid} of {total}){label}")
    skipped = f"; {t.undefined} points where a side is undefined skipped" if t.undefined else ""
    how = f"{dps} digits{', quadrature' if quad else ''}, 0 and \u00b11 included"
    return verdict(NUMERIC, f"agrees at {t.valid} points ({how}){skipped}{label}")


def _counterexample(p, x, y, extra=None) -> dict:
    return {"point": _point_dict(p, extra), "lhs": _show_value(x), "rhs": _show_value(y)}


def _exact_digits(x, c) -> int:
    """Significant digits that tell ``x`` from ``x + c`` apart (at least 12, at most 80)."""
    scale = max(1.0, abs(x))
    return int(min(80, max(12, 3 + mpmath.ceil(mpmath.log10(scale / abs(mpmath.mpf(sp.N(c, DPS))))))))


def constant_difference(a, b, c, extra: dict | None = None, label: str = "") -> Verdict | None:
    """``a - b`` is the nonzero constant ``c`` (SymPy decided it exactly): ``wrong`` at the first
    sampled point where both sides are defined, whatever the tolerance, with both values in the
    digits that tell them apart (a string beyond 15 digits); None when no sampled point has
    both sides defined."""
    fa, fb = _frozen_basic(a), _frozen_basic(b)
    atoms = points_.atoms(fa, fb)
    with mpmath.workdps(DPS):
        for p in points(atoms, random.Random(SEED)):
            x, y = points_.number(fa, p), points_.number(fb, p)
            if x is None or y is None or isinstance(x, tuple) or isinstance(y, tuple):
                continue
            digits = _exact_digits(x, c)
            if digits > 15:
                with mpmath.workdps(digits + DPS):  # terms may cancel down to c
                    x, y = (mpmath.nstr(value(f, p), digits) for f in (fa, fb))
            where = _where(_point_dict(p, extra))
            detail = (f"the left side minus the right side is the constant {latex(c)} at every point{label}; "
                      f"fails at {where}") if atoms else "the two sides are different numbers" + label
            return verdict(WRONG, detail, _counterexample(p, x, y, extra))
    return None

r"""The numeric check of a step at fixed sizes: both sides evaluated at sampled points.

Points (:func:`points`): the special values 0, 1, -1 of every atom at once (as its domain
allows: ``1, 2, 1/2`` where it is positive, ``1, 2, 3`` for a positive integer), then each atom
at each of its special values with the others random (at most :data:`MAX_SINGLE` of these, drawn
with the seed :data:`SEED` when there are more), then :data:`N_RANDOM` random points; an
undefined function and its derivatives are independent unknowns at a point.

At each point (:func:`number`: :data:`DPS` digits, the mpmath interpreter of
:mod:`derive.engine.evaluate`, SymPy's ``evalf`` where it has no rule) a side is a real number
or undefined (complex, infinite, nan); ``a = b`` holds there when
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
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from derive.engine.evaluate import NoValue, value
from derive.engine.verify import NO_VALUE, UNDECIDED
from check.arithmetic import basic
from check.verdicts import DOMAIN, INCONCLUSIVE, NUMERIC, WRONG, Verdict, verdict
from derive.ops import NormalPDF, normal_pdf
from derive.printing import latex

__all__ = ["numeric", "constant_difference", "points", "number", "holds", "DPS", "RTOL", "MIN_VALID", "N_RANDOM", "MAX_SINGLE",
           "DPS_QUAD", "RTOL_QUAD", "N_RANDOM_QUAD", "SEED"]

DPS = 30                        # digits of the numeric check
RTOL = 1e-12                    # relative tolerance of the numeric check
MIN_VALID = 6                   # points where both sides are defined, at least
N_RANDOM = 16                   # random points besides the special ones
MAX_SINGLE = 48                 # single-atom special points at most (an atom drawn at random when more)
DPS_QUAD, RTOL_QUAD, N_RANDOM_QUAD = 15, 1e-9, 5   # the same where an integral is left (quadrature)
SEED = 0


def _atoms(e) -> list:
    """The free variables of ``e`` (symbols and indexed entries, not IndexedBase labels)."""
    labels = {i.base.label for i in e.atoms(sp.Indexed)}
    out = {a for a in e.free_symbols if a not in labels and not isinstance(a, sp.IndexedBase)}
    out = {a for a in out if not (isinstance(a, sp.Indexed) and not all(i.is_number for i in a.indices))}
    return sorted(out, key=str)


def _freeze(e):
    """Undefined functions and their derivatives as independent symbols (a network's values
    and partial derivatives at a point are independent numbers)."""
    calls = set()
    for D in e.atoms(sp.Derivative):
        if isinstance(D.expr, AppliedUndef):
            calls.add(D)
    rep = {D: sp.Symbol(latex(D), real=True) for D in calls}
    e = e.xreplace(rep) if rep else e
    fs = {f for f in e.atoms(AppliedUndef)}
    rep = {f: sp.Symbol(latex(f), real=True) for f in fs}
    return e.xreplace(rep) if rep else e


def _domain(s) -> str:
    if s.is_integer:
        return "posint" if s.is_positive else "int"
    if s.is_positive:
        return "positive"
    if s.is_nonnegative:
        return "nonnegative"
    if s.is_negative:
        return "negative"
    return "real"


_SPECIAL = {"real": (0, 1, -1), "positive": (1, 2, sp.Rational(1, 2)), "nonnegative": (0, 1, 2),
            "negative": (-1, -2, -sp.Rational(1, 2)), "int": (0, 1, -1), "posint": (1, 2, 3)}


def _random_value(kind: str, rng: random.Random):
    if kind == "posint":
        return sp.Integer(rng.randint(1, 6))
    if kind == "int":
        return sp.Integer(rng.randint(-4, 4))
    if kind == "positive":
        return sp.Float(10 ** rng.uniform(-1.5, 1.5), DPS + 10)
    if kind == "nonnegative":
        return sp.Float(rng.uniform(0, 3), DPS + 10)
    if kind == "negative":
        return sp.Float(-10 ** rng.uniform(-1.5, 1.5), DPS + 10)
    return sp.Float(rng.uniform(-3, 3), DPS + 10)


def points(atoms: list, rng: random.Random, positive_only: bool = False, quad: bool = False) -> list[dict]:
    """Special points (all atoms at 0, 1, -1 as their domains allow; each atom at its
    special values with the others random: at most :data:`MAX_SINGLE` of these, the atoms drawn
    with ``rng`` when there are more), then :data:`N_RANDOM` random points (``quad``: the three
    joint special points and :data:`N_RANDOM_QUAD` random ones)."""
    kinds = {a: ("positive" if positive_only and _domain(a) == "real" else _domain(a)) for a in atoms}
    pts = [{a: sp.Integer(_SPECIAL[kinds[a]][k]) if not isinstance(_SPECIAL[kinds[a]][k], sp.Rational)
            else _SPECIAL[kinds[a]][k] for a in atoms} for k in range(3)]
    single = [(a, v) for a in atoms for v in _SPECIAL[kinds[a]]] if not quad else []
    if len(single) > MAX_SINGLE:
        single = [single[k] for k in sorted(rng.sample(range(len(single)), MAX_SINGLE))]
    for a, v in single:
        p = {b: _random_value(kinds[b], rng) for b in atoms}
        p[a] = basic(v)
        pts.append(p)
    pts += [{a: _random_value(kinds[a], rng) for a in atoms} for _ in range(N_RANDOM_QUAD if quad else N_RANDOM)]
    return pts


def number(e, point, dps: int = DPS, memo: dict | None = None):
    """The value of ``e`` at ``point`` as a float, or None when undefined (the mpmath
    interpreter of :mod:`derive.engine.evaluate`; SymPy's ``evalf`` where it has no rule);
    a matrix entry by entry, ``(shape, values)``. Subtrees met again (in other entries, or in
    the other side with the same ``memo``, which holds for one point) are evaluated once."""
    if isinstance(e, sp.MatrixBase):
        memo = {} if memo is None else memo
        vals = [number(x, point, dps, memo) for x in e]
        return None if any(x is None or isinstance(x, tuple) for x in vals) else (e.shape, vals)
    if not isinstance(e, sp.MatrixBase):
        try:
            return _scalar(_mp_number(value(e, point, memo=memo)))
        except NoValue:
            pass
        except (*NO_VALUE, RecursionError):  # undefined here (or nested too deeply to evaluate)
            return None
    try:
        v = e.xreplace(point)
        v = v.evalf(dps) if not isinstance(v, sp.MatrixBase) else v.applyfunc(lambda x: x.evalf(dps))
    except (*NO_VALUE, *UNDECIDED, RecursionError):
        return None
    if isinstance(v, sp.MatrixBase):
        vals = [_scalar(x) for x in v]
        return None if any(x is None for x in vals) else (v.shape, vals)
    return _scalar(v)


def _mp_number(v):
    """An mpmath number as a SymPy number (so :func:`_scalar` reads both kinds)."""
    if isinstance(v, mpmath.mpc):
        return sp.Float(v.real, DPS) + sp.I * sp.Float(v.imag, DPS)
    return sp.Float(v, DPS)


def _scalar(v):
    if not getattr(v, "is_number", False) or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    try:
        c = complex(v)
    except (TypeError, ValueError):
        return None
    if c != c or abs(c) == float("inf"):
        return None
    if abs(c.imag) > 1e-20 * max(1.0, abs(c.real)):
        return None  # not real: undefined in the reals
    return c.real


def _close(a, b, rtol: float = RTOL) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple)) or a[0] != b[0]:
            return False
        return all(_close(x, y, rtol) for x, y in zip(a[1], b[1]))
    return abs(a - b) <= rtol * max(1.0, abs(a), abs(b))


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


@dataclass
class _Tally:
    valid: int = 0
    undefined: int = 0
    wrong: tuple | None = None      # (point, a, b)
    one_sided: tuple | None = None  # (point, a, b): lhs defined, rhs not


def _tally(a, b, relation: str, points: list[dict], quad: bool = False, keep=None) -> _Tally:
    t = _Tally()
    dps, rtol = (DPS_QUAD, RTOL_QUAD) if quad else (DPS, RTOL)
    for p in points:
        if keep is not None and not keep(p):
            continue
        memo = {}  # one point: a subtree both sides (or several entries) share is evaluated once
        x, y = number(a, p, dps, memo), number(b, p, dps, memo)
        if x is None and y is None or x is None:
            t.undefined += 1
            continue
        if y is None:
            t.undefined += 1
            t.one_sided = t.one_sided or (p, x, y)
            continue
        t.valid += 1
        if not holds(x, y, relation, rtol) and t.wrong is None:
            t.wrong = (p, x, y)
    return t


def holds(x, y, relation: str, rtol: float = RTOL) -> bool:
    if relation == "=":
        return _close(x, y, rtol)
    if isinstance(x, tuple) or isinstance(y, tuple):
        return False
    slack = rtol * max(1.0, abs(x), abs(y))
    return {"<=": x <= y + slack, "<": x < y + slack, ">=": x >= y - slack, ">": x > y - slack}[relation]


def _keep(assumptions):
    """A predicate on points: every assumption holds there (None without assumptions)."""
    if not assumptions:
        return None

    def keep(p):
        for lhs, rel, rhs in assumptions:
            x, y = number(lhs, p), number(rhs, p)
            if x is None or y is None or not holds(x, y, rel, 0.0):
                return False
        return True
    return keep


def numeric(a, b, relation: str, extra: dict | None = None, label: str = "", assumptions=()) -> Verdict:
    """Points (those where the assumptions hold), then the verdict (see the module docstring)."""
    keep = _keep(list(assumptions))
    if keep:
        label += " (where the assumptions hold)"
    a, b = (_freeze(basic(x).replace(lambda e: isinstance(e, NormalPDF), lambda e: normal_pdf(*e.args)))
            for x in (a, b))
    atoms = _atoms(a) + [s for s in _atoms(b) if s not in _atoms(a)]
    rng = random.Random(SEED)
    quad = a.has(sp.Integral) or b.has(sp.Integral)
    dps = DPS_QUAD if quad else DPS
    with mpmath.workdps(dps):
        t = _tally(a, b, relation, points(atoms, rng, quad=quad), quad, keep)
        if t.wrong:
            real = [s for s in atoms if _domain(s) == "real"]
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
    fa, fb = (_freeze(basic(x).replace(lambda e: isinstance(e, NormalPDF), lambda e: normal_pdf(*e.args)))
              for x in (a, b))
    atoms = _atoms(fa) + [s for s in _atoms(fb) if s not in _atoms(fa)]
    with mpmath.workdps(DPS):
        for p in points(atoms, random.Random(SEED)):
            x, y = number(fa, p), number(fb, p)
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

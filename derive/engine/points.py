r"""The one sampler of the engine and the checker: the points at which both sides of an
equality are evaluated, their values there, and what the points show.

Points (:func:`points`): every symbol at its k-th special value at once (``k < n_special``),
then each symbol at each of its first ``n_special`` special values with the others random (at
most ``max_single`` of these, drawn with ``rng`` when there are more), then ``n_random``
random points; a covariance matrix takes random symmetric positive definite values
(:func:`spd_matrix`). The special values (:func:`special_values`) respect the symbol's domain: 0, 1,
-1 for a real symbol, then the edges ``1e-6`` and ``-1e6``; ``1, 2, 1/2``, then ``1e-6, 1e6``
for a positive one; ``1, 2, 3, 5, 8`` for a positive integer. A random value
(:func:`random_value`) is uniform in [-3, 3] for a real symbol, log-uniform in
``[10^{-1.5}, 10^{1.5}]`` for a positive one, an integer in 1..6 (or -4..4) for an integer.

Values (:func:`number`): the engine's interpreter (:func:`derive.engine.evaluate.value`),
SymPy's ``evalf`` where it has no rule; a side is a real number or undefined (None: complex,
infinite, nan, a division by zero). ``a = b`` holds at a point when
``|a - b| <= rtol * max(1, |a|, |b|)`` (:func:`holds`; an inequality with the same slack).

:func:`tally`: the points where both sides are defined (``valid``), where a side is undefined,
the first point where they differ (``wrong``) and the first where only the left side is
defined (``one_sided``): the counterexamples a failed check reports.

>>> x = sp.Symbol("x", real=True)
>>> t = tally(sp.log(x ** 2), 2 * sp.log(x), "=", points([x], random.Random(0), n_random=4))
>>> t.valid, t.one_sided[0]
(4, {x: -1})
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from sympy.polys.polyerrors import PolynomialError

from derive.engine.evaluate import NoValue, value

__all__ = ["special_values", "random_value", "points", "atoms", "frozen", "number", "holds", "tally", "Tally", "spd_matrix",
           "SPECIAL", "domain", "UNDECIDED", "NO_VALUE"]

UNDECIDED = (NotImplementedError, PolynomialError)  # SymPy's "cannot decide"
# a value that does not exist at a point (a division by zero, a logarithm of 0, an overflow)
NO_VALUE = (ZeroDivisionError, OverflowError, ValueError)

_HALF = sp.Rational(1, 2)
# the special values of each domain, the three the checker uses first, then the domain's edges
SPECIAL = {"real": (0, 1, -1, sp.Float("1e-6", 40), sp.Float("-1e6", 40)),
           "positive": (1, 2, _HALF, sp.Float("1e-6", 40), sp.Float("1e6", 40)),
           "nonnegative": (0, 1, 2, sp.Float("1e-6", 40), sp.Float("1e6", 40)),
           "negative": (-1, -2, -_HALF, sp.Float("-1e-6", 40), sp.Float("-1e6", 40)),
           "int": (0, 1, -1, 2, -3), "nonnegint": (0, 1, 2, 5), "posint": (1, 2, 3, 5, 8)}


def domain(s) -> str:
    """The key of ``s``'s domain in :data:`SPECIAL`."""
    if s.is_integer:
        return "posint" if s.is_positive else "nonnegint" if s.is_nonnegative else "int"
    return next((d for d in ("positive", "nonnegative", "negative") if getattr(s, f"is_{d}")), "real")


def special_values(s, positive_only: bool = False) -> list:
    """0, 1, -1 and the edges of the symbol's domain, as far as they lie in it (``positive_only``:
    a real symbol's values are those of a positive one)."""
    d = domain(s)
    d = "positive" if positive_only and d == "real" else d
    return [sp.sympify(v) for v in SPECIAL[d]]


def random_value(s, rng: random.Random, positive_only: bool = False):
    """A random value of ``s`` that respects its domain (see the module docstring)."""
    d = domain(s)
    d = "positive" if positive_only and d == "real" else d
    if d in ("posint", "nonnegint"):
        return sp.Integer(rng.randint(1, 6))
    if d == "int":
        return sp.Integer(rng.randint(-4, 4))
    if d in ("positive", "negative"):
        return sp.Float((1 if d == "positive" else -1) * 10 ** rng.uniform(-1.5, 1.5), 40)
    return sp.Float(rng.uniform(0, 3) if d == "nonnegative" else rng.uniform(-3, 3), 40)


def points(symbols: list, rng: random.Random, *, n_random: int = 16, n_special: int = 3, max_single: int = 48,
           positive_only: bool = False) -> list[dict]:
    """The special points, then ``n_random`` random points (see the module docstring)."""
    vals = {a: special_values(a, positive_only)[:n_special] for a in symbols}
    k_max = max((len(v) for v in vals.values()), default=n_special)
    joint = [{a: v[k % len(v)] for a, v in vals.items()} for k in range(k_max)]
    single = [(a, v) for a in symbols for v in vals[a]]
    if len(single) > max_single:
        single = [single[k] for k in sorted(rng.sample(range(len(single)), max_single))]
    pts = []
    for a, v in single:
        p = {b: random_value(b, rng, positive_only) for b in symbols}
        p[a] = v
        pts.append(p)
    pts += [{a: random_value(a, rng, positive_only) for a in symbols} for _ in range(n_random)]
    return joint + pts


def spd_matrix(k: int, rng: random.Random) -> sp.ImmutableMatrix:
    """A random symmetric positive definite ``k x k`` matrix ``L L^T`` (a covariance): ``L`` lower
    triangular with rational entries in [-1, 1] and its diagonal in [1/2, 2]."""
    L = sp.zeros(k, k)
    for i in range(k):
        L[i, i] = sp.Rational(rng.randint(2, 8), 4)
        for j in range(i):
            L[i, j] = sp.Rational(rng.randint(-4, 4), 4)
    return sp.ImmutableMatrix(L * L.T)


def atoms(*exprs) -> list:
    """The free variables of ``exprs``, in order of appearance (symbols and indexed entries with
    numeric indices, not ``IndexedBase`` labels), each sorted by name."""
    out = []
    for e in exprs:
        labels = {i.base.label for i in e.atoms(sp.Indexed)}
        free = {a for a in e.free_symbols if a not in labels and not isinstance(a, sp.IndexedBase)}
        free = {a for a in free if not (isinstance(a, sp.Indexed) and not all(i.is_number for i in a.indices))}
        out += [a for a in sorted(free, key=str) if a not in out]
    return out


def frozen(e, name: Callable = str):
    """Undefined functions and their derivatives as independent real symbols named ``name(call)``
    (a network's values and partial derivatives at a point are independent numbers)."""
    calls = {D for D in e.atoms(sp.Derivative) if isinstance(D.expr, AppliedUndef)}
    e = e.xreplace({D: sp.Symbol(name(D), real=True) for D in calls}) if calls else e
    calls = e.atoms(AppliedUndef)
    return e.xreplace({f: sp.Symbol(name(f), real=True) for f in calls}) if calls else e


def number(e, point: dict, dps: int = 30, memo: dict | None = None):
    """The value of ``e`` at ``point`` as a float, or None when undefined (see the module
    docstring); a matrix entry by entry, ``(shape, values)``. Subtrees met again (in other
    entries, or in the other side with the same ``memo``, which holds for one point) are
    evaluated once."""
    if isinstance(e, sp.MatrixBase):
        memo = {} if memo is None else memo
        vals = [number(x, point, dps, memo) for x in e]
        return None if any(x is None or isinstance(x, tuple) for x in vals) else (e.shape, vals)
    try:
        return _real(_sympy_number(value(e, point, memo=memo), dps))
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
        vals = [_real(x) for x in v]
        return None if any(x is None for x in vals) else (v.shape, vals)
    return _real(v)


def _sympy_number(v, dps: int):
    """An mpmath number as a SymPy number (so :func:`_real` reads both kinds)."""
    if isinstance(v, mpmath.mpc):
        return sp.Float(v.real, dps) + sp.I * sp.Float(v.imag, dps)
    return sp.Float(v, dps)


def _real(v):
    """``v`` as a float; None where it is not a finite real number."""
    if not getattr(v, "is_number", False) or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    try:
        c = complex(v)
    except (TypeError, ValueError):
        return None
    if c != c or abs(c) == float("inf") or abs(c.imag) > 1e-20 * max(1.0, abs(c.real)):
        return None  # not real: undefined in the reals
    return c.real


def holds(x, y, relation: str = "=", rtol: float = 1e-12) -> bool:
    """``x relation y`` up to ``rtol * max(1, |x|, |y|)`` (matrices ``(shape, values)`` entrywise)."""
    if isinstance(x, tuple) or isinstance(y, tuple):
        if relation != "=" or not (isinstance(x, tuple) and isinstance(y, tuple)) or x[0] != y[0]:
            return False
        return all(holds(a, b, "=", rtol) for a, b in zip(x[1], y[1]))
    slack = rtol * max(1.0, abs(x), abs(y))
    return {"=": abs(x - y) <= slack, "<=": x <= y + slack, "<": x < y + slack, ">=": x >= y - slack,
            ">": x > y - slack}[relation]


@dataclass
class Tally:
    """What the points show: ``valid`` (both sides defined), ``undefined`` (a side is not), the
    first point where the sides differ, ``wrong = (point, lhs, rhs)``, and the first where only
    the left side is defined, ``one_sided = (point, lhs, None)``."""

    valid: int = 0
    undefined: int = 0
    wrong: tuple | None = None
    one_sided: tuple | None = None


def tally(a, b, relation: str, pts: list[dict], *, dps: int = 30, rtol: float = 1e-12,
          keep: Callable | None = None) -> Tally:
    """``a relation b`` at each point of ``pts`` (those ``keep`` accepts), in ``dps`` digits."""
    t = Tally()
    with mpmath.workdps(dps):
        for p in pts:
            if keep is not None and not keep(p):
                continue
            memo = {}  # one point: a subtree both sides (or several entries) share is evaluated once
            x = number(a, p, dps, memo)
            y = number(b, p, dps, memo) if x is not None else None
            if x is None or y is None:
                t.undefined += 1
                t.one_sided = t.one_sided or (None if x is None else (p, x, None))
                continue
            t.valid += 1
            if t.wrong is None and not holds(x, y, relation, rtol):
                t.wrong = (p, x, y)
    return t

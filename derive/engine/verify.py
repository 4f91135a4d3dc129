"""Machine verification of one equality ``lhs = rhs``, with an honest record of how.

Three levels, strongest first (:data:`LEVELS`); a check returns a :class:`Verdict`, the
level plus the ``detail`` of what was done:

- ``symbolic``: SymPy showed ``lhs - rhs = 0`` for every value of every free symbol, sizes
  included. Cheap normal forms first (``expand``, then ``cancel``), ``simplify`` last.
- ``instances``: symbolic equality at the listed sizes only (:mod:`derive.engine.checks`).
- ``numeric``: agreement in ``dps`` digits at the points of the one sampler
  (:mod:`derive.engine.points`), which always include the special values 0, 1, -1 and the
  edges of each symbol's domain, plus random points (seeded); a value is a real number or
  undefined. Points where a side is undefined are counted, too few valid points fail the
  check, and so does a point where the left side is defined and the right side is not.

A step that passes none raises :class:`VerificationError`; there is no "unverified" outcome.
Only "SymPy cannot decide" (``NotImplementedError`` and polynomial-domain errors) leads from
the symbolic attempt to the numeric one; any other exception is a bug and is raised as one.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> verify((x + 1) ** 2, x ** 2 + 2 * x + 1).level
'symbolic'
>>> verify(sp.log(x ** 2), 2 * sp.log(x))
Traceback (most recent call last):
...
derive.engine.verify.VerificationError: log(x**2) = 2*log(x): the right side is undefined at {x: -1}, where the left side is 0
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

import sympy as sp

from derive.engine.points import NO_VALUE, SPECIAL, UNDECIDED, atoms, points, special_values, tally

__all__ = ["VerificationError", "VerificationBug", "Verdict", "WRONG", "DOMAIN", "INCONCLUSIVE", "OUTCOMES", "Difference", "difference", "verify", "verify_equal",
           "symbolic_zero", "expanded_terms", "MAX_EXPANDED_TERMS", "UNDECIDED", "NO_VALUE",
           "numeric_check", "special_values", "SYMBOLIC", "INSTANCES", "NUMERIC", "LEVELS",
           "weakest"]

SYMBOLIC = "symbolic"
INSTANCES = "instances"
NUMERIC = "numeric"
LEVELS = (SYMBOLIC, INSTANCES, NUMERIC)
# what a verification that did not succeed found: a counterexample (``wrong``), one outside a
# smaller domain (``domain``), or no decision (``inconclusive``, with the reason)
WRONG, DOMAIN, INCONCLUSIVE = "wrong", "domain", "inconclusive"
OUTCOMES = (WRONG, DOMAIN, INCONCLUSIVE)



class VerificationError(AssertionError):
    """A derivation step that SymPy could not confirm: a bug in the derivation; a numeric check
    that failed at a point says where (``counterexample``: ``{"point", "lhs", "rhs"}``)."""

    def __init__(self, message: str, counterexample: Mapping | None = None):
        super().__init__(message)
        self.counterexample = counterexample


class VerificationBug(RuntimeError):
    """A check that broke (not a failed equality): a bug in the checking code."""


@dataclass(frozen=True)
class Verdict:
    """How a step was verified: ``level`` (one of :data:`LEVELS`) and ``detail``, a small
    JSON-ready mapping (the method; the sizes; the points, digits, tolerance and seed).
    ``detail["tag"]`` is the short text the step's LaTeX tag prints. A verification that did
    not succeed has a ``level`` of :data:`OUTCOMES` (the checker's judgement of someone else's
    step; a chain of the project's own refuses it) and, for ``wrong`` and ``domain``, a
    ``counterexample``: ``{"point": {name: value}, "lhs": value, "rhs": value}``."""

    level: str
    detail: Mapping = field(default_factory=dict)
    counterexample: Mapping | None = None

    def __post_init__(self):
        if self.level not in LEVELS + OUTCOMES:
            raise VerificationBug(f"unknown verification level {self.level!r}")

    @property
    def holds(self) -> bool:
        """Verified (at one of the three :data:`LEVELS`)."""
        return self.level in LEVELS

    @property
    def tag(self) -> str:
        return self.detail.get("tag", self.level)


def weakest(verdicts: Iterable[Verdict]) -> str:
    """The weakest level among ``verdicts`` (``numeric`` < ``instances`` < ``symbolic``)."""
    levels = {v.level for v in verdicts}
    return next((lv for lv in reversed(LEVELS) if lv in levels), SYMBOLIC)


MAX_EXPANDED_TERMS = 3000  # terms the checker lets expand() produce; a larger difference goes to the points


def expanded_terms(e) -> int:
    """An upper bound on the terms ``expand`` makes of ``e`` or of any function argument in it
    (``(a+b+c+d)^{40}``: binom(43, 3) = 12341), counted before expanding anything.

    >>> a, b = sp.symbols("a b")
    >>> expanded_terms((a + b) ** 3 + sp.exp((a + b + 1) ** 2))
    6
    """
    inner = 0

    def terms(x) -> int:
        nonlocal inner
        if x.is_Add:
            return sum(terms(a) for a in x.args)
        if x.is_Mul:
            return math.prod(terms(a) for a in x.args)
        if x.is_Pow and x.exp.is_Integer and x.exp > 0:
            n = terms(x.base)
            return math.comb(n + int(x.exp) - 1, int(x.exp)) if n > 1 else 1
        for a in x.args:  # a function's arguments are expanded on their own
            inner = max(inner, terms(a))
        return 1
    if isinstance(e, sp.MatrixBase):
        return max((expanded_terms(x) for x in e), default=1)
    return max(terms(sp.sympify(e)), inner)


def _nonzero_constant(form) -> bool:
    """``form`` is a number (no free symbol) that SymPy decides is not 0."""
    return isinstance(form, sp.Expr) and not form.free_symbols and form.is_zero is False


def _decide_scalar(e, max_terms: int | None) -> "Difference":
    """The first normal form that shows ``e == 0`` (its name), or that ``e`` is a nonzero
    constant (its value), else an undecided :class:`Difference` (``too_large`` when expanding
    ``e`` would exceed ``max_terms``)."""
    if e == 0:
        return Difference("identical")
    if _nonzero_constant(e):
        return Difference(constant=e)
    if max_terms is not None and expanded_terms(e) > max_terms:
        return Difference(too_large=True)
    for name, form in (("cancel", sp.cancel), ("expand", sp.expand), ("simplify", sp.simplify)):
        f = form(sp.together(e)) if name == "cancel" else form(e)  # cancel: usually cheaper with exponentials
        if f == 0:
            return Difference(name)
        if _nonzero_constant(f):
            return Difference(constant=f)
    return Difference()


@dataclass(frozen=True)
class Difference:
    """What SymPy shows about ``lhs - rhs``: zero for every value (``method``, the normal form
    that showed it), a nonzero constant (``constant``: then the sides differ at every point by
    exactly that number, and no numeric tolerance may accept the step), or neither (``too_large``:
    its expansion would exceed :data:`MAX_EXPANDED_TERMS` terms, so no normal form was tried)."""

    method: str | None = None
    constant: sp.Expr | None = None
    too_large: bool = False  # not expanded: more than MAX_EXPANDED_TERMS terms


def difference(diff, max_terms: int | None = None) -> Difference:
    """Decide ``diff = lhs - rhs`` (see :class:`Difference`); a matrix entry by entry (a nonzero
    constant entry decides it). With ``max_terms`` (the checker's :data:`MAX_EXPANDED_TERMS`), a
    difference whose expansion would be larger is not tried. Only "SymPy cannot decide" leaves
    it undecided; any other exception is a bug (:class:`VerificationBug`).

    >>> x = sp.Symbol("x", real=True)
    >>> difference((x + 1) ** 2 - x ** 2 - 2 * x - 1).method, difference(x**2 + 10**40 - (x**2 + 10**40 + 1)).constant
    ('cancel', -1)
    """
    try:
        diff = sp.sympify(diff)
        if diff == 0:
            return Difference("identical")
        diff = diff.doit()
        entries = list(diff) if isinstance(diff, sp.MatrixBase) else [diff]
        found = []
        for e in entries:
            found.append(_decide_scalar(e, max_terms))
            if found[-1].constant is not None or found[-1].too_large:
                return found[-1]
    except UNDECIDED:
        return Difference()
    except Exception as exc:  # not "cannot decide": a bug in the step or the check
        raise VerificationBug(f"SymPy failed on {diff}: {type(exc).__name__}: {exc}") from exc
    if not found or any(d.method is None for d in found):
        return Difference() if found else Difference("identical")
    order = ("identical", "cancel", "expand", "simplify")
    return Difference(max((d.method for d in found), key=order.index))


def symbolic_zero(diff) -> str | None:
    """How SymPy shows ``diff == 0`` for all values (``"expand"``, ``"cancel"``,
    ``"simplify"``, ...), or None where it does not (or cannot decide): :func:`difference`'s
    method."""
    return difference(diff).method


def _short(point: Mapping) -> dict:
    """A point as it reads in a message: whole numbers as integers, others in 6 digits."""
    out = {}
    for k, v in point.items():
        v = sp.sympify(v)
        whole = v.is_number and v.is_real and abs(v) < 1e6 and float(v).is_integer()
        out[k] = sp.Integer(int(v)) if whole else sp.N(v, 6)
    return out


def numeric_check(lhs, rhs, *, n_points: int = 24, dps: int = 30, rtol: float = 1e-15, seed: int = 0,
                  sampler: Callable[[random.Random], Mapping] | None = None, min_valid: int | None = None,
                  special: bool = True) -> Verdict:
    """``lhs = rhs`` at the special points and ``n_points`` random points of the one sampler
    (:func:`derive.engine.points.points`, every special value of each symbol), see the module
    docstring. A point where the left side is defined and the right side is not fails the check
    (the counterexample of a smaller domain), as does one where the sides differ.

    sampler: ``rng -> {symbol: value}`` for settings the default points do not respect (then
    only its points are used). Fails unless at least ``min_valid`` (default: half the points,
    at least 4) have both sides defined.
    """
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    free = atoms(lhs, rhs)
    rng = random.Random(seed)
    if sampler:
        pts = [sampler(rng) for _ in range(n_points)]
    else:
        pts = points(free, rng, n_random=n_points, n_special=len(SPECIAL["real"]) if special else 0)
    t = tally(lhs, rhs, "=", pts, dps=dps, rtol=rtol)
    if t.wrong or t.one_sided:
        p, a, b = t.wrong or t.one_sided
        why = (f"fails at {_short(p)}: {a:.15g} vs {b:.15g}" if t.wrong else
               f"the right side is undefined at {_short(p)}, where the left side is {a:.15g}")
        raise VerificationError(f"{lhs} = {rhs}: {why}", counterexample={"point": p, "lhs": a, "rhs": b})
    need = min_valid if min_valid is not None else max(4, len(pts) // 2)
    if t.valid < need:
        raise VerificationError(f"{lhs} = {rhs}: only {t.valid} of {len(pts)} points are defined")
    n_special = len(pts) - n_points if not sampler else 0
    return Verdict(NUMERIC, {"tag": f"numeric, {t.valid} pts", "points": t.valid, "special_points": n_special,
                             "undefined_points": t.undefined, "digits": dps, "tolerance": rtol, "seed": seed})


def verify(lhs, rhs, *, how: str = "auto", **numeric_kw) -> Verdict:
    """Check ``lhs == rhs``; return its :class:`Verdict` or raise.

    how: ``"auto"`` (symbolic, then numeric), ``"symbolic"`` (symbolic only) or ``"numeric"``
    (skip the symbolic attempt, e.g. where ``simplify`` is known to be slow); ``numeric_kw``
    go to :func:`numeric_check`.
    """
    if how not in ("auto", SYMBOLIC, NUMERIC):
        raise VerificationBug(f"unknown how={how!r}")
    if how in ("auto", SYMBOLIC):
        d = difference(sp.sympify(lhs) - sp.sympify(rhs))
        if d.method is not None:
            return Verdict(SYMBOLIC, {"method": d.method})
        if d.constant is not None:  # exactly nonzero: no tolerance may accept it
            raise VerificationError(f"{lhs} = {rhs}: the sides differ by the constant {d.constant}")
        if how == SYMBOLIC:
            raise VerificationError(f"not symbolically equal: {lhs} = {rhs}")
    return numeric_check(lhs, rhs, **numeric_kw)


def verify_equal(lhs, rhs, **kw) -> str:
    """The level of :func:`verify` (``"symbolic"`` or ``"numeric"``), or raise."""
    return verify(lhs, rhs, **kw).level


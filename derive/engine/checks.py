"""Instance checks: a step written for a generic size, checked at listed sizes.

A step such as ``|diag(sigma^2)| = prod_j sigma_j^2`` holds for every ``m``; where SymPy
cannot compare the two sides for a symbolic ``m``, :func:`instances` makes both explicit at
each listed size (``instantiate(expr, size)``, usually an
:class:`~derive.engine.explicit.Explicit` walker) and compares them there. The verdict is
``instances`` (or ``numeric``, if a size was only checked numerically), never ``symbolic``:
its detail lists the sizes and says why no proof for every size was used. The comparisons
below return a :class:`~derive.engine.verify.Verdict` or raise
:class:`~derive.engine.verify.VerificationError`:

- :func:`derive.engine.verify.verify` (the default): symbolic, else numeric;
- :func:`equal_in_calls`: values of undefined functions and their partial derivatives are
  independent unknowns (a Jacobian formula against SymPy's own chain rule);
- :func:`equal_entrywise`: ``simplify`` of every entry of the difference;
- :func:`equal_logs`: two positive expressions whose expanded logarithms agree.

>>> import sympy as sp
>>> m = sp.Symbol("m", integer=True, positive=True)
>>> x = sp.IndexedBase("x")
>>> j = sp.Symbol("j", integer=True, positive=True)
>>> check = instances(lambda e, k: e.subs(m, k).doit(), sizes=(1, 2, 3), tag="m <= 3",
...                   why="a doctest")
>>> v = check(sp.Sum(2 * x[j], (j, 1, m)), 2 * sp.Sum(x[j], (j, 1, m)))
>>> v.level, v.tag, v.detail["sizes"]
('instances', 'm <= 3', ['1', '2', '3'])
"""
from __future__ import annotations

from typing import Callable, Iterable

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.engine.verify import (INSTANCES, NUMERIC, SYMBOLIC, Verdict, VerificationError, numeric_check,
                                  verify)

__all__ = ["instances", "proved", "induction", "peel_last", "canonical_calls", "equal_in_calls",
           "equal_entrywise", "equal_logs"]


def proved(method: str, **detail) -> Verdict:
    """A symbolic verdict: shown for every value and size, by ``method``."""
    return Verdict(SYMBOLIC, {"method": method, **detail})


def instances(instantiate: Callable[[object, object], object], sizes: Iterable, *, tag: str, why: str,
              compare: Callable | None = None, describe: Callable[[object], str] = str,
              **verify_kw) -> Callable:
    """A ``check=`` function for :meth:`derive.engine.chain.Chain.step`.

    instantiate(expr, size): ``expr`` made explicit at ``size``; compare(a, b) -> Verdict
    (raises on failure), default :func:`verify` with ``verify_kw``; tag: the short label
    (``"m <= 4"``); why: why the step is not proved for every size; describe(size): a size
    in the detail and in error messages.
    """
    sizes = tuple(sizes)

    def check(lhs, rhs) -> Verdict:
        verdicts = []
        for size in sizes:
            a, b = instantiate(lhs, size), instantiate(rhs, size)
            try:
                verdicts.append(compare(a, b) if compare else verify(a, b, **verify_kw))
            except VerificationError as exc:
                raise VerificationError(f"at {describe(size)}: {exc}") from None
        detail = {"tag": tag, "sizes": [describe(s) for s in sizes], "why": why}
        numeric = [v for v in verdicts if v.level == NUMERIC]
        if numeric:
            points = sum(v.detail.get("points", 0) for v in numeric)
            return Verdict(NUMERIC, {**numeric[0].detail, **detail, "tag": f"numeric, {tag}",
                                     "points": points})
        return Verdict(INSTANCES, detail)
    return check


def peel_last(expr, n):
    """Every ``Sum``/``Product`` over ``j = lo..n + 1`` split into the one over ``lo..n`` and
    its last term (the definition of a sum or product with one more term)."""
    def split(e):
        (j, lo, hi), = e.limits
        if sp.simplify(hi - (n + 1)) != 0:
            return e
        rest, last = e.func(e.function, (j, lo, n)), e.function.subs(j, n + 1)
        return rest + last if isinstance(e, sp.Sum) else rest * last
    return expr.replace(lambda e: isinstance(e, (sp.Sum, sp.Product)) and len(e.limits) == 1, split)


def induction(n, base: Callable, step: Callable, base_value=1, why_step: str = "") -> Callable:
    """A ``check=`` that proves ``lhs(n) = rhs(n)`` for every integer ``n >= base_value``:
    ``base(lhs, rhs)`` at ``n = base_value`` and ``step(lhs, rhs)``, the claim at ``n + 1``
    from the claim at ``n``, each a check that returns a symbolic verdict or raises."""
    def check(lhs, rhs) -> Verdict:
        verdicts = [base(lhs, rhs), step(lhs, rhs)]
        if any(v.level != SYMBOLIC for v in verdicts):
            raise VerificationError(f"induction on {n}: base or step not proved symbolically")
        return proved(f"induction on {n}", base=f"{n} = {base_value}", step=why_step or f"{n} -> {n} + 1")
    return check


def _as_matrix(e):
    return e if isinstance(e, sp.MatrixBase) else sp.Matrix([e])


def _slots(f, variables) -> str | None:
    """The argument positions of ``f`` that ``variables`` are (None: one is not an argument)."""
    out = []
    for v in variables:
        hits = [n for n, a in enumerate(f.args) if a == v]
        if len(hits) != 1:
            return None
        out.append(str(hits[0]))
    return "".join(out)


def canonical_calls(e):
    """Each partial derivative of an undefined function in one canonical form: a call
    ``D<slots>_f(args)`` at the point (``Subs`` of a derivative included), so that equal
    partial derivatives compare equal (``d/dw y(h(w))`` by SymPy's chain rule and ``dy/dh`` at
    ``h(w)``); a matrix entry by entry. A derivative in something that is not one of the
    function's arguments is left as it is.

    >>> x, y = sp.symbols("x y")
    >>> f = sp.Function("f")
    >>> canonical_calls(sp.Derivative(f(x, y), y) + sp.Subs(sp.Derivative(f(x, y), x), x, 1))
    D0_f(1, y) + D1_f(x, y)
    """
    def call(f, variables, point=None):
        slots = _slots(f, variables)
        if slots is None:
            return None
        args = f.args if point is None else [a.xreplace(point) for a in f.args]
        return sp.Function(f"D{slots}_{f.func.__name__}")(*args)

    def subs_rule(s):
        der, vs, pts = s.args
        got = call(der.expr, der.variables, dict(zip(vs, pts)))
        return s if got is None else got

    def der_rule(D):
        got = call(D.expr, D.variables)
        return D if got is None else got
    if isinstance(e, sp.MatrixBase):
        return e.applyfunc(canonical_calls)
    if not isinstance(e, sp.Basic) or not e.has(sp.Derivative):
        return e
    e = e.replace(lambda a: isinstance(a, sp.Subs) and isinstance(a.args[0], sp.Derivative)
                  and isinstance(a.args[0].expr, AppliedUndef), subs_rule)
    return e.replace(lambda a: isinstance(a, sp.Derivative) and isinstance(a.expr, AppliedUndef), der_rule)


def equal_in_calls(opaque: tuple = ()) -> Callable:
    """A comparison for explicit matrices in which every call of an undefined function (and
    of the classes ``opaque``) and every partial derivative is an independent unknown: the
    difference, a polynomial in the partial derivatives, must have zero coefficients."""
    def compare(a, b) -> str:
        a, b = _as_matrix(a), _as_matrix(b)
        if a.shape != b.shape:
            raise VerificationError(f"shapes differ: {a.shape} vs {b.shape}")
        diff = (a - b).applyfunc(canonical_calls)
        calls = set().union(*[e.atoms(AppliedUndef, *opaque) for e in diff])
        rep = {c: sp.Dummy(c.func.__name__) for c in calls}
        dvars = [rep[c] for c in calls if c.func.__name__.startswith("D")]
        for e in diff:
            e = sp.expand(e.xreplace(rep))
            if e == 0:
                continue
            coeffs = sp.Poly(e, *dvars).coeffs() if dvars else [e]
            if any(sp.cancel(sp.together(c)) != 0 for c in coeffs):
                raise VerificationError("an entry of the difference is not zero")
        return proved("polynomial in the partial derivatives")
    return compare


def equal_entrywise(a, b) -> str:
    """Explicit matrices (or scalars) equal entry by entry after ``simplify``."""
    a, b = _as_matrix(a), _as_matrix(b)
    if a.shape != b.shape:
        raise VerificationError(f"shapes differ: {a.shape} vs {b.shape}")
    if not all(sp.simplify(sp.expand(canonical_calls(e).doit())) == 0 for e in a - b):
        raise VerificationError("an entry of the difference is not zero")
    return proved("simplify, entrywise")


def equal_logs(a, b) -> str:
    """Two positive expressions: equal if their expanded logarithms agree (symbolic),
    else compared numerically at random points."""
    if sp.expand(sp.expand_log(sp.log(a) - sp.log(b), force=True)) == 0:
        return proved("expanded logarithms")
    return numeric_check(a, b, n_points=4)

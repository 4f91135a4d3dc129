"""Sum algebra with symbolic bounds: a normal form for sums of products, and index calculus.

:func:`sum_normal_form` writes an expression built from ``Sum``s with symbolic bounds as a
sum of terms ``c * Sum_{j_1..j_r}`` by using only identities that hold for every size:

- linearity: a sum of a sum (or of a constant times a term) is split; a product of sums is a
  sum over all their indices;
- an index that does not occur in a term: ``Sum_{j=1}^{m} c = m c``;
- shifted ranges start at 1: ``Sum_{j=0}^{m-1} f(j) = Sum_{j=1}^{m} f(j - 1)``;
- ``Sum_{j=1}^{m} KroneckerDelta(j, e) f(j) = f(e)`` when ``e`` is another index over
  ``1..m`` or a free index declared in ``ranges`` to lie in ``1..m``;
- renaming of summation indices (each term's indices get canonical names).

Two sides whose normal forms agree term by term (up to ``cancel``) are equal for every value
of the symbols and every size: :func:`sums_equal` returns a symbolic verdict. Matrix
expressions of symbolic size become index form through SymPy's own entries
(``(A^T B)[a, 0] = Sum_j A[j, a] B[j, 0]``), :func:`entry`.

>>> import sympy as sp
>>> m = sp.Symbol("m", integer=True, positive=True)
>>> j, k = sp.symbols("j k", integer=True, positive=True)
>>> x = sp.IndexedBase("x")
>>> sums_equal(sp.Sum(3 * x[j] + 1, (j, 1, m)), 3 * sp.Sum(x[k], (k, 1, m)) + m).level
'symbolic'
>>> sums_equal(sp.diff(sp.Sum(x[j] ** 2, (j, 1, m)), x[k]), 2 * x[k], ranges={k: (1, m)}).level
'symbolic'
"""
from __future__ import annotations

from itertools import permutations
from typing import Mapping

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.engine.verify import SYMBOLIC, Verdict, VerificationError

__all__ = ["sum_normal_form", "sums_equal", "entry"]

Term = tuple  # (coefficient: sum-free expression, limits: tuple of (index, upper bound))


def _fresh(v) -> sp.Dummy:
    return sp.Dummy(v.name if hasattr(v, "name") else "j", integer=True)


def _terms(e, ranges) -> list[Term]:
    """``e`` as a list of (coefficient, limits), every range starting at 1."""
    if isinstance(e, sp.Sum):
        f, limits = e.function, []
        for v, lo, hi in e.limits:
            nv = _fresh(v)
            f = f.xreplace({v: nv + lo - 1})
            limits.append((nv, sp.simplify(hi - lo + 1)))
        return [(c, lim + tuple(limits)) for c, lim in _terms(f, ranges)]
    if isinstance(e, sp.Add):
        return [t for a in e.args for t in _terms(a, ranges)]
    if isinstance(e, sp.Mul):
        out = [(sp.Integer(1), ())]
        for a in e.args:
            out = [(c1 * c2, l1 + l2) for c1, l1 in out for c2, l2 in _terms(a, ranges)]
        return out
    if isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp > 0 and e.base.has(sp.Sum):
        return _terms(sp.Mul(*[e.base] * int(e.exp), evaluate=False), ranges)
    return [(_atom(e, ranges), ())]


def _atom(e, ranges):
    """An expression that is not a sum or product: sums inside it in canonical form."""
    if not e.has(sp.Sum) or not e.args:
        return e
    if isinstance(e, sp.Sum):
        return _rebuild(e, ranges)
    return e.func(*[_atom_or_rebuild(a, ranges) for a in e.args])


def _atom_or_rebuild(a, ranges):
    return _rebuild(a, ranges) if a.has(sp.Sum) else a


def _rebuild(e, ranges):
    """``e`` rebuilt from its normal form (canonical indices): equal sums rebuild equal."""
    form = sum_normal_form(e, ranges)
    out = []
    for sig, c in form.items():
        if not sig:
            out.append(c)
            continue
        indep, dep = c.as_independent(*[v for v, _ in sig], as_Add=False)
        out.append(indep * sp.Sum(dep, *[(v, 1, hi) for v, hi in sig]))
    return sp.Add(*out)


def _linear_solution(expr, v):
    """The value of ``v`` where ``expr = 0``, if ``expr`` is ``+-v + (terms without v)``."""
    coeff = sp.diff(expr, v)
    if coeff not in (1, -1) or sp.diff(expr, v, 2) != 0:
        return None
    return sp.expand(v - expr / coeff)


def _in_range(value, hi, limits, ranges) -> bool:
    """Is ``value`` known to lie in 1..hi: another index over 1..hi, or a declared free index."""
    for v, h in limits:
        if value == v:
            return sp.simplify(h - hi) == 0
    r = ranges.get(value)
    return r is not None and r[0] == 1 and sp.simplify(r[1] - hi) == 0


def _eliminate_deltas(c, limits, ranges):
    """Sum_{v=1}^{hi} KroneckerDelta(v, e) f(v) = f(e) for e in 1..hi."""
    changed = True
    while changed:
        changed = False
        for f in sp.Mul.make_args(c):
            if not isinstance(f, sp.KroneckerDelta):
                continue
            for v, hi in limits:
                value = _linear_solution(f.args[0] - f.args[1], v) if f.has(v) else None
                others = [lim for lim in limits if lim[0] != v]
                if value is not None and not value.has(v) and _in_range(value, hi, others, ranges):
                    c = (c / f).xreplace({v: value})
                    limits = tuple(l for l in limits if l[0] != v)
                    changed = True
                    break
            if changed:
                break
    return c, limits


def _drop_unused(c, limits):
    """Sum_{v=1}^{hi} c = hi c when v does not occur in c; a sum over v = 1..1 is its term."""
    keep = []
    for v, hi in limits:
        if hi == 1:
            c = c.xreplace({v: sp.Integer(1)})
        elif c.has(v):
            keep.append((v, hi))
        else:
            c = c * hi
    return c, tuple(keep)


def _canonical(c, limits):
    """Rename the indices of one term: ``(signature, coefficient)`` with canonical names."""
    order = sorted(limits, key=lambda l: str(l[1]))
    groups = {}
    for v, hi in order:
        groups.setdefault(str(hi), []).append((v, hi))
    best = None
    for choice in _choices(list(groups.values())):
        names = {v: sp.Symbol(f"i{n}_", integer=True, positive=True) for n, (v, _) in enumerate(choice)}
        cand = (tuple((names[v], hi) for v, hi in choice), c.xreplace(names))
        key = sp.srepr(cand[1])
        if best is None or key < best[0]:
            best = (key, cand)
    return best[1] if best else ((), c)


def _choices(groups):
    """Every ordering of the indices that keeps indices of equal range together."""
    if not groups:
        yield []
        return
    first, rest = groups[0], groups[1:]
    for perm in permutations(first):
        for tail in _choices(rest):
            yield list(perm) + tail


def sum_normal_form(expr, ranges: Mapping | None = None) -> dict:
    """``{signature: coefficient}``: ``expr`` as a sum over signatures (canonical indices and
    their upper bounds) of sum-free coefficients (see module docstring)."""
    ranges = dict(ranges or {})
    form: dict = {}
    for c, limits in _terms(sp.sympify(expr), ranges):
        c, limits = _eliminate_deltas(c, limits, ranges)
        c, limits = _drop_unused(c, limits)
        sig, c = _canonical(c, limits)
        form[sig] = form.get(sig, 0) + c
    return form


def _zero(e, simplify=None) -> bool:
    """``e == 0`` for all values; sums inside functions (``exp(-y Sum_j x_j w_j)``) are
    unknowns here (equal sums have equal canonical forms). ``simplify``: a last normal form
    to try (default ``sympy.simplify``)."""
    e = sp.expand(e)
    if e == 0:
        return True
    sums = {a: sp.Dummy("S") for a in e.atoms(sp.Sum)}
    e = e.xreplace(sums)
    if sp.expand(e) == 0 or sp.cancel(sp.together(e)) == 0:
        return True
    return sp.simplify(sp.expand((simplify or sp.simplify)(e))) == 0


def sums_equal(a, b, ranges: Mapping | None = None, simplify=None, **detail) -> Verdict:
    """A symbolic verdict when ``a`` and ``b`` have the same :func:`sum_normal_form` (the
    coefficients compared by ``expand``, ``cancel``, then ``simplify``), else
    :class:`VerificationError`."""
    fa, fb = sum_normal_form(a, ranges), sum_normal_form(b, ranges)
    for sig in set(fa) | set(fb):
        if not _zero(fa.get(sig, 0) - fb.get(sig, 0), simplify):
            raise VerificationError(f"sums differ in the terms over {sig or 'no index'}: "
                                    f"{fa.get(sig, 0)} vs {fb.get(sig, 0)}")
    return Verdict(SYMBOLIC, {"method": "sum algebra with symbolic bounds", **detail})


def _entry(e, r, c, lookup):
    """Entry (r, c), 0-based, of the matrix expression ``e`` in index form: sums over the
    inner indices of products (not evaluated), ``lookup(M, r, c)`` for matrix symbols."""
    rec = lambda x, i, j: _entry(x, i, j, lookup)
    if isinstance(e, sp.MatrixSymbol):
        return lookup(e, r, c)
    if isinstance(e, sp.MatAdd):
        return sp.Add(*[rec(a, r, c) for a in e.args])
    if isinstance(e, sp.MatMul):
        scalars = [a for a in e.args if not getattr(a, "is_Matrix", False)]
        mats = [a for a in e.args if getattr(a, "is_Matrix", False)]
        inner = [sp.Integer(0) if M.shape[1] == 1 else sp.Dummy("k", integer=True) for M in mats[:-1]]
        rows, cols = [r] + inner, inner + [c]
        body = sp.Mul(*scalars, *[rec(M, i, j) for M, i, j in zip(mats, rows, cols)])
        limits = [(k, 0, M.shape[1] - 1) for k, M in zip(inner, mats) if not k.is_Integer]
        return sp.Sum(body, *limits) if limits else body
    if isinstance(e, sp.Transpose):
        return rec(e.args[0], c, r)
    if isinstance(e, sp.HadamardProduct):
        return sp.Mul(*[rec(a, r, c) for a in e.args])
    if isinstance(e, sp.HadamardPower):
        return rec(e.args[0], r, c) ** e.args[1]
    if isinstance(e, sp.Identity):
        return sp.KroneckerDelta(r, c)
    if isinstance(e, sp.OneMatrix):
        return sp.Integer(1)
    if isinstance(e, sp.ZeroMatrix):
        return sp.Integer(0)
    out = e._entry(r, c)  # an operator of its own (diag, elementwise functions, ...)
    return out.replace(lambda x: isinstance(x, MatrixElement) and isinstance(x.parent, sp.MatrixSymbol),
                       lambda x: lookup(x.parent, x.i, x.j))


def entry(expr, row, col, table):
    """Entry ``(row, col)`` (0-based) of the matrix expression ``expr`` of symbolic size, each
    entry ``M[r, c]`` of a matrix symbol replaced by ``table[M](r, c)`` (``table`` a mapping,
    or a function ``(M, r, c) -> entry``)."""
    lookup = (lambda M, r, c: table[M](r, c)) if isinstance(table, Mapping) else table
    if not hasattr(expr, "shape"):
        return expr
    return _entry(expr, row, col, lookup)

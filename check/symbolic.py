r"""The symbolic checks of a step: ``proved`` when one of them shows ``lhs - rhs = 0``.

- :func:`zero`: the difference expands to 0 (matrices entrywise), after ``ln`` of a product or
  ratio of densities became the sum of their ``ln`` (densities are positive);
- :func:`zero_method`: the engine's :func:`derive.engine.verify.difference` (``cancel``,
  ``expand``, then ``simplify``), naming the method that showed it, or the exactly nonzero
  constant the difference is;
- :func:`split_sums`: linearity of sums, ``sum (a + b) = sum a + sum b``, constants out,
  ``sum_{j=lo}^{hi} c = c (hi - lo + 1)``, for a proof at every size;
- :func:`sums_symbolic`: the engine's sum algebra (:func:`derive.engine.sums.sums_equal`);
- :func:`matrices_symbolic`: matrices of symbolic size entry by entry in index form,
  ``(A^T B)[r, c] = Sum_k A[k, r] B[k, c]`` (:func:`derive.engine.sums.entry`);
- :func:`proved_inequality`: ``simplify(rhs - lhs)`` shown nonnegative (positive for ``<``).

>>> x = sp.Symbol("x", real=True)
>>> zero((x + 1) ** 2 - x ** 2 - 2 * x - 1), zero_method(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1)).method
(True, 'simplify')
"""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.engine.sums import entry, sum_normal_form, sums_equal
from derive.engine.verify import (MAX_EXPANDED_TERMS, UNDECIDED, Difference, VerificationError, difference,
                                  expanded_terms)
from derive.ops import NormalPDF, Scalar

__all__ = ["zero", "zero_method", "split_sums", "sums_symbolic", "matrices_symbolic", "proved_inequality"]


def split_sums(e):
    """Linearity of sums: sum (a + b) = sum a + sum b, constants out, sum c = c (hi - lo + 1)."""
    def one(s):
        if len(s.limits) != 1 or not isinstance(s, sp.Sum) or isinstance(s.function, sp.MatrixExpr):
            return s  # a sum of matrices: written out at explicit sizes instead
        var, lo, hi = s.limits[0]
        terms = []
        for t in sp.Add.make_args(sp.expand(sp.expand_log(s.function, force=True))):
            const = sp.Mul(*[f for f in sp.Mul.make_args(t) if not f.has(var)])
            rest = sp.Mul(*[f for f in sp.Mul.make_args(t) if f.has(var)])
            terms.append(const * (hi - lo + 1) if rest == 1 else const * sp.Sum(rest, (var, lo, hi)))
        return sp.Add(*terms)
    return sp.expand(e.replace(lambda x: isinstance(x, sp.Sum), one))


def zero(d, densities=frozenset()) -> bool:
    if isinstance(d, sp.MatrixBase):
        return all(zero(x, densities) for x in d)
    if expanded_terms(d) > MAX_EXPANDED_TERMS:  # left to the engine's decision and the points
        return False
    try:
        return sp.expand(_density_logs(d, densities)) == 0
    except UNDECIDED:
        return False


def _density_logs(e, densities):
    """``ln`` of a product or ratio of densities as the sum of their ``ln`` (densities are
    positive), the rule :mod:`derive.engine.integrals` applies inside integrals."""
    def is_density(f):
        base = f.base if isinstance(f, sp.Pow) and f.exp.is_Integer else f
        return isinstance(base, NormalPDF) or (isinstance(base, AppliedUndef) and base.func.__name__ in densities)

    def split(x):
        factors = sp.Mul.make_args(x.args[0])
        if len(factors) > 1 and all(is_density(f) for f in factors):
            return sp.Add(*[sp.log(f.base) * f.exp if isinstance(f, sp.Pow) else sp.log(f) for f in factors])
        return x
    return e.replace(lambda x: isinstance(x, sp.log), split) if densities or e.has(NormalPDF) else e


def zero_method(a, b) -> Difference:
    """The engine's decision on ``a - b`` (:func:`derive.engine.verify.difference`: ``cancel``,
    ``expand``, then ``simplify``; zero by a named method, or an exactly nonzero constant),
    matrices entrywise; undecided for matrices of different shapes."""
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        if not (isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase)) or a.shape != b.shape:
            return Difference()
    return difference(a - b, MAX_EXPANDED_TERMS)


def sums_symbolic(a, b) -> bool:
    """The engine's sum algebra (:func:`derive.engine.sums.sums_equal`): linearity, constant
    summands, renamed indices; equality for every size."""
    try:
        return sums_equal(a, b).level == "symbolic"
    except (VerificationError, *UNDECIDED):  # not equal in its normal form, or SymPy cannot decide
        return False


def _index_form(e, r, c):
    """``e`` in index form: entry ``(r, c)`` of a matrix expression of symbolic size
    (:func:`derive.engine.sums.entry`, ``(A^T B)[r, c] = Sum_k A[k, r] B[k, c]``), each 1 x 1
    product inside a scalar replaced by its one entry."""
    look = lambda M, i, j: sp.IndexedBase(M.name)[i, j]
    if isinstance(e, sp.MatrixExpr):
        return entry(e, r, c, look)
    return e.replace(lambda x: isinstance(x, Scalar), lambda x: entry(x.args[0], 0, 0, look))


def _holds_matrix(e) -> bool:
    """A matrix symbol outside every 1 x 1 product (``Sum_i s_i x_i`` is a column; ``x^T w`` a number)."""
    return isinstance(e, sp.Basic) and bool(e.replace(lambda x: isinstance(x, Scalar), lambda x: sp.Integer(1))
                                            .atoms(sp.MatrixSymbol))


def matrices_symbolic(a, b) -> bool:
    """Two sides that hold matrices of symbolic size, equal entry by entry for every size: their
    index forms (:func:`_index_form`) compared by the engine's sum algebra."""
    shape = lambda x: x.shape if isinstance(x, (sp.MatrixExpr, sp.MatrixBase)) else None  # (an entry x[1] has
    if isinstance(a, sp.MatrixExpr) != isinstance(b, sp.MatrixExpr) or shape(a) != shape(b):  # a .shape that raises)
        return False
    if not any(isinstance(x, sp.MatrixExpr) or x.has(Scalar) for x in (a, b)):
        return False
    if any(_holds_matrix(x) and not isinstance(x, sp.MatrixExpr) for x in (a, b)):
        return False  # a sum of columns is no matrix expression: no index form (the sizes decide)
    r, c = (sp.Integer(0) if n == 1 else sp.Dummy(name, integer=True, nonnegative=True)
            for name, n in zip("rc", shape(a) or (1, 1)))
    try:
        fa, fb = (sum_normal_form(_index_form(x, r, c)) for x in (a, b))
    except UNDECIDED:  # an operator without an index form (SymPy's "indexing not implemented")
        return False
    # cheap normal forms only (expand, then cancel): a step they cannot show goes on to the
    # checks at sizes, which are fast, instead of SymPy's simplify on every entry
    return all(sp.expand(d) == 0 or sp.cancel(sp.together(d)) == 0
               for d in (fa.get(k, 0) - fb.get(k, 0) for k in set(fa) | set(fb)))


def proved_inequality(a, b, relation) -> bool:
    try:
        d = sp.simplify(b - a) if relation in ("<=", "<") else sp.simplify(a - b)
    except UNDECIDED:
        return False
    return bool(d.is_nonnegative) if relation in ("<=", ">=") else bool(d.is_positive)

r"""The objects the reader builds for declared dependencies, Jacobians and families (their
meaning at explicit sizes is :mod:`check.relations`): ``z_i`` (:class:`Member`, one matrix of a
family), ``y(a)`` (:class:`At`: ``y`` with its first dependencies taken at ``a``, ``\pi(z_i)``;
``g_{\pi,z}(z_i)`` a Jacobian at ``z_i``), ``\left(f_k\right)_{k=1}^{d}`` (:class:`ColumnOf`),
``\frac{\partial f}{\partial w}`` of a column ``f`` (:class:`Jacobian`, the matrix of ``d f_k / d w_a``),
``\nabla_z f(z_i)`` (:class:`GradientAt`: the gradient in ``z``, then taken at ``z_i``), a
definition ``f(x, z_i) := ...`` with matrix parameters (:class:`MatrixLambda`); and every partial
derivative of an undefined function as one canonical call (:func:`derive.engine.checks.canonical_calls`), an
independent unknown of the numeric check.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from check.arithmetic import basic
from derive.engine.checks import canonical_calls

__all__ = ["Member", "At", "ColumnOf", "MatrixLambda", "Jacobian", "GradientAt"]


class Member(MatrixExpr):
    """``z_i``: member ``i`` of a declared family of matrices (``[families]``), so that
    ``z_1`` and ``z_2`` are different columns when a sum over ``i`` is written out."""

    def __new__(cls, family, index, rows, cols):
        return super().__new__(cls, sp.Symbol(family) if isinstance(family, str) else family, basic(index),
                               basic(rows), basic(cols))

    @property
    def family(self) -> str:
        return self.args[0].name

    @property
    def shape(self):
        return self.args[2], self.args[3]

    def _entry(self, i, j, **kw):
        return MatrixElement(self, i, j)

    def _latex(self, printer, exp=None):
        return f"{printer._print(self.args[0])}_{{{printer._print(self.args[1])}}}"


class At(MatrixExpr):
    """``y(a)``: the declared dependent column (or Jacobian) ``y`` with its first
    dependencies taken at the arguments ``a`` (``\\pi(z_i)``, ``g_{\\pi,\\theta}(z_i)``)."""

    def __new__(cls, M, *args):
        return super().__new__(cls, M, *args)

    @property
    def shape(self):
        return self.args[0].shape

    def _entry(self, i, j, **kw):
        return MatrixElement(self, i, j)

    def _latex(self, printer, exp=None):
        return f"{printer._print(self.args[0])}\\left({', '.join(printer._print(a) for a in self.args[1:])}\\right)"


class ColumnOf(MatrixExpr):
    """``(f_k)_{k=lo}^{hi}``: the column with entries ``f_lo, ..., f_hi``."""

    def __new__(cls, body, k, lo, hi):
        return super().__new__(cls, body, k, basic(lo), basic(hi))

    @property
    def shape(self):
        return self.args[3] - self.args[2] + 1, sp.Integer(1)

    def _entry(self, i, j, **kw):
        body, k, lo, hi = self.args
        return body.xreplace({k: lo + i})

    def explicit(self):
        body, k, lo, hi = self.args
        return sp.ImmutableMatrix([body.xreplace({k: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)])

    def _latex(self, printer, exp=None):
        body, k, lo, hi = (printer._print(a) for a in self.args)
        return f"\\left({body}\\right)_{{{k}={lo}}}^{{{hi}}}"


class Jacobian(MatrixExpr):
    """``\\frac{\\partial f}{\\partial w}`` of a column ``f`` in a column ``w``: the matrix of
    partial derivatives ``d f_k / d w_a`` (rows of ``f`` x rows of ``w``)."""

    def __new__(cls, f, w):
        return super().__new__(cls, f, w)

    @property
    def shape(self):
        return self.args[0].shape[0], self.args[1].shape[0]

    def _entry(self, i, j, **kw):
        return MatrixElement(self, i, j)

    def explicit(self, f, w):
        """The matrix of ``d f_k / d w_a`` of the explicit columns ``f`` and ``w``."""
        return sp.ImmutableMatrix(f.shape[0], w.shape[0], lambda k, a: canonical_calls(sp.diff(f[k, 0], w[a, 0])))

    def _latex(self, printer, exp=None):
        return f"\\frac{{\\partial {printer._print(self.args[0])}}}{{\\partial {printer._print(self.args[1])}}}"


class GradientAt(MatrixExpr):
    """``\\nabla_z f(z_i)`` read as ``(\\nabla_z f(z))`` taken at ``z = z_i``: the gradient in the
    column ``z`` first, then ``z`` replaced by the point (a member ``z_i`` of the family ``z``)."""

    def __new__(cls, f, w, point):
        return super().__new__(cls, f, w, point)

    @property
    def shape(self):
        return self.args[1].shape

    def _entry(self, i, j, **kw):
        return MatrixElement(self, i, j)

    def explicit(self, f, w, point):
        """The gradient of the scalar ``f`` in the entries of the explicit column ``w``, each
        partial derivative a call (:func:`derive.engine.checks.canonical_calls`), then taken at ``point``."""
        grad = [canonical_calls(sp.diff(f, w[a, 0])) for a in range(w.shape[0])]
        at = dict(zip(list(w), list(point)))
        return sp.ImmutableMatrix([g.xreplace(at) for g in grad])

    def _latex(self, printer, exp=None):
        f, w, point = (printer._print(a) for a in self.args)
        return f"\\left.\\nabla_{{{w}}} {f}\\right|_{{{w} = {point}}}"


class MatrixLambda:
    """A definition ``f(x, z) := body`` whose parameters include matrices: ``f(a, b)`` is
    ``body`` with ``x -> a``, ``z -> b`` (a family member ``z_i -> z_c`` renames the index)."""

    def __init__(self, params, body):
        self.params, self.body = tuple(params), body

    def __call__(self, *args):
        rep = {}
        for p, a in zip(self.params, args):
            if isinstance(p, Member) and isinstance(a, Member) and p.family == a.family and isinstance(p.args[1], sp.Symbol):
                rep[p.args[1]] = a.args[1]
            else:
                rep[p] = a
        return self.body.xreplace(rep)

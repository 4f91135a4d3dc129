"""Diagonal matrices of symbolic size: ``D = diag(d_1, ..., d_m)`` with ``m`` a symbol.

SymPy computes neither ``|D|`` nor ``tr D`` nor ``D^{-1}`` when ``m`` is a symbol. Here each is
proved for every ``m`` from the entries ``D_rc = delta_rc d_r`` (SymPy's ``DiagMatrix``):

- ``|D| = prod_{j=1}^m d_j``, by induction on ``m``: ``D_{m+1} = blockdiag(D_m, d_{m+1})``
  (checked entry by entry in the four blocks), then the block determinant
  ``|blockdiag(A, B)| = |A| |B|`` (SymPy's rule for ``BlockDiagMatrix``);
- ``tr D = sum_{j=1}^m d_j``: ``tr D = sum_r D_rr``, by sum algebra;
- ``D^{-1} = diag(1/d_1, ..., 1/d_m)`` when every ``d_j != 0``: ``(D C)_rc = sum_k delta_rk d_r
  C_kc = delta_rc`` and ``(C D)_rc = delta_rc`` in index calculus, for ``r = c`` and ``r != c``.

:func:`determinant_is`, :func:`trace_is` and :func:`inverse_is` check a claimed closed form and
raise :class:`~derive.engine.verify.VerificationError` when the proof fails (a claim right for
small ``m`` only fails its inductive step). :class:`Diagonal` names a matrix symbol of the
derivations as such a matrix and rewrites expressions with the proved forms.

>>> import sympy as sp
>>> m = sp.Symbol("m", integer=True, positive=True)
>>> j = sp.Symbol("j", integer=True, positive=True)
>>> d = sp.Lambda(j, sp.IndexedBase("s", positive=True)[j])
>>> determinant_is(sp.Product(d(j), (j, 1, m)), d, m).detail["method"]
'induction on m, block determinant'
>>> determinant_is(sp.Product(d(j), (j, 1, m)) + (m - 1) * (m - 2), d, m)
Traceback (most recent call last):
...
derive.engine.verify.VerificationError: |diag(d_1..d_m)|: the step m -> m + 1 fails
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix

from derive.engine.checks import induction, peel_last, proved
from derive.engine.sums import entry, sums_equal
from derive.engine.verify import SYMBOLIC, Verdict, VerificationError, verify

__all__ = ["diagonal_matrix", "determinant_is", "trace_is", "inverse_is", "Diagonal"]

_r, _c = sp.symbols("r c", cls=sp.Dummy, integer=True)
_j = sp.Dummy("j", integer=True, positive=True)


def diagonal_matrix(d: sp.Lambda, size) -> DiagMatrix:
    """``diag(d(1), ..., d(size))`` as SymPy's ``DiagMatrix`` (entries ``delta_rc d(r + 1)``,
    0-based), for a symbolic or a numeric ``size``."""
    return DiagMatrix(sp.FunctionMatrix(size, 1, sp.Lambda((_r, _c), d(_r + 1))))


def _symbolic(a, b, what: str) -> Verdict:
    try:
        return verify(a, b, how=SYMBOLIC)
    except VerificationError:
        raise VerificationError(what) from None


def _blocks(d, m) -> None:
    """``D_{m+1} = blockdiag(D_m, d_{m+1})``, entry by entry (0-based): the top-left block is
    ``D_m``, the corner ``d_{m+1}``, the rest of the last row and column 0."""
    big, small = diagonal_matrix(d, m + 1), diagonal_matrix(d, m)
    s = sp.Dummy("s", integer=True, positive=True)  # row or column m - s lies in the first block
    _symbolic(big[_r, _c], small[_r, _c], "the top-left block")
    _symbolic(big[m - s, m], 0, "the last column")
    _symbolic(big[m, m - s], 0, "the last row")
    _symbolic(big[m, m], d(m + 1), "the corner")


def determinant_is(claim, d: sp.Lambda, m: sp.Symbol) -> Verdict:
    """Prove ``|diag(d(1), ..., d(m))| = claim`` (an expression in ``m``) for every ``m >= 1``."""
    def base(a, b):
        one = a.arg.subs(m, 1)
        return _symbolic(sp.Matrix(1, 1, lambda r, c: one[r, c]).det(), b.subs(m, 1).doit(), "m = 1")

    def step(a, b):  # the claim at m + 1 from the claim at m
        _blocks(d, m)
        split = sp.Determinant(sp.BlockDiagMatrix(diagonal_matrix(d, m), sp.Matrix([[d(m + 1)]]))).doit()
        after = split.xreplace({a: b})  # the hypothesis
        if after.has(sp.Determinant):
            raise VerificationError("the block determinant did not split")
        return _symbolic(after, peel_last(b.subs(m, m + 1), m), "the step m -> m + 1 fails")
    try:
        verdict = induction(m, base, step, why_step="m -> m + 1: blockdiag(D_m, d_{m+1}), block determinant")(
            sp.Determinant(diagonal_matrix(d, m)), claim)
    except VerificationError as exc:
        raise VerificationError(f"|diag(d_1..d_m)|: {exc}") from None
    return Verdict(SYMBOLIC, {**verdict.detail, "method": f"induction on {m}, block determinant"})


def trace_is(claim, d: sp.Lambda, m: sp.Symbol) -> Verdict:
    """Prove ``tr diag(d(1), ..., d(m)) = claim`` for every ``m``: the sum of the diagonal entries."""
    try:
        sums_equal(sp.Trace(diagonal_matrix(d, m)).rewrite(sp.Sum), claim)
    except VerificationError as exc:
        raise VerificationError(f"tr diag(d_1..d_m): {exc}") from None
    return proved("index calculus", sizes=f"every {m}")


def inverse_is(claim: sp.Lambda, d: sp.Lambda, m: sp.Symbol) -> Verdict:
    """Prove ``diag(d(1), ..., d(m))^{-1} = diag(claim(1), ..., claim(m))`` for every ``m``:
    both products with the claim are the identity, entry ``(R, C)`` for ``R = C`` and ``R != C``."""
    if not d(_j).is_nonzero:
        raise VerificationError(f"diag(d_1..d_m) may be singular: d_j = {d(_j)} is not known to be nonzero")
    D, C = diagonal_matrix(d, m), diagonal_matrix(claim, m)
    R = sp.Dummy("R", integer=True, positive=True)
    s = sp.Dummy("s", integer=True, nonzero=True)
    for product in (sp.MatMul(D, C), sp.MatMul(C, D)):
        for col in (R, R + s):  # the diagonal, and off it
            e = entry(product, R - 1, col - 1, lambda M, r, c: M[r, c])
            try:
                sums_equal(e, sp.KroneckerDelta(R, col), ranges={R: (1, m)})
            except VerificationError as exc:
                raise VerificationError(f"diag(d_1..d_m)^(-1): {exc}") from None
    return proved("index calculus", sizes=f"every {m}")


@dataclass(frozen=True)
class Diagonal:
    """The matrix symbol ``matrix`` (``m x m``) standing for ``diag(d(1), ..., d(m))``.

    ``rewrite(expr)`` replaces ``|D|`` by ``prod_j d_j`` and ``tr D`` by ``sum_j d_j`` and names
    ``D^{-1}`` as the diagonal matrix ``inverse`` (entries ``1/d_j``), each form proved for every
    ``m`` first; ``lookup(M, r, c)`` gives the entries of both, 0-based, for
    :func:`derive.engine.sums.entry`.
    """

    matrix: sp.MatrixSymbol
    d: sp.Lambda

    @property
    def size(self):
        return self.matrix.shape[0]

    @property
    def inverse(self) -> "Diagonal":
        return Diagonal(sp.MatrixSymbol(f"{self.matrix.name}^-1", *self.matrix.shape),
                        sp.Lambda(self.d.variables, 1 / self.d.expr))

    def lookup(self, M, r, c):
        """Entry ``(r, c)`` (0-based) of ``D`` or ``D^{-1}``; None for another matrix."""
        for D in (self, self.inverse):
            if M == D.matrix:
                return sp.KroneckerDelta(r, c) * D.d(r + 1)
        return None

    def rewrite(self, expr):
        """``expr`` with ``|D|``, ``tr D`` and ``D^{-1}`` replaced (see the class docstring)."""
        proofs = _proofs(self.d, self.size)
        det, tr = proofs["det"], proofs["tr"]
        expr = expr.replace(lambda e: isinstance(e, sp.Inverse) and e.arg == self.matrix,
                            lambda e: self.inverse.matrix)
        return expr.xreplace({sp.Determinant(self.matrix): det, sp.Trace(self.matrix): tr})

    @property
    def method(self) -> str:
        return _proofs(self.d, self.size)["method"]


@lru_cache(maxsize=None)
def _proofs(d: sp.Lambda, m) -> dict:
    """The closed forms of ``|D|`` and ``tr D``, proved with ``D^{-1}`` (once per diagonal)."""
    det, tr = sp.Product(d(_j), (_j, 1, m)), sp.Sum(d(_j), (_j, 1, m))
    verdicts = [determinant_is(det, d, m), trace_is(tr, d, m),
                inverse_is(sp.Lambda(d.variables, 1 / d.expr), d, m)]
    method = (f"diagonal matrix of symbolic size: determinant by {verdicts[0].detail['method']}, "
              f"trace and inverse by {verdicts[1].detail['method']}")
    return {"det": det, "tr": tr, "method": method}

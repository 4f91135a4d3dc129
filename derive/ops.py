"""Display-only SymPy objects for Problems 2 and 3: they print the notation of the writeup
and stay unevaluated; the checks in :mod:`derive.engine.checks` and :mod:`derive.engine.integrals`
give them meaning (by ``.explicit()``, ``.as_integral()`` or a substitution rule).

- ``NormalPDF(z, mu, sd)``   prints ``N(z; mu, sd^2)``; ``.explicit()`` is the density.
- ``KL(q(z), p(z))``         prints ``KL(q || p)``; ``.as_integral()`` is the definition.
- ``Expect(f, "q")``        prints ``E_q[f]`` (a Gaussian expectation, see ``integrals``).
- ``QuadForm(v, A)``         the scalar ``v^T A v`` for a column ``v``.
- ``Diag(v)``                the diagonal matrix with ``v`` on the diagonal.
- ``Grad(f, "phi")``         prints ``nabla_phi f``.
- ``SampleMean(f, i, n)``    prints ``1/n sum_{i=1}^n f``.

None of these appear in a derivation's ``result`` (the JSON contract needs
``parse_expr`` to read results back), only in displayed steps.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = ["normal_pdf", "normal_pdf_written", "NormalPDF", "KL", "Expect", "QuadForm", "Diag", "Grad", "SampleMean",
           "paren"]


def normal_pdf(x, mean, sd):
    """N(x; mean, sd^2) = exp(-(x - mean)^2 / (2 sd^2)) / (sqrt(2 pi) sd)."""
    return sp.exp(-(x - mean) ** 2 / (2 * sd ** 2)) / (sp.sqrt(2 * sp.pi) * sd)


def normal_pdf_written(x, mean, sd):
    """The same density kept as written: exp(-(x - mean)^2 / (2 sd^2)) / (sqrt(2 pi) sd)."""
    root = sp.Pow(2 * sp.pi, sp.Rational(1, 2), evaluate=False)
    dev = sp.Add(x, -mean, evaluate=False) if mean != 0 else x
    scale = root if sd == 1 else sp.Mul(root, sd, evaluate=False)
    return sp.Mul(sp.Pow(scale, -1, evaluate=False),
                  sp.exp(-dev ** 2 / (2 * sd ** 2)), evaluate=False)


def paren(printer, e) -> str:
    """``e`` printed, in parentheses unless it is an atom (symbol, indexed, number)."""
    s = printer._print(e)
    return s if (e.is_Atom or isinstance(e, (sp.Indexed, sp.MatrixSymbol))) else rf"\left({s}\right)"


class NormalPDF(sp.Function):
    """The univariate normal density ``N(z; mu, sd^2)`` as an unevaluated call."""

    nargs = 3

    def explicit(self):
        return normal_pdf(*self.args)

    def _latex(self, printer):
        z, mean, sd = (printer._print(a) for a in self.args)
        sd2 = printer._print(self.args[2] ** 2)
        return rf"\mathcal{{N}}\left({z};\, {mean},\, {sd2}\right)"


class KL(sp.Function):
    """``KL(q || p)`` of two densities given as calls ``q(z...)``, ``p(z...)`` (or products
    of such calls): the integral over the variables of ``q`` of ``q ln(q/p)``."""

    nargs = 2

    def as_integral(self):
        q, p = self.args
        return sp.Integral(sp.log(q / p) * q, *[(v, -sp.oo, sp.oo) for v in _call_vars(q)])

    def _latex(self, printer):
        q, p = (printer._print(a) for a in self.args)
        return rf"\mathrm{{KL}}\left({q} \,\middle\|\, {p}\right)"


def _call_vars(e) -> list:
    """Symbols and indexed objects that appear as first argument of a function call."""
    out = set()
    for call in e.atoms(sp.Function):
        if call.args and (call.args[0].is_Symbol or isinstance(call.args[0], sp.Indexed)):
            out.add(call.args[0])
    return sorted(out, key=str)


class Expect(sp.Function):
    """``E_q[f]``: expectation of ``f`` under the distribution named by the second argument."""

    nargs = 2

    def _latex(self, printer):
        f, dist = self.args
        return rf"\mathbb{{E}}_{{{printer._print(dist)}}}\left[{printer._print(f)}\right]"


class QuadForm(sp.Function):
    """The scalar quadratic form ``v^T A v`` (``v`` a column, ``A`` square)."""

    nargs = 2

    def explicit(self):
        v, A = (a.as_explicit() if isinstance(a, MatrixExpr) else a for a in self.args)
        return (v.T * A * v)[0, 0]

    def _latex(self, printer):
        v, A = self.args
        return rf"{paren(printer, v)}^{{T}} {printer._print(A)} {paren(printer, v)}"


class Diag(MatrixExpr):
    """``diag(v)``: the square matrix with the column ``v`` on its diagonal."""

    def __new__(cls, v):
        return super().__new__(cls, sp.sympify(v))

    @property
    def shape(self):
        return (self.args[0].shape[0], self.args[0].shape[0])

    def _entry(self, i, j, **kw):
        return sp.KroneckerDelta(i, j) * self.args[0][i, 0]

    def as_explicit(self):
        v = self.args[0].as_explicit()
        return sp.diag(*list(v))

    def _eval_transpose(self):
        return self

    def doit(self, **hints):
        v = self.args[0].doit(**hints) if hints.get("deep", True) else self.args[0]
        return sp.diag(*list(v)) if isinstance(v, sp.MatrixBase) else Diag(v)

    def _latex(self, printer):
        return rf"\operatorname{{diag}}\left({printer._print(self.args[0])}\right)"


class Grad(sp.Function):
    """``nabla_w f``: the gradient (a column) of the scalar ``f`` with respect to ``w``."""

    nargs = 2

    def _latex(self, printer):
        f, w = self.args
        return rf"\nabla_{{{printer._print(w)}}} {paren(printer, f)}"


class SampleMean(sp.Function):
    """``1/n sum_{i=1}^n f``: the Monte Carlo average over samples (``.as_sum()``)."""

    nargs = 3

    def as_sum(self):
        f, idx, n = self.args
        return sp.Mul(1 / n, sp.Sum(f, (idx, 1, n)))

    def _latex(self, printer):
        f, idx, n = self.args
        body = printer._print(f)
        if isinstance(f, (sp.Add, sp.MatAdd)):
            body = rf"\left({body}\right)"
        return rf"\frac{{1}}{{{printer._print(n)}}} \sum_{{{printer._print(idx)}=1}}^{{{printer._print(n)}}} {body}"

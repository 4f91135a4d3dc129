"""Display-only SymPy objects for the derivations: they print the notation of the writeup
and stay unevaluated; the checks in :mod:`derive.engine.checks` and :mod:`derive.engine.integrals`
give them meaning (by the rules of :data:`EXPLICIT`, ``.as_integral()`` or a substitution rule).

- ``NormalPDF(z, mu, sd)``   prints ``N(z; mu, sd^2)``; made explicit, the density.
- ``KL(q(z), p(z))``         prints ``KL(q || p)``; ``.as_integral()`` is the definition.
- ``Expect(f, "q")``        prints ``E_q[f]`` (a Gaussian expectation, see ``integrals``).
- ``QuadForm(v, A)``         the scalar ``v^T A v`` for a column ``v``.
- ``Diag(v)``                the diagonal matrix with ``v`` on the diagonal.
- ``Grad(f, phi)``           prints ``nabla_phi f``; ``GradW(f, w)`` prints ``nabla_w [f]``.
- ``SampleMean(f, i, n)``    prints ``1/n sum_{i=1}^n f``.
- ``Dot(x, w)``              prints ``x^T w`` for two columns.
- ``SubsetMean(n, b)``       prints ``E_B[1/b sum_{i in B} g_i]`` over the b-subsets B of {1..n}. (printed with S for B: the minibatch set; B_simple and B_eff are numbers)
- ``SubsetVar(n, b)``        prints ``E_B[(g_B - gbar)^2]``.
- ``PiAt(k, i)``             prints ``pi_k(z_i)``, the k-th decoder output at the i-th sample.
- ``Tanh(u)``                ``tanh`` applied elementwise to the column ``u``.
- ``Sigmoid(a)``             the logistic function, known to SymPy only through its derivative.

:data:`EXPLICIT` is their table of rules for the walker of :mod:`derive.engine.explicit`:
each operator written out once its arguments are explicit (the density, ``v^T A v``, the
enumeration of the subsets, the matrix of partial derivatives).

None of these appear in a derivation's ``result`` (the JSON contract needs
``parse_expr`` to read results back), only in displayed steps.
"""
from __future__ import annotations

from itertools import combinations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derive.engine.explicit import is_explicit
from derive.engine.subsets import InSubset
from derive.symbols import g as _g, i as _i

__all__ = ["normal_pdf", "normal_pdf_written", "NormalPDF", "KL", "Expect", "QuadForm", "Diag", "Grad",
           "GradW", "SampleMean", "Dot", "SubsetMean", "SubsetVar", "PiAt", "Tanh", "Sigmoid", "g_sym",
           "paren", "EXPLICIT"]


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



def _top(printer) -> str:
    """The transpose sign of the printer's notation (``T`` unless it names another)."""
    names = getattr(printer, "names", None)
    return getattr(names, "transpose", "T") if names is not None else "T"

class NormalPDF(sp.Function):
    """The univariate normal density ``N(z; mu, sd^2)`` as an unevaluated call."""

    nargs = 3

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

    def _latex(self, printer):
        v, A = self.args
        return rf"{paren(printer, v)}^{{{_top(printer)}}} {printer._print(A)} {paren(printer, v)}"


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


class GradW(Grad):
    """``nabla_w [f]``: the gradient column of the scalar ``f`` with respect to the column ``w``
    (the notation of Problem 1)."""

    def _latex(self, printer):
        f, w = self.args
        return rf"\nabla_{{{printer._print(w)}}} \left[{printer._print(f)}\right]"


class Dot(sp.Function):
    """The scalar ``x^T w`` of two columns."""

    nargs = 2
    is_commutative = True
    is_real = True

    def _latex(self, printer):
        a, b = self.args
        return rf"{printer._print(a)}^{{{_top(printer)}}} {printer._print(b)}"


def g_sym(i):
    """The per-sample gradient g_i (one coordinate of it; linearity does the rest)."""
    return sp.Symbol(f"g_{i}", real=True)


def _subsets(n, b):
    return list(combinations(range(1, n + 1), b))


class SubsetMean(sp.Function):
    """``E_B[(1/b) sum_{i in B} g_i]`` over the b-subsets B of {1..n}, each equally likely
    (sampling without replacement)."""

    nargs = 2

    def in_indicators(self):
        """The minibatch mean g_B = (1/b) sum_{i=1}^n 1[i in B] g_i, the quantity E_B averages."""
        n, b = self.args
        return sp.Sum(InSubset(_i) * _g[_i], (_i, 1, n)) / b

    def enumerated(self, n: int, b: int):
        """The mean over all b-subsets, written out."""
        subsets = _subsets(n, b)
        return sp.Add(*[sp.Add(*[g_sym(i) for i in s]) / b for s in subsets]) / len(subsets)

    def _latex(self, printer):
        b = printer._print(self.args[1])
        return rf"\mathbb{{E}}_{{S}}\left[\frac{{1}}{{{b}}} \sum_{{i\in S}} g_i\right]"


class SubsetVar(sp.Function):
    """``E_B[(g_B - gbar)^2]``, g_B = (1/b) sum_{i in B} g_i over the b-subsets of {1..n}
    (one coordinate of the covariance; gbar the full mean)."""

    nargs = 2

    def in_indicators(self):
        """(g_B - gbar)^2, g_B as in :meth:`SubsetMean.in_indicators`, gbar = (1/n) sum_i g_i."""
        n, b = self.args
        return (SubsetMean(n, b).in_indicators() - sp.Sum(_g[_i], (_i, 1, n)) / n) ** 2

    def enumerated(self, n: int, b: int):
        """The mean squared deviation over all b-subsets, written out."""
        subsets = _subsets(n, b)
        mean = sp.Add(*[g_sym(i) for i in range(1, n + 1)]) / n
        return sp.Add(*[(sp.Add(*[g_sym(i) for i in s]) / b - mean) ** 2 for s in subsets]) / len(subsets)

    def _latex(self, printer):
        return r"\mathbb{E}_{S}\left[\left(g_S - \bar g\right)^2\right]"


class PiAt(sp.Function):
    """``pi_k(z_i)``: the k-th decoder output at the i-th sample (display and check)."""

    nargs = 2

    def _latex(self, printer):
        a, b = (printer._print(x) for x in self.args)
        return rf"\pi_{{{a}}}(z_{{{b}}})"


class Sigmoid(sp.Function):
    """The logistic function, known to SymPy only through sigma' = sigma (1 - sigma)
    (keeps the checks polynomial in its values instead of rational in exponentials)."""

    nargs = 1

    def fdiff(self, argindex=1):
        return self * (1 - self)


class Tanh(MatrixExpr):
    """``tanh(u)`` applied elementwise to the column ``u`` (display and check)."""

    def __new__(cls, u):
        return super().__new__(cls, sp.sympify(u))

    @property
    def shape(self):
        return self.args[0].shape

    def _entry(self, i, j, **kw):
        return sp.tanh(self.args[0]._entry(i, j, **kw))

    def _latex(self, printer):
        return rf"\tanh\left({printer._print(self.args[0])}\right)"


# --- rules for the walker of derive.engine.explicit ------------------------------------

def _args(e, walk):
    return [walk(a) for a in e.args]


def _when_explicit(make):
    """A rule that writes the operator out once every argument is explicit."""
    def rule(e, walk):
        args = _args(e, walk)
        if not all(is_explicit(a) for a in args):
            return e.func(*args)
        return make(*args)
    return rule


def _grad(e, walk):
    """nabla_w f: the matrix of partial derivatives df/dw_ab, shaped like w."""
    f, w = _args(e, walk)
    f = f[0, 0] if isinstance(f, sp.MatrixBase) else f
    if not isinstance(w, sp.MatrixBase):
        return e.func(f, w)
    return w.applyfunc(lambda wab: sp.diff(f, wab))


def _subset_rule(e, walk):
    n, b = _args(e, walk)
    if not (n.is_Integer and b.is_Integer):
        return e.func(n, b)
    return e.enumerated(int(n), int(b))


EXPLICIT = {
    NormalPDF: _when_explicit(normal_pdf),
    QuadForm: _when_explicit(lambda v, A: (v.T * A * v)[0, 0]),
    Diag: _when_explicit(lambda v: sp.diag(*list(v))),
    Dot: _when_explicit(lambda a, b: (a.T * b)[0, 0]),
    Tanh: _when_explicit(lambda u: u.applyfunc(sp.tanh)),
    Grad: _grad,
    SampleMean: lambda e, walk: walk(e.as_sum()),
    SubsetMean: _subset_rule,
    SubsetVar: _subset_rule,
}

"""Display-only SymPy objects for the derivations: they print the notation of the writeup
and stay unevaluated; the checks in :mod:`derive.engine.checks` and :mod:`derive.engine.integrals`
give them meaning (by the rules of :data:`EXPLICIT`, ``.as_integral()`` or a substitution rule).

- ``NormalPDF(z, mu, sd)``   prints ``N(z; mu, sd^2)``; made explicit, the density.
- ``KL(q(z), p(z))``         prints ``KL(q || p)``; ``.as_integral()`` is the definition.
- ``Expect(f, "q")``        prints ``E_q[f]`` (a Gaussian expectation, see ``integrals``);
  ``Expect(f, q, z)`` names the random variable ``z``.
- ``QuadForm(v, A)``         the scalar ``v^T A v`` for a column ``v``.
- ``Diag(v)``                the diagonal matrix with ``v`` on the diagonal.
- ``Grad(f, phi)``           prints ``nabla_phi f``; ``GradW(f, w)`` prints ``nabla_w [f]``.
- ``SampleMean(f, i, n)``    prints ``1/n sum_{i=1}^n f``.
- ``Dot(x, w)``              prints ``x^T w`` for two columns.
- ``SubsetMean(n, b)``       prints ``E_B[1/b sum_{i in B} g_i]`` over the b-subsets B of {1..n}. (printed with S for B: the minibatch set; B_simple and B_eff are numbers)
- ``SubsetVar(n, b)``        prints ``E_B[(g_B - gbar)^2]``.
- ``PiAt(k, i)``             prints ``pi_k(z_i)``, the k-th decoder output at the i-th sample.
- ``Tanh(u)``                ``tanh`` applied elementwise to the column ``u`` (an ``Elementwise``).

The objects the checker (``check/``) reads into, which the engine's own derivations may use
too: ``Variance(f, dist, z)`` (``E[(f - E f)^2]``), ``NormalDist(mean, var)`` (no variable),
``NormalDensity(z, mu, S)`` (of a column), ``Norm(v)``, ``Scalar(M)`` (a 1 x 1 product read as a
number), ``IndexedCall(f, j, *args)`` (``f_j(args)``), ``Elementwise(f, M)`` (``f`` of each
entry), ``Argmax(f, y, I, sign)``.
- ``Sigmoid(a)``             the logistic function, known to SymPy only through its derivative.

:data:`EXPLICIT` is their table of rules for the walker of :mod:`derive.engine.explicit`:
each operator written out once its arguments are explicit (the density, ``v^T A v``, the
enumeration of the subsets, the matrix of partial derivatives, the norm ``sqrt(v^T v)``).

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
           "paren", "EXPLICIT", "Variance", "NormalDist", "Norm", "Scalar", "IndexedCall", "Elementwise",
           "ELEMENTWISE", "NormalDensity", "Argmax"]


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
    """``E_q[f]``: expectation of ``f`` under the distribution named by the second argument; a
    third, when given, is the random variable (``E_{z ~ q}[f]``; ``EmptySet``: the distribution's own)."""

    nargs = (2, 3)

    @property
    def variable(self):
        return self.args[2] if len(self.args) == 3 else sp.S.EmptySet

    def _latex(self, printer, exp=None):
        f, dist, z = self.args[0], self.args[1], self.variable
        sub = printer._print(dist) if z is sp.S.EmptySet else rf"{printer._print(z)} \sim {printer._print(dist)}"
        return _power(rf"\mathbb{{E}}_{{{sub}}}\left[{printer._print(f)}\right]", exp)


class Variance(sp.Function):
    """``Var_q f`` (arguments as :class:`Expect`'s, all three): ``E_q[(f - E_q f)^2]``."""

    nargs = 3

    def as_expectation(self) -> Expect:
        f, dist, z = self.args
        return Expect((f - Expect(f, dist, z)) ** 2, dist, z)

    def _latex(self, printer, exp=None):
        tex = printer._print(Expect(*self.args)).replace(r"\mathbb{E}", r"\operatorname{Var}", 1)
        return _power(tex, exp)


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


def Tanh(u):
    """``tanh(u)`` applied elementwise to the column ``u`` (display and check): an :class:`Elementwise`."""
    return Elementwise(sp.tanh, u)


# --- objects the checker reads (check/) ------------------------------------------

def _power(tex: str, exp) -> str:
    return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"


class NormalDist(sp.Function):
    """``N(mean, var)``: a normal distribution (its density needs a variable)."""

    nargs = 2

    def _latex(self, printer, exp=None):
        mean, var = (printer._print(a) for a in self.args)
        return _power(rf"\mathcal{{N}}\left({mean},\, {var}\right)", exp)


class Norm(sp.Function):
    """``||v||``: the Euclidean norm of a column (or the absolute value of a scalar)."""

    nargs = 1

    def as_value(self):
        """``sqrt(v^T v)``: the sum of squares of an explicit column, the 1 x 1 product
        :class:`Scalar` of a symbolic one; ``|v|`` of a scalar."""
        v = self.args[0]
        if isinstance(v, sp.MatrixBase):
            return sp.sqrt(sum(x ** 2 for x in v))
        return sp.sqrt(Scalar(sp.MatMul(v.T, v))) if isinstance(v, MatrixExpr) else sp.Abs(v)

    def _latex(self, printer, exp=None):
        return _power(rf"\left\lVert {printer._print(self.args[0])} \right\rVert", exp)


class Scalar(sp.Function):
    """A 1 x 1 matrix product (``x^T w``, ``v^T A v``) as the scalar it is."""

    nargs = 1
    is_commutative = True

    def explicit(self):
        M = self.args[0]
        M = M.as_explicit() if isinstance(M, sp.MatrixExpr) else M
        return M[0, 0]

    def _latex(self, printer, exp=None):
        return _power(printer._print(self.args[0]), exp)


class IndexedCall(sp.Function):
    """``f_j(args)``: member ``j`` of the family ``f`` (a symbol naming it) applied to ``args``,
    so that ``\\prod_j q_j(z_j)`` written out at m = 2 is ``q_1(z_1) q_2(z_2)``."""

    @property
    def family(self) -> str:
        return self.args[0].name

    def lowered(self):
        """``f_1(z_1)`` as an ordinary undefined function call (a numeric member)."""
        name = f"{self.family}_{self.args[1]}" if len(str(self.args[1])) == 1 else f"{self.family}_{{{self.args[1]}}}"
        return sp.Function(name)(*self.args[2:])

    def _latex(self, printer, exp=None):
        f, j, *args = self.args
        body = ", ".join(printer._print(a) for a in args)
        return _power(rf"{printer._print(f)}_{{{printer._print(j)}}}\left({body}\right)", exp)


class Elementwise(MatrixExpr):
    """``f(M)`` entrywise; ``f`` is named by a symbol (``tanh``), one of :data:`ELEMENTWISE`."""

    def __new__(cls, f, M):
        return super().__new__(cls, sp.Symbol(f.__name__) if isinstance(f, sp.FunctionClass) else f, M)

    @property
    def shape(self):
        return self.args[1].shape

    def _entry(self, i, j, **kw):
        return ELEMENTWISE[self.args[0].name](self.args[1][i, j])

    def as_explicit(self):
        f, M = self.args
        M = M.as_explicit() if isinstance(M, MatrixExpr) else M
        return sp.ImmutableMatrix(M.applyfunc(ELEMENTWISE[f.name]))

    def _latex(self, printer, exp=None):
        f, M = self.args
        return _power(rf"\{f.name}\left({printer._print(M)}\right)", exp)


ELEMENTWISE = {f.__name__: f for f in (sp.exp, sp.log, sp.tanh, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh,
                                       sp.atan, sp.asin, sp.acos)}


class NormalDensity(sp.Function):
    """``N(z; mu, S)`` for a column ``z``: ``exp(-(z-mu)^T S^{-1} (z-mu)/2) / sqrt((2 pi)^m |S|)``."""

    nargs = 3
    is_commutative = True

    def explicit(self):
        z, mu, S = (a.as_explicit() if isinstance(a, MatrixExpr) else a for a in self.args)
        if not all(isinstance(a, sp.MatrixBase) for a in (z, S)):
            return self
        if not isinstance(mu, sp.MatrixBase):
            mu = sp.zeros(*z.shape) + mu * sp.ones(*z.shape)
        d = z - mu
        quad = (d.T * S.inv() * d)[0, 0]
        return sp.exp(-quad / 2) / sp.sqrt((2 * sp.pi) ** z.shape[0] * S.det())

    def _latex(self, printer, exp=None):
        z, mu, S = (printer._print(a) for a in self.args)
        return _power(rf"\mathcal{{N}}\left({z};\, {mu},\, {S}\right)", exp)


class Argmax(sp.Function):
    """``arg max_{y in I} f`` (``sign`` 1) or ``arg min`` (``sign`` -1): the point of the
    interval ``I`` where ``f`` is largest (smallest); :mod:`check.extrema` finds it."""

    nargs = 4

    def _latex(self, printer, exp=None):
        f, y, interval, sign = self.args
        word = r"arg\,max" if sign > 0 else r"arg\,min"
        where = printer._print(y) if interval == sp.S.Reals else rf"{printer._print(y)} \in {printer._print(interval)}"
        body = rf"\left({printer._print(f)}\right)" if f.is_Add else printer._print(f)
        return _power(rf"\operatorname*{{{word}}}_{{{where}}} {body}", exp)


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


def _diagonal(v):
    """diag(v) of an explicit column, entry by entry (``sp.diag`` asks an entry ``z[a, c]`` of a
    family for a shape)."""
    n = len(v)
    return sp.ImmutableMatrix(n, n, lambda a, b: v[a] if a == b else 0)




def _subset_rule(e, walk):
    n, b = _args(e, walk)
    if not (n.is_Integer and b.is_Integer):
        return e.func(n, b)
    return e.enumerated(int(n), int(b))


EXPLICIT = {
    NormalPDF: _when_explicit(normal_pdf),
    QuadForm: _when_explicit(lambda v, A: (v.T * A * v)[0, 0]),
    Diag: _when_explicit(_diagonal),
    Norm: lambda e, walk: Norm(walk(e.args[0])).as_value(),
    NormalDensity: _when_explicit(lambda *args: NormalDensity(*args).explicit()),
    Dot: _when_explicit(lambda a, b: (a.T * b)[0, 0]),
    Elementwise: _when_explicit(lambda f, M: M.applyfunc(ELEMENTWISE[f.name])),
    Scalar: _when_explicit(lambda M: M[0, 0] if isinstance(M, sp.MatrixBase) else M),
    Grad: _grad,
    SampleMean: lambda e, walk: walk(e.as_sum()),
    SubsetMean: _subset_rule,
    SubsetVar: _subset_rule,
}

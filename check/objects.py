"""Display objects the checker needs beyond :mod:`derive.ops`: they print the notation
that was read and stay unevaluated; :mod:`check.judge` gives them meaning.

- ``NormalDist(mean, var)``  the distribution ``N(mean, var)`` (no variable named);
- ``Norm(v)``                ``||v||`` of a column;
- ``IndexedCall(f, j, *args)`` ``f_j(args)``: the j-th of a family of functions (``q_j(z_j)``);
- ``Elementwise(f, M)``       ``f`` applied to each entry of ``M`` (``\\tanh(u)`` of a column);
- ``NormalDensity(z, mu, S)`` the density ``N(z; mu, S)`` of a column ``z``;
- ``Scalar(M)``              a 1 x 1 matrix product read as a number (``x^T w``);
- ``Expectation(f, dist, z)`` ``E_dist[f]`` over the variable ``z`` (``EmptySet``: the
  distribution's own variable);
- ``Variance(f, dist, z)``    ``Var_dist f``, meaning ``E_dist[(f - E_dist f)^2]``;
- ``Argmax(f, y, I, sign)``  ``arg max_{y in I} f`` (sign 1) or ``arg min`` (sign -1).
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = ["NormalDist", "Norm", "Expectation", "Variance", "Scalar", "IndexedCall", "Elementwise", "NormalDensity",
           "Argmax"]


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

    def _latex(self, printer, exp=None):
        return _power(rf"\left\lVert {printer._print(self.args[0])} \right\rVert", exp)


class Expectation(sp.Function):
    """``E_dist[f]``: ``dist`` a density's name (a symbol) or a :class:`NormalDist`; ``z`` the
    random variable, or ``EmptySet`` when the distribution names it."""

    nargs = 3

    def _latex(self, printer, exp=None):
        f, dist, z = self.args
        sub = printer._print(dist) if z is sp.S.EmptySet else rf"{printer._print(z)} \sim {printer._print(dist)}"
        return _power(rf"\mathbb{{E}}_{{{sub}}}\left[{printer._print(f)}\right]", exp)


class Variance(sp.Function):
    """``Var_dist f`` (arguments as :class:`Expectation`'s): ``E_dist[(f - E_dist f)^2]``."""

    nargs = 3

    def as_expectation(self) -> Expectation:
        """``E[(f - E f)^2]`` under the same distribution and variable."""
        f, dist, z = self.args
        return Expectation((f - Expectation(f, dist, z)) ** 2, dist, z)

    def _latex(self, printer, exp=None):
        f, dist, z = self.args
        sub = printer._print(dist) if z is sp.S.EmptySet else rf"{printer._print(z)} \sim {printer._print(dist)}"
        return _power(rf"\operatorname{{Var}}_{{{sub}}}\left[{printer._print(f)}\right]", exp)


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

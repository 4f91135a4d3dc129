"""Display objects and the instantiation check for Problem 1 (vectors in dimension d).

- ``Dot(x, w)``            prints ``x^T w``; ``.explicit()`` is the sum of products.
- ``GradW(f, w)``          prints ``nabla_w f``; ``.explicit()`` differentiates by components.
- ``SubsetMean(n, b)``     prints ``E_B[1/b sum_{i in B} g_i]`` over the uniformly random
  b-subsets B of {1..n}; ``.explicit()`` enumerates them (numeric n, b).
- ``SubsetVar(n, b)``      prints ``E_B[(g_B - gbar)^2]``; ``.explicit()`` enumerates the subsets.
- ``dims_check()``         a ``check=`` that replaces the column symbols ``w``, ``x`` by
  explicit columns of dimension 1..4 and compares symbolically.

None of these appear in a derivation's ``result`` (which must read back with ``parse_expr``).
"""
from __future__ import annotations

from itertools import combinations

import sympy as sp

from derive.engine.verify import SYMBOLIC, VerificationError, verify_equal

__all__ = ["Dot", "GradW", "SubsetMean", "SubsetVar", "explicit", "dims_check", "subsets_check", "g_sym"]


class Dot(sp.Function):
    """The scalar ``x^T w`` of two columns."""

    nargs = 2
    is_commutative = True
    is_real = True

    def explicit(self):
        a, b = (v.as_explicit() for v in self.args)
        return (a.T * b)[0, 0]

    def _latex(self, printer):
        a, b = self.args
        return rf"{printer._print(a)}^{{T}} {printer._print(b)}"


class GradW(sp.Function):
    """``nabla_w f``: the gradient column of the scalar ``f`` with respect to the column ``w``."""

    nargs = 2

    def explicit(self):
        f, w = self.args
        w = w.as_explicit()
        return sp.Matrix([sp.diff(f, wj) for wj in w])

    def _latex(self, printer):
        f, w = self.args
        return rf"\nabla_{{{printer._print(w)}}} \left[{printer._print(f)}\right]"


def g_sym(i):
    """The per-sample gradient g_i (one coordinate of it; linearity does the rest)."""
    return sp.Symbol(f"g_{i}", real=True)


class SubsetMean(sp.Function):
    """``E_B[(1/b) sum_{i in B} g_i]`` over the b-subsets B of {1..n}, each equally likely
    (sampling without replacement)."""

    nargs = 2

    def explicit(self):
        n, b = (int(a) for a in self.args)
        subsets = list(combinations(range(1, n + 1), b))
        return sp.Add(*[sp.Add(*[g_sym(i) for i in s]) / b for s in subsets]) / len(subsets)

    def _latex(self, printer):
        b = printer._print(self.args[1])
        return rf"\mathbb{{E}}_{{B}}\left[\frac{{1}}{{{b}}} \sum_{{i\in B}} g_i\right]"


class SubsetVar(sp.Function):
    """``E_B[(g_B - gbar)^2]``, g_B = (1/b) sum_{i in B} g_i over the b-subsets of {1..n}
    (one coordinate of the covariance; gbar the full mean)."""

    nargs = 2

    def explicit(self):
        n, b = (int(a) for a in self.args)
        subsets = list(combinations(range(1, n + 1), b))
        mean = sp.Add(*[g_sym(i) for i in range(1, n + 1)]) / n
        return sp.Add(*[(sp.Add(*[g_sym(i) for i in s]) / b - mean) ** 2 for s in subsets]) / len(subsets)

    def _latex(self, printer):
        return r"\mathbb{E}_{B}\left[\left(g_B - \bar g\right)^2\right]"


def explicit(expr, subs: dict):
    """``expr`` with the matrix symbols replaced (``subs``) and the display objects evaluated."""
    expr = sp.sympify(expr).subs(subs) if subs else sp.sympify(expr)
    for cls in (Dot, GradW, SubsetMean, SubsetVar):
        expr = expr.replace(lambda e, cls=cls: isinstance(e, cls), lambda e: e.explicit())
    expr = expr.replace(lambda e: isinstance(e, sp.Sum), lambda e: e.doit())
    return expr.doit() if isinstance(expr, sp.MatrixExpr) else expr


def dims_check(columns, dims=(1, 2, 3, 4)):
    """``check=`` for a step in dimension d: at d = 1..4 the columns become explicit and the
    two sides are compared with :func:`derive.engine.verify.verify_equal` (symbolic first)."""
    def check(lhs, rhs):
        outcomes = []
        for k in dims:
            subs = {c: sp.Matrix([sp.Symbol(f"{c.name}{j}", real=True) for j in range(1, k + 1)])
                    for c in columns}
            a, b = (_as_matrix(explicit(e, subs)) for e in (lhs, rhs))
            try:
                outcomes.append(verify_equal(a, b))
            except VerificationError as exc:
                raise VerificationError(f"at dimension {k}: {exc}") from None
        return "numeric" if "numeric" in outcomes else SYMBOLIC
    return check


def _as_matrix(e):
    return sp.Matrix(e) if hasattr(e, "shape") else e


def subsets_check(cases=((1, 1), (3, 1), (4, 2), (5, 3), (6, 6))):
    """``check=`` for a step about b-subsets of {1..n}: compared at each (n, b) of ``cases``
    (n, b symbols substituted; the subsets enumerated)."""
    n, b = sp.Symbol("n", integer=True, positive=True), sp.Symbol("b", integer=True, positive=True)

    def inst(e, nv, bv):
        e = sp.sympify(e).subs({n: nv, b: bv})
        e = e.replace(lambda t: isinstance(t, (SubsetMean, SubsetVar)), lambda t: t.explicit())
        e = e.replace(lambda t: isinstance(t, sp.Sum), lambda t: t.doit())
        return e.replace(lambda t: isinstance(t, sp.Indexed), lambda t: g_sym(t.indices[0]))

    def check(lhs, rhs):
        outcomes = []
        for nv, bv in cases:
            outcomes.append(verify_equal(inst(lhs, nv, bv), inst(rhs, nv, bv)))
        return "numeric" if "numeric" in outcomes else SYMBOLIC
    return check

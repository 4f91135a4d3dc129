"""Symbolic rules for integrals of densities, used to verify the steps of Problem 2.

:func:`reduce_integrals` puts an expression built from integrals over the real line into
a normal form using only

- linearity (an integral of a sum is the sum of the integrals; constants move out);
- Fubini-Tonelli for products: ``int int f(z1) g(z2) dz1 dz2 = (int f dz1)(int g dz2)``;
- normalisation: ``int q(z) dz = 1`` for every density ``q`` (an undefined function
  declared a density, or :class:`~derive.ops.NormalPDF`);
- ``ln`` of a product of densities is the sum of their ``ln`` (densities are positive).

Two sides whose normal forms agree (``expand(a - b) == 0``) are equal whenever the
integrals exist; the check is symbolic. :func:`gaussian_expectation` is the rule for the
expectation of a polynomial under independent standard normals
(``E eps^k = (k-1)!!`` for even ``k``, 0 for odd ``k``).
"""
from __future__ import annotations

from typing import Iterable

import sympy as sp

from derive.ops import KL, NormalPDF

__all__ = ["reduce_integrals", "integrals_equal", "gaussian_expectation", "gaussian_normal_form"]


def _is_density(e, densities) -> bool:
    return isinstance(e, NormalPDF) or (isinstance(e, sp.core.function.AppliedUndef)
                                        and e.func in densities)


def _one_d(group, v, densities):
    """``int group dv`` over the real line, with the normalisation rule applied."""
    if group == 1:
        raise ValueError(f"integral of a constant over the real line in {v}")
    if _is_density(group, densities) and group.args[0] == v:
        return sp.Integer(1)
    return sp.Integral(group, (v, -sp.oo, sp.oo))


def _term(term, variables, densities):
    """One product term of an integrand, integrated over ``variables``."""
    const, groups, joint = sp.Integer(1), {v: sp.Integer(1) for v in variables}, []
    for f in sp.Mul.make_args(term):
        inside = [v for v in variables if f.has(v)]
        if not inside:
            const *= f
        elif len(inside) == 1:
            groups[inside[0]] *= f
        else:
            joint.append(f)
    if joint:  # not separable: keep one integral over every variable
        return sp.Integral(term, *[(v, -sp.oo, sp.oo) for v in variables])
    return const * sp.Mul(*[_one_d(g, v, densities) for v, g in groups.items()])


def _reduce_integral(integral, densities):
    variables = []
    for lim in integral.limits:
        if len(lim) != 3 or (lim[1], lim[2]) != (-sp.oo, sp.oo):
            raise ValueError(f"only integrals over the whole real line are reduced: {lim}")
        variables.append(lim[0])
    body = sp.expand(sp.expand_log(integral.function, force=True))
    return sp.Add(*[_term(t, variables, densities) for t in sp.Add.make_args(body)])


def reduce_integrals(expr, densities: Iterable = ()):
    """The normal form of ``expr`` under linearity, Fubini and normalisation."""
    densities = set(densities)
    expr = sp.sympify(expr).replace(lambda e: isinstance(e, KL), lambda e: e.as_integral())
    return sp.expand(_walk(sp.expand_log(expr, force=True), densities))


def _walk(e, densities):
    """Reduce every integral in ``e``, innermost first, each exactly once."""
    if e.is_Atom or not e.args:
        return e
    new = e.func(*[_walk(a, densities) for a in e.args]) if not isinstance(e, sp.Integral) else e
    return _reduce_integral(new, densities) if isinstance(new, sp.Integral) else new


def integrals_equal(a, b, densities: Iterable = ()) -> bool:
    """True when ``a`` and ``b`` have the same normal form (see module docstring)."""
    return sp.expand(reduce_integrals(a, densities) - reduce_integrals(b, densities)) == 0


def _std_normal_moment(k: int) -> sp.Integer:
    return sp.Integer(0) if k % 2 else sp.factorial2(k - 1) if k else sp.Integer(1)


def gaussian_expectation(poly_expr, eps: Iterable[sp.Symbol]):
    """E[poly_expr] for independent standard normal ``eps`` (a polynomial in them)."""
    eps = list(eps)
    p = sp.Poly(sp.expand(poly_expr), *eps)
    return sp.Add(*[c * sp.Mul(*[_std_normal_moment(k) for k in mon]) for mon, c in p.terms()])


def _log_normal_explicit(e):
    """ln N(z; a, b^2) = -(z - a)^2 / (2 b^2) - ln b - ln(2 pi) / 2."""
    z, a, b = e.args[0].args
    return -(z - a) ** 2 / (2 * b ** 2) - sp.log(b) - sp.log(2 * sp.pi) / 2


def _moment(integral):
    """int poly(z) N(z; a, b^2) dz = E poly(a + b eps), eps ~ N(0, 1)."""
    body, (v, _, _) = integral.function, integral.limits[0]
    dens = [f for f in sp.Mul.make_args(body) if isinstance(f, NormalPDF) and f.args[0] == v]
    rest = body / dens[0] if len(dens) == 1 else None
    if rest is None or not rest.is_polynomial(v):
        return integral
    eps = sp.Dummy("eps", real=True)
    _, a, b = dens[0].args
    return gaussian_expectation(rest.subs(v, a + b * eps), [eps])


def gaussian_normal_form(expr, densities: Iterable = ()):
    """:func:`reduce_integrals`, with ``ln N(z; a, b^2)`` written out and every remaining
    ``int poly(z) N(z; a, b^2) dz`` replaced by its value from the normal moments."""
    expr = sp.expand_log(sp.sympify(expr).replace(
        lambda e: isinstance(e, KL), lambda e: e.as_integral()), force=True)
    expr = expr.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], NormalPDF),
                        _log_normal_explicit)
    expr = reduce_integrals(expr, densities)
    return sp.expand(expr.replace(lambda e: isinstance(e, sp.Integral) and len(e.limits) == 1,
                                  _moment))

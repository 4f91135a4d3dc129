"""Symbolic rules for integrals of densities, used to verify the steps of Problem 2.

:func:`reduce_integrals` puts an expression built from integrals over the real line into
a normal form using only

- linearity (an integral of a sum is the sum of the integrals; constants move out);
- Fubini-Tonelli for products: ``int int f(z1) g(z2) dz1 dz2 = (int f dz1)(int g dz2)``;
- normalisation: ``int q(z) dz = 1`` for every density ``q`` (an undefined function
  declared a density, or :class:`~derive.ops.NormalPDF`);
- ``ln`` of a product of densities is the sum of their ``ln`` (densities are positive).

Two sides whose normal forms agree (``expand(a - b) == 0``) are equal whenever the
integrals exist; the check is symbolic. The Gaussian moments are one rule, Isserlis' theorem
(:func:`gaussian_moments`: ``E[poly(x)]`` for ``x ~ N(mean, cov)``); :func:`gaussian_expectation`
is its case of independent standard normals (``E eps^k = (k-1)!!`` for even ``k``, 0 for odd
``k``), and :func:`gaussian_integral` the integral of a polynomial times ``e^{quadratic}`` over
some variables (the checker's integrals over the entries of a column).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import sympy as sp

from derive.ops import KL, NormalPDF

__all__ = ["reduce_integrals", "integrals_equal", "gaussian_expectation", "gaussian_moments", "gaussian_integral",
           "gaussian_normal_form", "monomials", "recognise_gaussians"]


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


@lru_cache(maxsize=4096)
def _pairings(idx: tuple) -> tuple:
    """The perfect matchings of the positions of ``idx`` as tuples of index pairs."""
    if not idx:
        return ((),)
    first, rest = idx[0], idx[1:]
    out = []
    for k in range(len(rest)):
        pair = (first, rest[k]) if first <= rest[k] else (rest[k], first)
        for p in _pairings(rest[:k] + rest[k + 1:]):
            out.append((pair, *p))
    return tuple(out)


def monomials(expr, xs) -> list | None:
    """An expanded polynomial in ``xs`` as ``[(coefficient, exponents), ...]`` (term by term,
    without a dense polynomial in many variables); None when a term is not a monomial in ``xs``."""
    pos = {x: k for k, x in enumerate(xs)}
    out = []
    for term in sp.Add.make_args(sp.expand(expr)):
        exps, coeff = [0] * len(xs), []
        for f in sp.Mul.make_args(term):
            base, e = f.as_base_exp()
            if base in pos and e.is_Integer and e > 0:
                exps[pos[base]] += int(e)
            elif f.has(*xs):
                return None
            else:
                coeff.append(f)
        out.append((sp.Mul(*coeff), tuple(exps)))
    return out


def _centred_moment(mon: tuple, cov):
    """``E[y_1^k_1 ... y_n^k_n]`` for ``y ~ N(0, cov)``, Isserlis' theorem: the sum over the
    pairings of the factors of the products of their covariances (0 for an odd degree); with
    the factors' covariances diagonal, that sum is ``prod_i cov_ii^(k_i/2) (k_i - 1)!!``."""
    if sum(mon) % 2:
        return sp.Integer(0)
    used = [k for k, a in enumerate(mon) if a]
    if all(cov[i, j] == 0 for i in used for j in used if i != j):
        if any(mon[k] % 2 for k in used):
            return sp.Integer(0)
        return sp.Mul(*[cov[k, k] ** (mon[k] // 2) * sp.factorial2(mon[k] - 1) for k in used])
    idx = tuple(k for k, a in enumerate(mon) for _ in range(a))
    return sp.Add(*[sp.Mul(*[cov[i, j] for i, j in p]) for p in _pairings(idx)])


def gaussian_moments(poly, xs, mean, cov, max_degree: int | None = None):
    """``E[poly(x)]`` for ``x ~ N(mean, cov)`` (Isserlis' theorem on the centred monomials,
    :func:`_centred_moment`); None when ``poly`` is not a polynomial in ``xs`` or has a degree
    above ``max_degree``.

    >>> e1, e2 = sp.symbols("e1 e2")
    >>> gaussian_moments(e1 ** 2 * e2 ** 2, [e1, e2], [0, 0], sp.Matrix([[2, 1], [1, 3]]))
    8
    """
    ys = [sp.Dummy(f"y{k}") for k in range(len(xs))]
    terms = monomials(sp.sympify(poly).xreplace({x: mean[k] + ys[k] for k, x in enumerate(xs)}), ys)
    if terms is None or (max_degree is not None and max((sum(e) for _, e in terms), default=0) > max_degree):
        return None
    return sp.Add(*[c * _centred_moment(mon, cov) for c, mon in terms])


def gaussian_expectation(poly_expr, eps: Iterable[sp.Symbol]):
    """E[poly_expr] for independent standard normal ``eps`` (a polynomial in them):
    :func:`gaussian_moments` with mean 0 and the identity covariance
    (``E eps^k = (k-1)!!`` for even ``k``, 0 for odd ``k``)."""
    eps = list(eps)
    got = gaussian_moments(poly_expr, eps, [0] * len(eps), sp.eye(len(eps)))
    if got is None:
        raise sp.PolynomialError(f"not a polynomial in {eps}: {poly_expr}")
    return got


def gaussian_integral(body, xs, max_degree: int | None = None):
    """``int body dx`` over the real line in each of ``xs`` when ``body`` (densities written out)
    is a polynomial (after ``ln`` expansion) times ``C e^{Q(x)}``, ``Q`` quadratic in ``xs``,
    ``P = -nabla^2 Q`` positive definite, ``b = nabla Q(0)``, ``c = Q(0)`` (the other variables are
    parameters)::

        C e^{c + b^T P^{-1} b / 2} sqrt((2 pi)^k / |P|) E[poly(x)],  x ~ N(P^{-1} b, P^{-1}),

    the expectation by :func:`gaussian_moments`. None when ``body`` has another form (or a degree
    above ``max_degree``) or SymPy cannot tell whether ``P`` is positive definite; ``nan``
    (undefined) when ``P`` is not, for then the integral diverges.

    >>> x = sp.Symbol("x", real=True)
    >>> gaussian_integral(x ** 2 * sp.exp(-x ** 2 / 2), [x])
    sqrt(2)*sqrt(pi)
    """
    xs = list(xs)
    body = sp.powsimp(sp.expand_power_exp(body))
    factors = sp.Mul.make_args(body)
    exps = [f for f in factors if isinstance(f, sp.exp) and f.has(*xs)]
    others = [f for f in factors if f.has(*xs) and f not in exps]
    const = sp.Mul(*[f for f in factors if not f.has(*xs)])
    if not exps or not xs:
        return None
    Q = sp.expand(sp.Add(*[f.args[0] for f in exps]))
    poly = sp.expand(sp.expand_log(sp.Mul(*others), force=True))
    quadratic = monomials(Q, xs)
    if not poly.is_polynomial(*xs) or quadratic is None or max(sum(e) for _, e in quadratic) != 2:
        return None
    zero = {x: 0 for x in xs}
    P = -sp.hessian(Q, xs)
    if P.free_symbols & set(xs):
        return None
    definite = sp.Matrix(P).is_positive_definite  # Cholesky for numbers, leading minors otherwise
    if definite is False and sp.expand(poly) != 0:
        return sp.nan  # e^Q does not decay in some direction: the integral does not exist
    if not definite:
        return None
    b = sp.Matrix([sp.diff(Q, x).xreplace(zero) for x in xs])
    cov = P.inv()
    expect = gaussian_moments(poly, xs, cov * b, cov, max_degree)
    if expect is None:
        return None
    mass = sp.exp(sp.expand(Q.xreplace(zero) + (b.T * cov * b)[0, 0] / 2)) * sp.sqrt((2 * sp.pi) ** len(xs) / P.det())
    return const * mass * expect


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


def recognise_gaussians(e):
    """``exp(-(z - a)^2 / (2 b^2)) / (sqrt(2 pi) b)`` written out inside an integral over the real
    line in z becomes ``NormalPDF(z, a, b)`` (times what is left), so the moment rules apply.

    >>> z = sp.Symbol("z", real=True)
    >>> recognise_gaussians(sp.Integral(z ** 2 * sp.exp(-z ** 2 / 2), (z, -sp.oo, sp.oo)))
    Integral(sqrt(2)*sqrt(pi)*z**2*NormalPDF(z, 0, 1), (z, -oo, oo))
    """
    def one(integral):
        body, lims = integral.function, integral.limits
        for (v, lo, hi) in lims:
            if (lo, hi) != (-sp.oo, sp.oo):
                return integral
        for (v, _, _) in lims:
            body = _gaussian_factor(sp.powsimp(sp.expand_power_exp(body)), v)
        return sp.Integral(body, *lims)
    return e.replace(lambda x: isinstance(x, sp.Integral), one)


def _gaussian_factor(body, v):
    exps = [f for f in sp.Mul.make_args(body) if isinstance(f, sp.exp) and f.args[0].has(v)]
    if len(exps) != 1:
        return body
    arg = sp.expand(exps[0].args[0])
    poly = sp.Poly(arg, v) if arg.is_polynomial(v) else None
    if poly is None or poly.degree() != 2:
        return body
    a2, a1, a0 = (poly.coeff_monomial(v ** k) for k in (2, 1, 0))
    if not (a2.is_negative or (-a2).is_positive):
        return body
    b = sp.sqrt(-1 / (2 * a2))
    mean = sp.simplify(-a1 / (2 * a2))
    const = sp.simplify(a0 - a2 * mean ** 2)
    rest = sp.Mul(*[f for f in sp.Mul.make_args(body) if f is not exps[0]])
    return rest * sp.exp(const) * sp.sqrt(2 * sp.pi) * b * NormalPDF(v, mean, b)


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

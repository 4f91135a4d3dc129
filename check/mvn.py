r"""Densities of a column variable and the multivariate normal: what the judge needs for
``E_q[f(z)]`` and ``KL(q || p)`` when ``z`` is a column of ``m`` rows, at explicit sizes.

- ``ColumnIntegral(f, z)`` is ``\int_{R^m} f dz`` over a column ``z``; once ``z`` is
  explicit (``z_1, ..., z_m``) it is the integral over those entries. An expectation
  ``E_q[f]`` under a density ``q(z)`` of a column is ``ColumnIntegral(f q(z), z)``, and
  ``KL(q || p) = ColumnIntegral(q ln(q/p), z)`` (:func:`column_integral`, :func:`column_kl`);
  at a symbolic size only linearity and ``\int N(z; mu, Sigma) dz = 1`` are used
  (:func:`column_linearity`, a proof for every size). A derivative in a parameter goes
  inside (Leibniz's rule: ``nabla_phi KL(q_phi || p)`` is ``\int nabla_phi (q_phi ln(q_phi/p)) dz``).
- ``CoordinateIntegral(f, z_k, k, lo, hi, j)`` is ``\int f \prod_{k \neq j} dz_k`` (the
  coordinates ``k = lo..hi`` but ``j``); a step with one holds for every ``j``, so at each size
  it is checked at ``j = lo, ..., hi`` (:func:`left_out_values`).
- :func:`gaussian_integral`: ``\int poly(x) C e^{Q(x)} dx`` over some variables ``x`` by the
  engine's one set of Gaussian rules (:func:`derive.engine.integrals.gaussian_integral`, the
  moments by Isserlis' theorem), the densities written out first. ``ln`` of a density written
  out is a polynomial in ``x`` after :func:`sympy.expand_log`, so ``KL`` and ``E[ln q - ln p]``
  of two normals take the same rule.
- ``MVN(mean, cov)``: ``N(mean, cov)`` written without its variable, a density of the entries
  ``z_1..z_m`` once the size is explicit (a diagonal covariance: the product of the entries'
  densities).
- :func:`covariances`: the matrix symbols the document uses as a covariance (the last argument
  of ``N(z; mu, Sigma)`` or ``N(mu, Sigma)``); a covariance is symmetric positive definite, so
  at explicit sizes the checker gives it the values ``L L^T`` (:func:`spd_instances`: the
  engine's :func:`derive.engine.points.spd_matrix`; the first instance is ``I``), never
  independent entries.
"""
from __future__ import annotations

import random

import sympy as sp
from sympy.core.function import AppliedUndef

from check.arithmetic import basic
from check.verdicts import Unsupported
from derive.engine.integrals import gaussian_integral as engine_gaussian_integral
from derive.engine.points import spd_matrix
from derive.ops import KL, normal_pdf, NormalDensity, NormalDist, NormalPDF

__all__ = ["MVN", "sizes_of", "ColumnIntegral", "CoordinateIntegral", "left_out_values", "is_column", "column_integral", "column_kl", "column_density", "gaussian_integral",
           "column_integrals", "column_linearity",
           "covariances", "spd_instances", "N_SPD", "MAX_MOMENT", "MAX_COORDINATES"]

N_SPD = 3          # covariance instances at each size (the identity, then random L L^T)
MAX_MOMENT = 8     # highest degree of a polynomial whose Gaussian expectation is taken
MAX_COORDINATES = 100  # coordinates of one \prod_k dz_k written out (a larger range is not evaluated)


def is_column(x) -> bool:
    """A column of symbolic or explicit size (``z`` declared ``[m, 1]``)."""
    return isinstance(x, (sp.MatrixSymbol, sp.MatrixBase)) and x.shape[1] == 1


class ColumnIntegral(sp.Function):
    """``\\int_{R^m} f dz`` over the entries of the column ``z`` (kept until ``z`` is explicit)."""

    nargs = 2

    def variables(self):
        z = self.args[1]
        return list(z) if isinstance(z, sp.MatrixBase) else None

    def as_integral(self):
        """The integral over the explicit entries (``z_1, ..., z_m``), or ``self``."""
        vs = self.variables()
        if vs is None or not all(isinstance(v, (sp.Symbol, sp.Indexed)) for v in vs):
            return self
        return sp.Integral(self.args[0], *[(v, -sp.oo, sp.oo) for v in vs])

    def _eval_derivative(self, s):
        """Leibniz's rule: ``d/ds \\int_{R^m} f dz = \\int_{R^m} df/ds dz`` (the domain does not
        depend on ``s``); 0 in an entry of ``z`` itself, which is bound."""
        f, z = self.args
        if s in set(self.variables() or ()) or (isinstance(z, sp.MatrixSymbol) and s.has(z)):
            return sp.S.Zero
        return ColumnIntegral(sp.diff(f, s), z)

    def _latex(self, printer, exp=None):
        f, z = (printer._print(a) for a in self.args)
        out = rf"\int {f}\, d{z}"
        return out if exp is None else rf"\left({out}\right)^{{{exp}}}"


class CoordinateIntegral(sp.Function):
    r"""``\int f \prod_{k \neq j} dz_k``: over the coordinates ``v = z_k`` for ``k = lo..hi``,
    ``k = left_out`` excepted (``EmptySet``: none); args ``(f, v, k, lo, hi, left_out)``."""

    nargs = 6

    def variables(self):
        _, v, k, lo, hi, out = self.args
        if not (lo.is_Integer and hi.is_Integer and (out is sp.S.EmptySet or out.is_Integer)) \
                or hi - lo >= MAX_COORDINATES:
            return None
        return [v.xreplace({k: sp.Integer(i)}) for i in range(int(lo), int(hi) + 1) if out is sp.S.EmptySet or i != out]

    def _latex(self, printer, exp=None):
        f, v, k, lo, hi, out = self.args
        which = f"{printer._print(k)} \\neq {printer._print(out)}" if out is not sp.S.EmptySet else \
            f"{printer._print(k)}={printer._print(lo)}"
        res = rf"\int {printer._print(f)} \prod_{{{which}}}^{{{printer._print(hi)}}} d{printer._print(v)}"
        return res if exp is None else rf"\left({res}\right)^{{{exp}}}"


def left_out_values(exprs, config: dict) -> list[dict]:
    r"""A step with ``\prod_{k \neq j} dz_k`` holds for every ``j`` in the coordinates' range:
    at sizes ``config``, one assignment ``{j: value}`` for each ``j`` from ``lo`` to ``hi``."""
    picks = {}
    for e in exprs:
        for c in e.atoms(CoordinateIntegral) if isinstance(e, sp.Basic) else ():
            _, _, _, lo, hi, out = c.args
            if isinstance(out, sp.Symbol):
                lo, hi = lo.subs(config), hi.subs(config)
                if lo.is_Integer and hi.is_Integer and hi - lo < MAX_COORDINATES:
                    picks[out] = range(int(lo), int(hi) + 1)
    if len(picks) != 1:
        return []
    (j, values), = picks.items()
    return [{j: sp.Integer(v)} for v in values]


def column_density(d, var):
    """A distribution ``N(mu, Sigma)`` written without its variable, as the density of ``var``."""
    if isinstance(d, NormalDist):
        return NormalDensity(var, *d.args)
    return d


def column_integral(f, dens, var):
    """``E[f]`` under the density ``dens`` of the column ``var``: ``\\int f dens dvar``."""
    return ColumnIntegral(f * column_density(dens, var), var)


def column_kl(e):
    """``KL(q(z) || p(z))`` with ``z`` a column as ``\\int q(z) ln(q(z)/p(z)) dz`` (before the
    definitions of ``q``, ``p`` are substituted, which would hide the variable). As for a
    scalar, the variable is the first argument: ``KL(q(z | x) || p(z))`` (read ``q(z, x)``)
    is ``\\int q(z | x) ln(q(z | x)/p(z)) dz``, the further arguments held fixed."""
    def one(x):
        a, b = x.args
        if not (isinstance(a, AppliedUndef) and a.args and is_column(a.args[0])):
            return x
        z = a.args[0]
        b = column_density(b, z)
        return ColumnIntegral(a * sp.log(a / b), z)
    return e.replace(lambda x: isinstance(x, KL), one) if e.has(KL) else e


def _written_out(e):
    """Normal densities written out (explicit ``N(z; mu, Sigma)`` and ``N(z; a, b^2)``)."""
    e = e.replace(lambda x: isinstance(x, NormalDensity), lambda x: x.explicit())
    return e.replace(lambda x: isinstance(x, NormalPDF), lambda x: normal_pdf(*x.args))


def gaussian_integral(body, xs):
    """The engine's :func:`derive.engine.integrals.gaussian_integral` of ``body`` with its normal
    densities written out, moments up to degree :data:`MAX_MOMENT`."""
    return engine_gaussian_integral(_written_out(body), xs, MAX_MOMENT)


def column_integrals(e):
    """Every :class:`ColumnIntegral` and :class:`CoordinateIntegral` whose variables are
    explicit: by :func:`gaussian_integral`, else as an ordinary integral over them (the
    engine's rules take it from there); over no coordinate at all it is its integrand."""
    def one(x):
        vs = x.variables()
        if vs is None:
            return x
        if not vs:
            return x.args[0]
        got = gaussian_integral(x.args[0], vs)
        return got if got is not None else sp.Integral(x.args[0], *[(v, -sp.oo, sp.oo) for v in vs])
    kinds = (ColumnIntegral, CoordinateIntegral)
    return e.replace(lambda x: isinstance(x, kinds), one) if e.has(*kinds) else e


def column_linearity(e):
    r"""Linearity of ``\int_{R^m} dz`` at any size: the integral of a sum is the sum of the
    integrals, factors without ``z`` move out, and ``\int N(z; mu, Sigma) dz = 1``."""
    def one(x):
        f, z = x.args
        out = []
        for term in sp.Add.make_args(sp.expand_mul(f)):
            inside = [g for g in sp.Mul.make_args(term) if g.has(z)]
            const = sp.Mul(*[g for g in sp.Mul.make_args(term) if not g.has(z)])
            rest = sp.Mul(*inside)
            is_density = isinstance(rest, NormalDensity) and rest.args[0] == z
            out.append(const if is_density else const * ColumnIntegral(rest, z))
        return sp.Add(*out)
    return e.replace(lambda x: isinstance(x, ColumnIntegral), one) if e.has(ColumnIntegral) else e


def sizes_of(M) -> set:
    """The size symbols in the shape of the matrix ``M``."""
    return set().union(*(basic(d).free_symbols for d in M.shape))


class MVN(sp.Function):
    """``N(mean, cov)`` as a density of ``z_1..z_m``, made explicit after instantiation."""

    nargs = 2

    def explicit(self, base):
        mean, cov = (a.as_explicit() if isinstance(a, sp.MatrixExpr) and not a.free_symbols & sizes_of(a) else a
                     for a in self.args)
        if isinstance(cov, sp.MatrixBase) and not isinstance(mean, sp.MatrixBase) and mean == 0:
            mean = sp.zeros(cov.shape[0], 1)
        if not (isinstance(mean, sp.MatrixBase) and isinstance(cov, sp.MatrixBase)):
            return self
        if cov != sp.diag(*[cov[i, i] for i in range(cov.shape[0])]):
            raise Unsupported("a normal density with a non-diagonal covariance")
        return sp.Mul(*[NormalPDF(base[i + 1], mean[i], sp.sqrt(cov[i, i])) for i in range(cov.shape[0])])


def covariances(exprs) -> set:
    """The matrix symbols used as a covariance in ``exprs``: ``N(z; mu, Sigma)``, ``N(mu, Sigma)``."""
    out = set()
    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        for n in e.atoms(NormalDensity):
            out |= {S for S in [n.args[2]] if isinstance(S, sp.MatrixSymbol)}
        for n in e.atoms(NormalDist):
            out |= {S for S in [n.args[1]] if isinstance(S, sp.MatrixSymbol)}
    return out


def spd_instances(symbols, config: dict, seed: int = 0) -> list[dict]:
    """:data:`N_SPD` assignments ``{Sigma: explicit SPD matrix}`` of the covariances at the
    sizes ``config`` (the first: every covariance the identity)."""
    rng = random.Random(seed)
    out = []
    for n in range(N_SPD):
        inst = {}
        for S in sorted(symbols, key=lambda s: s.name):
            k = S.shape[0] if isinstance(S.shape[0], sp.Basic) else sp.Integer(S.shape[0])
            k = k.subs(config)
            if not getattr(k, "is_Integer", False):
                return []
            inst[S] = sp.ImmutableMatrix(sp.eye(int(k))) if n == 0 else spd_matrix(int(k), rng)
        out.append(inst)
    return out

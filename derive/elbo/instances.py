"""The VAE of Problem 3 in the seed's notation, and the instance check of its generic
formulas: instantiate at small dimensions with SymPy ``Function`` objects for the networks
and compare with SymPy's own chain rule. The derivations are proved for every size in index
form (:mod:`derive.elbo.index_form`); this check is the tests' independent cross-check that
the index form and the Jacobian form agree.

Notation (design.md): latent dimension ``m``, data dimension ``d``, ``n_eps`` samples,
``n_phi`` encoder and ``n_theta`` decoder parameters. The encoder outputs ``mu = mu_phi(x)``
and ``ell = s_phi(x) = ln s`` (so ``s = e^ell``); ``q_phi(z|x) = N(mu, diag(s^2))``; the
decoder outputs ``pi = pi_theta(z)``, ``p(x|z) = prod_k pi_k^x_k (1 - pi_k)^(1 - x_k)``.
Jacobians: ``g_{mu,phi}`` (m x n_phi), ``g_{s,phi}`` (m x n_phi, of ``ell``),
``g_{pi,z}(z_i)`` (d x m) and ``g_{pi,theta}(z_i)`` (d x n_theta) at ``z_i = mu + s o eps_i``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derive.engine.checks import canonical_calls, equal_in_calls, instances
from derive.engine.explicit import Explicit
from derive.ops import EXPLICIT, PiAt, Sigmoid
from derive.symbols import (DZ, EPS, G_ATH, G_AZ, G_MU, G_PITH, G_PIZ, G_S, GTH_LOGP, GZ_LOGP, MU, ONES, PI, S,
                            Z_I, d, ell_i, i, m, mu_i, n_eps, n_phi, n_theta, phi, theta, x_i, x_vec)

__all__ = ["Config", "Residual", "instantiate", "jacobian_check", "r_definition"]


class Residual(MatrixExpr):
    """``r = d ln p(x | z) / d pi`` of the Bernoulli decoder, the column with entries
    ``r_k = (x_k - pi_k) / (pi_k (1 - pi_k))``, displayed entry by entry."""

    def __new__(cls, x, pi):
        return super().__new__(cls, sp.sympify(x), sp.sympify(pi))

    @property
    def shape(self):
        return self.args[0].shape

    def _entry(self, i, j, **kw):
        xk, pk = self.args[0][i, j], self.args[1][i, j]
        return (xk - pk) / (pk * (1 - pk))

    def _latex(self, printer):
        return r"\left(\frac{x_k - \pi_k(z_{i})}{\pi_k(z_{i})\,(1 - \pi_k(z_{i}))}\right)_{k=1}^{d}"


def r_definition():
    """r(z_i) with entries r_k = (x_k - pi_k(z_i)) / (pi_k(z_i) (1 - pi_k(z_i))): d ln p / d pi."""
    return Residual(x_vec, PI)


def _residual_explicit(e, walk):
    """An explicit Residual: the column of (x_k - pi_k) / (pi_k (1 - pi_k))."""
    x, p = (walk(a) for a in e.args)
    return sp.Matrix([(xk - pk) / (pk * (1 - pk)) for xk, pk in zip(x, p)])


@dataclass(frozen=True)
class Config:
    """One instantiation: dimensions and whether the decoder is ``sigmoid(a_theta(z))``."""

    m: int
    d: int
    n_eps: int
    n_phi: int
    n_theta: int
    logit: bool = False

    @cached_property
    def phis(self):
        return sp.symbols(f"phi_1:{self.n_phi + 1}", real=True)

    @cached_property
    def thetas(self):
        return sp.symbols(f"theta_1:{self.n_theta + 1}", real=True)

    @cached_property
    def xi(self):
        return sp.symbols(f"xi_1:{self.m + 1}", real=True)

    @cached_property
    def xs(self):
        return sp.symbols(f"x_1:{self.d + 1}", real=True)

    @cached_property
    def mu(self):
        return sp.Matrix([sp.Function(f"mu_{a}")(*self.phis) for a in range(1, self.m + 1)])

    @cached_property
    def ell(self):
        return sp.Matrix([sp.Function(f"ell_{a}")(*self.phis) for a in range(1, self.m + 1)])

    def eps(self, ii):
        return sp.Matrix([sp.Symbol(f"eps_{a}_{ii}", real=True) for a in range(1, self.m + 1)])

    def z(self, ii):
        return self.mu + self.ell.applyfunc(sp.exp).multiply_elementwise(self.eps(ii))

    @cached_property
    def logits(self):
        return sp.Matrix([sp.Function(f"a_{b}")(*self.xi, *self.thetas) for b in range(1, self.d + 1)])

    @cached_property
    def pi_xi(self):
        """pi(xi): undefined functions, or sigmoid of undefined logits."""
        if self.logit:
            return self.logits.applyfunc(Sigmoid)
        return sp.Matrix([sp.Function(f"pi_{b}")(*self.xi, *self.thetas) for b in range(1, self.d + 1)])

    def at(self, expr, ii):
        """``expr`` (a function of xi) evaluated at z_ii; partial derivatives of the
        network functions become canonical calls first
        (:func:`derive.engine.checks.canonical_calls`)."""
        return canonical_calls(expr).xreplace(dict(zip(self.xi, self.z(ii))))

    def loglik_xi(self):
        return sum(x * sp.log(p) + (1 - x) * sp.log(1 - p) for x, p in zip(self.xs, self.pi_xi))

    def matrix(self, M, ii):
        """Explicit value of the matrix symbol ``M`` (concrete shape) at sample ii."""
        return _matrix(self, M.name, ii)

    def matrix_named(self, name, ii):
        """Explicit value of the matrix symbol called ``name`` at sample ii."""
        pi, at = self.pi_xi, lambda e: self.at(e, ii)
        loglik = lambda: self.loglik_xi()
        rules = {
            MU.name: lambda: self.mu, S.name: lambda: self.ell.applyfunc(sp.exp),
            ONES.name: lambda: sp.ones(self.m, 1), x_vec.name: lambda: sp.Matrix(self.xs),
            G_MU.name: lambda: self.mu.jacobian(self.phis),
            G_S.name: lambda: self.ell.jacobian(self.phis),
            EPS.name: lambda: self.eps(ii), Z_I.name: lambda: self.z(ii), PI.name: lambda: at(pi),
            G_PIZ.name: lambda: at(pi.jacobian(self.xi)),
            G_PITH.name: lambda: at(pi).jacobian(self.thetas),
            G_AZ.name: lambda: at(self.logits.jacobian(self.xi)),
            G_ATH.name: lambda: at(self.logits).jacobian(self.thetas),
            DZ.name: lambda: self.z(ii).jacobian(self.phis),
            GZ_LOGP.name: lambda: at(sp.Matrix([loglik()]).jacobian(self.xi).T),
            GTH_LOGP.name: lambda: sp.Matrix([at(loglik())]).jacobian(self.thetas).T}
        return rules[name]()

    @cached_property
    def dims(self):
        return {m: self.m, d: self.d, n_eps: self.n_eps, n_phi: self.n_phi, n_theta: self.n_theta}

    @cached_property
    def walker(self) -> Explicit:
        """The walker that makes an expression of Problem 3 explicit at this config: sums
        over i (samples), j (latent), k (data) written out, matrix symbols replaced (at the
        sample i of the enclosing sum), gradients taken by SymPy."""
        values = {**self.dims, phi: sp.Matrix(self.phis), theta: sp.Matrix(self.thetas)}
        indexed = {x_i: self.xs, mu_i: list(self.mu), ell_i: list(self.ell)}
        rules = {**EXPLICIT,
                 sp.MatrixSymbol: lambda M, walk: self.matrix(M, walk.bound.get(i)),
                 sp.Indexed: lambda e, walk: indexed[e.base][int(e.indices[0]) - 1],
                 PiAt: lambda e, walk: self.at(self.pi_xi[int(e.args[0]) - 1], int(e.args[1])),
                 Residual: _residual_explicit}
        return Explicit(values, rules)


@lru_cache(maxsize=1024)
def _matrix(cfg: Config, name: str, ii):
    return cfg.matrix_named(name, ii)


def instantiate(expr, cfg: Config):
    """``expr`` made explicit at ``cfg`` (see :attr:`Config.walker`)."""
    return cfg.walker(expr)


def jacobian_check(configs):
    """``check=`` for Chain.step: both sides instantiated at each config, equal as
    explicit matrices in which the networks' values and partial derivatives are
    independent unknowns (:func:`derive.engine.checks.equal_in_calls`)."""
    return instances(instantiate, configs, compare=equal_in_calls(opaque=(Sigmoid,)),
                     tag=f"{len(configs)} sizes", describe=_describe,
                     why="the networks are undefined functions of explicit parameter vectors")


def _describe(cfg: Config) -> str:
    return f"(m, d, n_eps, n_phi, n_theta) = ({cfg.m}, {cfg.d}, {cfg.n_eps}, {cfg.n_phi}, {cfg.n_theta})"

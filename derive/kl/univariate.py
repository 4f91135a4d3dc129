"""KL divergence of Gaussians to the standard normal (Problem 2.a).

    KL(N(mu, sigma^2) || N(0, 1)) = 1/2 (mu^2 + sigma^2 - 1 - ln sigma^2)

derived from the integral definition: expand the log ratio, take expectations with the
Gaussian moments E[z - mu]^2 = sigma^2 and E z^2 = mu^2 + sigma^2, simplify.
Reference: Kingma and Welling (2014), Appendix B.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derive.engine.chain import Chain, Derivation, VerificationError
from derive.engine.integrals import gaussian_normal_form
from derive.engine.checks import proved
from derive.ops import NormalPDF, normal_pdf_written
from derive.symbols import mu, p, q, sigma, z

__all__ = ["univariate", "univariate_direct", "moments_check", "WHERE", "REFS"]

REFS = ("Kingma and Welling (2014), Auto-Encoding Variational Bayes, App. B (its formula for one latent dimension)",)

WHERE = {q: sp.Lambda(z, NormalPDF(z, mu, sigma)), p: sp.Lambda(z, NormalPDF(z, 0, 1))}


def moments_check(a, b) -> str:
    """Both sides to the normal form of :func:`derive.engine.integrals.gaussian_normal_form`
    (ln of the densities written out, linearity, int q = 1, normal moments)."""
    if sp.expand(gaussian_normal_form(a) - gaussian_normal_form(b)) != 0:
        raise VerificationError(f"normal forms differ: {a} vs {b}")
    return proved("normal form of Gaussian integrals (linearity, normalisation, normal moments)")


def _E(f):
    """E_q[f(z)] as an unevaluated integral against q = N(mu, sigma^2)."""
    return sp.Integral(f * q(z), (z, -sp.oo, sp.oo))


@lru_cache(maxsize=None)
def univariate() -> Derivation:
    """2.a from the definition: expand the log ratio, Gaussian moments, collect."""
    half = sp.Rational(1, 2)
    log_ratio = sp.Add(-sp.log(sigma), -(z - mu) ** 2 / (2 * sigma ** 2), z ** 2 / 2, evaluate=False)
    c = Chain("kl.univariate", problem="2.a",
              title=r"$\mathrm{KL}(\mathcal{N}(\mu,\sigma^2)\,\|\,\mathcal{N}(0,1))$",
              lhs=sp.Function("KL")(sp.Symbol(r"\mathcal{N}(\mu,\sigma^2)\,\|\,\mathcal{N}(0,1)")),
              start=sp.Integral(sp.log(q(z) / p(z)) * q(z), (z, -sp.oo, sp.oo)), references=REFS,
              where=WHERE, notes=NOTES)
    c.step(_E(log_ratio), r"$\ln\frac{q}{p} = -\ln\sigma - \frac{(z-\mu)^2}{2\sigma^2} + \frac{z^2}{2}$", check=moments_check)
    c.step(sp.Add(-sp.log(sigma), -_E((z - mu) ** 2) / (2 * sigma ** 2), _E(z ** 2) / 2, evaluate=False),
           r"linearity; $\int q = 1$", check=moments_check)
    c.step(sp.Add(-sp.log(sigma), sp.Mul(-1, sigma ** 2, sp.Pow(2 * sigma ** 2, -1, evaluate=False), evaluate=False),
                  sp.Mul(half, mu ** 2 + sigma ** 2, evaluate=False), evaluate=False),
           r"Gaussian moments $\mathbb{E}(z-\mu)^2=\sigma^2$, $\mathbb{E}z^2=\mu^2+\sigma^2$", check=moments_check)
    c.step(sp.Mul(half, sp.Add(mu ** 2, sigma ** 2, -1, -sp.log(sigma ** 2), evaluate=False),
                  evaluate=False), r"collect; $2\ln\sigma = \ln\sigma^2$")
    return c.done()


def univariate_direct() -> Derivation:
    """The cross-check of 2.a: SymPy integrates the definition in one go.

    KL = int ln(q/p) q dz with q = N(mu, sigma^2), p = N(0, 1) written out; the step's
    check is ``integrate(...)`` of the whole integrand (no moment rules).
    """
    half = sp.Rational(1, 2)
    where = {q: sp.Lambda(z, normal_pdf_written(z, mu, sigma)), p: sp.Lambda(z, normal_pdf_written(z, 0, 1))}
    c = Chain("kl.univariate_direct", problem="2.a",
              title="Cross-check: SymPy integrates the definition directly",
              lhs=sp.Function("KL")(sp.Symbol(r"\mathcal{N}(\mu,\sigma^2)\,\|\,\mathcal{N}(0,1)")),
              start=sp.Integral(sp.log(q(z) / p(z)) * q(z), (z, -sp.oo, sp.oo)),
              start_why="definition, densities written out", where=where)
    c.step(sp.Add(-sp.log(sigma), sigma ** 2 / 2, mu ** 2 / 2, -half, evaluate=False),
           r"\texttt{sympy.integrate} of the whole integrand", how="symbolic")
    c.step(sp.Mul(half, sp.Add(mu ** 2, sigma ** 2, -1, -sp.log(sigma ** 2), evaluate=False),
                  evaluate=False), "the form of 2.a", how="symbolic")
    return c.done()


NOTES = r"""\noindent Equivalently $-\ln\sigma + \tfrac12(\mu^2+\sigma^2-1)$. It is non-negative:
$\tfrac12\mu^2\ge0$ and $\sigma^2-1-\ln\sigma^2\ge0$, with equality only at $\sigma^2=1$ (the tangent of
$\ln$ at $1$ lies above it); so the KL vanishes exactly when $\mu=0$ and $\sigma=1$. Its gradients
are $\partial/\partial\mu=\mu$, $\partial/\partial\sigma=\sigma-1/\sigma$ and, in the log-scale
$\ell=\ln\sigma$ that a VAE encoder outputs, $\partial/\partial\ell=\sigma^2-1$."""

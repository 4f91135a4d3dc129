"""Gaussian p_data and Gaussian p_G: the optimal discriminator is logistic in a quadratic.

    ln p_data(x)/p_G(x) = c0 + c1 x + c2 x^2,   D*(x) = sigma(c0 + c1 x + c2 x^2),
    c2 = 1/(2 sigma_G^2) - 1/(2 sigma_q^2),  c1 = mu_q/sigma_q^2 - mu_G/sigma_G^2,
    c0 = mu_G^2/(2 sigma_G^2) - mu_q^2/(2 sigma_q^2) + ln(sigma_G/sigma_q),

with p_data = N(mu_q, sigma_q^2) and p_G = N(mu_G, sigma_G^2) (an affine generator a z + b gives
mu_G = b, sigma_G = |a|). So the quadratic-logistic discriminator sigma(w0 + w1 x + w2 x^2)
represents D* exactly, and at p_G = p_data all c's vanish: D* = sigma(0) = 1/2 everywhere.
The same log ratio gives KL(p_G || p_data) = -E_{p_G}[c0 + c1 x + c2 x^2] in closed form.
References: Goodfellow et al. (2014), Prop. 1 (D* = p_data/(p_data + p_G)); the KL of two Gaussians is in
Rasmussen and Williams (2006), App. A.5.
"""
from __future__ import annotations

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.checks import proved
from derive.engine.integrals import gaussian_expectation
from derive.engine.verify import VerificationError, verify
from derive.ops import NormalPDF, normal_pdf
from derive.symbols import LOGISTIC as SIGMA, c0, c1, c2, logistic as sigma, mu_G, mu_q, p_G, p_data, sigma_G, sigma_q, x

__all__ = ["gaussian_log_ratio", "gaussian_optimal_discriminator", "gaussian_kl", "coefficients", "REFS",
           "REFS_KL", "LOG_RATIO"]

REFS = ("Goodfellow et al. (2014), Generative Adversarial Nets, Prop. 1",)
REFS_KL = ("Rasmussen and Williams (2006), Gaussian Processes for Machine Learning, App. A.5",)
LOG_RATIO = r"Gaussian $p_{\mathrm{data}}$, Gaussian $p_G$: $\ln(p_{\mathrm{data}}/p_G)$ is quadratic in $x$"   # a title, for references
WHERE = {p_data: sp.Lambda(x, normal_pdf(x, mu_q, sigma_q)), p_G: sp.Lambda(x, normal_pdf(x, mu_G, sigma_G))}


def coefficients() -> dict:
    """{c0: ..., c1: ..., c2: ...} in terms of mu_q, sigma_q, mu_G, sigma_G."""
    return {c0: sp.Add(mu_G ** 2 / (2 * sigma_G ** 2), -mu_q ** 2 / (2 * sigma_q ** 2),
                       sp.log(sigma_G / sigma_q), evaluate=False),
            c1: sp.Add(mu_q / sigma_q ** 2, -mu_G / sigma_G ** 2, evaluate=False),
            c2: sp.Add(1 / (2 * sigma_G ** 2), -1 / (2 * sigma_q ** 2), evaluate=False)}


def _quadratic(cs=None):
    cs = cs or {c0: c0, c1: c1, c2: c2}
    return sp.Add(cs[c0], sp.Mul(cs[c1], x, evaluate=False), sp.Mul(cs[c2], x ** 2, evaluate=False),
                  evaluate=False)


def _densities(lhs, rhs):
    """:func:`verify` with every ``N(x; mu, sd^2)`` written out as its density."""
    return verify(lhs.replace(NormalPDF, normal_pdf), rhs)


def gaussian_log_ratio() -> Derivation:
    """ln p_data/p_G = c0 + c1 x + c2 x^2 with the c's in closed form."""
    ratio = sp.Mul(NormalPDF(x, mu_q, sigma_q), 1 / NormalPDF(x, mu_G, sigma_G), evaluate=False)
    c = Chain("gan.gaussian_log_ratio", problem="4", title=LOG_RATIO,
              lhs=sp.log(p_data(x) / p_G(x)), start=sp.log(ratio),
              start_why=r"$p_{\mathrm{data}}=\mathcal{N}(\mu_{\mathrm{data}},\sigma_{\mathrm{data}}^2)$, $p_G=\mathcal{N}(\mu_G,\sigma_G^2)$")
    c.step(sp.Add(sp.log(sigma_G / sigma_q), -(x - mu_q) ** 2 / (2 * sigma_q ** 2),
                  (x - mu_G) ** 2 / (2 * sigma_G ** 2), evaluate=False),
           r"log of the Gaussian densities", check=_densities)
    c.step(_quadratic(coefficients()), r"collect powers of $x$")
    return c.done()


def gaussian_optimal_discriminator() -> Derivation:
    """D*(x) = sigma(c0 + c1 x + c2 x^2)."""
    where = dict(WHERE)
    where.update(coefficients())
    where[sigma] = SIGMA
    c = Chain("gan.gaussian_optimal_discriminator", problem="4",
              title=r"Gaussian case: $D^\star(x)=\sigma(c_0+c_1x+c_2x^2)$",
              lhs=sp.Symbol(r"D^{\star}(x)"), start=p_data(x) / (p_data(x) + p_G(x)), where=where,
              start_why=r"Prop. 1: $D^\star=p_{\mathrm{data}}/(p_{\mathrm{data}}+p_G)$", references=REFS,
              notes=(r"At $p_G=p_{\mathrm{data}}$ ($\mu_G=\mu_{\mathrm{data}}$, $\sigma_G=\sigma_{\mathrm{data}}$) all three coefficients vanish "
                     r"and $D^\star\equiv\sigma(0)=\tfrac12$. A discriminator $\sigma(w_0+w_1x+w_2x^2)$ "
                     r"represents $D^\star$ exactly, with $w=c$."))
    c.step(1 / (1 + sp.exp(-sp.log(p_data(x) / p_G(x)))), r"divide by $p_{\mathrm{data}}$; $p_G/p_{\mathrm{data}}=e^{-\ln(p_{\mathrm{data}}/p_G)}$")
    c.step(sigma(_quadratic()), r"$\sigma(t)=1/(1+e^{-t})$ and $\ln(p_{\mathrm{data}}/p_G)=c_0+c_1x+c_2x^2$")
    return c.done()


def _same_integrand(lhs, rhs) -> str:
    """Two integrals over the same range whose integrands are symbolically equal."""
    if lhs.limits != rhs.limits:
        raise VerificationError("different ranges of integration")
    diff = sp.expand(sp.expand_log(lhs.function - rhs.function, force=True))  # densities are positive
    if diff != 0 and sp.simplify(diff) != 0:
        raise VerificationError(f"integrands differ by {diff}")
    return proved("equal integrands over the same range")


def _normal_moments(lhs, rhs):
    """``int poly(x) N(x; mu_G, sigma_G^2) dx`` by the moments of the standard normal
    (:func:`derive.engine.integrals.gaussian_expectation`, x = mu_G + sigma_G eps); every
    other integral is left to SymPy."""
    density = normal_pdf(x, mu_G, sigma_G)
    eps = sp.Dummy("eps", real=True)

    def moment(integral):
        rest = sp.cancel(integral.function / density)
        if integral.limits != ((x, -sp.oo, sp.oo),) or not rest.is_polynomial(x):
            return integral
        return gaussian_expectation(rest.subs(x, mu_G + sigma_G * eps), [eps])
    a = lhs.replace(lambda e: isinstance(e, sp.Integral), moment)
    verdict = verify(a, rhs, how="symbolic")
    return proved(f"normal moments, then {verdict.detail['method']}")


def gaussian_kl() -> Derivation:
    """KL(p_G || p_data) from the quadratic log ratio and the Gaussian moments of p_G."""
    where = dict(WHERE)
    where.update(coefficients())
    E = lambda f: sp.Integral(f * p_G(x), (x, -sp.oo, sp.oo))
    c = Chain("gan.gaussian_kl", problem="4",
              title=r"$\mathrm{KL}(p_G\,\|\,p_{\mathrm{data}})$ for Gaussians, from the log ratio",
              lhs=sp.Symbol(r"\mathrm{KL}(p_G\,\|\,p_{\mathrm{data}})"), start=E(sp.log(p_G(x) / p_data(x))), where=where,
              references=REFS_KL,
              notes=("The experiments of the Gaussian case measure the distance of a generator's "
                     "distribution to its target by this formula."))
    c.step(E(-_quadratic()), rf"$\ln(p_G/p_{{\mathrm{{data}}}})=-(c_0+c_1x+c_2x^2)$ ({LOG_RATIO})",
           check=_same_integrand)
    c.step(-sp.Add(c0, c1 * mu_G, sp.Mul(c2, mu_G ** 2 + sigma_G ** 2, evaluate=False), evaluate=False),
           r"$\mathbb{E}_{p_G}x=\mu_G$, $\mathbb{E}_{p_G}x^2=\mu_G^2+\sigma_G^2$", check=_normal_moments)
    c.step(sp.Add(sp.log(sigma_q / sigma_G), (sigma_G ** 2 + (mu_G - mu_q) ** 2) / (2 * sigma_q ** 2),
                  -sp.Rational(1, 2), evaluate=False), "substitute the $c$'s; simplify")
    return c.done()

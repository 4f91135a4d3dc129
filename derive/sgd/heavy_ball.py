"""Heavy ball (Polyak 1964): the two forms of the update and Polyak's optimal parameters.

    velocity form:  v_{t+1} = beta v_t + g_t,  w_{t+1} = w_t - alpha v_{t+1}
    Polyak form:    w_{t+1} = w_t - alpha g_t + beta (w_t - w_{t-1})      (constant alpha)
    optimal, for a quadratic with mu I <= A <= L I, kappa = L/mu:
        beta* = ((sqrt L - sqrt mu)/(sqrt L + sqrt mu))^2 = ((sqrt kappa - 1)/(sqrt kappa + 1))^2
        alpha* = 4/(sqrt L + sqrt mu)^2
Both forms hold coordinate-wise, so scalar symbols suffice.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.verify import Verdict, verify
from derive.symbols import L, alpha, alpha_star, beta, beta_star, g_t, kappa, mu_sc, v_next, v_t, w_next, w_prev, w_t

__all__ = ["heavy_ball", "polyak_beta", "polyak_alpha", "REFS"]

REFS = ("Polyak (1964), Some methods of speeding up the convergence of iteration methods",
        "Sutskever, Martens, Dahl and Hinton (2013); optax.sgd, torch.optim.SGD (velocity form)")


def _add(*a):
    return sp.Add(*a, evaluate=False)


def _mul(*a):
    return sp.Mul(*a, evaluate=False)


@lru_cache(maxsize=None)
def heavy_ball() -> Derivation:
    """sgd.heavy_ball: the velocity form equals Polyak's form for a constant step."""
    c = Chain("sgd.heavy_ball", problem="1.b", title="Heavy ball: velocity form and Polyak's form",
              lhs=w_next, start=_add(w_t, _mul(-1, alpha, v_next)), references=REFS,
              where={v_next: _add(_mul(beta, v_t), g_t), v_t: (w_prev - w_t) / alpha}, notes=HB_NOTES,
              start_why=r"velocity form, $v_{t+1} = \beta v_t + g_t$, $v_0 = 0$")
    c.step(_add(w_t, _mul(-1, alpha, g_t), _mul(-1, alpha, beta, v_t)), r"expand $v_{t+1}$")
    c.step(_add(w_t, _mul(-1, alpha, g_t), _mul(beta, _add(w_t, -w_prev))),
           r"the last step was $w_t = w_{t-1} - \alpha v_t$ (same constant $\alpha$)")
    return c.done()


@lru_cache(maxsize=None)
def polyak_beta() -> Derivation:
    """sgd.polyak_beta: Polyak's optimal momentum in terms of L, mu and kappa."""
    sl, sm, sk = sp.sqrt(L), sp.sqrt(mu_sc), sp.sqrt(kappa)
    c = Chain("sgd.polyak_beta", problem="1.b", title=r"Polyak's optimal momentum $\beta^\star$",
              lhs=beta_star, start=((sl - sm) / (sl + sm)) ** 2, references=REFS, where={kappa: L / mu_sc},
              notes=POLYAK_NOTES, start_why=r"both extreme eigenvalues $\mu, L$ give a double root (below)")
    c.step(((sk - 1) / (sk + 1)) ** 2, r"divide by $\sqrt\mu$; $\kappa = L/\mu$")
    return c.done()


_delta = sp.Symbol("delta", nonnegative=True)


def _l_above_mu(a, b) -> Verdict:
    """A check for every L >= mu > 0 (the setting of the theorem): each such L is
    mu (1 + delta)^2 for exactly one delta >= 0; then both sides are compared symbolically."""
    at = {L: mu_sc * (1 + _delta) ** 2}
    verdict = verify(a.subs(at), b.subs(at), how="symbolic")
    return Verdict(verdict.level, {**verdict.detail, "domain": "every L >= mu > 0 (L = mu (1 + delta)^2)"})


@lru_cache(maxsize=None)
def polyak_alpha() -> Derivation:
    """sgd.polyak_alpha: Polyak's optimal step from the double-root conditions at mu and L."""
    sl, sm = sp.sqrt(L), sp.sqrt(mu_sc)
    bstar = ((sl - sm) / (sl + sm)) ** 2
    c = Chain("sgd.polyak_alpha", problem="1.b", title=r"Polyak's optimal step $\alpha^\star$",
              lhs=alpha_star, start=(1 - sp.sqrt(beta_star)) ** 2 / mu_sc, references=REFS, where={beta_star: bstar},
              start_why=r"double root at $\lambda=\mu$: $1+\beta-\alpha\mu = 2\sqrt\beta$")
    c.step(4 / (sl + sm) ** 2, r"insert $\beta^\star$ ($L \ge \mu$)", check=_l_above_mu)
    c.step((1 + sp.sqrt(beta_star)) ** 2 / L, r"the same $\alpha$ gives the double root at $\lambda=L$: "
           r"$1+\beta-\alpha L = -2\sqrt\beta$", check=_l_above_mu)
    return c.done(4 / (sl + sm) ** 2)


HB_NOTES = r"""\noindent So the velocity form that optax and PyTorch implement and Polyak's two-step
form produce the same iterates as long as $\alpha$ is constant (they differ only when the step
changes over time). With $\beta = 0$ both are plain (minibatch) SGD."""

POLYAK_NOTES = r"""\noindent On a quadratic with Hessian eigenvalue $\lambda$ the error obeys
$e_{t+1} = (1+\beta-\alpha\lambda)e_t - \beta e_{t-1}$, with characteristic roots of modulus
$\sqrt\beta$ exactly when $|1+\beta-\alpha\lambda|\le 2\sqrt\beta$. The smallest $\beta$ for which
this holds for every $\lambda\in[\mu, L]$ puts the two ends on the boundary,
$1+\beta-\alpha\mu = 2\sqrt\beta$ and $1+\beta-\alpha L = -2\sqrt\beta$, i.e.
$(1-\sqrt\beta)^2 = \alpha\mu$ and $(1+\sqrt\beta)^2 = \alpha L$. Their ratio gives
$\beta^\star$ above and the rate $\rho^\star = \sqrt{\beta^\star} = (\sqrt\kappa-1)/(\sqrt\kappa+1)$
per step, against $(\kappa-1)/(\kappa+1)$ for GD with $\alpha = 2/(L+\mu)$: about
$\frac{\sqrt\kappa}{2}\ln\frac1\epsilon$ instead of $\frac{\kappa}{2}\ln\frac1\epsilon$ iterations.
For a non-quadratic $F$ such as the logistic loss this is a local statement (use the Hessian at
$w^\star$); globally these parameters can fail (Lessard, Recht and Packard 2016)."""

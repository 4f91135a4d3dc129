"""Heavy ball (Polyak 1964): the two forms of the update and Polyak's optimal parameters.

    velocity form:  v_{t+1} = beta v_t + g_t,  w_{t+1} = w_t - alpha v_{t+1}
    Polyak form:    w_{t+1} = w_t - alpha g_t + beta (w_t - w_{t-1})      (constant alpha)
    optimal, for a quadratic with c I <= A <= L I, kappa = L/c (c, the strong-convexity constant,
    is the code's ``mu_sc``, printed c in the writeup):
        beta* = ((sqrt L - sqrt c)/(sqrt L + sqrt c))^2 = ((sqrt kappa - 1)/(sqrt kappa + 1))^2
        alpha* = 4/(sqrt L + sqrt c)^2
Both forms hold coordinate-wise, so scalar symbols suffice.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derive.engine.chain import Chain, Derivation
from derive.engine.verify import Verdict, VerificationError, verify
from derive.symbols import L, alpha, alpha_star, beta, beta_star, g_t, kappa, mu_sc, v_next, v_t, w_next, w_prev, w_t

__all__ = ["heavy_ball", "polyak_beta", "polyak_alpha", "root_check", "REFS", "HB_REFS"]

REFS = ("Polyak (1964), Some methods of speeding up the convergence of iteration methods",)
HB_REFS = REFS + ("Sutskever, Martens, Dahl and Hinton (2013), On the importance of initialization and momentum "
                  "in deep learning, Sec. 2 (the velocity form)", "optax.sgd and torch.optim.SGD")


def _add(*a):
    return sp.Add(*a, evaluate=False)


def _mul(*a):
    return sp.Mul(*a, evaluate=False)


def _velocity_check(a, b) -> Verdict:
    """The step that uses the previous update: both sides with v_t = (w_{t-1} - w_t)/alpha put in,
    compared symbolically (for every alpha != 0)."""
    verdict = verify(a.subs(v_t, (w_prev - w_t) / alpha), b.subs(v_t, (w_prev - w_t) / alpha), how="symbolic")
    return Verdict(verdict.level, {**verdict.detail, "uses": "v_t = (w_{t-1} - w_t)/alpha from step t"})


@lru_cache(maxsize=None)
def heavy_ball() -> Derivation:
    """sgd.heavy_ball: the velocity form equals Polyak's form for a constant step."""
    c = Chain("sgd.heavy_ball", problem="1.b", title="Heavy ball: velocity form and Polyak's form",
              lhs=w_next, start=_add(w_t, _mul(-1, alpha, v_next)), references=HB_REFS,
              where={v_next: _add(_mul(beta, v_t), g_t)}, notes=HB_NOTES,
              start_why=r"velocity form, $v_0 = 0$; Polyak's form starts from $w_{-1} := w_0$", defines=True)
    c.step(_add(w_t, _mul(-1, alpha, g_t), _mul(-1, alpha, beta, v_t)), r"expand $v_{t+1}$")
    c.step(_add(w_t, _mul(-1, alpha, g_t), _mul(beta, _add(w_t, -w_prev))),
           r"$\alpha v_t = w_{t-1} - w_t$: the update of step $t$ (same $\alpha$), or $v_0 = 0$ with $w_{-1} = w_0$",
           check=_velocity_check)
    return c.done()


_rho = sp.Symbol(r"\rho", nonnegative=True)


def root_check(a, b) -> Verdict:
    """``a`` (rho, or an expression in rho) at the root rho in [0, 1) of (1 + rho)/(1 - rho) =
    sqrt(L/mu), the ratio of the two double-root conditions: SymPy's ``solve`` finds exactly one
    root, for every L >= mu > 0 (L = mu (1 + delta)^2), and ``a`` there is compared with ``b``."""
    at = {L: mu_sc * (1 + _delta) ** 2}
    roots = sp.solve(sp.Eq((1 + _rho) / (1 - _rho), sp.sqrt(L / mu_sc).subs(at)), _rho)
    if len(roots) != 1:
        raise VerificationError(f"expected one root rho in [0, 1), found {roots}")
    lhs = a.subs(_rho, roots[0]).subs(at)
    verdict = verify(lhs, b.subs(at), how="symbolic")
    return Verdict(verdict.level, {**verdict.detail, "method": "solve, then " + verdict.detail.get("method", ""),
                                   "domain": "every L >= mu > 0 (L = mu (1 + delta)^2)"})


def _double_roots(a, b) -> Verdict:
    """The step that uses the double-root conditions (1 + rho)^2 = alpha L, (1 - rho)^2 = alpha mu:
    both sides with L and mu put in from them, compared symbolically for every alpha > 0 and
    every rho in [0, 1) (rho = t/(1 + t), t >= 0)."""
    at = {L: (1 + _rho) ** 2 / alpha, mu_sc: (1 - _rho) ** 2 / alpha}
    t = sp.Symbol("t", nonnegative=True)
    verdict = verify(a.subs(at).subs(_rho, t / (1 + t)), b.subs(at).subs(_rho, t / (1 + t)), how="symbolic")
    return Verdict(verdict.level, {**verdict.detail, "uses": "(1 + rho)^2 = alpha L, (1 - rho)^2 = alpha mu",
                                   "domain": "every alpha > 0, rho in [0, 1)"})


@lru_cache(maxsize=None)
def polyak_beta() -> Derivation:
    """sgd.polyak_beta: Polyak's optimal momentum, solved from the two double-root conditions:
    kappa = L/mu in terms of rho (the conditions), rho from kappa (solved), beta* = rho^2."""
    sl, sm, sk = sp.sqrt(L), sp.sqrt(mu_sc), sp.sqrt(kappa)
    rho_k = _mul(_add(sk, -1), sp.Pow(_add(sk, 1), -1, evaluate=False))
    beta_k = sp.Pow(rho_k, 2, evaluate=False)
    c = Chain("sgd.polyak_beta", problem="1.b", title=r"Polyak's optimal momentum $\beta^\star$",
              lhs=kappa, start=_mul(_mul(alpha, L), sp.Pow(_mul(alpha, mu_sc), -1, evaluate=False)), references=REFS,
              where={kappa: L / mu_sc}, notes=POLYAK_NOTES, start_why=r"definition, for any step $\alpha > 0$")
    c.step(sp.Pow(_mul(_add(1, _rho), sp.Pow(_add(1, -_rho), -1, evaluate=False)), 2, evaluate=False),
           r"the double-root conditions $(1+\rho)^2 = \alpha L$, $(1-\rho)^2 = \alpha c$ (below), "
           r"with $\rho := \sqrt{\beta^\star}\in[0, 1)$", check=_double_roots)
    c.step(rho_k, r"its one root $\rho\in[0, 1)$", lhs=_rho, check=root_check)
    c.step(beta_k, r"$\beta^\star = \rho^2$", lhs=beta_star,
           check=lambda a, b: verify(a.subs(beta_star, _rho ** 2).subs(_rho, c.expand(rho_k)), b, how="symbolic"))
    c.step(sp.Pow(_mul(_add(sl, -sm), sp.Pow(_add(sl, sm), -1, evaluate=False)), 2, evaluate=False),
           r"$\kappa = L/c$; multiply by $\sqrt{c}$ above and below", check=_l_above_mu)
    return c.done(beta_k)


_delta = sp.Symbol("delta", nonnegative=True)


def _l_above_mu(a, b) -> Verdict:
    """A check for every L >= mu > 0 (the setting of the theorem): each such L is
    mu (1 + delta)^2 for exactly one delta >= 0; then both sides are compared symbolically."""
    at = {L: mu_sc * (1 + _delta) ** 2}
    verdict = verify(a.subs(at), b.subs(at), how="symbolic")
    return Verdict(verdict.level, {**verdict.detail, "domain": "every L >= mu > 0 (L = mu (1 + delta)^2)"})


@lru_cache(maxsize=None)
def polyak_alpha() -> Derivation:
    """sgd.polyak_alpha: Polyak's optimal step from the double-root conditions at mu and L
    (the same theorem as :func:`polyak_beta`, whose reference it shares: cited there once)."""
    sl, sm = sp.sqrt(L), sp.sqrt(mu_sc)
    bstar = sp.Pow(_mul(_add(sl, -sm), sp.Pow(_add(sl, sm), -1, evaluate=False)), 2, evaluate=False)
    c = Chain("sgd.polyak_alpha", problem="1.b", title=r"Polyak's optimal step $\alpha^\star$",
              lhs=alpha_star, start=_add(1, beta_star, _mul(-2, sp.sqrt(beta_star))) / mu_sc,
              where={beta_star: bstar},
              start_why=r"the double root at $\nu=c$, $1+\beta-\alpha c = 2\sqrt\beta$, solved for $\alpha$",
              defines=True)
    c.step((1 - sp.sqrt(beta_star)) ** 2 / mu_sc, r"$1 + \beta - 2\sqrt\beta = (1-\sqrt\beta)^2$")
    c.step(4 / (sl + sm) ** 2, r"insert $\beta^\star$ ($L \ge c$)", check=_l_above_mu)
    c.step((1 + sp.sqrt(beta_star)) ** 2 / L, r"the same $\alpha$ gives the double root at $\nu=L$: "
           r"$1+\beta-\alpha L = -2\sqrt\beta$", check=_l_above_mu)
    return c.done(4 / (sl + sm) ** 2)


HB_NOTES = r"""\noindent So the velocity form that optax and PyTorch implement and Polyak's two-step
form produce the same iterates as long as $\alpha$ is constant (they differ only when the step
changes over time). With $\beta = 0$ both are plain (minibatch) SGD."""

POLYAK_NOTES = r"""\noindent On a quadratic, the error $w_t-w^\star$ along an eigenvector of the Hessian with
eigenvalue $\nu$ follows a linear two-step recursion with coefficients $1+\beta-\alpha\nu$ and $-\beta$,
whose characteristic roots have modulus $\sqrt\beta$ exactly when $|1+\beta-\alpha\nu|\le 2\sqrt\beta$.
The smallest $\beta$ for which this holds for every $\nu\in[c, L]$ puts the two ends on the boundary
(double roots), $1+\beta-\alpha c = 2\sqrt\beta$ and $1+\beta-\alpha L = -2\sqrt\beta$, i.e.
$(1-\sqrt\beta)^2 = \alpha c$ and $(1+\sqrt\beta)^2 = \alpha L$. Their ratio gives
$\beta^\star$ above (with $\rho=\sqrt\beta$, the first two steps) and the contraction
$\rho = \sqrt{\beta^\star} = (\sqrt\kappa-1)/(\sqrt\kappa+1)$ per step, against $(\kappa-1)/(\kappa+1)$ for GD
with $\alpha = 2/(L+c)$: about $\frac{\sqrt\kappa}{2}\ln\frac1\delta$ instead of $\frac{\kappa}{2}\ln\frac1\delta$
iterations to a tolerance $\delta$. For a non-quadratic $F$ such as the logistic loss this is a local
statement (use the Hessian at $w^\star$); globally these parameters can fail (Lessard, Recht and
Packard~\cite[Sec.~4.6]{lessard2016} give a counterexample)."""

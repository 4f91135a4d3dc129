"""The decoder as a sigmoid of logits: pi = sigmoid(a_theta(z)) (Problem 3, simplification).

    g_{pi,.} = diag(pi o (1 - pi)) g_{a,.}   so   g_{pi,.}^T r = g_{a,.}^T (x - pi)

because sigmoid' = sigmoid (1 - sigmoid) cancels the denominator of r. Then
    3.b  nabla_phi R   = 1/n_eps sum_i (g_{mu,phi} + diag(s o eps_i) g_{s,phi})^T g_{a,z}(z_i)^T (x - pi(z_i))
    3.c  nabla_theta R = 1/n_eps sum_i g_{a,theta}(z_i)^T (x - pi(z_i))
(the gradient of binary cross-entropy with logits). Proved like :mod:`derive.elbo.gradients`
(index form for every size), with the decoder sigmoid(a(z)) and sigmoid' = sigmoid (1 - sigmoid).
"""
from __future__ import annotations

import sympy as sp

from derive.elbo.gradients import (as_result, dz_dphi, mat_mul, mean_over_samples, rec_grad_phi_formula,
                                   rec_grad_theta_formula)
from derive.elbo.index_form import index_check
from derive.elbo.instances import Config, r_definition
from derive.engine.chain import Chain, Derivation
from derive.ops import Diag, Grad
from derive.symbols import G_ATH, G_AZ, G_PITH, G_PIZ, PI, R, R_HAT, d, phi, theta, x_vec

__all__ = ["logit_head"]

CONFIGS = (Config(2, 3, 1, 1, 2, logit=True), Config(1, 2, 2, 2, 1, logit=True))  # instance cross-check (tests)
PHI, THETA = index_check(phi, logit=True), index_check(theta, logit=True)
REFS = ("Bishop (2006), Pattern Recognition and Machine Learning, Sec. 4.3.2, eq. (4.91) (the gradient of the "
        "cross-entropy of a sigmoid output is the residual times the input)",)


def _sigmoid_jac(G):
    """diag(pi o (1 - pi)) G: the Jacobian of sigmoid(a) from that of a."""
    dsig = sp.HadamardProduct(PI, sp.MatAdd(sp.OneMatrix(d, 1), -PI, evaluate=False))
    return sp.MatMul(Diag(dsig), G, evaluate=False)


def _residual():
    return sp.MatAdd(x_vec, -PI, evaluate=False)


def _against(expr, check):
    """A check whose left side is ``expr`` (with r(z_i) written out), for lines whose
    left side is only a name."""
    return lambda _lhs, rhs: check(expr.subs(R, r_definition()), rhs)


def logit_head() -> Derivation:
    """g_{pi,z}^T r = g_{a,z}^T (x - pi), the same for theta, and 3.b, 3.c with logits."""
    lhs = mat_mul(G_PIZ.T, R)
    start = mat_mul(sp.Transpose(_sigmoid_jac(G_AZ)), R)
    where = {R: r_definition()}
    PHI(lhs.subs(where), start.subs(where))  # the displayed first line (raises if it does not hold)
    c = Chain("elbo.logit_head", problem="3 (logits)",
              title=r"Sigmoid output layer: $\pi = \sigma(a_\theta(z))$",
              lhs=lhs, start=start, where=where, references=REFS, notes=NOTES,
              start_why=r"$\sigma' = \sigma(1-\sigma)$, so $g_{\pi,z} = \mathrm{diag}(\pi\circ(1-\pi))\,g_{a,z}$")
    c.step(mat_mul(G_AZ.T, _residual()), r"$\mathrm{diag}(\pi\circ(1-\pi))\,r = x - \pi$", check=PHI)
    c.step(mat_mul(G_ATH.T, _residual()), "the same for the decoder parameters", lhs=mat_mul(G_PITH.T, R),
           check=THETA)
    c.step(mean_over_samples(mat_mul(sp.Transpose(dz_dphi()), G_AZ.T, _residual())), r"3.b, with $\pi = \sigma(a)$",
           lhs=Grad(R_HAT, phi), check=_against(rec_grad_phi_formula(), PHI))
    c.step(mean_over_samples(mat_mul(G_ATH.T, _residual())), r"3.c, with $\pi = \sigma(a)$",
           lhs=Grad(R_HAT, theta), check=_against(rec_grad_theta_formula(), THETA))
    return c.done(as_result(c.current))


NOTES = r"""\noindent With logits $a = a_\theta(z)\in\mathbb{R}^d$ and $\pi = \sigma(a)$, the
factor $\pi_k(1-\pi_k)$ of the sigmoid's derivative cancels the denominator of $r_k$: the
reconstruction gradients need only the logit Jacobians $g_{a,z}(z_i)$,
$g_{a,\theta}(z_i)$ and the residual $x - \pi(z_i)$. This is the gradient of binary
cross-entropy with logits, and it is also the numerically stable way to compute it
(no division by $\pi(1-\pi)$, which underflows when the decoder saturates)."""

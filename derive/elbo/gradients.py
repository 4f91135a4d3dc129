"""Problem 3: gradients of the two ELBO terms in the seed's Jacobian notation.

    3.a  nabla_phi KL(q_phi(z|x) || N(0, I)) = g_{mu,phi}^T mu + g_{s,phi}^T (s o s - 1)
         (log-variance output v = ln sigma^2: g_{mu,phi}^T mu + 1/2 g_{v,phi}^T (e^v - 1))
    3.b  nabla_phi R = 1/n_eps sum_i (g_{mu,phi} + diag(s o eps_i) g_{s,phi})^T g_{pi,z}(z_i)^T r(z_i)
    3.c  nabla_theta R = 1/n_eps sum_i g_{pi,theta}(z_i)^T r(z_i)

with R = 1/n_eps sum_i ln p(x | z_i), z_i = mu + s o eps_i, and
r(z_i) = (x - pi(z_i)) / (pi(z_i) o (1 - pi(z_i))) elementwise. Each step is proved for
every size in index form (:mod:`derive.elbo.index_form`); the tests check the same steps
again by instantiating them at small dimensions with undefined SymPy functions for the
networks and SymPy's own chain rule (:mod:`derive.elbo.instances`).
References: Kingma and Welling (2014), App. B (the KL term), App. C.2 (an encoder that outputs
ln sigma^2), Sec. 2.3-2.4 (the estimator (15) and the reparameterisation), App. C.1 (the
Bernoulli decoder).
"""
from __future__ import annotations

import sympy as sp

from derive.elbo.index_form import EXP_V, G_V, index_check, v_i
from derive.elbo.instances import Config, r_definition
from derive.engine.chain import Chain, Derivation
from derive.engine.render import srepr
from derive.ops import Diag, Grad, PiAt, SampleMean
from derive.symbols import (DZ, EPS, G_MU, G_PITH, G_PIZ, G_S, GTH_LOGP, GZ_LOGP, MU, ONES, R, S, d, ell_i, i, j,
                            k, m, mu_i, n_eps, phi, theta, x_i)

__all__ = ["kl_grad_phi", "kl_grad_logvar", "rec_grad_phi", "rec_grad_theta", "rec_term", "rec_grad_phi_formula",
           "rec_grad_theta_formula", "mean_over_samples", "mat_mul", "dz_dphi", "as_result", "CONFIGS",
           "REFS_A", "REFS_V", "REFS_B", "REFS_C"]

HALF = sp.Rational(1, 2)
KW = "Kingma and Welling (2014), Auto-Encoding Variational Bayes"
REFS_A = (f"{KW}, App. B (the KL term differentiated here)",)
REFS_V = (f"{KW}, App. B and C.2 (an encoder that outputs the log-variance)",)
REFS_B = (f"{KW}, Sec. 2.3-2.4 (the estimator with an analytic KL term; the reparameterisation trick)",)
REFS_C = (f"{KW}, Sec. 2.3 (the estimator) and App. C.1 (the Bernoulli MLP decoder)",)
# (m, d, n_eps, n_phi, n_theta): small dimensions at which every generic step is checked
CONFIGS = (Config(2, 3, 1, 1, 2), Config(1, 2, 2, 2, 1))  # sizes of the instance cross-check (tests)
PHI, THETA = index_check(phi), index_check(theta)  # proofs in index form, every size


def mean_over_samples(summand):
    """1/n_eps sum_{i=1}^{n_eps} summand (displayed that way)."""
    return SampleMean(summand, i, n_eps)


def mat_mul(*factors):
    """A matrix product kept as written."""
    return sp.MatMul(*factors, evaluate=False)


def rec_term():
    """R = 1/n_eps sum_i sum_k [x_k ln pi_k(z_i) + (1 - x_k) ln(1 - pi_k(z_i))]."""
    pk = PiAt(k, i)
    ll = sp.Add(x_i[k] * sp.log(pk), sp.Mul(sp.Add(1, -x_i[k], evaluate=False),
                                          sp.log(sp.Add(1, -pk, evaluate=False)), evaluate=False),
                evaluate=False)
    return mean_over_samples(sp.Sum(ll, (k, 1, d)))


def dz_dphi():
    """dz_i/dphi = g_{mu,phi} + diag(s o eps_i) g_{s,phi}."""
    return sp.MatAdd(G_MU, mat_mul(Diag(sp.HadamardProduct(S, EPS, evaluate=False)), G_S), evaluate=False)


def rec_grad_phi_formula():
    """3.b: 1/n_eps sum_i (g_{mu,phi} + diag(s o eps_i) g_{s,phi})^T g_{pi,z}(z_i)^T r(z_i)."""
    return mean_over_samples(mat_mul(sp.Transpose(dz_dphi()), G_PIZ.T, R))


def rec_grad_theta_formula():
    """3.c: 1/n_eps sum_i g_{pi,theta}(z_i)^T r(z_i)."""
    return mean_over_samples(mat_mul(G_PITH.T, R))


def kl_grad_phi() -> Derivation:
    """3.a: nabla_phi 1/2 sum_j (mu_j^2 + e^{2 ell_j} - 1 - 2 ell_j)."""
    kl = sp.Sum(sp.Mul(HALF, sp.Add(mu_i[j] ** 2, sp.exp(2 * ell_i[j]), -1, -2 * ell_i[j],
                                    evaluate=False), evaluate=False), (j, 1, m))
    c = Chain("elbo.kl_grad_phi", problem="3.a", title=r"Gradient of the KL term (14) w.r.t.\ $\phi$",
              lhs=r"\nabla_{\phi}\mathrm{KL}\left(q_\phi(z|x) \,\middle\|\, \mathcal{N}(0,I_m)\right)",
              start=Grad(kl, phi), references=REFS_A, notes=NOTES_A,
              start_why=r"2.b with $\sigma_j = s_j = e^{\ell_j}$, $\ell = \ell_\phi(x)$")
    c.step(sp.Sum(sp.Add(sp.Mul(mu_i[j], Grad(mu_i[j], phi), evaluate=False),
                         sp.Mul(sp.Add(sp.exp(2 * ell_i[j]), -1, evaluate=False), Grad(ell_i[j], phi),
                                evaluate=False), evaluate=False), (j, 1, m)),
           r"chain rule; $\frac{\partial}{\partial\ell}\frac12(e^{2\ell}-2\ell) = e^{2\ell}-1$", check=PHI)
    c.step(sp.MatAdd(mat_mul(G_MU.T, MU), mat_mul(G_S.T, sp.MatAdd(sp.HadamardProduct(S, S, evaluate=False), -ONES,
                                                    evaluate=False)), evaluate=False),
           r"row $j$ of $g_{\mu,\phi}$ is $(\nabla_\phi\mu_j)^\top$, of $g_{s,\phi}$ is $(\nabla_\phi\ell_j)^\top$; $s_j^2 = e^{2\ell_j}$",
           check=PHI)
    return c.done(as_result(c.current))


def kl_grad_logvar() -> Derivation:
    """3.a for an encoder that outputs the log-variance v = ln sigma^2:
    nabla_phi 1/2 sum_j (mu_j^2 + e^{v_j} - 1 - v_j) = g_{mu,phi}^T mu + 1/2 g_{v,phi}^T (e^v - 1)."""
    kl = sp.Sum(sp.Mul(HALF, sp.Add(mu_i[j] ** 2, sp.exp(v_i[j]), -1, -v_i[j], evaluate=False), evaluate=False),
                (j, 1, m))
    c = Chain("elbo.kl_grad_logvar", problem="3.a",
              title=r"The same gradient for a log-variance output $v = \ln\sigma^2$",
              lhs=r"\nabla_{\phi}\mathrm{KL}\left(q_\phi(z|x) \,\middle\|\, \mathcal{N}(0,I_m)\right)",
              start=Grad(kl, phi), references=REFS_V, notes=NOTES_V,
              start_why=r"2.b with $\sigma_j^2 = e^{v_j}$, $v = v_\phi(x)$")
    c.step(sp.Sum(sp.Add(sp.Mul(mu_i[j], Grad(mu_i[j], phi), evaluate=False),
                         sp.Mul(HALF, sp.Add(sp.exp(v_i[j]), -1, evaluate=False), Grad(v_i[j], phi),
                                evaluate=False), evaluate=False), (j, 1, m)),
           r"chain rule; $\frac{\partial}{\partial v}\frac12(e^{v}-v) = \frac12(e^{v}-1)$", check=PHI)
    half = sp.Pow(2, -1, evaluate=False)  # printed 1/2 without parentheses
    c.step(sp.MatAdd(mat_mul(G_MU.T, MU), mat_mul(half, G_V.T, sp.MatAdd(EXP_V, -ONES, evaluate=False)),
                     evaluate=False),
           r"row $j$ of $g_{v,\phi}$ is $(\nabla_\phi v_j)^\top$", check=PHI)
    return c.done(as_result(c.current))


def as_result(e):
    """``e`` rebuilt with SymPy's evaluation and ``DiagMatrix`` for the display-only
    ``Diag``: the form that ``parse_expr`` reads back."""
    e = e.replace(lambda x: isinstance(x, Diag), lambda x: sp.DiagMatrix(x.args[0]))
    e = e.replace(lambda x: isinstance(x, SampleMean), lambda x: x.as_sum())
    return sp.parse_expr(srepr(e))


def rec_grad_phi() -> Derivation:
    """3.b: the reparameterised reconstruction term's gradient w.r.t. phi."""
    c = Chain("elbo.rec_grad_phi", problem="3.b",
              title=r"Gradient of the reconstruction term (15) w.r.t.\ $\phi$",
              lhs=r"\nabla_{\phi}\hat{R}", start=Grad(rec_term(), phi), references=REFS_B,
              start_why=r"(15), $z_i = \mu + s\circ\epsilon_i$", where={R: r_definition()},
              notes=NOTES_B)
    c.step(mean_over_samples(mat_mul(DZ.T, GZ_LOGP)), r"chain rule through $z_i$", check=PHI)
    c.step(mean_over_samples(mat_mul(sp.Transpose(dz_dphi()), GZ_LOGP)),
           r"$\frac{\partial z_i}{\partial\phi} = g_{\mu,\phi} + \mathrm{diag}(s\circ\epsilon_i)\,g_{s,\phi}$, as $\frac{\partial s_j}{\partial \ell_j} = s_j$",
           check=PHI)
    c.step(rec_grad_phi_formula(),
           r"chain rule through $\pi_\theta(z_i)$; $\frac{\partial \ln p}{\partial \pi_k} = \frac{x_k}{\pi_k} - \frac{1-x_k}{1-\pi_k} = r_k$",
           check=PHI)
    return c.done(as_result(c.current))


def rec_grad_theta() -> Derivation:
    """3.c: the reconstruction term's gradient w.r.t. theta."""
    c = Chain("elbo.rec_grad_theta", problem="3.c",
              title=r"Gradient of the reconstruction term (15) w.r.t.\ $\theta$",
              lhs=r"\nabla_{\theta}\hat{R}", start=Grad(rec_term(), theta), references=REFS_C,
              start_why=r"(15); $z_i$ does not depend on $\theta$", where={R: r_definition()},
              notes=NOTES_C)
    c.step(mean_over_samples(GTH_LOGP), "linearity", check=THETA)
    c.step(rec_grad_theta_formula(), r"chain rule through $\pi_\theta(z_i)$", check=THETA)
    return c.done(as_result(c.current))


NOTES_A = r"""\noindent Here $s = e^{\ell}$ elementwise, $\mathbf{1}$ is the vector of ones and
$\circ$ the elementwise product; shapes: $g_{\mu,\phi}, g_{s,\phi}\in\mathbb{R}^{m\times n_\phi}$.
The KL term is exact (no sampling) and does not depend on $\theta$:
$\nabla_\theta\mathrm{KL} = 0$. In the scalar parameterisations: $\partial/\partial\mu_j = \mu_j$,
$\partial/\partial\ell_j = s_j^2 - 1$ (and $\partial/\partial\sigma_j = \sigma_j - 1/\sigma_j$)."""

NOTES_V = r"""\noindent Here $g_{v,\phi} = \partial v/\partial\phi\in\mathbb{R}^{m\times n_\phi}$ and
$e^{v}$ is taken elementwise. With $v = 2\ell$ ($\sigma = s = e^{\ell}$), $g_{v,\phi} = 2g_{s,\phi}$ and
$e^{v} = s\circ s$, so this is the formula above."""

NOTES_B = r"""\noindent Shapes: $g_{\pi,z}(z_i)\in\mathbb{R}^{d\times m}$, $r(z_i)\in\mathbb{R}^d$;
the $\epsilon_i$ are held fixed (reparameterisation), so the estimator is unbiased for
$\nabla_\phi\mathbb{E}_{q_\phi}\ln p(x|z)$ and its variance falls as $1/n_\epsilon$. The
ELBO gradient is $\nabla_\phi\mathrm{ELBO} \approx \nabla_\phi\hat{R} - \nabla_\phi\mathrm{KL}$ (3.b minus 3.a)."""

NOTES_C = r"""\noindent Shape: $g_{\pi,\theta}(z_i)\in\mathbb{R}^{d\times n_\theta}$. Since the KL
term does not depend on $\theta$, $\nabla_\theta\mathrm{ELBO} \approx \nabla_\theta\hat{R}$."""

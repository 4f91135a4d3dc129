"""The Problem 3 gradient formulas as NumPy functions of the network Jacobians.

Notation and shapes (as in the writeup; one data point x):

- ``mu`` (m,), ``ell`` (m,) = ln s, ``s = exp(ell)``: encoder outputs;
- ``g_mu_phi``, ``g_s_phi`` (m, n_phi): Jacobians of mu_phi(x) and s_phi(x) = ell;
- ``eps`` (n_eps, m): the standard normal samples, ``z_i = mu + s * eps_i``;
- ``x`` (d,) in {0, 1}; ``pi`` (n_eps, d): decoder outputs pi_theta(z_i);
- ``g_pi_z`` (n_eps, d, m), ``g_pi_theta`` (n_eps, d, n_theta): decoder Jacobians at z_i;
  ``g_a_z``, ``g_a_theta``: the same for the logits a when pi = sigmoid(a).

The formulas (derived and verified in ``derive.elbo.gradients`` / ``derive.elbo.logit_head``):

    3.a  grad_phi KL    = g_mu_phi^T mu + g_s_phi^T (s*s - 1)
    3.b  grad_phi R     = 1/n_eps sum_i (g_mu_phi + diag(s*eps_i) g_s_phi)^T g_pi_z(z_i)^T r_i
    3.c  grad_theta R   = 1/n_eps sum_i g_pi_theta(z_i)^T r_i,   r_i = (x - pi_i) / (pi_i (1 - pi_i))
    logits: g_pi_.^T r_i = g_a_.^T (x - pi_i)

with R = 1/n_eps sum_i ln p(x | z_i) and ELBO ~ R - KL.
Reference: Kingma and Welling (2014), Sec. 2.4 and App. B.
"""
from __future__ import annotations

import numpy as np

__all__ = ["kl_term", "kl_grad_phi", "bernoulli_residual", "rec_term", "rec_grad_phi",
           "rec_grad_theta", "rec_grad_phi_logits", "rec_grad_theta_logits", "elbo_grads"]


def kl_term(mu, ell):
    """KL(N(mu, diag(s^2)) || N(0, I)) = 1/2 sum_j (mu_j^2 + e^{2 ell_j} - 1 - 2 ell_j)  (14).

    >>> float(kl_term(np.zeros(2), np.zeros(2)))
    0.0
    """
    return 0.5 * np.sum(mu ** 2 + np.expm1(2 * ell) - 2 * ell)


def kl_grad_phi(g_mu_phi, g_s_phi, mu, ell):
    """3.a: grad_phi KL = g_mu_phi^T mu + g_s_phi^T (s o s - 1), s = e^ell.

    g_mu_phi, g_s_phi: (m, n_phi); mu, ell: (m,). Returns (n_phi,).

    >>> kl_grad_phi(np.eye(2), np.eye(2), np.array([1., 0.]), np.zeros(2))
    array([1., 0.])
    """
    return g_mu_phi.T @ mu + g_s_phi.T @ np.expm1(2 * ell)


def bernoulli_residual(x, pi):
    """r = d ln p(x|z) / d pi = (x - pi) / (pi (1 - pi)), elementwise; shape of ``pi``."""
    return (x - pi) / (pi * (1 - pi))


def rec_term(x, pi):
    """(15): R = 1/n_eps sum_i sum_k [x_k ln pi_ik + (1 - x_k) ln(1 - pi_ik)]; pi: (n_eps, d)."""
    return np.mean(np.sum(x * np.log(pi) + (1 - x) * np.log1p(-pi), axis=-1))


def _dz_dphi_T_times(g_mu_phi, g_s_phi, s, eps, v):
    """sum_i (g_mu_phi + diag(s o eps_i) g_s_phi)^T v_i / n_eps, for v: (n_eps, m)."""
    n = eps.shape[0]
    return (g_mu_phi.T @ v.sum(axis=0) + g_s_phi.T @ (s * (eps * v).sum(axis=0))) / n


def rec_grad_phi(g_mu_phi, g_s_phi, s, eps, g_pi_z, r):
    """3.b: grad_phi R = 1/n_eps sum_i (g_mu_phi + diag(s o eps_i) g_s_phi)^T g_pi_z(z_i)^T r_i.

    g_mu_phi, g_s_phi: (m, n_phi); s: (m,); eps: (n_eps, m); g_pi_z: (n_eps, d, m);
    r: (n_eps, d) from :func:`bernoulli_residual`. Returns (n_phi,).
    """
    v = np.einsum("idm,id->im", g_pi_z, r)  # g_pi_z(z_i)^T r_i
    return _dz_dphi_T_times(g_mu_phi, g_s_phi, s, eps, v)


def rec_grad_theta(g_pi_theta, r):
    """3.c: grad_theta R = 1/n_eps sum_i g_pi_theta(z_i)^T r_i.

    g_pi_theta: (n_eps, d, n_theta); r: (n_eps, d). Returns (n_theta,).
    """
    return np.einsum("idt,id->t", g_pi_theta, r) / r.shape[0]


def rec_grad_phi_logits(g_mu_phi, g_s_phi, s, eps, g_a_z, x, pi):
    """3.b with pi = sigmoid(a): 1/n_eps sum_i (g_mu_phi + diag(s o eps_i) g_s_phi)^T g_a_z(z_i)^T (x - pi_i).

    Same shapes as :func:`rec_grad_phi`, with the logit Jacobian g_a_z: (n_eps, d, m).
    No division by pi (1 - pi): stable when the decoder saturates.
    """
    v = np.einsum("idm,id->im", g_a_z, x - pi)
    return _dz_dphi_T_times(g_mu_phi, g_s_phi, s, eps, v)


def rec_grad_theta_logits(g_a_theta, x, pi):
    """3.c with pi = sigmoid(a): 1/n_eps sum_i g_a_theta(z_i)^T (x - pi_i)."""
    return np.einsum("idt,id->t", g_a_theta, x - pi) / pi.shape[0]


def elbo_grads(g_mu_phi, g_s_phi, mu, ell, eps, x, pi, g_pi_z, g_pi_theta):
    """(grad_phi, grad_theta) of the estimate R - KL: 3.b - 3.a and 3.c (grad_theta KL = 0)."""
    r = bernoulli_residual(x, pi)
    s = np.exp(ell)
    return (rec_grad_phi(g_mu_phi, g_s_phi, s, eps, g_pi_z, r) - kl_grad_phi(g_mu_phi, g_s_phi, mu, ell),
            rec_grad_theta(g_pi_theta, r))

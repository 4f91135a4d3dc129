"""Gaussian KL divergences as NumPy functions (Problem 2).

The univariate and diagonal formulas are compiled from the verified derivations
(``kl.univariate``, ``kl.diagonal``) at the lambdify boundary; the general multivariate
formula is evaluated with Cholesky factors for stability, and
:func:`kl_mvn_from_derivation` compiles the derived matrix formula itself (a cross-check).

>>> float(kl_normal_std(0.0, 1.0))
0.0
>>> round(float(kl_diag_std([1.0, 0.0], [1.0, 2.0])), 6)
1.306853
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from numeric.lambdified import compile_expr

__all__ = ["kl_normal_std", "kl_normal_std_logscale", "kl_diag_std", "kl_mvn",
           "kl_mvn_from_derivation"]


@lru_cache(maxsize=None)
def _univariate():
    import sympy as sp

    from derive import get
    from derive.symbols import mu, sigma
    d = get("kl.univariate")
    return compile_expr(sp.sympify(d.result).doit(), [mu, sigma])


def kl_normal_std(mu, sigma):
    """KL(N(mu, sigma^2) || N(0, 1)) = 1/2 (mu^2 + sigma^2 - 1 - ln sigma^2)  (2.a).

    mu: array-like of means; sigma: array-like of standard deviations (> 0), broadcast.
    Returns an array (elementwise). Compiled from ``kl.univariate``. Loses relative
    accuracy when sigma is within ~1e-8 of 1 and mu ~ 0; use
    :func:`kl_normal_std_logscale` there.
    """
    return _univariate()(np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float))


def kl_normal_std_logscale(mu, log_sigma):
    """The same KL from ell = ln sigma: 1/2 mu^2 + 1/2 expm1(2 ell) - ell (stable near sigma = 1).

    Reference: TensorFlow Probability's ``_kl_normal_normal`` (expm1 form).
    """
    mu, ell = np.asarray(mu, dtype=float), np.asarray(log_sigma, dtype=float)
    return 0.5 * mu ** 2 + 0.5 * np.expm1(2 * ell) - ell


def kl_diag_std(mu, sigma):
    """KL(N(mu, diag(sigma^2)) || N(0, I_m)) = 1/2 sum_j (mu_j^2 + sigma_j^2 - 1 - ln sigma_j^2)  (2.b).

    mu, sigma: arrays of shape (..., m); returns shape (...). The sum of the compiled
    univariate terms (Facts 1 and 2).
    """
    return np.sum(kl_normal_std(mu, sigma), axis=-1)


def kl_mvn(mu0, cov0, mu1, cov1):
    """KL(N(mu0, S0) || N(mu1, S1)) = 1/2 (tr(S1^-1 S0) + (mu1 - mu0)^T S1^-1 (mu1 - mu0) - m + ln(|S1|/|S0|)).

    mu0, mu1: shape (m,); cov0, cov1: (m, m) symmetric positive definite. Evaluated with
    Cholesky factors S = L L^T: tr(S1^-1 S0) = ||L1^-1 L0||_F^2, the quadratic form
    = ||L1^-1 (mu1 - mu0)||^2, ln|S| = 2 sum ln diag(L) (as torch.distributions does).
    """
    mu0, mu1 = np.asarray(mu0, dtype=float), np.asarray(mu1, dtype=float)
    L0, L1 = np.linalg.cholesky(cov0), np.linalg.cholesky(cov1)
    A = np.linalg.solve(L1, L0)
    b = np.linalg.solve(L1, mu1 - mu0)
    logdet = 2 * (np.sum(np.log(np.diag(L1))) - np.sum(np.log(np.diag(L0))))
    return 0.5 * (np.sum(A ** 2) + b @ b - mu0.shape[0] + logdet)


@lru_cache(maxsize=None)
def _general(m: int):
    import sympy as sp

    from derive import get
    from derive.symbols import m as m_sym
    expr = get("kl.gaussians").result.subs(m_sym, m)
    mats = {s.name: s for s in expr.free_symbols if isinstance(s, sp.MatrixSymbol)}
    args = [mats[n] for n in ("mu_0", "Sigma_0", "mu_1", "Sigma_1")]
    explicit = expr.xreplace({a: a.as_explicit() for a in args}).doit()
    return compile_expr(explicit, args)


def kl_mvn_from_derivation(mu0, cov0, mu1, cov1):
    """:func:`kl_mvn` evaluated from the ``kl.gaussians`` result compiled by lambdify
    (traces, inverses and determinants written out entrywise; a cross-check for small
    m <= 3, not for production)."""
    mu0 = np.asarray(mu0, dtype=float).reshape(-1, 1)
    mu1 = np.asarray(mu1, dtype=float).reshape(-1, 1)
    f = _general(mu0.shape[0])
    return float(np.real_if_close(np.squeeze(f(mu0, np.asarray(cov0, float), mu1, np.asarray(cov1, float)))))

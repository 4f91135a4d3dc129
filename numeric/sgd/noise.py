"""Gradient-noise scale (McCandlish et al. 2018, Sec. 2).

    B_simple = tr(Sigma_1) / |G|^2,   Sigma_1 = (1/n) sum_i (g_i - G)(g_i - G)^T,  G = grad F(w)

A minibatch of b samples drawn without replacement has gradient covariance
(n - b)/(b (n - 1)) Sigma_1, so its noise tr equals the signal |G|^2 at the crossover

    b* = n B_simple / (n - 1 + B_simple)      (< n always; < B_simple exactly when B_simple > 1).

(No fit of McCandlish et al.'s E(B) = E_min (1 + B/B_noise): it assumes sampling with replacement,
and B_simple changes by orders of magnitude along a run.)

>>> round(crossover(10_000, 10_000.0))
5000
"""
from __future__ import annotations

import numpy as np

__all__ = ["b_simple", "crossover"]


def crossover(n: int, b_simple_value: float | None) -> float | None:
    """b* = n B / (n - 1 + B): the batch size at which minibatch noise equals the signal."""
    if b_simple_value is None:
        return None
    return n * b_simple_value / (n - 1 + b_simple_value)


def b_simple(problem, w) -> dict:
    """tr(Sigma_1), |G|^2, B_simple and b* at w (per-sample gradients from the lambdified
    derivation)."""
    gs = problem.per_sample_grads(w)
    G = gs.mean(axis=0)
    tr = float(np.mean(np.sum((gs - G) ** 2, axis=1)))
    g2 = float(G @ G)
    bs = tr / g2 if g2 > 0 and np.isfinite(tr / g2) else None
    return {"trace_sigma": tr, "grad_norm_sq": g2, "b_simple": bs, "b_crit": crossover(problem.n, bs)}

"""Asymptotic rates of GD and heavy ball on the quadratic model at w*, and the rate measured.

With H the Hessian at w* and eigenvalues lambda_i, the error along eigenvector i contracts per
step by |1 - alpha lambda_i| for GD and by the spectral radius of [[1 + beta - alpha lambda_i,
-beta], [1, 0]] for heavy ball, i.e. the largest |z| with z^2 - (1 + beta - alpha lambda_i) z + beta
= 0 (Polyak 1964). The gap F - F* is quadratic in the error, so it contracts per step by

    rho^2,   rho = max_i rho_i.

The measured rate is exp of the least-squares slope of ln(gap) against the step over the tail of
a run (the second half of its checks with gap above 1e-12, where F* rounding does not matter).

>>> round(predicted_rate(0.5, 0.0, [1.0, 0.1]), 4)     # GD: max(|1-0.5|, |1-0.05|)^2 = 0.95^2
0.9025
>>> round(fitted_rate([0.5 ** k for k in range(40)], 1), 4)
0.5
"""
from __future__ import annotations

import numpy as np

__all__ = ["predicted_rate", "fitted_rate", "GAP_FLOOR"]

GAP_FLOOR = 1e-12


def predicted_rate(alpha: float, beta: float, eigenvalues) -> float:
    """rho^2: the asymptotic per-step contraction of the gap (beta = 0: GD)."""
    lam = np.asarray(eigenvalues, dtype=float)
    if beta == 0:
        return float(np.max(np.abs(1.0 - alpha * lam)) ** 2)
    b = 1.0 + beta - alpha * lam
    disc = b * b - 4.0 * beta + 0j
    r = np.maximum(np.abs((b + np.sqrt(disc)) / 2), np.abs((b - np.sqrt(disc)) / 2))
    return float(np.max(r) ** 2)


def fitted_rate(gaps, every: int) -> float | None:
    """exp(slope per step) of ln(gap) over the tail (checks ``every`` steps apart); None if
    fewer than 8 usable checks."""
    g = np.asarray(gaps, dtype=float)
    idx = np.flatnonzero(np.isfinite(g) & (g > GAP_FLOOR))
    if len(idx) < 8:
        return None
    tail = idx[len(idx) // 2:]
    slope = np.polyfit(tail * every, np.log(g[tail]), 1)[0]
    return float(np.exp(slope))

"""Gradient-noise scale and the epochs/steps trade-off (McCandlish et al. 2018, Sec. 2).

    B_simple = tr(Sigma) / |G|^2,   Sigma = (1/n) sum_i (g_i - G)(g_i - G)^T,  G = grad F(w)
    E(B) = E_min (1 + B / B_noise),   S(B) = S_min (1 + B_noise / B),   S_min = E_min n / B_noise

The fit is weighted least squares of E = a + b B on the median epochs (relative residuals,
(a + b B - E)/E), so E_min = a and B_noise = a / b.

>>> fit = fit_epochs([(1, 10.01), (10, 10.1), (100, 11.0), (1000, 20.0)], n=10_000)
>>> round(fit["E_min"], 2), round(fit["B_noise"])
(10.0, 1000)
"""
from __future__ import annotations

import numpy as np

__all__ = ["b_simple", "fit_epochs"]


def b_simple(problem, w) -> dict:
    """tr(Sigma), |G|^2 and B_simple at w (per-sample gradients from the lambdified derivation)."""
    gs = problem.per_sample_grads(w)
    G = gs.mean(axis=0)
    tr = float(np.mean(np.sum((gs - G) ** 2, axis=1)))
    g2 = float(G @ G)
    return {"trace_sigma": tr, "grad_norm_sq": g2, "b_simple": tr / g2 if g2 > 0 else None}


def fit_epochs(points, n: int) -> dict:
    """E_min, B_noise, S_min from [(B, median epochs)] (None epochs skipped); ``verdict``: "ok",
    "too-few-points" (fewer than two batch sizes converged), "e-min-not-positive" (epochs fall
    with the batch size) or "no-growth" (B_noise beyond the largest batch)."""
    pts = [(float(B), float(E)) for B, E in points if E is not None and E > 0]
    out = {"E_min": None, "B_noise": None, "S_min": None, "points": len(pts), "ok": False}
    if len(pts) < 2:
        return {**out, "verdict": "too-few-points"}
    B, E = np.array(pts).T
    A = np.stack([1.0 / E, B / E], axis=1)
    (a, b), *_ = np.linalg.lstsq(A, np.ones_like(E), rcond=None)
    if a <= 0:
        return {**out, "verdict": "e-min-not-positive"}
    if b <= 0:
        return {**out, "E_min": float(a), "verdict": "no-growth"}
    return {"E_min": float(a), "B_noise": float(a / b), "S_min": float(a * n / (a / b)), "points": len(pts),
            "ok": True, "verdict": "ok"}

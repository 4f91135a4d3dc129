"""Gradient-noise scale and the epochs/steps trade-off (McCandlish et al. 2018, Sec. 2).

    B_simple = tr(Sigma_1) / |G|^2,   Sigma_1 = (1/n) sum_i (g_i - G)(g_i - G)^T,  G = grad F(w)
    E(B) = E_min (1 + B / B_noise),   S(B) = S_min (1 + B_noise / B),   S_min = E_min n / B_noise

A minibatch of b samples drawn without replacement has gradient covariance
(n - b)/(b (n - 1)) Sigma_1, so its noise tr equals the signal |G|^2 at the crossover

    b* = n B_simple / (n - 1 + B_simple)      (< n always; ~ B_simple when B_simple << n).

The fit is weighted least squares of E = a + b B on the median epochs (relative residuals,
(a + b B - E)/E), so E_min = a and B_noise = a / b. Its interval is a bootstrap over the
evaluation seeds: each replicate resamples the seeds of every batch size with replacement,
takes the median epochs of the converged ones and refits; the 2.5 and 97.5 percentiles of the
replicates whose fit exists are the range.

>>> fit = fit_epochs([(1, 10.01), (10, 10.1), (100, 11.0), (1000, 20.0)], n=10_000)
>>> round(fit["E_min"], 2), round(fit["B_noise"])
(10.0, 1000)
>>> round(crossover(10_000, 10_000.0))
5000
"""
from __future__ import annotations

import numpy as np

__all__ = ["b_simple", "crossover", "fit_epochs", "bootstrap_fit", "BOOTSTRAP_REPLICATES"]

BOOTSTRAP_REPLICATES = 1000


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


def _median(vals):
    ok = [v for v in vals if v is not None]
    return float(np.median(ok)) if ok else None


def bootstrap_fit(per_batch: dict, n: int, seed: int, replicates: int = BOOTSTRAP_REPLICATES) -> dict:
    """The 2.5-97.5 percentile range of E_min and B_noise over bootstrap replicates;
    ``per_batch`` maps B to the epochs of each seed (None: not converged)."""
    rng = np.random.default_rng([seed, 1729])
    Bs = sorted(per_batch)
    e_min, b_noise = [], []
    for _ in range(replicates):
        pts = []
        for B in Bs:
            v = per_batch[B]
            pts.append((B, _median([v[i] for i in rng.integers(0, len(v), len(v))]) if v else None))
        f = fit_epochs(pts, n)
        if f["ok"]:
            e_min.append(f["E_min"])
            b_noise.append(f["B_noise"])
    pct = (lambda x: [float(np.percentile(x, 2.5)), float(np.percentile(x, 97.5))] if x else [None, None])
    return {"replicates": replicates, "fits": len(b_noise), "E_min_range": pct(e_min), "B_noise_range": pct(b_noise)}

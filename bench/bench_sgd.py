"""Problem 1 speed, on the default problem (n = 10,000, d = 20, logistic, lambda = 1e-3).

Targets (issue 3), each ratio measured in the same run, alternating ours and the reference:
- one epoch of n' = 1 SGD (compiled loop) <= 0.3 x scikit-learn ``SGDClassifier(loss="log_loss")``
  doing one epoch (``max_iter=1``, constant step, no intercept) of the same data;
- one epoch at n' = 1000, and GD steps (n' = n), <= 1.1 x a hand-written NumPy step;
- heavy ball <= 1.1 x plain SGD at the same batch size (n' = 1, 1000, n).
Convergence checks are off (``check_every=0``): these time the optimizer, not F(w).
"""
from __future__ import annotations

import warnings

import numpy as np

from bench.timing import compare

__all__ = ["comparisons"]

GD_STEPS = 20  # full-batch steps per timed call (one step is only ~0.1 ms)


def _setup():
    from numeric.sgd.data import synthetic
    from numeric.sgd.problem import Problem, objective
    X, y = synthetic(10_000, 20, 100.0, "logistic", 0)
    return Problem(X, y, 1e-3, objective("logistic"))


def _ours(p, batch, steps, momentum=False, alpha=0.01, beta=0.5):
    from numeric.sgd.kernels import run_once
    return lambda: run_once(p, 0.0, alpha=alpha, beta=beta, momentum=momentum, batch=batch, max_steps=steps,
                            check_every=0, seed=1)


def _numpy_epoch(p, batch, alpha=0.01):
    """The hand-written NumPy reference: one epoch of minibatch SGD (fresh permutation)."""
    X, y, lam, n = p.X, p.y, p.lam, p.n
    rng = np.random.default_rng(0)

    def epoch():
        w = np.zeros(p.d)
        perm = rng.permutation(n)
        for j in range(0, n - batch + 1, batch):
            idx = perm[j:j + batch]
            Xb, yb = X[idx], y[idx]
            c = -yb / (1.0 + np.exp(yb * (Xb @ w)))
            w = w - alpha * (Xb.T @ c / batch + lam * w)
        return w
    return epoch


def _numpy_gd(p, steps, alpha=0.01):
    X, y, lam, n = p.X, p.y, p.lam, p.n

    def run():
        w = np.zeros(p.d)
        for _ in range(steps):
            c = -y / (1.0 + np.exp(y * (X @ w)))
            w = w - alpha * (X.T @ c / n + lam * w)
        return w
    return run


def _sklearn_epoch(p, alpha=0.01):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import SGDClassifier

    def fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            SGDClassifier(loss="log_loss", alpha=p.lam, learning_rate="constant", eta0=alpha, max_iter=1,
                          tol=None, shuffle=True, fit_intercept=False, random_state=0).fit(p.X, p.y)
    return fit


def comparisons():
    p = _setup()
    n = p.n
    out = [("sgd n'=1 epoch vs sklearn", *compare(_ours(p, 1, n), _sklearn_epoch(p), repeats=21, warmup=2)),
           ("sgd n'=1000 epoch vs numpy", *compare(_ours(p, 1000, n // 1000), _numpy_epoch(p, 1000), repeats=21,
                                                   warmup=2)),
           (f"gd {GD_STEPS} steps vs numpy", *compare(_ours(p, n, GD_STEPS), _numpy_gd(p, GD_STEPS), repeats=15,
                                                      warmup=2))]
    for b, steps, reps in ((1, n, 21), (1000, n // 1000, 21), (n, GD_STEPS, 15)):
        name = "gd" if b == n else f"n'={b}"
        out.append((f"heavy ball vs sgd, {name}",
                    *compare(_ours(p, b, steps, momentum=True), _ours(p, b, steps), repeats=reps, warmup=2)))
    return out

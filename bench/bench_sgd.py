"""Problem 1 speed, on the default problem (n = 10,000, d = 20, logistic, lambda = 1e-3).

Needs the ``bench`` extra (scikit-learn); without it the command says so in one line.

Targets (issues 3 and 11), each ratio measured in the same run, alternating ours and the reference:
- one epoch of n' = 1 SGD (compiled loop) <= 0.3 x scikit-learn ``SGDClassifier(loss="log_loss")``
  doing one epoch (``max_iter=1``, constant step, no intercept) of the same data;
- one epoch at n' = 1000, and GD steps (n' = n), <= 1.1 x a hand-written NumPy step;
- heavy ball <= 1.1 x plain SGD at every batch size of the default sweep (and n);
- the whole default sweep (``python -m numeric sgd``) under 60 s: ``sweep_jobs2_vs_60s`` times it with
  ``--jobs 2`` against the 60 s budget, and ``sweep_jobs2_vs_jobs1`` the same sweep with --jobs 2 against
  --jobs 1 (the ratio is the inverse speed-up; goal <= 1/1.7 = 0.59). Each is one run (a sweep takes
  tens of seconds), in a fresh process, as a user runs it.
Convergence checks are off (``check_every=0``) in the kernel lines: these time the optimizer, not F(w).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

from common.cli import UserError

from bench.timing import compare

__all__ = ["comparisons", "kernel_comparisons", "sweep_comparisons"]

GD_STEPS = 20  # full-batch steps per timed call (one step is only ~0.1 ms)
HB_EPOCHS = 20  # epochs per timed call of heavy ball against SGD (~10 ms: the machine is shared)


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


def _numpy_epochs(p, batch, epochs, alpha=0.01):
    one = _numpy_epoch(p, batch, alpha)
    return lambda: [one() for _ in range(epochs)]


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


def _sweep_seconds(jobs: int) -> float:
    """Wall time of the default sweep, ``python -m numeric sgd --jobs N``, in a fresh process."""
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "numeric", "sgd", "--quiet", "--jobs", str(jobs), "--out", out],
                       check=True, stdout=subprocess.DEVNULL, env={**os.environ})
        return time.perf_counter() - t


def comparisons():
    """Every line: the kernel against its references, then the sweep's wall time."""
    return kernel_comparisons() + sweep_comparisons()


def sweep_comparisons():
    j2, j1 = _sweep_seconds(2), _sweep_seconds(1)
    return [("sweep_jobs2_vs_60s", j2, 60.0), ("sweep_jobs2_vs_jobs1", j2, j1)]


def kernel_comparisons(batches=(1, 10, 100, 1000, 2000, 5000)):
    """The compiled loop against scikit-learn and NumPy, and heavy ball against SGD at every
    batch size of the default sweep (and GD)."""
    try:
        import sklearn  # noqa: F401  (only to fail early with the extra to install)
    except ImportError:
        raise UserError("python -m bench sgd needs scikit-learn: pip install -e '.[bench]'") from None
    p = _setup()
    n = p.n
    out = [("sgd_n'=1_epoch_vs_sklearn", *compare(_ours(p, 1, n), _sklearn_epoch(p), repeats=41, warmup=2)),
           ("sgd_n'=1000_epoch_vs_numpy", *compare(_ours(p, 1000, 5 * n // 1000), _numpy_epochs(p, 1000, 5),
                                                   repeats=31, warmup=2)),
           (f"gd_{GD_STEPS}_steps_vs_numpy", *compare(_ours(p, n, GD_STEPS), _numpy_gd(p, GD_STEPS), repeats=21,
                                                      warmup=2))]
    for b in tuple(batches) + (n,):
        steps = GD_STEPS if b == n else HB_EPOCHS * (n // b)
        name = "gd" if b == n else f"n'={b}"
        out.append((f"heavy_ball_vs_sgd_{name}",
                    *compare(_ours(p, b, steps, momentum=True), _ours(p, b, steps), repeats=21, warmup=2)))
    return out

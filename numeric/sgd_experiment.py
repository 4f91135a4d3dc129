"""``python -m numeric sgd``: minibatch SGD, full-batch GD and heavy ball (Problem 1).

Stand-in for "Assignment 5, Problem 2.g" (design.md): L2-regularised logistic regression
F(w) = (1/n) sum_i ln(1 + exp(-y_i w.x_i)) + (lambda/2)|w|^2 on a seeded synthetic data set
(or the user's CSV), least squares as the second objective. Every gradient comes from the
lambdified derivations of ``derive.sgd`` (see ``numeric.sgd_problem``). For each method
(``sgd``: plain minibatch SGD, GD at n' = n; ``hb``: heavy ball on the same minibatches) and
each batch size n', the step size is tuned on a log grid (and beta on a small grid, or
Polyak's value for GD) for the fewest epochs to F(w) - F* <= tol (F(w0) - F*), on tuning seeds
separate from the evaluation seeds; the chosen setting is then run on every evaluation seed.

Output: ``DIR/sgd/results.json`` (byte-identical for the same arguments; no timings inside:
the elapsed time is printed, and written to ``DIR/sgd/timing.json``) and figures under
``DIR/sgd/`` (each as ``.pdf``, vector, and ``.png``).

results.json schema (``"schema": "hw6.sgd.results/1"``)
-------------------------------------------------------
Floats are rounded to 6 significant digits; a number that does not exist (a run that did not
converge, a fit that failed) is ``null``. "gap" always means the relative suboptimality
(F(w) - F*) / (F(w0) - F*); converged means gap <= tol. Epochs are T n'/n (T gradient steps).
Figure names are file stems relative to ``DIR/sgd/``; append ``.pdf`` or ``.png``.

::

    {
      "schema": "hw6.sgd.results/1",
      "settings": {
        "objective": "logistic" | "least-squares",
        "data": str,                  # "synthetic" or the CSV file name (no folder)
        "data_sha256": str | null,    # of the CSV bytes; null for synthetic data
        "data_sentence": str,         # one plain-text sentence describing the data set
        "n": int, "d": int,           # rows, features (no intercept column is added)
        "cond": float | null,         # synthetic: condition number of the feature covariance
        "l2": float,                  # lambda
        "batch_sizes": [int, ...],    # the minibatch sizes n' (GD, n' = n, is added as "gd")
        "momentum": "auto" | float,   # auto: beta from beta_grid, Polyak's beta* for GD
        "tol": float, "max_epochs": int,
        "seeds": int, "seed": int,    # evaluation seeds are seed, seed+1, ..., seed+seeds-1
        "tune_seeds": [int, ...],     # seeds used only for tuning
        "quick": bool,
        "alpha_grid": [float, ...],   # in units of 1/L (alpha = a / L for a in the grid)
        "beta_grid": [float, ...],
        "checks_per_epoch": int,      # F is evaluated this often (GD: once per step)
        "sampling": str,              # "without replacement, a fresh shuffle every epoch"
        "w0": "zeros",
        "tuning_rule": str            # one sentence: how the step size / beta were chosen
      },
      "problem": {
        "f_star": float,              # F(w*), Newton's method to |grad F| <= 1e-12
        "f0": float,                  # F(w0)
        "newton_iterations": int, "grad_norm_at_w_star": float,
        "L": float, "mu": float, "kappa": float,   # global bounds (derive sgd.smoothness):
                                      #   logistic L = lambda_max(X^T X)/(4n) + lambda, mu = lambda
        "L_local": float, "mu_local": float, "kappa_local": float,  # Hessian at w*
        "L_max": float,               # max_i of the per-sample smoothness constant
        "polyak_alpha": float, "polyak_beta": float,  # Polyak's (alpha*, beta*) from the
                                      #   local constants (derive sgd.polyak_*), used for GD
        "gd_alpha": float             # 2 / (L_local + mu_local), GD's classical best step
      },
      "runs": [                       # one entry per (method, batch size), in table order
        {
          "method": "sgd" | "hb",
          "batch": int,               # n'; equals n for GD
          "key": str,                 # "sgd-1", "hb-1000", "sgd-gd", "hb-gd"
          "label": str,               # "n'=10", "GD (n'=n)" (plain text)
          "method_label": str,        # "SGD", "GD", "heavy ball", "heavy ball (GD)"
          "alpha": float,             # chosen step size
          "beta": float,              # chosen momentum (0 for sgd)
          "beta_source": "none" | "grid" | "polyak" | "user",
          "epochs": [float | null],   # per evaluation seed: epochs to convergence, null = not
          "steps": [int | null],      # per seed: gradient steps T to convergence
          "diverged": [bool],         # per seed
          "converged": int,           # how many seeds converged
          "epochs_median": float | null, "epochs_min": float | null, "epochs_max": float | null,
          "steps_median": float | null,   # medians over the converged seeds; null if none
          "final_gap": [float | null],    # per seed, gap at the end of the run
          "floor": float | null,      # median gap over the last 20% of the run
          "status": "converged" | "partial" | "not converged" | "diverged",
          "reason": str | null,       # why not converged (e.g. the noise floor of a constant step)
          "curve": {                  # learning curve (for the figures), over the seeds
            "epoch": [float, ...],
            "median": [float | null, ...], "lo": [...], "hi": [...]   # gap; lo/hi = min/max
          },
          "tuning": [                 # every (alpha, beta) tried for this method and batch
            {"alpha": float, "beta": float, "epochs": float | null, "diverged": bool}
          ]
        }
      ],
      "table": [                      # the rows the writeup prints, one per batch size (GD last)
        {
          "batch": int, "label": str, "is_gd": bool,
          "sgd": {"alpha": float, "epochs_median": float|null, "epochs_min": ..., "epochs_max": ...,
                  "steps_median": float|null, "converged": int, "seeds": int, "status": str},
          "hb":  {same as sgd, plus "beta": float, "beta_source": str},
          "speedup": float | null     # sgd epochs_median / hb epochs_median
        }
      ],
      "noise": {                      # gradient-noise scale (McCandlish et al. 2018)
        "b_simple": [{"gap": float, "b_simple": float, "trace_sigma": float, "grad_norm_sq": float}],
                                      # B_simple = tr(Sigma)/|G|^2 at w0 (gap 1) and where a
                                      # heavy-ball GD run first reaches gap 1e-1, 1e-2, tol
        "b_simple_at_tol": float | null,
        "fit": {                      # E(B) = E_min (1 + B/B_noise); S(B) = S_min (1 + B_noise/B)
          "sgd" | "hb": {"E_min": float|null, "B_noise": float|null, "S_min": float|null,
                         "points": int, "ok": bool, "note": str}
        }
      },
      "figures": {stem: str}          # every figure written -> one-line caption (plain text)
    }

Figure stems: ``sgd_curves`` (learning curves, one panel per batch size, SGD and heavy ball
side by side), ``sgd_epochs_vs_batch`` (log-log, with the fit and B_noise), ``sgd_steps_vs_batch``.
"""
from __future__ import annotations

__all__ = ["add_arguments", "main"]


def add_arguments(parser) -> None:
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--out", default="build")


def main(args) -> int:
    from derive.cli import UserError
    raise UserError("the sgd experiment is being built (issue 3)")

"""``python -m numeric sgd``: minibatch SGD, full-batch GD and heavy ball (Problem 1).

Stand-in for "Assignment 5, Problem 2.g" (design.md): L2-regularised logistic regression
F(w) = (1/n) sum_i ln(1 + exp(-y_i w.x_i)) + (lambda/2)|w|^2 on a seeded synthetic data set
(or the user's CSV), least squares as the second objective. Every gradient comes from the
lambdified derivations of ``derive.sgd`` (see ``numeric.sgd.problem``). For each method
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
            {"alpha": float, "beta": float, "epochs": float | null,   # largest over the tuning
             "diverged": bool, "outcome": str}  # seeds; null: some seed did not converge (outcome
                                      # "diverged", "plateau" (noise floor), "pruned" (slower than the
                                      # best so far) or "budget")
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

import argparse
import json
import math
import sys
import time
from pathlib import Path

from common.cli import nonneg_int

from numeric.outputs import rounded

__all__ = ["add_arguments", "main", "settings_from_args", "build_problem", "run_experiment"]

DEFAULTS = {"n": 10_000, "d": 20, "seeds": 5, "max_epochs": 200, "checks_per_epoch": 10, "tune_seeds": 3}
QUICK = {"n": 2_000, "d": 10, "seeds": 3, "max_epochs": 60, "checks_per_epoch": 5, "tune_seeds": 1}
DEFAULT_BATCHES = (1, 10, 100, 1000)


def _unit_interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a number in (0, 1)")
    return value


def _momentum(text: str):
    if text == "auto":
        return "auto"
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither 'auto' nor a number") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"momentum {text!r} must be in [0, 1)")
    return value


def _cond(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (1 <= value < math.inf):
        raise argparse.ArgumentTypeError(f"condition number {text!r} must be a finite number >= 1")
    return value


def add_arguments(parser) -> None:
    from common.cli import positive_float, positive_int
    a = parser.add_argument
    a("--objective", choices=("logistic", "least-squares"), default="logistic",
      help="per-sample loss (default logistic)")
    a("--data", metavar="FILE.csv", default=None,
      help="CSV with a header row, numeric features, label in the last column (default: synthetic data)")
    a("--n", type=positive_int, default=None, help=f"synthetic rows (default {DEFAULTS['n']}; --quick {QUICK['n']})")
    a("--d", type=positive_int, default=None, help=f"synthetic features (default {DEFAULTS['d']}; --quick {QUICK['d']})")
    a("--cond", type=_cond, default=100.0, metavar="KAPPA",
      help="condition number of the synthetic feature covariance (default 100)")
    a("--l2", type=positive_float, default=1e-3, metavar="LAMBDA", help="L2 regularisation lambda (default 1e-3)")
    a("--batch-sizes", type=positive_int, nargs="+", default=None, metavar="B",
      help="minibatch sizes n' (default 1 10 100 1000); GD (n' = n) is always added")
    a("--momentum", type=_momentum, default="auto", metavar="auto|BETA",
      help="heavy-ball beta: auto (tuned on a grid; Polyak's beta* for GD) or a fixed value in [0, 1)")
    a("--tol", type=_unit_interval, default=1e-3, metavar="EPS",
      help="converged when F - F* <= EPS (F(w0) - F*) (default 1e-3)")
    a("--max-epochs", type=positive_int, default=None, metavar="E",
      help=f"epoch budget per run (default {DEFAULTS['max_epochs']}; --quick {QUICK['max_epochs']})")
    a("--seeds", type=positive_int, default=None, metavar="K",
      help=f"evaluation seeds (default {DEFAULTS['seeds']}; --quick {QUICK['seeds']})")
    a("--seed", type=nonneg_int, default=0, metavar="S", help="base seed, >= 0 (default 0)")
    a("--out", default="build", metavar="DIR", help="output folder; results go to DIR/sgd/ (default build)")
    a("--quick", action="store_true", help="a small, fast sweep (< 10 s) for drafts and tests")
    a("--quiet", action="store_true", help="no progress bar")


def settings_from_args(args):
    """(Settings, X, y) from the parsed arguments; bad input raises UserError before anything
    is written."""
    from common.cli import UserError

    from numeric.sgd.data import load_csv, synthetic
    from numeric.sgd.tuning import Settings
    base = QUICK if args.quick else DEFAULTS
    if args.data is not None:
        if args.n is not None or args.d is not None:
            raise UserError("--n and --d describe synthetic data; they cannot be used with --data")
        X, y, sha = load_csv(args.data, args.objective)
        n, d, cond, data = X.shape[0], X.shape[1], None, Path(args.data).name
    else:
        n, d, cond, sha, data = args.n or base["n"], args.d or base["d"], args.cond, None, "synthetic"
        if n < 2:
            raise UserError(f"--n {n}: need at least 2 rows")
        X = y = None
    if args.batch_sizes is None:
        batches = tuple(b for b in DEFAULT_BATCHES if b < n)
    else:
        for b in args.batch_sizes:
            if b > n:
                raise UserError(f"batch size {b} exceeds the number of rows n = {n}")
        batches = tuple(sorted(set(b for b in args.batch_sizes if b < n)))
    st = Settings(objective=args.objective, n=n, d=d, cond=cond, l2=args.l2, batch_sizes=batches,
                  momentum=args.momentum, tol=args.tol, max_epochs=args.max_epochs or base["max_epochs"],
                  seeds=args.seeds or base["seeds"], seed=args.seed, quick=bool(args.quick),
                  checks_per_epoch=base["checks_per_epoch"], tune_seeds=base["tune_seeds"], data=data,
                  data_sha256=sha)
    if X is None:
        X, y = synthetic(n, d, cond, args.objective, args.seed)
    return st, X, y


def build_problem(st, X, y):
    """Context with F* (Newton) and the constants."""
    from numeric.sgd.problem import Problem, constants, newton, objective
    from numeric.sgd.tuning import Context
    p = Problem(X, y, st.l2, objective(st.objective))
    w_star, f_star, iters, gnorm = newton(p)
    if not gnorm <= 1e-12:
        sys.stderr.write(f"warning: Newton's method stopped at |grad F| = {gnorm:.2g} > 1e-12 after {iters} "
                         "iterations; F* is less certain (see problem.grad_norm_at_w_star)\n")
    consts = constants(p, w_star)
    return Context(p, f_star, consts, st, extra={"w_star": w_star, "newton_iterations": iters,
                                                  "grad_norm": gnorm})


def main(args) -> int:
    from common.cli import atomic_write

    from numeric.outputs import staged
    t0 = time.perf_counter()
    st, X, y = settings_from_args(args)
    ctx = build_problem(st, X, y)
    with staged(args, "sgd") as stage:  # every output moves into DIR/sgd together, on success only
        results = run_experiment(ctx, stage, quiet=args.quiet)
        from numeric.sgd.summary import print_table
        print_table(results, sys.stdout)
        for r in results["runs"]:
            if r["reason"]:
                who = r["method_label"] if r["batch"] >= results["settings"]["n"] else f"{r['method_label']} {r['label']}"
                print(f"note: {who}: {r['reason']}")
        elapsed = time.perf_counter() - t0
        atomic_write(stage / "timing.json", json.dumps({"seconds": round(elapsed, 2)}) + "\n")
    out = Path(args.out) / "sgd"
    print(f"wrote {out / 'results.json'} and {len(results['figures'])} figures (PDF + PNG) in {elapsed:.1f} s")
    return 0


def run_experiment(ctx, out: Path, quiet: bool = True) -> dict:
    """Tune and evaluate every (method, batch size), write figures and results.json."""
    from common.cli import atomic_write, progress

    from numeric.sgd import figures as sgd_figures
    from numeric.sgd.summary import assemble
    from numeric.sgd.tuning import evaluate, tune
    st, n = ctx.st, ctx.problem.n
    batches = list(st.batch_sizes) + [n]
    runs = {}
    bar = progress(batches, quiet=quiet, desc="sgd", unit="batch size")
    for b in bar:
        t_sgd = tune(ctx, "sgd", b)
        t_hb = tune(ctx, "hb", b, sgd_alpha=t_sgd["epochs"] is not None and t_sgd["alpha"] or None)
        tuned = [t["epochs"] for t in (t_sgd, t_hb)]
        horizon = st.max_epochs if None in tuned else min(st.max_epochs, max(2 * max(tuned), 1.0))
        for method, t in (("sgd", t_sgd), ("hb", t_hb)):
            runs[(method, b)] = (t, evaluate(ctx, method, b, t["alpha"], t["beta"], horizon), horizon)
    results = assemble(ctx, runs)
    results["figures"] = sgd_figures.write_all(results, out)
    atomic_write(out / "results.json", json.dumps(rounded(results), indent=1, sort_keys=False) + "\n")
    return results



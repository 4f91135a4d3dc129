"""``python -m numeric sgd``: minibatch SGD, full-batch GD and heavy ball (Problem 1).

Stand-in for "Assignment 5, Problem 2.g" (design.md): L2-regularised logistic regression
F(w) = (1/n) sum_i ln(1 + exp(-y_i w.x_i)) + (lambda/2)|w|^2 on a seeded synthetic data set
(or the user's CSV), least squares as the second objective. Every gradient comes from the
lambdified derivations of ``derive.sgd`` (see ``numeric.sgd.problem``). Methods
(``numeric.sgd.tuning``): ``sgd`` (constant step; GD at n' = n), ``hb`` (heavy ball), ``dec`` (the
decreasing step alpha_0 / (1 + t/t0)) and ``hbeff`` (heavy ball at SGD's effective step
alpha_sgd (1 - beta), only beta tuned), each tuned per batch size on tuning seeds separate from
the evaluation seeds, and, evaluated without tuning, ``polyak`` (GD heavy ball at Polyak's alpha*, beta*) and ``sgdhb``
(constant-step SGD at the tuned heavy ball's effective step alpha/(1 - beta), on the same seeds). The runs are
dispatched through joblib (``--jobs``, ``numeric.sgd.sweep``); the results do not depend on it.

Output: ``DIR/sgd/results.json`` (byte-identical for the same arguments, whatever ``--jobs``; no
timings inside: the elapsed time is printed, and written to ``DIR/sgd/timing.json``) and figures
under ``DIR/sgd/`` (each as ``.pdf``, vector, and ``.png``). Refused up front (one line, exit 2):
bad options, bad CSV files, a data file that is not a regular file, and a run whose estimated
memory (:func:`memory_needed`) is above half of the machine's memory. A problem with nothing to
optimise (F(w0) = F*) or not finite in double precision is an outcome: ``degenerate`` says which,
there are no runs, and the figures say so.

results.json schema (``"schema": "hw6.sgd.results/6"``)
-------------------------------------------------------
Facts only: numbers, enumerated outcomes and reasons, named conditions; no sentence (the writeup,
``report/sections/sgd.py``, words them). Floats are rounded to 6 significant digits except in
``problem`` (F*, w*, the constants: full double precision). A number that does not exist (a run
that did not converge, a fit that failed) is ``null``. "gap" means the relative suboptimality
(F(w) - F*) / (F(w0) - F*). A run has converged (confirmed) at the first check after which the gap
stays <= tol to the end of the run; the run goes on for a confirmation window of max(2 epochs,
20% of its steps) and stops when the window has passed; a run whose gap reached tol and came back
above it has outcome "floor-above-tol". Epochs are T n'/n (T gradient steps). Figure names are
file stems relative to ``DIR/sgd/``; append ``.pdf`` or ``.png``.

Changes: ``/2`` removed every sentence of ``/1`` (``data_sentence``, ``tuning_rule``, labels,
captions) and made ``reason``, ``sampling`` and the fit's ``verdict`` enumerated values. ``/3``
confirms convergence (``first_hit_epochs`` keeps the first dip), adds the methods ``dec``,
``hbeff-BETA`` and ``polyak``, the rates of GD, ``b_crit``, the bootstrap range of the fit,
``degenerate``, full-precision ``problem`` and the seeds as lists. ``/4`` runs every evaluation on to
the smallest of ``tolerances`` and gives the epochs to each (``by_tol``), carries a stopped seed's
last gap forward in the curves, and adds ``sgdhb``, ``batch_eff``, ``bcn`` and ``lessard``. ``/5`` drops
the fit of E(B) and ``bcn`` (neither is used), widens the tuning grids (``beta_grid``, the offsets, the
t0 grid: ``hbeff`` has one entry per beta of the grid) and draws only ``sgd_curves``. ``/6`` evaluates
``hbeff`` like every tuned method, only at the beta the tuning seeds chose: one method ``hbeff`` in
place of ``hbeff-BETA`` per beta, the table's ``hbeff`` one cell or null, ``hbeff_best_beta`` gone
(the cell's ``beta``), and stops the runs of ``hbeff`` and ``sgdhb`` (compared at tol only) at tol:
their ``by_tol`` has 10 tol and tol, the epochs to both those of a run that went on.

::

    {
      "schema": "hw6.sgd.results/6",
      "degenerate": null | "w0-optimal" | "overflow",   # then "runs" and "table" are empty
      "settings": {
        "objective": "logistic" | "least-squares",
        "data": str,                  # "synthetic" or the CSV file name (no folder)
        "data_sha256": str | null,    # of the CSV bytes; null for synthetic data
        "n": int, "d": int,           # rows, features (no intercept column is added)
        "cond": float | null,         # synthetic: condition number of the feature covariance
        "l2": float,                  # lambda
        "batch_sizes": [int, ...],    # the minibatch sizes n' (GD, n' = n, is added)
        "momentum": "auto" | float,   # auto: beta from beta_grid (and Polyak's beta* for GD)
        "tol": float, "max_epochs": int,
        "seeds": int, "seed": int,
        "eval_seeds": [int, ...],     # run seeds 2(seed + k): even
        "tune_seeds": [int, ...],     # run seeds 2(seed + k) + 1: odd, never an evaluation seed
        "quick": bool,
        "alpha_grid": [float, ...],   # in units of 1/L (alpha = a / L for a in the grid)
        "beta_grid": [float, ...],
        "checks_per_epoch": int,      # F is evaluated this often (GD: once per step)
        "sampling": "shuffle-each-epoch",  # without replacement, a fresh shuffle every epoch
        "w0": "zeros",
        "tolerances": [float, ...],   # 10 tol, tol, tol/10: evaluation runs go on to the last
        "tuning": {                   # the tuning rule (numeric.sgd.tuning) as facts
          "criterion": "worst-tuning-seed", "ties": "smaller-step", "sweep": "large-to-small",
          "stop_after_worse": int,    # stop a sweep this many grid points after the best
          "hb_offsets_half_octaves": [8, -4],   # heavy ball: alpha_sgd (1-beta) 2^(k/2), k from..to
          "dec_offsets_half_octaves": [16, -2],  # decreasing step: alpha_0 = alpha_sgd 2^(k/2)
          "t0_epochs": [float, ...],  # the t0 grid, in epochs
          "plateau_improvement": float, "plateau_epochs": int, "plateau_steps_gd": int,
          "window_epochs": float, "window_fraction": float   # the confirmation window
        }
      },
      "problem": {                    # full double precision
        "f_star": float,              # F(w*), Newton's method to |grad F| <= 1e-12
        "f0": float, "gap0": float,   # F(w0), F(w0) - F*
        "w_star": [float, ...],
        "newton_iterations": int, "grad_norm_at_w_star": float,
        "L": float, "mu": float, "kappa": float,   # global bounds (derive sgd.smoothness)
        "L_local": float, "mu_local": float, "kappa_local": float,  # Hessian at w*
        "L_max": float,               # max_i of the per-sample smoothness constant
        "polyak_alpha": float, "polyak_beta": float,  # Polyak's (alpha*, beta*), local constants
        "gd_alpha": float,            # 2 / (L_local + mu_local)
        "hess_eigenvalues": [float, ...]   # spectrum of the Hessian at w* (the rates)
      },
      "runs": [                       # one per (method, batch size), by batch size, then method
        {
          "method": "sgd" | "hb" | "dec" | "polyak" | "hbeff" | "sgdhb" | "hbdec",
          "batch": int, "is_gd": bool,   # n'; equals n for GD
          "key": str,                 # "sgd-1", "hbeff-1000", "polyak-gd", ...
          "alpha": float, "beta": float, "t0_epochs": float,   # the setting (t0 0: constant step)
          "source": "none" | "grid" | "user" | "effective-step-tuned" | "polyak"
                    | "hb-effective-step" | "dec-with-momentum",   # effective-step-tuned: hbeff, the beta the tuning seeds chose
          "epochs": [float | null],   # per evaluation seed: epochs to a confirmed convergence
          "steps": [int | null],      # the same in gradient steps T
          "first_hit_epochs": [float | null],  # the first check with gap <= tol
          "outcomes": ["converged" | "floor-above-tol" | "diverged" | "not-converged"],
          "converged": int, "dipped": int, "diverged_count": int,   # seeds per outcome
          "epochs_median": float | null, "epochs_min": ..., "epochs_max": ...,
          "steps_median": float | null, "first_hit_median": float | null,  # over converged seeds
          "final_gap": [float | null],
          "floor": float | null,      # median over seeds of the median gap in the last 20% of a run
          "floor_range": [float, float] | null,   # [min, max] of it over the seeds
          "trend": float | null,      # median gap of the last 10% over the 10% before (1: flat)
          "status": "converged" | "partial" | "floor-above-tol" | "not-converged" | "diverged",
          "reason": null | "all-diverged" | "floor-above-tol" | "noise-floor" | "budget",
          "rate": null | {"predicted": float, "fitted": float | null},  # GD: per-step contraction
                                      #   of the gap, rho^2 from the Hessian at w*, and the tail fit
          "horizon_epochs": float,    # the longest run, in epochs
          "curve": {"epoch": [float], "median": [float|null], "lo": [...], "hi": [...]},
                                      # over every seed: a stopped seed counts with its last gap
          "by_tol": [{"tol": float, "epochs": [float | null], "epochs_median": float | null,
                      "epochs_min": ..., "epochs_max": ..., "converged": int}],
                                      # per tolerance of settings.tolerances down to the one the
                                      #   run went on to (tol for hbeff and sgdhb), the same runs
          "tuning": [{"alpha", "beta", "t0", "epochs": float | null, "lowest_gap": float,
                      "outcome": "converged" | "diverged" | "floor" | "plateau" | "pruned" | "budget"}]
        }
      ],
      "table": [                      # one row per batch size (GD last)
        {
          "batch": int, "is_gd": bool,
          "batch_eff": float | null,  # b (n - 1)/(n - b); null (infinite) for GD
          "sgd" | "hb" | "dec": {"alpha", "beta", "t0_epochs", "epochs_median", "epochs_min",
                   "epochs_max", "steps_median", "first_hit_median", "converged", "dipped",
                   "seeds", "status", "floor", "floor_range",
                   "by_tol": [{"tol", "epochs_median", "epochs_min", "epochs_max", "converged"}]},
          "polyak": {same} | null,    # GD only
          "hbeff": {same} | null,     # at the beta the tuning seeds chose (null: none converged)
          "sgdhb": {same} | null,     # SGD at the tuned heavy ball's alpha/(1 - beta)
          "hbdec": {same} | null,     # heavy ball with the decreasing step, velocity form (optional)
          "speedup": float | null,    # sgd epochs_median / hb epochs_median
          "speedup_dec": float | null, "speedup_hbeff": float | null   # the same for dec, hbeff
        }
      ],
      "noise": {                      # gradient-noise scale (McCandlish et al. 2018)
        "b_simple": [{"gap", "b_simple", "b_crit", "trace_sigma", "grad_norm_sq"}],
                                      # at w0 (gap 1) and where heavy-ball GD first reaches gap
                                      # 1e-1, 1e-2, tol; b_crit = n B / (n - 1 + B)
        "b_simple_at_tol": float | null, "b_crit_at_tol": float | null
      },
      "lessard": {                    # numeric/sgd/lessard.py: heavy ball at Polyak's parameters on
                                      # the counterexample of Lessard, Recht and Packard (2016)
        "mu": float, "L": float, "alpha": float, "beta": float, "steps": int,
        "starts": [{"x0": float, "iterates": [float, ...], "final_distance": float}],
        "period": int | null,         # of the cycle from the first start (null: none)
        "cycle": [float, ...], "cycle_values": [float, ...],   # its points (sorted) and f there
        "quadratic_rate": float, "rate_bound": float,  # on f = L x^2/2; sqrt(beta)
        "velocity_form_agrees": bool  # heavy_ball (velocity form) gives the same iterates
      },
      "figures": [stem, ...]          # "sgd_curves"
    }
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

from common.cli import nonneg_int

from numeric.outputs import rounded

__all__ = ["add_arguments", "check", "main", "settings_from_args", "build_problem", "run_experiment", "memory_needed"]

DEFAULTS = {"n": 10_000, "d": 20, "seeds": 5, "max_epochs": 200, "checks_per_epoch": 5, "tune_seeds": 3}
QUICK = {"n": 2_000, "d": 10, "seeds": 3, "max_epochs": 60, "checks_per_epoch": 5, "tune_seeds": 1}
DEFAULT_BATCHES = (1, 10, 100, 1000, 2000, 5000)
DEFAULT_COND = 100.0
RUNS_PER_BATCH = 7  # sgd, hb, dec, hbeff, polyak, sgdhb, hbdec: evaluated runs kept per batch size and seed


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
    a("--cond", type=_cond, default=None, metavar="KAPPA",
      help=f"condition number of the synthetic feature covariance (default {DEFAULT_COND:g})")
    a("--l2", type=positive_float, default=1e-3, metavar="LAMBDA", help="L2 regularisation lambda (default 1e-3)")
    a("--batch-sizes", type=positive_int, nargs="+", default=None, metavar="B",
      help="minibatch sizes n' (default 1 10 100 1000 2000 5000, those below n); GD (n' = n) is always added")
    a("--momentum", type=_momentum, default="auto", metavar="auto|BETA",
      help="heavy-ball beta: auto (tuned on a grid; Polyak's beta* also tried for GD) or a fixed value in [0, 1)")
    a("--tol", type=_unit_interval, default=1e-3, metavar="EPS",
      help="converged when F - F* <= EPS (F(w0) - F*) from then on (default 1e-3)")
    a("--max-epochs", type=positive_int, default=None, metavar="E",
      help=f"epoch budget per run (default {DEFAULTS['max_epochs']}; --quick {QUICK['max_epochs']})")
    a("--seeds", type=positive_int, default=None, metavar="K",
      help=f"evaluation seeds (default {DEFAULTS['seeds']}; --quick {QUICK['seeds']})")
    a("--seed", type=nonneg_int, default=0, metavar="S", help="base seed, >= 0 (default 0)")
    a("--jobs", type=positive_int, default=None, metavar="N",
      help="parallel runs through joblib (default: all cores; 1: one process; at most the number of cores "
           "unless a distributed joblib backend is in use); results do not depend on it")
    a("--out", default="build", metavar="DIR", help="output folder; results go to DIR/sgd/ (default build)")
    a("--quick", action="store_true", help="a small, fast sweep (< 10 s) for drafts and tests")
    a("--quiet", action="store_true", help="no progress bar")


def memory_needed(n: int, d: int, seeds: int, max_epochs: int, checks_per_epoch: int, batches: int,
                  file_bytes: int = 0) -> int:
    """An upper estimate of the bytes a run needs: the data and per-sample gradients (5 n d
    doubles), the Hessian and its eigen-decomposition (4 d^2), the recorded gaps and w of every
    evaluated run (8 per batch size and seed), and 12 bytes per byte of a CSV being parsed."""
    per_run = 8 * (max_epochs * checks_per_epoch + 2 + d)
    return 40 * n * d + 32 * d * d + per_run * RUNS_PER_BATCH * (batches + 1) * seeds + 12 * file_bytes


def _check_memory(n, d, seeds, base, args, batches, file_bytes=0) -> None:
    from numeric.memory import check_memory, gib
    need = memory_needed(n, d, seeds, args.max_epochs or base["max_epochs"], base["checks_per_epoch"], batches,
                         file_bytes)
    check_memory(need, f"--data ({gib(12 * file_bytes)} to parse)" if file_bytes else f"n = {n}, d = {d}, --seeds {seeds}")


def _batches(args, n: int) -> tuple:
    from common.cli import UserError
    if args.batch_sizes is None:
        return tuple(b for b in DEFAULT_BATCHES if b < n)
    for b in args.batch_sizes:
        if b > n:
            raise UserError(f"batch size {b} exceeds the number of rows n = {n}")
    return tuple(sorted(set(b for b in args.batch_sizes if b < n)))


def check(args) -> None:
    """Refuse bad options (UserError) as :func:`main` would before it runs, without making
    the synthetic data (the CSV of ``--data`` is read: its rows bound the batch sizes)."""
    _settings(args)


def settings_from_args(args):
    """(Settings, X, y) from the parsed arguments; bad input raises UserError before anything
    is written or allocated (the memory a run needs is estimated first)."""
    from numeric.sgd.data import synthetic
    st, X, y = _settings(args)
    if X is None:
        X, y = synthetic(st.n, st.d, st.cond, args.objective, args.seed)
    return st, X, y


def _settings(args):
    """(Settings, X, y) with X, y None for synthetic data (not made yet)."""
    from common.cli import UserError

    from numeric.memory import memory_limit
    from numeric.sgd.data import csv_size, load_csv
    from numeric.sgd.tuning import Settings
    base = QUICK if args.quick else DEFAULTS
    seeds = args.seeds or base["seeds"]
    if args.data is not None:
        if args.n is not None or args.d is not None:
            raise UserError("--n and --d describe synthetic data; they cannot be used with --data")
        if args.cond is not None:
            raise UserError("--cond sets the condition number of synthetic data; it cannot be used with --data")
        size = csv_size(args.data)
        _check_memory(1, 1, seeds, base, args, len(DEFAULT_BATCHES), size)
        X, y, sha = load_csv(args.data, args.objective, limit=memory_limit() // 12)  # 12 bytes per byte parsed
        n, d, cond, data = X.shape[0], X.shape[1], None, Path(args.data).name
    else:
        n, d, sha, data = args.n or base["n"], args.d or base["d"], None, "synthetic"
        cond = DEFAULT_COND if args.cond is None else args.cond
        if n < 2:
            raise UserError(f"--n {n}: need at least 2 rows")
        X = y = None
    batches = _batches(args, n)
    _check_memory(n, d, seeds, base, args, len(batches))
    st = Settings(objective=args.objective, n=n, d=d, cond=cond, l2=args.l2, batch_sizes=batches,
                  momentum=args.momentum, tol=args.tol, max_epochs=args.max_epochs or base["max_epochs"],
                  seeds=seeds, seed=args.seed, quick=bool(args.quick),
                  checks_per_epoch=base["checks_per_epoch"], tune_seeds=base["tune_seeds"], data=data,
                  data_sha256=sha)
    return st, X, y


def build_problem(st, X, y):
    """Context with F* (Newton), the constants and the Hessian spectrum at w*; or
    (Context, reason) for a problem with nothing to optimise ("w0-optimal": F(w0) = F* to
    rounding) or not computable in double precision ("overflow")."""
    import numpy as np

    from numeric.sgd.problem import Problem, constants, newton, objective
    from numeric.sgd.tuning import Context
    p = Problem(X, y, st.l2, objective(st.objective))
    ctx = Context(p, math.nan, {}, st, extra={"w_star": np.zeros(p.d), "newton_iterations": 0, "grad_norm": None,
                                              "hess_eigenvalues": []}, gap0=math.nan)
    with np.errstate(all="ignore"):
        f0 = p.value(np.zeros(p.d))
        if not (np.isfinite(f0) and np.isfinite(X).all() and np.isfinite(np.einsum("ij,ij->", X, X))):
            return ctx, "overflow"
        try:
            w_star, f_star, iters, gnorm = newton(p)
            consts = constants(p, w_star)
            eig = np.linalg.eigvalsh(p.hess(w_star))
        except np.linalg.LinAlgError:
            return ctx, "overflow"
    if not np.isfinite([f_star, *consts.values(), *eig]).all():
        return ctx, "overflow"
    ctx = Context(p, f_star, consts, st, extra={"w_star": w_star, "newton_iterations": iters, "grad_norm": gnorm,
                                                "hess_eigenvalues": eig}, gap0=f0 - f_star)
    if not ctx.gap0 > 64 * np.finfo(float).eps * max(abs(f0), abs(f_star)):
        return ctx, "w0-optimal"
    if not gnorm <= 1e-12:
        sys.stderr.write(f"warning: Newton's method stopped at |grad F| = {gnorm:.2g} > 1e-12 after {iters} "
                         "iterations; F* is less certain (see problem.grad_norm_at_w_star)\n")
    return ctx, None


def main(args) -> int:
    from common.cli import atomic_write

    from numeric.outputs import staged
    t0 = time.perf_counter()
    st, X, y = settings_from_args(args)
    ctx, degenerate = build_problem(st, X, y)
    with staged(args, "sgd") as stage:  # every output moves into DIR/sgd together, on success only
        results = run_experiment(ctx, stage, quiet=args.quiet, jobs=args.jobs or os.cpu_count() or 1,
                                 degenerate=degenerate)
        elapsed = time.perf_counter() - t0
        atomic_write(stage / "timing.json", json.dumps({"seconds": round(elapsed, 2)}) + "\n")
    from numeric.sgd.summary import print_table
    print_table(results, sys.stdout)  # after the results are in place: a reader that went away loses nothing
    out = Path(args.out) / "sgd"
    print(f"wrote {out / 'results.json'} and {len(results['figures'])} figures (PDF + PNG) in {elapsed:.1f} s")
    return 0


def _exact(x):
    """For JSON at full double precision (F*, w*, the problem constants): floats as they are."""
    if isinstance(x, dict):
        return {k: _exact(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_exact(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return float(x) if isinstance(x, float) else x


def run_experiment(ctx, out: Path, quiet: bool = True, jobs: int = 1, degenerate: str | None = None) -> dict:
    """Tune and evaluate every (method, batch size) through joblib, write figures and results.json."""
    from common.cli import atomic_write

    from numeric.sgd import figures as sgd_figures
    from numeric.sgd.summary import assemble, degenerate as degenerate_results
    from numeric.sgd.sweep import run_sweep
    if degenerate:
        import numpy as np
        pr = {"f_star": ctx.f_star, "f0": ctx.problem.value(np.zeros(ctx.problem.d)), "gap0": ctx.gap0, **ctx.consts}
        results = degenerate_results(ctx, degenerate, pr)
    else:
        results = assemble(ctx, run_sweep(ctx, jobs=jobs, quiet=quiet))
    from numeric.sgd.lessard import simulate
    results["lessard"] = simulate()   # independent of the data: Polyak's parameters off a quadratic
    results["figures"] = sgd_figures.write_all(results, out)
    problem = _exact(results["problem"])
    results = rounded(results)
    results["problem"] = problem
    atomic_write(out / "results.json", json.dumps(results, indent=1, sort_keys=False) + "\n")
    return results

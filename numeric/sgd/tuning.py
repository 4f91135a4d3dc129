"""Tuning and evaluation of one (method, batch size) of Problem 1.

Methods: ``sgd`` (constant step; GD at n' = n), ``hb`` (heavy ball, alpha and beta tuned),
``dec`` (a decreasing step alpha_t = alpha_0 / (1 + t/t0), Bottou, Curtis and Nocedal 2018,
Thm. 4.7: alpha_0 and t0 tuned), ``hbeff`` (heavy ball at SGD's tuned effective step,
alpha = alpha_sgd (1 - beta): only beta is tuned, on the tuning seeds by the rule below, and the
chosen beta is evaluated like every tuned method) and, for GD,
``polyak`` (Polyak's alpha*, beta* from the local constants at w*), evaluated without tuning.

Tuning rule: for the fewest epochs to a confirmed convergence on every tuning seed (the largest
over the tuning seeds; a seed that does not converge counts as infinity; ties go to the
smaller step), sweep the step size from large to small and stop two grid points after the best.
Plain SGD/GD: alpha = a/L for a in ``ALPHA_GRID`` (half octaves from 8 down to 2^-12; L the global
smoothness constant). Heavy ball: for each beta of the beta grid (and Polyak's beta* for GD),
alpha = alpha_sgd (1 - beta) 2^{k/2}, k in ``HB_OFFSETS`` (8..-4; heavy ball with small steps behaves
like SGD with step alpha/(1 - beta)). Decreasing step: for each t0 of ``T0_EPOCHS`` (in epochs),
alpha_0 = alpha_sgd 2^{k/2}, k in ``DEC_OFFSETS`` (16..-2). The grids reach past every optimum of the
default run by at least one point (an optimum on a grid's edge would be a guess; the writeup says
where one is, :mod:`report.sections.sgd_claims`). A tuning run stops once it cannot beat the best so far, or when its
best gap has not improved by 10% for three epochs (a plateau at the noise floor; GD: 50 steps).

Convergence is confirmed (:func:`numeric.sgd.kernels.stop_rule`): the gap must stay <= tol for a
window of max(2 epochs, 20% of the steps so far) after it first stays there. Tuning stops a run
there; an evaluation run goes on until that holds at the smallest tolerance of
``TOL_FACTORS`` times tol (or the budget), so that the epochs to each tolerance come from the same
runs (:func:`numeric.sgd.summary.confirmed`); the methods of ``AT_TOL_ONLY``, compared at tol only,
stop at tol (:func:`stop_tol`: their epochs to 10 tol and tol are those of a run that went on).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from numeric.sgd.kernels import run_once

__all__ = ["Settings", "Context", "TUNING_RULE", "ALPHA_GRID", "BETA_GRID", "T0_EPOCHS", "HB_OFFSETS", "DEC_OFFSETS",
           "WINDOW_EPOCHS",
           "WINDOW_FRAC", "TOL_FACTORS", "AT_TOL_ONLY", "stop_tol", "tune", "evaluate", "at_hb_step", "candidates", "steps_per_epoch", "check_every", "epochs_of"]

ALPHA_GRID = tuple(2.0 ** (k / 2) for k in range(6, -25, -1))  # 8/L down to 2^-12/L, half octaves
BETA_GRID = (0.3, 0.5, 0.7, 0.9, 0.95, 0.98, 0.99)
T0_EPOCHS = (0.0625, 0.25, 1.0, 4.0, 16.0, 64.0)
HB_OFFSETS = tuple(range(8, -5, -1))    # heavy ball: alpha = alpha_sgd (1 - beta) 2^(k/2), large to small
DEC_OFFSETS = tuple(range(16, -3, -1))  # decreasing step: alpha_0 = alpha_sgd 2^(k/2)
WINDOW_EPOCHS, WINDOW_FRAC = 2.0, 0.2
TOL_FACTORS = (10.0, 1.0, 0.1)  # the tolerances of the evaluation, in units of tol
AT_TOL_ONLY = ("hbeff", "sgdhb")  # compared at tol only (Table 1.b): their evaluation runs stop there
# the tuning rule above as facts (results.json settings.tuning; the writeup words it)
TUNING_RULE = {"criterion": "worst-tuning-seed", "ties": "smaller-step", "sweep": "large-to-small",
               "stop_after_worse": 2, "hb_offsets_half_octaves": [HB_OFFSETS[0], HB_OFFSETS[-1]],
               "dec_offsets_half_octaves": [DEC_OFFSETS[0], DEC_OFFSETS[-1]],
               "t0_epochs": list(T0_EPOCHS), "plateau_improvement": 0.1, "plateau_epochs": 3,
               "plateau_steps_gd": 50, "window_epochs": WINDOW_EPOCHS, "window_fraction": WINDOW_FRAC}


@dataclass(frozen=True)
class Settings:
    objective: str = "logistic"
    n: int = 10_000
    d: int = 20
    cond: float | None = 100.0
    l2: float = 1e-3
    batch_sizes: tuple = (1, 10, 100, 1000, 2000, 5000)
    momentum: str | float = "auto"
    tol: float = 1e-3
    max_epochs: int = 200
    seeds: int = 5
    seed: int = 0
    quick: bool = False
    checks_per_epoch: int = 5
    tune_seeds: int = 3
    data: str = "synthetic"
    data_sha256: str | None = None

    @property
    def eval_seeds(self) -> list[int]:
        """Even run seeds 2(seed + k): disjoint from the (odd) tuning seeds for any count."""
        return [2 * (self.seed + k) for k in range(self.seeds)]

    @property
    def tuning_seeds(self) -> list[int]:
        """Odd run seeds 2(seed + k) + 1: never equal to an evaluation seed."""
        return [2 * (self.seed + k) + 1 for k in range(self.tune_seeds)]


@dataclass
class Context:
    """What every run needs: the problem, F*, the constants and the settings (picklable: a
    joblib worker rebuilds the compiled objective from its name)."""

    problem: object
    f_star: float
    consts: dict
    st: Settings
    extra: dict = field(default_factory=dict)
    gap0: float = 1.0


def steps_per_epoch(n: int, b: int) -> int:
    return 1 if b >= n else n // b


def check_every(n: int, b: int, per_epoch: int) -> int:
    return max(1, steps_per_epoch(n, b) // per_epoch)


def epochs_of(step: int, n: int, b: int) -> float:
    return step * min(b, n) / n


def _run(ctx: Context, cfg: dict, b, seed, max_epochs, min_epochs=0.0, patience=0, cap_epochs=None, target=None):
    n, st = ctx.problem.n, ctx.st
    spe = steps_per_epoch(n, b)
    max_steps = max(1, math.ceil(max_epochs * spe))
    return run_once(ctx.problem, ctx.f_star, alpha=cfg["alpha"], beta=cfg["beta"], momentum=cfg["beta"] > 0 or
                    cfg["method"] == "hb", t0=cfg["t0"] * spe, batch=b, max_steps=max_steps,
                    min_steps=math.ceil(min_epochs * spe), check_every=check_every(n, b, st.checks_per_epoch),
                    seed=seed, target=st.tol if target is None else target, patience=patience, window=math.ceil(WINDOW_EPOCHS * spe),
                    window_frac=WINDOW_FRAC, prune_step=None if cap_epochs is None else math.ceil(cap_epochs * spe),
                    gap0=ctx.gap0)


def _cfg(method, alpha, beta=0.0, t0=0.0, group=0.0, source="none") -> dict:
    return {"method": method, "alpha": float(alpha), "beta": float(beta), "t0": float(t0), "group": float(group),
            "source": source}


def candidates(ctx: Context, method: str, b: int, sgd_alpha: float | None) -> list[dict]:
    """The settings to try, in sweep order (per group, beta or t0, large to small alpha)."""
    L, st, gd = ctx.consts["L"], ctx.st, b >= ctx.problem.n
    base = sgd_alpha if sgd_alpha is not None else None
    if method == "sgd":
        return [_cfg("sgd", a / L) for a in ALPHA_GRID]
    if method == "hbeff":   # heavy ball at SGD's effective step: only beta is chosen, one setting per group
        return [_cfg("hbeff", base * (1 - beta), beta, group=beta, source="effective-step-tuned")
                for beta in BETA_GRID]
    if method == "dec":
        if base is None:
            return [_cfg("dec", a / L, t0=t, group=t) for t in T0_EPOCHS for a in ALPHA_GRID]
        return [_cfg("dec", base * 2.0 ** (k / 2), t0=t, group=t) for t in T0_EPOCHS for k in DEC_OFFSETS]
    if st.momentum == "auto":
        betas = BETA_GRID + ((ctx.consts["polyak_beta"],) if gd else ())
        source = "grid"
    else:
        betas, source = (float(st.momentum),), "user"
    out = []
    for beta in betas:
        if base is None:
            out += [_cfg("hb", a / L * (1 - beta), beta, group=beta, source=source) for a in ALPHA_GRID]
        else:
            out += [_cfg("hb", base * (1 - beta) * 2.0 ** (k / 2), beta, group=beta, source=source)
                    for k in HB_OFFSETS]
    return out


def tune(ctx: Context, method: str, b: int, sgd_alpha: float | None = None) -> dict:
    """The tuning sweep; returns the chosen setting ({"method", "alpha", "beta", "t0",
    "source"}), "epochs" (worst case over the tuning seeds, or None) and "tuning" (every setting
    tried). If nothing converged: the setting that came closest (lowest gap reached)."""
    st, n = ctx.st, ctx.problem.n
    patience = 50 if b >= n else 3 * st.checks_per_epoch
    best, best_cfg, tried, cfgs, groups = math.inf, None, [], [], {}
    for cfg in candidates(ctx, method, b, sgd_alpha):
        g = groups.setdefault(cfg["group"], {"best": math.inf, "worse": 0})
        if g["worse"] >= 2:
            continue
        cap = min(st.max_epochs, best)
        eps, notes, lows = [], [], []
        for s in st.tuning_seeds:
            r = _run(ctx, cfg, b, s, st.max_epochs, patience=patience, cap_epochs=cap)
            e = epochs_of(r.conv_step, n, b) if r.conv_step >= 0 else None
            eps.append(e)
            lows.append(math.inf if r.diverged else float(np.nanmin(r.gaps)))
            pruned = cap < st.max_epochs and r.steps_done >= cap * steps_per_epoch(n, b)
            notes.append("diverged" if r.diverged else "converged" if e is not None else "pruned" if pruned
                         else "plateau" if r.stalled else "floor" if r.first_hit >= 0 else "budget")
            if e is None:
                break  # the worst case is already infinite
        worst = max(math.inf if v is None else v for v in eps)
        cfgs.append(cfg)
        tried.append({**{k: cfg[k] for k in ("alpha", "beta", "t0")},
                      "epochs": None if math.isinf(worst) else worst, "outcome": _outcome(notes),
                      "lowest_gap": max(lows)})
        if worst <= best and not math.isinf(worst):
            best, best_cfg = worst, cfg
        if worst < g["best"]:
            g["best"], g["worse"] = worst, 0
        elif not math.isinf(g["best"]):
            g["worse"] += 1
    if best_cfg is None:
        best_cfg = cfgs[min(range(len(tried)), key=lambda k: (tried[k]["lowest_gap"], -tried[k]["alpha"]))]
    return {**best_cfg, "epochs": None if math.isinf(best) else best, "tuning": tried}


def _outcome(notes) -> str:
    for k in ("converged", "diverged", "floor", "plateau", "pruned", "budget"):
        if notes.count(k) * 2 > len(notes) or (k == "diverged" and k in notes):
            return k
    return notes[0] if notes else "budget"


def stop_tol(st: Settings, method: str) -> float:
    """The tolerance an evaluation run of ``method`` goes on to: tol for the methods compared at
    tol only (``AT_TOL_ONLY``), else the smallest, min(TOL_FACTORS) tol. A run stopped at tol has
    the same epochs to 10 tol and to tol as one that went on: the confirmation at tol is the stop
    rule's, and a streak of gaps <= tol is one <= 10 tol that lasts at least as long."""
    return st.tol if method in AT_TOL_ONLY else st.tol * min(TOL_FACTORS)


def evaluate(ctx: Context, cfg: dict, b: int, seed: int, min_epochs: float = 0.0):
    """The setting ``cfg`` on one evaluation seed, run until a confirmed convergence (the
    same rule as in tuning) at :func:`stop_tol`, or max_epochs; at least ``min_epochs`` (GD: a
    tail for the rate)."""
    return _run(ctx, cfg, b, seed, ctx.st.max_epochs, min_epochs=min(min_epochs, ctx.st.max_epochs),
                target=stop_tol(ctx.st, cfg["method"]))


def with_momentum(dec: dict, hb: dict) -> dict:
    """Heavy ball with the decreasing step (method ``hbdec``), in the velocity form v <- beta v + g,
    w <- w - alpha_t v with alpha_t = alpha_0 (1 - beta) / (1 + t/t0): the tuned decreasing step's
    effective step alpha_t / (1 - beta), the tuned heavy ball's beta, the decreasing step's t0 (no
    tuning of its own: evaluated on the same seeds as the two it combines)."""
    return _cfg("hbdec", dec["alpha"] * (1 - hb["beta"]), hb["beta"], t0=dec["t0"], source="dec-with-momentum")


def at_hb_step(hb: dict) -> dict:
    """Constant-step SGD at the effective step alpha/(1 - beta) of the tuned heavy ball ``hb``
    (method ``sgdhb``): evaluated on the same seeds as heavy ball, so that the two compare
    seed for seed (the step SGD's tuning tried is judged on the tuning seeds only)."""
    return _cfg("sgdhb", hb["alpha"] / (1 - hb["beta"]), source="hb-effective-step")

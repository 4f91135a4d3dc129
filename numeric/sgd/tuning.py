"""Tuning and evaluation of one (method, batch size) of Problem 1.

Tuning rule: for the fewest epochs to reach gap <= tol on every tuning seed (the largest over
the tuning seeds, so that a lucky dip below tol near the noise floor does not win; a seed that
does not converge counts as infinity; ties go to the smaller step), sweep the step size
from large to small and stop two grid points after the best. Plain SGD/GD: alpha = a/L for a
in ``ALPHA_GRID`` (half octaves from 8 down to 2^-12; L the global smoothness constant). Heavy
ball: for each beta of the beta grid, alpha = alpha_sgd (1 - beta) 2^{k/2}, k = 4..-4 (heavy
ball with small steps behaves like SGD with step alpha/(1 - beta)); for GD with ``momentum auto``, Polyak's beta* and alpha = alpha* 2^{k/2},
k = 2..-4. Pruning keeps it fast and does not change the choice: a tuning run stops once it is
slower than the best so far, or when its best gap has not improved by 10% for three epochs
(a plateau at the noise floor; GD: 50 steps).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from numeric.sgd.kernels import run_once

__all__ = ["Settings", "Context", "TUNING_RULE", "ALPHA_GRID", "BETA_GRID", "tune", "evaluate", "candidates",
           "steps_per_epoch", "check_every"]

# the tuning rule above as facts (results.json settings.tuning; the writeup words it)
TUNING_RULE = {"criterion": "worst-tuning-seed", "ties": "smaller-step", "sweep": "large-to-small",
               "stop_after_worse": 2, "hb_offsets_half_octaves": [4, -4], "polyak_offsets_half_octaves": [2, -4],
               "plateau_improvement": 0.1, "plateau_epochs": 3, "plateau_steps_gd": 50}
ALPHA_GRID = tuple(2.0 ** (k / 2) for k in range(6, -25, -1))  # 8/L down to 2^-12/L, half octaves
BETA_GRID = (0.5, 0.7, 0.9)


@dataclass(frozen=True)
class Settings:
    objective: str = "logistic"
    n: int = 10_000
    d: int = 20
    cond: float | None = 100.0
    l2: float = 1e-3
    batch_sizes: tuple = (1, 10, 100, 1000)
    momentum: str | float = "auto"
    tol: float = 1e-3
    max_epochs: int = 200
    seeds: int = 5
    seed: int = 0
    quick: bool = False
    checks_per_epoch: int = 10
    tune_seeds: int = 3
    data: str = "synthetic"
    data_sha256: str | None = None

    @property
    def eval_seeds(self) -> list[int]:
        return [self.seed + k for k in range(self.seeds)]

    @property
    def tuning_seeds(self) -> list[int]:
        return [self.seed + 1000 + k for k in range(self.tune_seeds)]


@dataclass
class Context:
    """What every run needs: the problem, F*, the constants and the settings."""

    problem: object
    f_star: float
    consts: dict
    st: Settings
    extra: dict = field(default_factory=dict)


def steps_per_epoch(n: int, b: int) -> int:
    return 1 if b >= n else n // b


def check_every(n: int, b: int, per_epoch: int) -> int:
    return max(1, steps_per_epoch(n, b) // per_epoch)


def epochs_of(step: int, n: int, b: int) -> float:
    return step * min(b, n) / n


def _run(ctx: Context, alpha, beta, momentum, b, seed, max_epochs, min_epochs=0.0, patience=0):
    n, st = ctx.problem.n, ctx.st
    spe = steps_per_epoch(n, b)
    return run_once(ctx.problem, ctx.f_star, alpha=alpha, beta=beta, momentum=momentum, batch=b,
                    max_steps=max(1, math.ceil(max_epochs * spe)), min_steps=math.ceil(min_epochs * spe),
                    check_every=check_every(n, b, st.checks_per_epoch), seed=seed, target=st.tol,
                    patience=patience)


def _worst(values):
    return max(math.inf if v is None else v for v in values)


def candidates(ctx: Context, method: str, b: int, sgd_alpha: float | None) -> list[tuple[float, float, str]]:
    """(alpha, beta, beta_source) to try, in sweep order (per beta, large to small alpha)."""
    L, st, gd = ctx.consts["L"], ctx.st, b >= ctx.problem.n
    if method == "sgd":
        return [(a / L, 0.0, "none") for a in ALPHA_GRID]
    if st.momentum == "auto" and gd:
        a_star, b_star = ctx.consts["polyak_alpha"], ctx.consts["polyak_beta"]
        return [(a_star * 2.0 ** (k / 2), b_star, "polyak") for k in range(2, -5, -1)]
    betas, source = (BETA_GRID, "grid") if st.momentum == "auto" else ((float(st.momentum),), "user")
    out = []
    for beta in betas:
        if sgd_alpha is None:
            out += [(a / L * (1 - beta), beta, source) for a in ALPHA_GRID]
        else:
            out += [(sgd_alpha * (1 - beta) * 2.0 ** (k / 2), beta, source) for k in range(4, -5, -1)]
    return out


def tune(ctx: Context, method: str, b: int, sgd_alpha: float | None = None) -> dict:
    """The tuning sweep; returns {"alpha", "beta", "beta_source", "epochs" (worst case or None),
    "tuning": [...]} (alpha None if nothing converged: then the largest non-diverging step)."""
    st, n = ctx.st, ctx.problem.n
    gd = b >= n
    patience = 50 if gd else 3 * st.checks_per_epoch
    cands = candidates(ctx, method, b, sgd_alpha)
    best, best_cfg, tried = math.inf, None, []
    by_beta: dict = {}
    for alpha, beta, source in cands:
        state = by_beta.setdefault(beta, {"best": math.inf, "worse": 0})
        if state["worse"] >= 2:
            continue
        cap = min(st.max_epochs, best)
        eps, div, notes, lows = [], False, [], []
        for s in st.tuning_seeds:
            r = _run(ctx, alpha, beta, method == "hb", b, s, cap, patience=patience)
            e = epochs_of(r.conv_step, n, b) if r.conv_step >= 0 else None
            eps.append(e)
            lows.append(math.inf if r.diverged else float(np.nanmin(r.gaps)))
            div |= r.diverged
            notes.append("diverged" if r.diverged else "converged" if e is not None else
                         "plateau" if r.stalled else "pruned" if cap < st.max_epochs else "budget")
            if e is None:
                break  # the worst case is already infinite
        med = _worst(eps)
        tried.append({"alpha": alpha, "beta": beta, "epochs": None if math.isinf(med) else med,
                      "diverged": bool(div), "outcome": _outcome(notes), "lowest_gap": max(lows), "source": source})
        if med <= best and not math.isinf(med):
            best, best_cfg = med, (alpha, beta, source)
        if med < state["best"]:
            state["best"], state["worse"] = med, 0
        elif not math.isinf(state["best"]):
            state["worse"] += 1
    if best_cfg is None:  # nothing converged: the setting that came closest (lowest gap reached)
        t0 = min(tried, key=lambda t: (t["lowest_gap"], -t["alpha"]))
        best_cfg = (t0["alpha"], t0["beta"], t0["source"])
    return {"alpha": best_cfg[0], "beta": best_cfg[1], "beta_source": best_cfg[2],
            "epochs": None if math.isinf(best) else best, "tuning": tried}


def _outcome(notes) -> str:
    for k in ("converged", "diverged", "plateau", "pruned", "budget"):
        if notes.count(k) * 2 > len(notes) or (k == "diverged" and k in notes):
            return k
    return notes[0] if notes else "budget"


def evaluate(ctx: Context, method: str, b: int, alpha: float, beta: float, horizon: float) -> list:
    """The chosen setting on every evaluation seed, run at least ``horizon`` epochs (for the
    learning curve) and until convergence or max_epochs. Returns the RunOut of each seed."""
    st = ctx.st
    return [_run(ctx, alpha, beta, method == "hb", b, s, st.max_epochs, min_epochs=min(horizon, st.max_epochs))
            for s in st.eval_seeds]

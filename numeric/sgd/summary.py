"""From runs to the results.json of Problem 1 (schema in :mod:`numeric.sgd.experiment`), and
the printed table. Facts only: numbers, enumerated outcomes and reasons; no sentence."""
from __future__ import annotations

import math
import warnings

import numpy as np

from common import numfmt
from numeric.sgd.noise import b_simple
from numeric.sgd.rates import fitted_rate, predicted_rate
from numeric.sgd.tuning import (ALPHA_GRID, BETA_GRID, TOL_FACTORS, TUNING_RULE, WINDOW_EPOCHS, WINDOW_FRAC,
                                check_every, epochs_of, steps_per_epoch, stop_tol)

__all__ = ["assemble", "degenerate", "print_table", "run_entry", "curve", "confirmed", "effective_batch",
           "REASONS", "OUTCOMES", "ORDER"]

MAX_CURVE_POINTS = 240
OUTCOMES = ("converged", "floor-above-tol", "diverged", "not-converged")
REASONS = ("all-diverged", "floor-above-tol", "noise-floor", "budget")
ORDER = ("sgd", "hb", "dec", "polyak", "hbeff", "sgdhb", "hbdec")


def _label(b: int, n: int) -> str:
    return "GD" if b >= n else f"n'={b}"


def _recorded(gaps) -> np.ndarray:
    """The checks a run recorded: its gaps up to the first NaN (the run stopped there)."""
    g = np.asarray(gaps, dtype=float)
    stop = np.flatnonzero(np.isnan(g))
    return g[:stop[0]] if stop.size else g


def confirmed(gaps, level: float, every: int, window: int, frac: float = WINDOW_FRAC) -> tuple[int, int]:
    """(conv, first) in steps for one run and one tolerance ``level``, from its recorded gaps
    (one check every ``every`` steps), by the rule the runs themselves stop by
    (:func:`numeric.sgd.kernels.stop_rule`): first is the first check with gap <= level; conv is
    the first check that starts a streak of checks with gap <= level lasting the confirmation
    window, max(window, frac conv) steps; -1 for none. What the run does after the window does
    not matter, so conv at the tolerance a run stopped by is the step it stopped for.

    >>> confirmed([1.0, 0.5, 0.05, 0.2, 0.04, 0.03, 0.02, 0.5], 0.1, every=10, window=20)
    (40, 20)
    >>> confirmed([1.0, 0.5, 0.05, 0.2, 0.04, 0.03, 0.02], 0.01, every=10, window=20)
    (-1, -1)
    """
    g = _recorded(gaps)
    below = g <= level
    if not below.any():
        return -1, -1
    first = int(np.argmax(below)) * every
    start = None
    for k, ok in enumerate(below):
        if not ok:
            start = None
            continue
        start = k if start is None else start
        conv = start * every
        if (k - start) * every >= max(window, math.ceil(frac * conv)):
            return conv, first
    return -1, first


def effective_batch(n: int, b: int) -> float | None:
    """b (n - 1)/(n - b): the batch drawn with replacement whose gradient noise Sigma_1/B equals
    that of a batch of b drawn without replacement, (n - b)/(b (n - 1)) Sigma_1 (derive
    ``sgd.minibatch_variance``); None (infinite) at b = n, full-batch GD.

    >>> effective_batch(10_000, 1), round(effective_batch(10_000, 5000), 1), effective_batch(10_000, 10_000)
    (1.0, 9999.0, None)
    """
    return b * (n - 1) / (n - b) if b < n else None


def curve(outs, n: int, b: int, per_epoch: int, horizon: float) -> dict:
    """Median, min and max gap over the seeds at each check up to ``horizon`` epochs (at most
    MAX_CURVE_POINTS checks, spaced evenly in the logarithm of the epochs beyond the first). A seed
    whose run stopped earlier (it had converged) counts with its last recorded gap from then on,
    so the median is over every seed at every check (not over the seeds still running)."""
    ce = check_every(n, b, per_epoch)
    pts = int(math.ceil(horizon * steps_per_epoch(n, b))) // ce + 1
    G = np.full((len(outs), pts), np.nan)
    for k, o in enumerate(outs):
        g = _recorded(o.gaps)[:pts]
        G[k, :len(g)] = g
        if 0 < len(g) < pts:
            G[k, len(g):] = g[-1]
    idx = np.arange(pts)
    if pts > MAX_CURVE_POINTS:   # spaced evenly in log(epochs): the figure's epoch axis is logarithmic
        idx = np.unique(np.r_[0, np.round(np.geomspace(1, pts - 1, MAX_CURVE_POINTS - 1)).astype(int)])
    G = G[:, idx]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        med, lo, hi = np.nanmedian(G, 0), np.nanmin(G, 0), np.nanmax(G, 0)
    return {"epoch": [epochs_of(int(j) * ce, n, b) for j in idx], "median": med, "lo": lo, "hi": hi}


def _tail(o, frac: int):
    g = o.gaps[np.isfinite(o.gaps)]
    return g, max(1, len(g) // frac)


def _tails(outs) -> list[float]:
    """Each seed's median gap in the last 20% of its recorded run (diverged or short runs left out)."""
    return [float(np.median(g[-k:])) for g, k in (_tail(o, 5) for o in outs if not o.diverged) if len(g) >= 5]


def _floor(outs) -> float | None:
    """Median over seeds of the median gap in the last 20% of the recorded run."""
    vals = _tails(outs)
    return float(np.median(vals)) if vals else None


def _floor_range(outs) -> list[float] | None:
    """[min, max] over seeds of the median gap in the last 20% of the recorded run."""
    vals = _tails(outs)
    return [min(vals), max(vals)] if vals else None


def _trend(outs) -> float | None:
    """Median ratio of the last 10% of the gaps to the 10% before (1: flat)."""
    vals = []
    for o in outs:
        g, k = _tail(o, 10)
        if len(g) >= 20 and not o.diverged:
            vals.append(float(np.median(g[-k:]) / max(np.median(g[-2 * k:-k]), 1e-300)))
    return float(np.median(vals)) if vals else None


def _outcome(o, conv: int, first: int) -> str:
    """One seed at tol, from its confirmed convergence step and first hit (:func:`confirmed`)."""
    if conv >= 0:
        return "converged"
    if o.diverged:
        return "diverged"
    return "floor-above-tol" if first >= 0 else "not-converged"


def _reason(st, outcomes, floor, trend, full: bool) -> str | None:
    """Why not every seed converged, one of :data:`REASONS` (None if every seed did): every
    seed diverged; some seed reached tol and came back above it (a floor above tol); a flat tail
    (last tenth / tenth before > 0.7) above tol without ever reaching it (the noise floor of a
    constant step); else (GD, or a gap still falling) the budget ran out."""
    if all(o == "converged" for o in outcomes):
        return None
    if all(o == "diverged" for o in outcomes):
        return "all-diverged"
    if "floor-above-tol" in outcomes:
        return "floor-above-tol"
    if not full and floor is not None and floor > st.tol and (trend is None or trend > 0.7):
        return "noise-floor"
    return "budget"


def _stats(vals):
    ok = [v for v in vals if v is not None]
    if not ok:
        return None, None, None
    return float(np.median(ok)), float(min(ok)), float(max(ok))


def _status(outcomes) -> str:
    conv = outcomes.count("converged")
    if conv == len(outcomes):
        return "converged"
    if outcomes.count("diverged") == len(outcomes):
        return "diverged"
    if conv:
        return "partial"
    return "floor-above-tol" if "floor-above-tol" in outcomes else "not-converged"


def _rate(ctx, cfg, outs, b) -> dict | None:
    """GD only: the predicted per-step contraction of the gap at the parameters that ran
    (Hessian spectrum at w*) and the one fitted to the tail of the first seed's curve."""
    if b < ctx.problem.n or cfg["t0"] > 0:
        return None
    eig = ctx.extra["hess_eigenvalues"]
    return {"predicted": predicted_rate(cfg["alpha"], cfg["beta"], eig),
            "fitted": fitted_rate(outs[0].gaps, check_every(ctx.problem.n, b, ctx.st.checks_per_epoch))}


def _levels(st, method: str) -> list[float]:
    """The tolerances a run of ``method`` went on to, largest first: TOL_FACTORS times tol, down to
    :func:`numeric.sgd.tuning.stop_tol`."""
    return [st.tol * f for f in TOL_FACTORS if st.tol * f >= stop_tol(st, method)]


def _at_level(outs, n, b, st, level) -> list[tuple[int, int]]:
    """(conv, first) in steps of every seed at one tolerance (:func:`confirmed`)."""
    ce = check_every(n, b, st.checks_per_epoch)
    window = math.ceil(WINDOW_EPOCHS * steps_per_epoch(n, b))
    return [(-1, -1) if o.diverged else confirmed(o.gaps, level, ce, window) for o in outs]


def _by_tol(outs, n, b, st, method) -> list[dict]:
    """Per tolerance: the epochs to a confirmed convergence of each seed, their median and
    range, and how many seeds converged."""
    out = []
    for level in _levels(st, method):
        eps = [epochs_of(c, n, b) if c >= 0 else None for c, _ in _at_level(outs, n, b, st, level)]
        med, lo, hi = _stats(eps)
        out.append({"tol": level, "epochs": eps, "epochs_median": med, "epochs_min": lo, "epochs_max": hi,
                    "converged": sum(e is not None for e in eps)})
    return out


def run_entry(ctx, method, b, cfg, outs) -> dict:
    st, n = ctx.st, ctx.problem.n
    horizon = epochs_of(max(o.steps_done for o in outs), n, b)
    at_tol = _at_level(outs, n, b, st, st.tol)
    epochs = [epochs_of(c, n, b) if c >= 0 else None for c, _ in at_tol]
    first = [epochs_of(f, n, b) if f >= 0 else None for _, f in at_tol]
    outcomes = [_outcome(o, c, f) for o, (c, f) in zip(outs, at_tol)]
    med, lo, hi = _stats(epochs)
    floor, trend = _floor(outs), _trend(outs)
    return {
        "method": method, "batch": b, "key": f"{method}-{'gd' if b >= n else b}", "is_gd": b >= n,
        "alpha": cfg["alpha"], "beta": cfg["beta"], "t0_epochs": cfg["t0"], "source": cfg.get("source", "none"),
        "epochs": epochs, "steps": [c if c >= 0 else None for c, _ in at_tol],
        "first_hit_epochs": first, "outcomes": outcomes, "converged": outcomes.count("converged"),
        "dipped": outcomes.count("floor-above-tol"), "diverged_count": outcomes.count("diverged"),
        "epochs_median": med, "epochs_min": lo, "epochs_max": hi,
        "steps_median": _stats([c if c >= 0 else None for c, _ in at_tol])[0],
        "first_hit_median": _stats(first)[0],
        "final_gap": [float(o.gaps[np.isfinite(o.gaps)][-1]) if np.isfinite(o.gaps).any() else None for o in outs],
        "floor": floor, "floor_range": _floor_range(outs), "trend": trend, "status": _status(outcomes),
        "reason": _reason(st, outcomes, floor, trend, b >= n), "rate": _rate(ctx, cfg, outs, b),
        "horizon_epochs": horizon, "curve": curve(outs, n, b, st.checks_per_epoch, horizon),
        "by_tol": _by_tol(outs, n, b, st, method),
        "tuning": cfg.get("tuning", []),
    }


CELL_KEYS = ("alpha", "beta", "t0_epochs", "epochs_median", "epochs_min", "epochs_max", "steps_median",
             "first_hit_median", "converged", "dipped", "status", "floor", "floor_range")


def _ratio(a, b):
    return a / b if a is not None and b else None


def _cell(e: dict, seeds: int) -> dict:
    """A run entry's summary for the table, with its epochs at each tolerance (no per-seed lists)."""
    return {**{k: e[k] for k in CELL_KEYS}, "seeds": seeds,
            "by_tol": [{k: v for k, v in t.items() if k != "epochs"} for t in e["by_tol"]]}


def _table(entries, n, seeds) -> list:
    rows = []
    for b in sorted({e["batch"] for e in entries}):
        by = {e["method"]: _cell(e, seeds) for e in entries if e["batch"] == b}
        eff = by.get("hbeff")   # the beta chosen on the tuning seeds
        s = by["sgd"]["epochs_median"]
        rows.append({"batch": b, "is_gd": b >= n, "batch_eff": effective_batch(n, b), "sgd": by["sgd"],
                     "hb": by["hb"], "dec": by["dec"], "polyak": by.get("polyak"), "hbeff": eff,
                     "sgdhb": by.get("sgdhb"), "hbdec": by.get("hbdec"),
                     "speedup": _ratio(s, by["hb"]["epochs_median"]),
                     "speedup_dec": _ratio(s, by["dec"]["epochs_median"]),
                     "speedup_hbeff": _ratio(s, eff["epochs_median"] if eff else None)})
    return rows


def _noise(ctx) -> dict:
    """B_simple and b* at w0 and where heavy-ball GD (Polyak's parameters) reaches 1e-1, 1e-2, tol."""
    from numeric.sgd.kernels import run_once
    p, st, c = ctx.problem, ctx.st, ctx.consts
    pts = [{"gap": 1.0, **b_simple(p, np.zeros(p.d))}]
    for level in sorted({1e-1, 1e-2, st.tol}, reverse=True):
        r = run_once(p, ctx.f_star, alpha=c["polyak_alpha"], beta=c["polyak_beta"], momentum=True, batch=p.n,
                     max_steps=100_000, check_every=1, target=level, gap0=ctx.gap0)
        if r.conv_step >= 0:
            pts.append({"gap": level, **b_simple(p, r.w)})
    at_tol = [q for q in pts if q["gap"] == st.tol]
    return {"b_simple": pts, "b_simple_at_tol": at_tol[0]["b_simple"] if at_tol else None,
            "b_crit_at_tol": at_tol[0]["b_crit"] if at_tol else None}


def _settings(st) -> dict:
    return {"objective": st.objective, "data": st.data, "data_sha256": st.data_sha256,
            "n": st.n, "d": st.d, "cond": st.cond, "l2": st.l2, "batch_sizes": list(st.batch_sizes),
            "momentum": st.momentum, "tol": st.tol, "max_epochs": st.max_epochs, "seeds": st.seeds,
            "seed": st.seed, "eval_seeds": st.eval_seeds, "tune_seeds": st.tuning_seeds, "quick": st.quick,
            "alpha_grid": list(ALPHA_GRID), "beta_grid": list(BETA_GRID), "checks_per_epoch": st.checks_per_epoch,
            "sampling": "shuffle-each-epoch", "w0": "zeros", "tuning": TUNING_RULE,
            "tolerances": [st.tol * f for f in TOL_FACTORS]}


def _problem(ctx) -> dict:
    return {"f_star": ctx.f_star, "f0": ctx.problem.value(np.zeros(ctx.problem.d)), "gap0": ctx.gap0,
            "w_star": [float(v) for v in ctx.extra["w_star"]], "newton_iterations": ctx.extra["newton_iterations"],
            "grad_norm_at_w_star": ctx.extra["grad_norm"], **ctx.consts,
            "hess_eigenvalues": [float(v) for v in ctx.extra["hess_eigenvalues"]]}


SCHEMA = "hw6.sgd.results/6"


def assemble(ctx, runs: dict) -> dict:
    """The results dict; ``runs[(method, b)] = (setting, outs)``."""
    st, n = ctx.st, ctx.problem.n
    order = {m: i for i, m in enumerate(ORDER)}
    keys = sorted(runs, key=lambda k: (k[1], order[k[0]]))
    entries = [run_entry(ctx, m, b, *runs[(m, b)]) for m, b in keys]
    return {"schema": SCHEMA, "degenerate": None, "settings": _settings(st), "problem": _problem(ctx),
            "runs": entries, "table": _table(entries, n, st.seeds),
            "noise": _noise(ctx), "figures": []}


def degenerate(ctx, why: str, problem: dict) -> dict:
    """The results of a problem with nothing to optimise or not computable in double
    precision (``why``: "w0-optimal" or "overflow"): settings and what is known, no runs."""
    return {"schema": SCHEMA, "degenerate": why, "settings": _settings(ctx.st), "problem": problem, "runs": [],
            "table": [], "noise": {"b_simple": [], "b_simple_at_tol": None, "b_crit_at_tol": None},
            "figures": []}


def _text_cell(c) -> str:
    if c is None:
        return "-"
    if c["epochs_median"] is None:
        return f"no ({c['status']})"
    s = f"{numfmt.text(c['epochs_median'])} [{numfmt.text(c['epochs_min'])}, {numfmt.text(c['epochs_max'])}]"
    return s if c["converged"] == c["seeds"] else s + f" {c['converged']}/{c['seeds']}"


def print_table(results: dict, fh) -> None:
    """The epochs-to-convergence table (confirmed; medians [min, max] over seeds) and the noise
    scale, numbers through :func:`common.numfmt.text`."""
    t = numfmt.text
    p, st = results["problem"], results["settings"]
    if results.get("degenerate"):
        fh.write(f"nothing to optimise: {results['degenerate']} (F(w0) - F* = {t(p.get('gap0'))}); no runs\n")
        return
    fh.write(f"F* = {t(p['f_star'], 17)} (Newton, {p['newton_iterations']} iterations, |grad| = "
             f"{t(p['grad_norm_at_w_star'], 2)}); L = {t(p['L'], 4)}, mu = {t(p['mu'], 4)}, "
             f"kappa = {t(p['kappa'], 4)}; local kappa = {t(p['kappa_local'], 4)}\n")
    fh.write(f"epochs T n'/n to a confirmed F - F* <= {t(st['tol'])} (F(w0) - F*), median [min, max] over "
             f"{st['seeds']} seeds (k/{st['seeds']}: seeds that converged)\n")
    cols = ("sgd", "hb", "dec")
    head = f"{'':>8s} | " + " | ".join(f"{h:^38s}" for h in ("SGD / GD", "heavy ball", "decreasing step")) + \
           f" | {'hb/sgd':>6s} {'eff':>6s}\n"
    fh.write(head + "-" * (len(head) - 1) + "\n")
    for r in results["table"]:
        cells = []
        for m in cols:
            c = r[m]
            par = f"a={t(c['alpha'])}" + (f" b={t(c['beta'])}" if m == "hb" else "") + \
                  (f" t0={t(c['t0_epochs'])}" if m == "dec" else "")
            cells.append(f"{par:<19s}{_text_cell(c):>19s}")
        fh.write(f"{_label(r['batch'], st['n']):>8s} | " + " | ".join(cells) +
                 f" | {t(r['speedup']):>6s}"
                 f" {t(r['speedup_hbeff']):>6s}\n")
    for r in results["table"]:
        if r["polyak"]:
            c = r["polyak"]
            fh.write(f"GD heavy ball at Polyak's alpha* = {t(c['alpha'])}, beta* = {t(c['beta'])}: {_text_cell(c)}\n")
    for e in results["runs"]:
        if e["rate"]:
            fh.write(f"rate per step of {e['key']}: predicted {t(e['rate']['predicted'], 4)}, "
                     f"fitted {t(e['rate']['fitted'], 4)}\n")
    for q in results["noise"]["b_simple"]:
        fh.write(f"at gap {t(q['gap'])}: B_simple = {t(q['b_simple'])}, crossover b* = {t(q['b_crit'])}\n")
    for e in results["runs"]:
        if e["reason"]:
            fh.write(f"note: {e['key']}: {e['converged']} of {st['seeds']} seeds converged ({e['reason']})\n")

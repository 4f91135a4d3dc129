"""From runs to the results.json of Problem 1 (schema in :mod:`numeric.sgd.experiment`), and
the printed table."""
from __future__ import annotations

import math

import numpy as np

from common import numfmt

from numeric.sgd.noise import b_simple, fit_epochs
from numeric.sgd.tuning import ALPHA_GRID, BETA_GRID, TUNING_RULE, check_every, epochs_of, steps_per_epoch

__all__ = ["assemble", "print_table", "run_entry", "curve", "REASONS"]

MAX_CURVE_POINTS = 240


def _label(b: int, n: int) -> str:
    return "GD (n'=n)" if b >= n else f"n'={b}"


def _method_label(method: str, b: int, n: int) -> str:
    if method == "sgd":
        return "GD" if b >= n else "SGD"
    return "heavy ball (GD)" if b >= n else "heavy ball"


def curve(outs, n: int, b: int, per_epoch: int, horizon: float) -> dict:
    """Median, min and max gap over the seeds at each check up to ``horizon`` epochs."""
    ce = check_every(n, b, per_epoch)
    pts = int(math.ceil(horizon * steps_per_epoch(n, b))) // ce + 1
    G = np.full((len(outs), pts), np.nan)
    for k, o in enumerate(outs):
        m = min(pts, len(o.gaps))
        G[k, :m] = o.gaps[:m]
    idx = np.arange(pts)
    if pts > MAX_CURVE_POINTS:
        idx = np.unique(np.round(np.linspace(0, pts - 1, MAX_CURVE_POINTS)).astype(int))
    G = G[:, idx]
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            med, lo, hi = np.nanmedian(G, 0), np.nanmin(G, 0), np.nanmax(G, 0)
    return {"epoch": [epochs_of(int(j) * ce, n, b) for j in idx], "median": med, "lo": lo, "hi": hi}


def _floor(outs) -> float | None:
    """Median over seeds of the median gap in the last 20% of the recorded run."""
    vals = []
    for o in outs:
        g = o.gaps[~np.isnan(o.gaps)]
        if len(g) >= 5 and not o.diverged:
            vals.append(float(np.median(g[-max(1, len(g) // 5):])))
    return float(np.median(vals)) if vals else None


def _trend(outs) -> float | None:
    """Median ratio of the last 10% of the gaps to the 10% before (1: flat)."""
    vals = []
    for o in outs:
        g = o.gaps[~np.isnan(o.gaps)]
        k = len(g) // 10
        if k >= 2 and not o.diverged:
            vals.append(float(np.median(g[-k:]) / max(np.median(g[-2 * k:-k]), 1e-300)))
    return float(np.median(vals)) if vals else None


REASONS = ("all-diverged", "budget", "noise-floor", "hovers-at-floor")


def _reason(st, outs, conv: int, floor, trend, full: bool) -> str | None:
    """Why not every seed converged, as one of :data:`REASONS` (None if every seed did):
    every seed diverged; GD (exact gradients, no floor) or a still-falling gap ran out of
    budget; a flat tail (last tenth / tenth before > 0.7) above tol: the noise floor of a
    constant step; else the gap reached tol only now and then (it hovers at the floor)."""
    S = len(outs)
    if conv == S:
        return None
    if sum(o.diverged for o in outs) == S:
        return "all-diverged"
    if full:
        return "budget"
    if floor is not None and floor > st.tol and (trend is None or trend > 0.7):
        return "noise-floor"
    if floor is not None and floor > st.tol:
        return "budget"
    return "hovers-at-floor"


def _stats(vals):
    ok = [v for v in vals if v is not None]
    if not ok:
        return None, None, None
    return float(np.median(ok)), float(min(ok)), float(max(ok))


def run_entry(ctx, method, b, tuned, outs, horizon) -> dict:
    st, n = ctx.st, ctx.problem.n
    epochs = [epochs_of(o.conv_step, n, b) if o.conv_step >= 0 else None for o in outs]
    steps = [o.conv_step if o.conv_step >= 0 else None for o in outs]
    conv = sum(e is not None for e in epochs)
    med, lo, hi = _stats(epochs)
    floor, trend = _floor(outs), _trend(outs)
    status = ("converged" if conv == len(outs) else "partial" if conv else
              "diverged" if all(o.diverged for o in outs) else "not converged")
    key_b = "gd" if b >= n else str(b)
    return {
        "method": method, "batch": b, "key": f"{method}-{key_b}", "is_gd": b >= n, "alpha": tuned["alpha"],
        "beta": tuned["beta"] if method == "hb" else 0.0,
        "beta_source": tuned["beta_source"] if method == "hb" else "none",
        "epochs": epochs, "steps": steps, "diverged": [o.diverged for o in outs], "converged": conv,
        "epochs_median": med, "epochs_min": lo, "epochs_max": hi, "steps_median": _stats(steps)[0],
        "final_gap": [float(o.gaps[~np.isnan(o.gaps)][-1]) if np.any(~np.isnan(o.gaps)) else None for o in outs],
        "floor": floor, "trend": trend, "status": status, "reason": _reason(st, outs, conv, floor, trend, b >= n),
        "diverged_count": sum(o.diverged for o in outs),
        "curve": curve(outs, n, b, st.checks_per_epoch, horizon),
        "tuning": [{k: t[k] for k in ("alpha", "beta", "epochs", "diverged", "outcome")} for t in tuned["tuning"]],
    }


def _table(entries, n, seeds) -> list:
    rows = []
    for b in sorted({e["batch"] for e in entries}):
        by = {e["method"]: e for e in entries if e["batch"] == b}
        cell = {}
        for m, e in by.items():
            cell[m] = {"alpha": e["alpha"], "epochs_median": e["epochs_median"], "epochs_min": e["epochs_min"],
                       "epochs_max": e["epochs_max"], "steps_median": e["steps_median"],
                       "converged": e["converged"], "seeds": seeds, "status": e["status"]}
        if "hb" in by:
            cell["hb"].update(beta=by["hb"]["beta"], beta_source=by["hb"]["beta_source"])
        s, h = (by.get(m, {}).get("epochs_median") for m in ("sgd", "hb"))
        rows.append({"batch": b, "is_gd": b >= n, **cell,
                     "speedup": s / h if s and h else None})
    return rows


def _noise(ctx, fits) -> dict:
    """B_simple at w0 and where heavy-ball GD (Polyak's parameters) reaches 1e-1, 1e-2, tol."""
    from numeric.sgd.kernels import run_once
    p, st, c = ctx.problem, ctx.st, ctx.consts
    pts = [{"gap": 1.0, **b_simple(p, np.zeros(p.d))}]
    for level in sorted({1e-1, 1e-2, st.tol}, reverse=True):
        r = run_once(p, ctx.f_star, alpha=c["polyak_alpha"], beta=c["polyak_beta"], momentum=True, batch=p.n,
                     max_steps=100_000, check_every=1, target=level)
        if r.conv_step >= 0:
            pts.append({"gap": level, **b_simple(p, r.w)})
    at_tol = [q["b_simple"] for q in pts if q["gap"] == st.tol]
    return {"b_simple": pts, "b_simple_at_tol": at_tol[0] if at_tol else None, "fit": fits}


def _settings(st) -> dict:
    return {"objective": st.objective, "data": st.data, "data_sha256": st.data_sha256,
            "n": st.n, "d": st.d, "cond": st.cond, "l2": st.l2, "batch_sizes": list(st.batch_sizes),
            "momentum": st.momentum, "tol": st.tol, "max_epochs": st.max_epochs, "seeds": st.seeds,
            "seed": st.seed, "tune_seeds": st.tuning_seeds, "quick": st.quick, "alpha_grid": list(ALPHA_GRID),
            "beta_grid": list(BETA_GRID), "checks_per_epoch": st.checks_per_epoch,
            "sampling": "shuffle-each-epoch", "w0": "zeros", "tuning": TUNING_RULE}


def assemble(ctx, runs: dict) -> dict:
    """The results dict (before rounding); ``runs[(method, b)] = (tuned, outs, horizon)``."""
    st, n = ctx.st, ctx.problem.n
    entries = [run_entry(ctx, m, b, *runs[(m, b)]) for b in sorted({b for _, b in runs}) for m in ("sgd", "hb")
               if (m, b) in runs]
    fits = {m: fit_epochs([(e["batch"], e["epochs_median"]) for e in entries if e["method"] == m], n)
            for m in ("sgd", "hb")}
    problem = {"f_star": ctx.f_star, "f0": ctx.problem.value(np.zeros(ctx.problem.d)),
               "newton_iterations": ctx.extra["newton_iterations"], "grad_norm_at_w_star": ctx.extra["grad_norm"],
               **ctx.consts}
    return {"schema": "hw6.sgd.results/2", "settings": _settings(st), "problem": problem, "runs": entries,
            "table": _table(entries, n, st.seeds), "noise": _noise(ctx, fits), "figures": []}


def _fmt(v, digits=3):
    return numfmt.text(v, digits)


def _cell(c) -> str:
    if c["epochs_median"] is None:
        return f"not converged (0/{c['seeds']})"
    s = f"{_fmt(c['epochs_median'])} [{_fmt(c['epochs_min'])}, {_fmt(c['epochs_max'])}]"
    return s if c["converged"] == c["seeds"] else s + f" ({c['converged']}/{c['seeds']})"


def print_table(results: dict, fh) -> None:
    """The epochs-to-convergence table (medians [min, max] over seeds) and the gradient steps."""
    p, st = results["problem"], results["settings"]
    fh.write(f"F* = {_fmt(p['f_star'], 10)} (Newton, {p['newton_iterations']} iterations, |grad| = "
             f"{_fmt(p['grad_norm_at_w_star'], 2)}); L = {_fmt(p['L'], 4)}, mu = {_fmt(p['mu'], 4)}, "
             f"kappa = {_fmt(p['kappa'], 4)}; local kappa = {_fmt(p['kappa_local'], 4)}\n")
    fh.write(f"epochs T n'/n to F - F* <= {_fmt(st['tol'])} (F(w0) - F*), median [min, max] over {st['seeds']} seeds\n")
    head = f"{'n':>10s} | {'alpha':>8s} {'SGD/GD epochs':>26s} {'steps':>8s} | {'alpha':>8s} {'beta':>6s} " \
           f"{'heavy-ball epochs':>26s} {'steps':>8s} | {'speedup':>7s}\n"
    fh.write(head)
    fh.write("-" * (len(head) - 1) + "\n")
    for r in results["table"]:
        s, h = r["sgd"], r["hb"]
        fh.write(f"{_label(r['batch'], st['n']):>10s} | {_fmt(s['alpha']):>8s} {_cell(s):>26s} {_fmt(s['steps_median']):>8s} | "
                 f"{_fmt(h['alpha']):>8s} {_fmt(h['beta']):>6s} {_cell(h):>26s} "
                 f"{_fmt(h['steps_median']):>8s} | {_fmt(r['speedup']):>7s}\n")
    for m, f in results["noise"]["fit"].items():
        if f["ok"]:
            fh.write(f"fit {m}: E(B) = {_fmt(f['E_min'])} (1 + B / {_fmt(f['B_noise'])})\n")
        else:
            fh.write(f"fit {m}: no fit ({f['verdict']})\n")
    bs = results["noise"]["b_simple_at_tol"]
    if bs is not None:
        fh.write(f"B_simple = tr(Sigma)/|G|^2 at gap = tol: {_fmt(bs)}\n")
    for r in results["runs"]:
        if r["reason"]:
            who = _method_label(r["method"], r["batch"], st["n"])
            who += "" if r["is_gd"] else f" {_label(r['batch'], st['n'])}"
            fh.write(f"note: {who}: {r['converged']} of {st['seeds']} seeds converged ({r['reason']})\n")

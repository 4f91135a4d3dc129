"""From runs to the results.json of Problem 1 (schema in :mod:`numeric.sgd.experiment`), and
the printed table."""
from __future__ import annotations

import math

import numpy as np

from numeric.sgd.noise import b_simple, fit_epochs
from numeric.sgd.tuning import ALPHA_GRID, BETA_GRID, check_every, epochs_of, steps_per_epoch

__all__ = ["assemble", "print_table", "run_entry", "curve"]

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


def _reason(st, alpha, outs, conv: int, floor, trend, full: bool) -> str | None:
    S = len(outs)
    if conv == S:
        return None
    div = sum(o.diverged for o in outs)
    if div == S:
        return f"diverged: every seed blew up with alpha = {alpha:.3g} (no grid step converged)"
    parts = []
    if conv:
        parts.append(f"{conv} of {S} seeds reached tol within {st.max_epochs} epochs")
    if div:
        parts.append(f"{div} seed(s) diverged")
    if full:  # exact gradients: no noise floor, only a rate
        last = [float(o.gaps[~np.isnan(o.gaps)][-1]) for o in outs if not o.diverged and np.any(~np.isnan(o.gaps))]
        if last:
            parts.append(f"budget: GD has no noise floor but is still decreasing (gap {np.median(last):.2g}) "
                         f"after {st.max_epochs} epochs")
    elif floor is not None and floor > st.tol and (trend is None or trend > 0.7):
        parts.append(f"noise floor: with the constant step alpha = {alpha:.3g} the gap levels off near "
                     f"{floor:.2g} > tol = {st.tol:g}; a smaller step lowers the floor (Bottou, Curtis and "
                     f"Nocedal 2018, Thm. 4.6) but needs more than the {st.max_epochs}-epoch budget")
    elif floor is not None and floor > st.tol:
        parts.append(f"budget: still decreasing (gap {floor:.2g}) after {st.max_epochs} epochs")
    else:
        parts.append("the gap dips below tol only occasionally: the run hovers at the noise floor")
    return "; ".join(parts)


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
        "method": method, "batch": b, "key": f"{method}-{key_b}", "label": _label(b, n),
        "method_label": _method_label(method, b, n), "alpha": tuned["alpha"],
        "beta": tuned["beta"] if method == "hb" else 0.0,
        "beta_source": tuned["beta_source"] if method == "hb" else "none",
        "epochs": epochs, "steps": steps, "diverged": [o.diverged for o in outs], "converged": conv,
        "epochs_median": med, "epochs_min": lo, "epochs_max": hi, "steps_median": _stats(steps)[0],
        "final_gap": [float(o.gaps[~np.isnan(o.gaps)][-1]) if np.any(~np.isnan(o.gaps)) else None for o in outs],
        "floor": floor, "status": status, "reason": _reason(st, tuned["alpha"], outs, conv, floor, trend, b >= n),
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
        rows.append({"batch": b, "label": _label(b, n), "is_gd": b >= n, **cell,
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


def _settings(st, rule: str) -> dict:
    if st.data == "synthetic":
        sentence = (f"The data are {st.n} synthetic samples with d = {st.d} Gaussian features whose covariance has "
                    f"condition number {st.cond:g}, and labels drawn from a logistic model" if st.objective == "logistic"
                    else f"The data are {st.n} synthetic samples with d = {st.d} Gaussian features whose covariance has "
                    f"condition number {st.cond:g}, and responses from a linear model with Gaussian noise") + "."
    else:
        sentence = f"The data are the {st.n} rows and {st.d} features of {st.data}."
    return {"objective": st.objective, "data": st.data, "data_sha256": st.data_sha256, "data_sentence": sentence,
            "n": st.n, "d": st.d, "cond": st.cond, "l2": st.l2, "batch_sizes": list(st.batch_sizes),
            "momentum": st.momentum, "tol": st.tol, "max_epochs": st.max_epochs, "seeds": st.seeds,
            "seed": st.seed, "tune_seeds": st.tuning_seeds, "quick": st.quick, "alpha_grid": list(ALPHA_GRID),
            "beta_grid": list(BETA_GRID), "checks_per_epoch": st.checks_per_epoch,
            "sampling": "without replacement, a fresh shuffle every epoch", "w0": "zeros", "tuning_rule": rule}


def assemble(ctx, runs: dict) -> dict:
    """The results dict (before rounding); ``runs[(method, b)] = (tuned, outs, horizon)``."""
    from numeric.sgd.tuning import __doc__ as rule_doc
    st, n = ctx.st, ctx.problem.n
    entries = [run_entry(ctx, m, b, *runs[(m, b)]) for b in sorted({b for _, b in runs}) for m in ("sgd", "hb")
               if (m, b) in runs]
    fits = {m: fit_epochs([(e["batch"], e["epochs_median"]) for e in entries if e["method"] == m], n)
            for m in ("sgd", "hb")}
    rule = " ".join(rule_doc.split("\n\n")[1].split())
    problem = {"f_star": ctx.f_star, "f0": ctx.problem.value(np.zeros(ctx.problem.d)),
               "newton_iterations": ctx.extra["newton_iterations"], "grad_norm_at_w_star": ctx.extra["grad_norm"],
               **ctx.consts}
    return {"schema": "hw6.sgd.results/1", "settings": _settings(st, rule), "problem": problem, "runs": entries,
            "table": _table(entries, n, st.seeds), "noise": _noise(ctx, fits), "figures": {}}


def _fmt(v, spec=".3g"):
    return "-" if v is None else format(v, spec)


def _cell(c) -> str:
    if c["epochs_median"] is None:
        return f"not converged (0/{c['seeds']})"
    s = f"{_fmt(c['epochs_median'])} [{_fmt(c['epochs_min'])}, {_fmt(c['epochs_max'])}]"
    return s if c["converged"] == c["seeds"] else s + f" ({c['converged']}/{c['seeds']})"


def print_table(results: dict, fh) -> None:
    """The epochs-to-convergence table (medians [min, max] over seeds) and the gradient steps."""
    p, st = results["problem"], results["settings"]
    fh.write(f"F* = {p['f_star']:.10g} (Newton, {p['newton_iterations']} iterations, |grad| = "
             f"{p['grad_norm_at_w_star']:.1e}); L = {p['L']:.4g}, mu = {p['mu']:.4g}, kappa = {p['kappa']:.4g}; "
             f"local kappa = {p['kappa_local']:.4g}\n")
    fh.write(f"epochs T n'/n to F - F* <= {st['tol']:g} (F(w0) - F*), median [min, max] over {st['seeds']} seeds\n")
    head = f"{'n':>10s} | {'alpha':>8s} {'SGD/GD epochs':>26s} {'steps':>8s} | {'alpha':>8s} {'beta':>6s} " \
           f"{'heavy-ball epochs':>26s} {'steps':>8s} | {'speedup':>7s}\n"
    fh.write(head)
    fh.write("-" * (len(head) - 1) + "\n")
    for r in results["table"]:
        s, h = r["sgd"], r["hb"]
        fh.write(f"{r['label']:>10s} | {_fmt(s['alpha']):>8s} {_cell(s):>26s} {_fmt(s['steps_median'], '.0f'):>8s} | "
                 f"{_fmt(h['alpha']):>8s} {_fmt(h['beta'], '.3g'):>6s} {_cell(h):>26s} "
                 f"{_fmt(h['steps_median'], '.0f'):>8s} | {_fmt(r['speedup'], '.2f'):>7s}\n")
    for m, f in results["noise"]["fit"].items():
        if f["ok"]:
            fh.write(f"fit {m}: E(B) = {f['E_min']:.3g} (1 + B / {f['B_noise']:.3g})\n")
        else:
            fh.write(f"fit {m}: {f['note']}\n")
    bs = results["noise"]["b_simple_at_tol"]
    if bs is not None:
        fh.write(f"B_simple = tr(Sigma)/|G|^2 at gap = tol: {bs:.3g}\n")

"""Problem 1 from ``DIR/sgd/results.json`` (schema ``hw6.sgd.results/3``): the table of
epochs to convergence and the facts and claims the prose of 1.a and 1.b quotes and branches on.

numeric/ writes facts only (numbers, enumerated outcomes and reasons); every sentence of
Problem 1, the figure captions included, is written here or in the templates, and every
finding is a predicate of :mod:`report.sections.sgd_claims`."""
from __future__ import annotations

import math

from report.sections import sgd_claims as claims
from report.sections.base import figure_list, unavailable
from report.tex import Tex, escape, num

__all__ = ["sgd_section", "CAPTIONS", "REASONS", "STATUS", "F_STAR_DIGITS"]

F_STAR_DIGITS = 12  # F* to 12 significant digits: comparable with an independent solve at 1e-9

REASONS = {
    "all-diverged": "every seed diverged for",
    "floor-above-tol": "a floor above the tolerance (the gap reached it and came back above it) for",
    "noise-floor": "the noise floor of a constant step (the gap levelled off above the tolerance) for",
    "budget": "the epoch budget (the gap was still falling when it ran out) for",
}
STATUS = {"floor-above-tol": "floor", "not-converged": "no", "diverged": "div.", "partial": "", "converged": ""}

CAPTIONS = {
    "sgd_curves": Tex(r"Learning curves: the relative suboptimality $(F-F^\star)/(F(w_0)-F^\star)$ against "
                      r"epochs, one panel per batch size: constant-step SGD (GD), the tuned heavy ball, the "
                      r"decreasing step $\alpha_0/(1+t/t_0)$ and heavy ball at SGD's effective step (dashed, the "
                      r"best $\beta$); for GD also Polyak's $(\alpha^\star,\beta^\star)$. Median over the seeds, band "
                      r"from the smallest to the largest; a run ends when its convergence is confirmed; dotted "
                      r"line: the tolerance."),
    "sgd_vs_batch": Tex(r"Epochs (left) and gradient steps $T$ (right) to a confirmed convergence against the "
                        r"batch size (log-log), median with the range over the seeds; GD is marked by a square. "
                        r"Dashed: the fit $E(B)=E_{\min}(1+B/B_{\mathrm{noise}})$ to constant-step SGD, and "
                        r"$S(B)=E_{\min}\,n/B\,(1+B/B_{\mathrm{noise}})$; shaded: the bootstrap range of "
                        r"$B_{\mathrm{noise}}$; dotted: the crossover $b^\star$ at the tolerance."),
}

SAMPLING = {"shuffle-each-epoch": "without replacement, with a fresh shuffle every epoch"}


def _figures(stems: list, figures: list) -> list[dict]:
    """The figures of ``stems`` that this build has, with the captions written here."""
    have = [s for s in stems if s in {f.stem for f in figures}]
    entries = figure_list(have, figures, {})
    for s, e in zip(have, entries):
        e["caption"] = CAPTIONS.get(s, Tex(escape(s.replace("_", " "))))
    return entries


def _data_sentence(st: dict) -> Tex:
    if st.get("data", "synthetic") != "synthetic":
        return Tex(f"The data are the {num(st.get('n'))} rows and {num(st.get('d'))} features of "
                   f"\\texttt{{{escape(st.get('data'))}}}.")
    labels = ("labels drawn from a logistic model" if st.get("objective", "logistic") == "logistic"
              else "responses from a linear model with Gaussian noise")
    return Tex(f"The data are {num(st.get('n'))} synthetic samples with $d={num(st.get('d'))}$ Gaussian features "
               f"whose covariance has condition number {num(st.get('cond'))}, and {labels}.")


def _grid(values: list) -> Tex:
    """A tuning grid in words: ``16 values from 2.44e-4 to 8, a factor 2 apart``."""
    vals = sorted(v for v in values if isinstance(v, (int, float)) and v > 0)
    if len(vals) < 3:
        return Tex(", ".join(str(num(v)) for v in vals))
    ratios = [b / a for a, b in zip(vals, vals[1:])]
    step = f", a factor {num(ratios[0])} apart" if max(ratios) / min(ratios) < 1.01 else ""
    return Tex(f"{len(vals)} values from {num(vals[0])} to {num(vals[-1])}{step}")


def _epochs_cell(m: dict | None) -> Tex:
    """``median [min, max]``, with ``(k/seeds)`` when not every seed converged."""
    if not m:
        return Tex("--")
    med, seeds, conv = m.get("epochs_median"), m.get("seeds"), m.get("converged")
    if med is None:
        return Tex(STATUS.get(m.get("status"), "not converged") or "not converged")
    lo, hi = m.get("epochs_min"), m.get("epochs_max")
    out = str(num(med))
    if lo is not None and hi is not None and lo != hi:
        out += f" {{\\scriptsize[{num(lo)}, {num(hi)}]}}"
    if seeds and conv is not None and conv < seeds:
        out += f" ({conv}/{seeds})"
    return Tex(out)


def _nprime(b, res) -> Tex:
    return Tex("n" if b >= res["settings"]["n"] else str(num(b)))


def _list(items: list) -> Tex:
    items = [str(i) for i in items]
    if len(items) <= 2:
        return Tex(" and ".join(items))
    return Tex(", ".join(items[:-1]) + ", and " + items[-1])


def _at(bs: list, res) -> Tex:
    """``$n'=1$``, ``$n'=1$ and $10$``, ``$n'=1$, $10$, and $100$``."""
    items = [f"${_nprime(b, res)}$" for b in bs]
    items[0] = "$n'=" + items[0][1:]
    return _list(items)


def _rows(res: dict) -> list:
    rows = []
    for r in res["table"]:
        rows.append({"label": Tex("GD") if r["is_gd"] else num(r["batch"]),
                     "sgd_alpha": num(r["sgd"]["alpha"]), "sgd": _epochs_cell(r["sgd"]),
                     "hb_alpha": num(r["hb"]["alpha"]), "hb_beta": num(r["hb"]["beta"]), "hb": _epochs_cell(r["hb"]),
                     "dec_alpha": num(r["dec"]["alpha"]), "dec_t0": num(r["dec"]["t0_epochs"]),
                     "dec": _epochs_cell(r["dec"]), "eff": [_epochs_cell(c) for c in r["hbeff"]]})
    return rows


def _decomposition(res: dict) -> list:
    """Per minibatch size: SGD, heavy ball at SGD's effective step (best beta), tuned heavy ball."""
    out = []
    for b in claims.minibatches(res):
        s, h = claims.cell(res, "sgd", b), claims.cell(res, "hb", b)
        e = claims.best_effective(res, b)
        sg, hb, ef = s.get("epochs_median"), h.get("epochs_median"), e.get("epochs_median")
        gain = sg and hb and ef and hb <= claims.MARGIN * sg  # a speed-up worth splitting
        share = math.log(sg / ef) / math.log(sg / hb) if gain else None
        out.append({"b": _nprime(b, res), "sgd": sg, "hb": hb, "eff": ef, "eff_beta": e.get("beta"),
                    "share": Tex(f"{num(100 * share, 2)}\\,\\%") if share is not None else None,
                    "beyond": claims.momentum_beyond_step(res, b), "step": claims.gain_is_step(res, b)})
    return out


def _facts(res: dict) -> dict:
    """The numbers the prose quotes."""
    table = res["table"]
    mini = [r for r in table if not r["is_gd"]]
    gd = next((r for r in table if r["is_gd"]), None)
    f = {"gd": gd["sgd"]["epochs_median"] if gd else None, "hb_gd": gd["hb"]["epochs_median"] if gd else None,
         "polyak_gd": (gd.get("polyak") or {}).get("epochs_median") if gd else None,
         "gd_alpha": gd["sgd"]["alpha"] if gd else None, "hb_gd_alpha": gd["hb"]["alpha"] if gd else None,
         "hb_gd_beta": gd["hb"]["beta"] if gd else None}
    first = mini[0] if mini else None
    f["first_b"] = first["batch"] if first else None
    f["sgd1"] = first["sgd"]["epochs_median"] if first else None
    f["ratio_gd_sgd1"] = f["gd"] / f["sgd1"] if f["gd"] and f["sgd1"] else None
    done = [r for r in mini if r["sgd"]["epochs_median"] is not None]
    if done:
        lo = min(r["sgd"]["epochs_median"] for r in done)
        f["best_bs"] = [r["batch"] for r in done if r["sgd"]["epochs_median"] == lo]
        f["best_epochs"] = lo
    else:
        f["best_bs"], f["best_epochs"] = [], None
    f["converged_bs"] = [r["batch"] for r in done]
    rates = {m: (claims.run(res, f"{m}-gd").get("rate") or {}) for m in ("sgd", "hb", "polyak")}
    f["rates"] = {m: {"predicted": r.get("predicted"), "fitted": r.get("fitted")} for m, r in rates.items()}
    fit = (res["noise"].get("fit") or {}).get("sgd") or {}
    f["fit"] = fit if fit.get("ok") else None
    f["fit_range"] = fit.get("B_noise_range") if fit.get("ok") and (fit.get("B_noise_range") or [None])[0] else None
    f["fit_verdict"] = fit.get("verdict")
    f["bsimple"] = [q for q in res["noise"].get("b_simple") or [] if q.get("b_simple") is not None]
    f["nonconv"] = [(r["key"], r["method"], r["batch"], r["converged"], r["reason"]) for r in res["runs"]
                    if r["reason"] and r["method"] in ("sgd", "hb", "dec", "polyak")]
    return f


def _nonconverged(res: dict) -> Tex:
    """Runs where not every seed converged, grouped by the reason: ``with a floor above the
    tolerance (...): SGD at $n'=1$ (0 of 3 seeds), ...``."""
    names = {"sgd": "SGD", "hb": "heavy ball", "dec": "the decreasing step", "polyak": "Polyak's heavy ball"}
    groups: dict = {}
    for key, m, b, conv, reason in _facts(res)["nonconv"]:
        name = "GD" if m == "sgd" and b >= res["settings"]["n"] else names[m]
        groups.setdefault(reason, []).append(f"{name} at $n'={_nprime(b, res)}$ ({num(conv)} of "
                                             f"{num(res['settings']['seeds'])} seeds)")
    return Tex("; ".join(f"{REASONS[r]} {_list(runs)}" for r, runs in groups.items()))


def sgd_section(o, figures: list) -> dict:
    """Problem 1 from ``DIR/sgd/results.json`` (schema ``hw6.sgd.results/3``)."""
    if o is None or not o.ok:
        return unavailable(o, "SGD experiment")
    res = o.data
    st, pr = res["settings"], res["problem"]
    tuning = st["tuning"]
    p = {"data_sentence": _data_sentence(st), "lam": st["l2"], "L": pr.get("L"), "mu": pr.get("mu"),
         "kappa": pr.get("kappa"), "kappa_local": pr.get("kappa_local"), "L_local": pr.get("L_local"),
         "mu_local": pr.get("mu_local"), "polyak_alpha": pr.get("polyak_alpha"), "polyak_beta": pr.get("polyak_beta"),
         "f_star": num(pr.get("f_star"), F_STAR_DIGITS), "tol": st["tol"], "seeds": st["seeds"], "seed": st["seed"],
         "quick": st["quick"], "sampling": SAMPLING.get(st["sampling"], st["sampling"]),
         "checks_per_epoch": st["checks_per_epoch"], "max_epochs": st["max_epochs"],
         "alpha_grid": _grid(st["alpha_grid"]), "beta_grid": Tex(", ".join(num(b) for b in st["beta_grid"])),
         "tune_seeds": len(st["tune_seeds"]), "betas": [num(b) for b in st["beta_grid"]], "t0_grid": _list([num(t) for t in tuning["t0_epochs"]]),
         "window_epochs": tuning["window_epochs"], "window_pct": Tex(f"{num(100 * tuning['window_fraction'])}\\,\\%"),
         "degenerate": res.get("degenerate")}
    if res.get("degenerate"):
        return {"ok": True, "why": "", "p": p, "rows": [], "f": {"gd": None, "sgd1": None, "hb_gd": None}, "c": {},
                "figs_a": _figures(["sgd_vs_batch"], figures), "figs_b": []}
    c = claims.all_claims(res)
    cl = {k: (_at(v, res) if isinstance(v, list) and v else v) for k, v in c.items()}
    cl["raw"] = c
    cl.update(MARGIN=claims.MARGIN, GROWTH=claims.GROWTH, FLOOR_RATIO=claims.FLOOR_RATIO,
              RATE_TOLERANCE=claims.RATE_TOLERANCE)
    cl["floor_not"] = _at([b for b in claims.minibatches(res) if b not in c["floor_above_tol"]], res) \
        if len(c["floor_above_tol"]) < len(claims.minibatches(res)) else None
    cl["dec_not"] = _at([b for b in c["floor_above_tol"] if b not in c["decreasing_beats_floor"]], res) \
        if len(c["decreasing_beats_floor"]) < len(c["floor_above_tol"]) else None
    f = _facts(res)
    f["nonconv_text"] = _nonconverged(res)
    f["best_at"] = _at(f["best_bs"], res) if f["best_bs"] else None
    f["decomp"] = _decomposition(res)
    figs_a = _figures(["sgd_vs_batch"], figures)
    figs_b = _figures(["sgd_curves"], figures)
    return {"ok": True, "why": "", "p": p, "rows": _rows(res), "f": f, "c": cl, "figs_a": figs_a, "figs_b": figs_b}

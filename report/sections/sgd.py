"""Problem 1 from ``DIR/sgd/results.json`` (schema ``hw6.sgd.results/2``): the table of
epochs to convergence and the facts the prose of 1.a and 1.b quotes and branches on.

numeric/ writes facts only (numbers, enumerated verdicts and reasons); every sentence of
Problem 1, the figure captions included, is written here or in the templates."""
from __future__ import annotations

import math

from report.sections.base import figure_list, unavailable
from report.tex import Tex, escape, num, sci

__all__ = ["sgd_section"]


def _epochs_cell(m: dict) -> Tex:
    """``median [min, max]`` epochs, with ``(k/seeds)`` when not every seed converged."""
    med, seeds, conv = m.get("epochs_median"), m.get("seeds"), m.get("converged")
    if med is None:
        return Tex(f"not converged ({conv or 0}/{seeds})" if seeds else "not converged")
    lo, hi = m.get("epochs_min"), m.get("epochs_max")
    cell = str(num(med))
    if lo is not None and hi is not None and lo != hi:
        cell += f" {{\\scriptsize[{num(lo)}, {num(hi)}]}}"
    if seeds and conv is not None and conv < seeds:
        cell += f" ({conv}/{seeds})"
    return Tex(cell)


def _grid(values: list) -> Tex:
    """A tuning grid in words: ``16 values from 2.44e-4 to 8, a factor 2 apart``."""
    vals = sorted(v for v in values if isinstance(v, (int, float)) and v > 0)
    if len(vals) < 3:
        return Tex(", ".join(str(num(v)) for v in vals))
    ratios = [b / a for a, b in zip(vals, vals[1:])]
    step = f", a factor {num(ratios[0])} apart" if max(ratios) / min(ratios) < 1.01 else ""
    return Tex(f"{len(vals)} values from {num(vals[0])} to {num(vals[-1])}{step}")


def _times(x) -> Tex:
    return Tex(f"{num(x)}$\\times$") if isinstance(x, (int, float)) else Tex("--")


def _batch_math(r: dict) -> Tex:
    return Tex("n" if r.get("is_gd") else str(r["batch"]))


def _rate_ratio(kappa) -> float | None:
    """Iterations of GD over heavy ball at the asymptotic rates for condition number kappa:
    ln((sqrt k - 1)/(sqrt k + 1)) / ln((k - 1)/(k + 1)) (Polyak 1964)."""
    if not isinstance(kappa, (int, float)) or kappa <= 1:
        return None
    r = math.sqrt(kappa)
    return math.log((r - 1) / (r + 1)) / math.log((kappa - 1) / (kappa + 1))


def _row_facts(table: list) -> dict:
    """Epochs, steps and step sizes at the smallest and largest batch and for GD."""
    mini = [r for r in table if not r.get("is_gd")]
    gd = next((r for r in table if r.get("is_gd")), None)
    first, last = (mini[0] if mini else None), (mini[-1] if mini else None)
    get = lambda r, m, k: ((r or {}).get(m) or {}).get(k)
    f = {"sgd1": get(first, "sgd", "epochs_median"), "hb1": get(first, "hb", "epochs_median"),
         "speed1": (first or {}).get("speedup"), "gd": get(gd, "sgd", "epochs_median"),
         "hb_gd": get(gd, "hb", "epochs_median"), "speed_gd": (gd or {}).get("speedup"),
         "beta_gd": get(gd, "hb", "beta"),
         "first_batch": (first or {}).get("batch"), "last_batch": (last or {}).get("batch"),
         "max_batch": (last or {}).get("batch"), "e_max_batch": get(last, "sgd", "epochs_median"),
         "steps_first": get(first, "sgd", "steps_median"), "steps_last": get(last, "sgd", "steps_median"),
         "alpha_first": get(first, "sgd", "alpha"), "alpha_last": get(last, "sgd", "alpha")}
    f["ratio_gd_sgd1"] = f["gd"] / f["sgd1"] if f["gd"] and f["sgd1"] else None
    a, b = get(first, "hb", "alpha"), get(first, "hb", "beta")
    f["eff1"] = a / (1 - b) if a and b is not None and b < 1 else None
    done = [r for r in mini if get(r, "sgd", "epochs_median") is not None]
    best = min(done, key=lambda r: r["sgd"]["epochs_median"]) if done else None
    f["best_batch"], f["best_epochs"] = (best["batch"], best["sgd"]["epochs_median"]) if best else (None, None)
    return f


def _momentum_facts(table: list, problem: dict) -> dict:
    """Heavy ball's speed-ups per batch size, and what Polyak's theory predicts for GD."""
    kappa = problem.get("kappa_local")
    ups = [(r, r.get("speedup")) for r in table if isinstance(r.get("speedup"), (int, float))]
    vals = [x for _, x in ups]
    return {"polyak_beta": problem.get("polyak_beta"), "kappa_local": kappa,
            "sqrt_kappa": kappa ** 0.5 if isinstance(kappa, (int, float)) else None,
            "predicted_speed_gd": _rate_ratio(kappa),
            "speedups": Tex(", ".join(f"{_times(x)} at $n'={_batch_math(r)}$" for r, x in ups)),
            "grows": len(vals) >= 2 and vals[-1] > 1.2 * vals[0]
                     and all(b >= 0.85 * a for a, b in zip(vals, vals[1:]))}


REASONS = {
    "all-diverged": "every seed diverged",
    "budget": "still decreasing when the epoch budget ran out",
    "noise-floor": "the gap levels off above the tolerance: the noise floor of a constant step",
    "hovers-at-floor": "the gap reaches the tolerance only now and then: it hovers at the noise floor",
}

CAPTIONS = {
    "sgd_curves": Tex(r"Learning curves: the relative suboptimality $(F-F^\star)/(F(w_0)-F^\star)$ against "
                      r"epochs, one panel per batch size, SGD (GD) and heavy ball with their tuned step sizes; "
                      r"median over the seeds, band from the smallest to the largest; dotted line: the tolerance."),
    "sgd_epochs_vs_batch": Tex(r"Epochs to convergence against the batch size (log-log), SGD and heavy ball, GD "
                               r"marked by a square; dashed: the fit $E(B)=E_{\min}(1+B/B_{\mathrm{noise}})$; "
                               r"dotted: the gradient-noise scale $B_{\mathrm{simple}}$ measured at the tolerance."),
    "sgd_steps_vs_batch": Tex(r"Gradient steps $T$ to convergence against the batch size (log-log); dashed: "
                              r"$S(B)=S_{\min}(1+B_{\mathrm{noise}}/B)$ from the same fit."),
}


def _figures(stems: list, figures: list) -> list[dict]:
    """The figures of ``stems`` that this build has, with the captions written here."""
    have = [s for s in stems if s in {f.stem for f in figures}]
    entries = figure_list(have, figures, {})
    for s, e in zip(have, entries):
        e["caption"] = CAPTIONS.get(s, Tex(escape(s.replace("_", " "))))
    return entries


def _data_sentence(st: dict) -> Tex:
    """What the data are, from the settings."""
    if st.get("data", "synthetic") != "synthetic":
        return Tex(f"The data are the {num(st.get('n'))} rows and {num(st.get('d'))} features of "
                   f"\\texttt{{{escape(st.get('data'))}}}.")
    labels = ("labels drawn from a logistic model" if st.get("objective", "logistic") == "logistic"
              else "responses from a linear model with Gaussian noise")
    return Tex(f"The data are {num(st.get('n'))} synthetic samples with $d={num(st.get('d'))}$ Gaussian features "
               f"whose covariance has condition number {num(st.get('cond'))}, and {labels}.")


SAMPLING = {"shuffle-each-epoch": "without replacement, with a fresh shuffle every epoch"}


def _nonconverged(table: list, runs: list) -> Tex:
    """``SGD at n'=1, 4 of 5 seeds (reason)``; ... for every cell where a seed failed."""
    reasons = {r.get("key"): REASONS.get(r.get("reason")) for r in runs if r.get("reason")}
    bad = []
    for r in table:
        for m in ("sgd", "hb"):
            cell = r.get(m) or {}
            if cell.get("seeds") and (cell.get("converged") or 0) < cell["seeds"]:
                name = "heavy ball" if m == "hb" else ("GD" if r.get("is_gd") else "SGD")
                why = reasons.get(f"{m}-{'gd' if r.get('is_gd') else r['batch']}")
                bad.append(f"{name} at $n'={_batch_math(r)}$, {cell.get('converged') or 0} of {cell['seeds']} seeds"
                           + (f" ({escape(why)})" if why else ""))
    return Tex("; ".join(bad))


def _noise_facts(noise: dict) -> dict:
    """The fitted E_min and B_noise, and B_simple along a run (McCandlish et al. 2018)."""
    fit = (noise.get("fit") or {}).get("sgd") or {}
    fit_hb = (noise.get("fit") or {}).get("hb") or {}
    path = [b for b in noise.get("b_simple") or [] if isinstance(b.get("b_simple"), (int, float))]
    vals = [b["b_simple"] for b in path]
    return {"fit_emin": fit.get("E_min") if fit.get("ok") else None,
            "fit_bnoise": fit.get("B_noise") if fit.get("ok") else None,
            "fit_bnoise_hb": fit_hb.get("B_noise") if fit_hb.get("ok") else None,
            "bsimple": noise.get("b_simple_at_tol"),
            "bsimple_grows": len(vals) > 1 and all(b > a for a, b in zip(vals, vals[1:])),
            "bsimple_path": Tex(", ".join(f"{num(b['b_simple'])} at gap {num(b['gap'])}" for b in path))
                            if len(path) > 1 else None}


def _sgd_facts(table: list, problem: dict, noise: dict, runs: list, tol=None) -> dict:
    """The numbers the Problem 1 prose quotes, and the comparisons it branches on."""
    return {**_row_facts(table), **_momentum_facts(table, problem), **_noise_facts(noise),
            **_floors(runs, tol), "nonconv": _nonconverged(table, runs)}


def _floors(runs: list, tol) -> dict:
    """Where the tuned constant-step runs level off (median gap over the last fifth), and
    whether that is within a factor 10 of the tolerance."""
    by_key = {r.get("key"): r for r in runs}
    mini = [r for r in runs if r.get("method") == "sgd" and r.get("key") != "sgd-gd"
            and isinstance(r.get("floor"), (int, float))]
    return {"floors": Tex(", ".join(f"{sci(r['floor'])} at $n'={r['batch']}$" for r in mini)) if mini else None,
            "floors_near_tol": bool(mini) and isinstance(tol, (int, float)) and tol > 0
                               and all(tol / 10 <= r["floor"] <= 10 * tol for r in mini),
            "floor_gd": (by_key.get("sgd-gd") or {}).get("floor"),
            "floor_hb_gd": (by_key.get("hb-gd") or {}).get("floor")}


def sgd_section(o, figures: list) -> dict:
    """Problem 1 from ``DIR/sgd/results.json`` (schema ``hw6.sgd.results/2``)."""
    if o is None or not o.ok:
        return unavailable(o, "SGD experiment")
    data = o.data
    st, pr, table = data["settings"], data["problem"], data["table"]
    noise = data.get("noise") or {}
    p = {"data_sentence": _data_sentence(st), "lam": st.get("l2"), "L": pr.get("L"),
         "mu": pr.get("mu"), "kappa": pr.get("kappa"), "kappa_local": pr.get("kappa_local"),
         "f_star": pr.get("f_star"), "tol": st.get("tol"), "seeds": st.get("seeds"), "seed": st.get("seed"),
         "quick": st.get("quick"),
         "sampling": SAMPLING.get(st.get("sampling"), st.get("sampling")), "checks_per_epoch": st.get("checks_per_epoch"),
         "max_epochs": st.get("max_epochs"),
         "alpha_grid": _grid(st.get("alpha_grid") or []),
         "beta_grid": Tex(", ".join(num(b) for b in st.get("beta_grid") or [])),
         "tune_seeds": len(st.get("tune_seeds") or [])}
    rows = [{"label": Tex("GD ($n'=n$)") if r.get("is_gd") else Tex(str(r["batch"])),
             "sgd_alpha": num(r["sgd"].get("alpha")), "sgd_epochs": _epochs_cell(r["sgd"]),
             "hb_alpha": num(r["hb"].get("alpha")), "hb_beta": num(r["hb"].get("beta")),
             "hb_epochs": _epochs_cell(r["hb"]), "speedup": _times(r.get("speedup"))} for r in table]
    f = _sgd_facts(table, pr, noise, data.get("runs") or [], st.get("tol"))
    figs_a = _figures(["sgd_epochs_vs_batch", "sgd_steps_vs_batch"], figures)
    figs_b = _figures(["sgd_curves"], figures)
    known = {"sgd_epochs_vs_batch", "sgd_steps_vs_batch", "sgd_curves"}
    figs_b += _figures([g.stem for g in figures if g.stem not in known], figures)
    f["curves_label"] = figs_b[0]["label"] if figs_b and figs_b[0]["path"].endswith(("curves.pdf", "curves.png")) else None
    return {"ok": True, "why": "", "p": p, "rows": rows, "f": f, "figs_a": figs_a, "figs_b": figs_b}

"""Problem 1 from ``DIR/sgd/results.json`` (schema ``hw6.sgd.results/3``): the table of
epochs to convergence and the facts and claims the prose of 1.a and 1.b quotes and branches on.

numeric/ writes facts only (numbers, enumerated outcomes and reasons); every sentence of
Problem 1, the figure captions included, is written here or in the templates, and every
finding is a predicate of :mod:`report.sections.sgd_claims`."""
from __future__ import annotations

import math

from common import numfmt
from report.sections import sgd_claims as claims
from report.sections.base import figure_list, unavailable
from report.tex import Tex, escape, fixed, num

__all__ = ["sgd_section", "CAPTIONS", "REASONS", "STATUS", "F_STAR_DIGITS", "vs_batch_caption", "epochs", "step_size",
           "noise_scale", "OUTCOME_WORDS"]

F_STAR_DIGITS = 6  # F* as printed (results.json keeps it at full double precision)

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
                      r"from the smallest to the largest; each curve ends where its convergence is confirmed on the "
                      r"slowest seed (the end of the confirmation window); dotted line: the tolerance."),
}

VS_BATCH = (r"Epochs (left, linear scale) and gradient steps $T$ (right, log scale) to a confirmed convergence "
            r"against the batch size (log scale), median with the range over the seeds; GD is marked by a square.")
FIT_WORDS = {"sgd": "constant-step SGD", "hb": "the tuned heavy ball", "dec": "the decreasing step"}


def vs_batch_caption(res: dict) -> Tex:
    """The caption of ``sgd_vs_batch``: what :func:`numeric.sgd.figures.vs_batch` draws for these
    results (a dashed fit line only for a method whose fit exists, the dotted crossover only
    where b* was measured)."""
    fits = [m for m in ("sgd", "hb", "dec") if (((res.get("noise") or {}).get("fit") or {}).get(m) or {}).get("ok")]
    out = VS_BATCH
    if fits:
        out += (r" Dashed, in the method's colour: the fit $E(B)=E_{\min}(1+B/B_{\mathrm{noise}})$ to the medians "
                r"of " + _list([FIT_WORDS[m] for m in fits]) + r" over the minibatch sizes (GD left out), and "
                r"$S(B)=E(B)\,n/B$.")
    if (res.get("noise") or {}).get("b_crit_at_tol") is not None:
        out += r" Dotted: the crossover $b^\star$ at the tolerance."
    return Tex(out)


OUTCOME_WORDS = {
    "converged": "converged on every tuning seed, in no fewer epochs",
    "partly": "converged on some tuning seeds but not on the worst",
    "floor": "stalled at a floor just above the tolerance",
    "reached": "reached the tolerance but did not stay below it",
    "no-progress": "made no progress to the tolerance",
    "pruned": "was stopped once it could not beat the best step so far",
}

SAMPLING = {"shuffle-each-epoch": "without replacement, with a fresh shuffle every epoch"}


def _figures(stems: list, figures: list, res: dict | None = None) -> list[dict]:
    """The figures of ``stems`` that this build has, with the captions written here."""
    have = [s for s in stems if s in {f.stem for f in figures}]
    entries = figure_list(have, figures, {})
    captions = {**CAPTIONS, "sgd_vs_batch": vs_batch_caption(res or {})}
    for s, e in zip(have, entries):
        e["caption"] = captions.get(s, Tex(escape(s.replace("_", " "))))
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


def epochs(x, decimals: int | None = None) -> Tex:
    """Epochs as printed everywhere in Problem 1: with one decimal (a check every fifth of an
    epoch resolves it), or as an integer when ``x`` is one and ``decimals`` is not 1
    (GD: one iteration per epoch).

    >>> epochs(30.0), epochs(29.4), epochs(30.0, 1)
    ('$30$', '$29.4$', '$30.0$')
    """
    if x is None:
        return Tex("--")
    return fixed(x, (0 if float(x).is_integer() else 1) if decimals is None else decimals)


def _decimals(*xs) -> int:
    return 0 if all(float(x).is_integer() for x in xs if x is not None) else 1


def step_size(x, digits: int = 3) -> Tex:
    """A step size in fixed notation with ``digits`` significant digits, so that a column of
    steps from 10^-4 to 10^2 reads alike.

    >>> step_size(1.93809e-4), step_size(1.40333), step_size(15.8769)
    ('$0.000194$', '$1.40$', '$15.9$')
    """
    if x is None or not x > 0:
        return num(x)
    return fixed(x, max(0, digits - 1 - math.floor(math.log10(x))))


def noise_scale(x, digits: int = 2, sci: bool | None = None) -> Tex:
    """A critical batch size or noise scale, to 2 significant digits (a fit over a few batch
    sizes resolves no more); the crossover b* takes 3, and the B_simple it is computed from 4, so
    that b* = n B_simple / (n - 1 + B_simple) recomputes from the printed values; scientific
    from 10^4 on (or as ``sci`` says), as in the figure legend; for math mode.

    >>> noise_scale(11157.5), noise_scale(8765.08), noise_scale(14.4984), noise_scale(1023.4, 3)
    ('1.1\\\\times 10^{4}', '8800', '14', '1020')
    """
    if x is None or not x > 0:
        return num(x)
    sci = x >= 1e4 if sci is None else sci
    return Tex(numfmt.latex(float(f"{x:.{digits}g}"), digits, "sci" if sci else "auto").strip("$"))


def noise_range(lo, hi) -> list:
    """The two ends of a bootstrap range in one notation (both scientific if the top is
    from 10^4 on).

    >>> noise_range(8765.1, 20012.0)
    ['8.8\\\\times 10^{3}', '2.0\\\\times 10^{4}']
    """
    sci = hi is not None and hi >= 1e4
    return [noise_scale(lo, sci=sci), noise_scale(hi, sci=sci)]


def _epochs_cell(m: dict | None, gd: bool = False) -> Tex:
    """``median [min, max]`` with the same number of decimals, and ``(k/seeds)`` when not every
    seed converged."""
    if not m:
        return Tex("--")
    med, seeds, conv = m.get("epochs_median"), m.get("seeds"), m.get("converged")
    if med is None:
        return Tex(STATUS.get(m.get("status"), "not converged") or "not converged")
    lo, hi = m.get("epochs_min"), m.get("epochs_max")
    dec = _decimals(med, lo, hi) if gd else 1
    out = str(epochs(med, dec))
    if lo is not None and hi is not None and lo != hi:
        out += f" {{\\scriptsize[{epochs(lo, dec)}, {epochs(hi, dec)}]}}"
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
        b, gd = r["batch"], r["is_gd"]
        speed = r["sgd"]["epochs_median"] / r["hb"]["epochs_median"] \
            if r["sgd"]["epochs_median"] and r["hb"]["epochs_median"] else None
        share = claims.momentum_share(res, b)
        rows.append({"label": Tex("GD") if r["is_gd"] else num(b),
                     "sgd_alpha": step_size(r["sgd"]["alpha"]), "sgd": _epochs_cell(r["sgd"], gd),
                     "hb_alpha": step_size(r["hb"]["alpha"]), "hb_beta": num(r["hb"]["beta"]), "hb": _epochs_cell(r["hb"], gd),
                     "dec_alpha": step_size(r["dec"]["alpha"]), "dec_t0": num(r["dec"]["t0_epochs"]),
                     "dec": _epochs_cell(r["dec"], gd), "eff": [_epochs_cell(c, gd) for c in r["hbeff"]],
                     "speedup": num(speed, 3, zeros=True) if speed else Tex("--"),
                     "share": Tex(f"{num(100 * share, 2)}\\,\\%") if share is not None else Tex("--")})
    return rows


def _med(res, method, b):
    return claims.cell(res, method, b).get("epochs_median")


def _nums(values, digits: int = 3) -> Tex:
    """``0.43, 0.39, and 0.30``: measured numbers in a sentence, significant zeros kept."""
    return _list([num(v, digits, zeros=True) for v in values])


def _ep(res: dict, b, x) -> Tex:
    """Epochs at batch size b: one decimal for a minibatch, an integer count for GD."""
    return epochs(x, None if b == claims.gd_batch(res) else 1)


def _epochs_list(values) -> Tex:
    return _list([epochs(v, 1) for v in values])


def _span(items: list) -> Tex:
    """``a`` or ``a to b`` (the first and the last of ``items``)."""
    return Tex(str(items[0]) if len(items) == 1 else f"{items[0]} to {items[-1]}")


def _by_outcome(res: dict, b) -> Tex:
    """The larger constant steps SGD's tuning tried at n', grouped by their recorded outcome:
    ``$\\alpha=31.8$ and $22.5$ made no progress to the tolerance, ...``."""
    groups: dict = {}
    for t in claims.tried_steps(res, b):
        o = claims.step_outcome(res, b, t["alpha"])
        if o != "pruned":
            groups.setdefault(o, []).append(t["alpha"])
    return _list([Tex(f"{_alphas(v)} {OUTCOME_WORDS[o]}") for o, v in groups.items()])


def _alphas(values: list, join=None) -> Tex:
    """``$\\alpha=31.8$ and $22.5$`` (``join``: :func:`_list` or :func:`_span`)."""
    items = [str(step_size(v)) for v in values]
    items[0] = "$\\alpha=" + items[0][1:]
    return (join or _list)(items)


def _minibatch_facts(res: dict, c: dict) -> dict:
    """The numbers of 1.a beyond the table: the epochs by batch size, their rise, the fits,
    the decreasing step's ratios."""
    mb = claims.minibatches(res)
    gd = claims.gd_batch(res)
    f = {"mini_at": _at(mb, res) if mb else None, "sgd_epochs": _epochs_list([_med(res, "sgd", b) for b in mb])}
    first4 = mb[:4]
    f["first4_at"] = _at(first4, res) if first4 else None
    f["first4_epochs"] = _epochs_list([_med(res, "sgd", b) for b in first4])
    if c["epochs_rise"]:
        best = min(_med(res, "sgd", b) for b in mb)
        f["rise"] = {"at": _at([mb[-1]], res), "epochs": _ep(res, mb[-1], _med(res, "sgd", mb[-1])),
                     "ratio": num(_med(res, "sgd", mb[-1]) / best, 3), "best": epochs(best, 1)}
    fits = (res["noise"].get("fit") or {})
    sgd_fit = fits.get("sgd") or {}
    if sgd_fit.get("ok") and mb:
        f["growth_at_largest"] = num(1 + mb[-1] / sgd_fit["B_noise"], 3)
        f["largest_at"] = _at([mb[-1]], res)
        bs = res["noise"].get("b_simple_at_tol")
        f["bnoise_over_bsimple"] = num(sgd_fit["B_noise"] / bs, 2) if bs else None
        f["b_simple_at_tol"] = noise_scale(bs, 4)
    dec_fit = fits.get("dec") or {}
    f["fit_dec"] = dec_fit if dec_fit.get("ok") else None
    f["fit_dec_range"] = noise_range(*dec_fit["B_noise_range"]) \
        if dec_fit.get("ok") and (dec_fit.get("B_noise_range") or [None])[0] else None
    f["fit_dec_bnoise"] = noise_scale(dec_fit.get("B_noise")) if dec_fit.get("ok") else None
    f["dec_unresolved"] = "dec" in c["raw"]["growth_unresolved"]
    done = [b for b in mb if claims.all_converged(claims.cell(res, "sgd", b))
            and claims.all_converged(claims.cell(res, "dec", b))] if mb else []
    f["dec_epochs_range"] = (epochs(min(_med(res, "dec", b) for b in done), 1),
                             epochs(max(_med(res, "dec", b) for b in done), 1)) if done else None
    f["dec_ratio_at"] = _at(done, res) if done else None
    f["dec_ratios"] = _nums([_med(res, "dec", b) / _med(res, "sgd", b) for b in done], 2) if done else None
    f["dec_all_faster"] = bool(done) and c["raw"]["decreasing_faster"] == mb
    if gd is not None:
        d, s0 = claims.cell(res, "dec", gd), claims.cell(res, "sgd", gd)
        f["dec_gd"], f["dec_gd_alpha"] = d.get("epochs_median"), d.get("alpha")
        f["dec_gd_ratio"] = num(d["epochs_median"] / s0["epochs_median"], 2) \
            if d.get("epochs_median") and s0.get("epochs_median") else None
    f["gd_limit"] = claims.gd_limit(res)
    rows = [b for b in mb + ([gd] if gd is not None else []) if claims.cell(res, "sgd", b).get("alpha")]
    ratios = [claims.cell(res, "dec", b)["alpha"] / claims.cell(res, "sgd", b)["alpha"] for b in rows]
    f["dec_step_ratio"] = (num(min(ratios), 2), num(max(ratios), 2)) if ratios else None
    f["stalled"] = [{"at": _at([b], res), "steps": _alphas([t["alpha"] for t in reversed(claims.stalled_steps(res, b))], _span),
                     "gaps": _span([num(t["lowest_gap"] / res["settings"]["tol"], 3, zeros=True)
                                    for t in sorted(claims.stalled_steps(res, b), key=lambda t: t["lowest_gap"])])}
                    for b in c["raw"]["larger_step_stalled"]]
    f["stalled_dec_converged"] = bool(c["raw"]["larger_step_stalled"]) and all(
        claims.all_converged(claims.cell(res, "dec", b)) for b in c["raw"]["larger_step_stalled"])
    f["not_stalled"] = [{"at": _at([b], res), "steps": _by_outcome(res, b)}
                        for b in mb if b not in c["raw"]["larger_step_stalled"] and b not in c["raw"]["floor_above_tol"]
                        and claims.tried_steps(res, b)]
    if gd is not None and c["raw"]["gd_stability_limited"]:
        big = [t for t in claims.tried_steps(res, gd) if claims.step_outcome(res, gd, t["alpha"]) != "pruned"]
        f["gd_unstable"] = {"steps": _alphas([t["alpha"] for t in reversed(big)]),
                            "gaps": _nums([t["lowest_gap"] / res["settings"]["tol"] for t in reversed(big)])}
    else:
        f["gd_unstable"] = None
    rej = c["raw"]["sgd_rejected_dec_step"]
    f["dec_rejected_at"] = _at(rej, res) if rej else None
    f["dec_overshoots_at"] = _at([b for m, b in c["raw"]["overshoots"] if m == "dec"], res) \
        if any(m == "dec" for m, _ in c["raw"]["overshoots"]) else None
    return f


def _heavy_ball_facts(res: dict, c: dict) -> dict:
    """The numbers of 1.b's minibatch paragraph: speed-ups, momentum's share, the rejected steps,
    where momentum hurts."""
    raw, f = c["raw"], {}
    fast = raw["hb_faster"]
    f["fast_at"] = _at(fast, res) if fast else None
    f["fast_ratios"] = _nums([_med(res, "hb", b) / _med(res, "sgd", b) for b in fast], 2) if fast else None
    slow = raw["hb_not_faster"]
    f["slow"] = [{"at": _at([b], res), "hb": _ep(res, b, _med(res, "hb", b)), "sgd": _ep(res, b, _med(res, "sgd", b))}
                 for b in slow]
    same = [b for b in raw["hb_same_speed"] if b not in slow]
    f["same"] = [{"at": _at([b], res), "hb": _ep(res, b, _med(res, "hb", b)), "sgd": _ep(res, b, _med(res, "sgd", b))}
                 for b in same]
    beyond = raw["momentum_beyond_step"]
    f["beyond_at"] = _at(beyond, res) if beyond else None
    f["beyond_ratios"] = _nums([claims.best_effective(res, b)["epochs_median"] / _med(res, "sgd", b)
                                for b in beyond], 3) if beyond else None
    shared = [b for b in beyond if claims.momentum_share(res, b) is not None]
    f["beyond_shares"] = _list([Tex(f"{num(100 * claims.momentum_share(res, b), 2)}\\,\\%") for b in shared]) \
        if shared else None
    f["step"] = [{"at": _at([b], res), "eff": _ep(res, b, claims.best_effective(res, b)["epochs_median"]),
                  "sgd": _ep(res, b, _med(res, "sgd", b)),
                  "equal": claims.best_effective(res, b)["epochs_median"] == _med(res, "sgd", b)}
                 for b in raw["gain_is_step"]]
    rej = raw["sgd_rejected_hb_step"]
    f["rejected_at"] = _at(rej, res) if rej else None
    tol = res["settings"]["tol"]
    outcome = {b: claims.step_outcome(res, b, claims.effective_step(res, b)) for b in rej}
    gap = {b: next(t["lowest_gap"] for t in claims.tried_steps(res, b)
                   if abs(t["alpha"] / claims.effective_step(res, b) - 1) < 1e-3) for b in rej}
    f["rejected"] = [{"at": _at([b], res), "step": step_size(claims.effective_step(res, b)), "outcome": outcome[b],
                      "words": OUTCOME_WORDS[outcome[b]], "gap": num(gap[b] / tol, 3, zeros=True)} for b in rej]
    unstable = [b for b in rej if outcome[b] == "no-progress"]
    f["unstable_at"] = _at(unstable, res) if unstable else None
    f["others_at"] = _at([b for b in rej if b not in unstable], res) if unstable and len(unstable) < len(rej) else None
    edge = raw["hb_at_edge"]
    f["edge_epochs"] = _list([_ep(res, b, _med(res, "hb", b)) for b in edge]) if edge else None
    f["edge_speedups"] = _nums([_med(res, "sgd", b) / _med(res, "hb", b) for b in edge
                                if _med(res, "sgd", b) and _med(res, "hb", b)]) if edge else None
    every = [r["batch"] for r in res["table"]]
    sp = [b for b in every if _med(res, "sgd", b) and _med(res, "hb", b)]
    f["speedups_at"] = _at(sp, res) if sp else None
    f["speedups"] = _nums([_med(res, "sgd", b) / _med(res, "hb", b) for b in sp]) if sp else None
    sh = [b for b in every if claims.momentum_share(res, b) is not None]
    f["shares_at"] = _at(sh, res) if sh else None
    f["shares"] = _list([Tex(f"{num(100 * claims.momentum_share(res, b), 2)}\\,\\%") for b in sh]) if sh else None
    f["no_share_at"] = _at([b for b in sp if b not in sh], res) if len(sh) < len(sp) else None
    gd = claims.gd_batch(res)
    f["gd_eff"] = claims.effective_step(res, gd) if gd is not None else None
    f["gd_limit"] = claims.gd_limit(res)
    f["hurts"] = [{"at": _at([b], res), "is_gd": b == gd, "sgd": _ep(res, b, _med(res, "sgd", b)),
                   "cells": _list([Tex(f"with $\\beta={num(x['beta'])}$ needed {_ep(res, b, x['epochs_median'])} epochs "
                                       f"({num(x['epochs_median'] / _med(res, 'sgd', b), 3)} times as many)"
                                       if claims.all_converged(x) else
                                       f"with $\\beta={num(x['beta'])}$ did not converge on every seed")
                                   for x in claims.hurting_betas(res, b)])}
                  for b in raw["momentum_hurts"]]
    over = [(m, b) for m, b in raw["overshoots"] if m in ("hb", "polyak")]
    names = {"hb": "the tuned heavy ball", "polyak": "heavy ball at Polyak's parameters"}
    f["hb_overshoots"] = _list([Tex(f"{names[m]} at {_at([b], res)}") for m, b in over]) if over else None
    return f


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
    f["fit_range"] = noise_range(*fit["B_noise_range"]) \
        if fit.get("ok") and (fit.get("B_noise_range") or [None])[0] else None
    f["fit_bnoise"] = noise_scale(fit.get("B_noise")) if fit.get("ok") else None
    f["fit_verdict"] = fit.get("verdict")
    f["bsimple"] = [{**q, "b_simple": noise_scale(q["b_simple"], 4), "b_crit": noise_scale(q.get("b_crit"), 3)}
                    for q in res["noise"].get("b_simple") or [] if q.get("b_simple") is not None]
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
         "degenerate": res.get("degenerate"),
         "hb_k": sorted(tuning.get("hb_offsets_half_octaves") or [0, 0]),
         "dec_k": sorted(tuning.get("dec_offsets_half_octaves") or [0, 0]),
         "dec_top_factor": num(2.0 ** (max(tuning.get("dec_offsets_half_octaves") or [0]) / 2), 3)}
    each = [b for b in st.get("batch_sizes") or [] if b < st["n"] and st["n"] // b < st["checks_per_epoch"]]
    each += [st["n"]] if st["checks_per_epoch"] > 1 else []
    p["plateau_pct"] = Tex(f"{num(100 * tuning.get('plateau_improvement', 0))}\\,\\%")
    p["plateau_epochs"] = tuning.get("plateau_epochs")
    p["checks_each_step"] = _at(each, res) if each and st["checks_per_epoch"] > 1 else None
    if res.get("degenerate"):
        return {"ok": True, "why": "", "p": p, "rows": [], "f": {"gd": None, "sgd1": None, "hb_gd": None}, "c": {},
                "figs_a": _figures(["sgd_vs_batch"], figures, res), "figs_b": []}
    c = claims.all_claims(res)
    cl = {k: (_at(v, res) if isinstance(v, list) and v and isinstance(v[0], (int, float)) else v) for k, v in c.items()}
    cl["raw"] = c
    cl.update(MARGIN=claims.MARGIN, GROWTH=claims.GROWTH, FLOOR_RATIO=claims.FLOOR_RATIO,
              RATE_TOLERANCE=claims.RATE_TOLERANCE, BNOISE_FACTOR=claims.BNOISE_FACTOR, RISE=claims.RISE,
              STALL=claims.STALL)
    cl["dec_not"] = _at([b for b in c["floor_above_tol"] if b not in c["decreasing_beats_floor"]], res) \
        if len(c["decreasing_beats_floor"]) < len(c["floor_above_tol"]) else None
    f = _facts(res)
    f["nonconv_text"] = _nonconverged(res)
    f["best_at"] = _at(f["best_bs"], res) if f["best_bs"] else None
    f["n_minibatches"] = len(claims.minibatches(res))
    gdb = claims.gd_batch(res)
    f["ep"] = {"sgd1": epochs(f["sgd1"], 1), "gd": epochs(f["gd"]), "best": epochs(f["best_epochs"], 1),
               "dec_gd": epochs(claims.cell(res, "dec", gdb).get("epochs_median") if gdb is not None else None)}
    f["a"] = _minibatch_facts(res, cl)
    f["b"] = _heavy_ball_facts(res, cl)
    figs_a = _figures(["sgd_vs_batch"], figures, res)
    figs_b = _figures(["sgd_curves"], figures)
    return {"ok": True, "why": "", "p": p, "rows": _rows(res), "f": f, "c": cl, "figs_a": figs_a, "figs_b": figs_b}

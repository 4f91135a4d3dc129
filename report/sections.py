"""Stage 5 helpers: turn derivations and result files into what each section prints.

Each function returns plain data for the templates: numbers stay numbers (the templates
format them), LaTeX the project writes is :class:`~report.tex.Tex`, and every string that
comes from a result file is left a plain ``str`` so the template escapes it. A part whose
input does not exist yet gets ``ok=False`` and a one-sentence ``why``.
"""
from __future__ import annotations

import re

from .tex import Tex, escape, num, plain, sci

__all__ = ["SLOTS", "derivation_slot", "result_of", "unplaced", "build_section", "sgd_section", "gan_section", "vae_section", "guarded"]

# Derivations the templates place by id, in the seed's order; any other id of a topic is
# printed by ``others(topic)`` at the end of that problem, so nothing derived is dropped.
SLOTS = {
    "sgd": ("sgd.loss_grad", "sgd.heavy_ball"),
    "kl": ("kl.univariate", "kl.univariate_direct", "kl.diagonal", "kl.fact1", "kl.fact2", "kl.gaussians"),
    "elbo": ("elbo.kl_grad_phi", "elbo.rec_grad_phi", "elbo.rec_grad_theta", "elbo.logit_head"),
    "gan": ("gan.value_function", "gan.optimal_discriminator", "gan.optimal_discriminator_at_equilibrium",
            "gan.gen_grad_vanishing", "gan.regression_grad"),
}


def _missing_box(text: str) -> Tex:
    return Tex(f"\\notavailable{{{text}}}")


def derivation_slot(fragments: dict, errors: dict):
    """``drv(id)`` for the templates: the derivation's fragment, or a box saying why not."""
    def drv(id: str, optional: bool = False) -> Tex:
        if id in fragments:
            return fragments[id].tex
        if optional:
            return Tex("")
        topic = id.split(".")[0]
        if topic in errors:
            return _missing_box(f"The derivations of topic \\texttt{{{escape(topic)}}} failed to build "
                                f"(\\texttt{{{escape(errors[topic])}}}), so \\texttt{{{escape(id)}}} is missing.")
        return _missing_box(f"The derivation \\texttt{{{escape(id)}}} does not exist yet in "
                            f"\\texttt{{derive/}}.")
    return drv


def result_of(fragments: dict):
    """``result(id)`` for the templates: the final formula of a derivation as LaTeX (math
    mode content), so prose quotes the derived result rather than retyping it; with
    ``shown=True`` in the form the chain displays last."""
    def result(id: str, shown: bool = False) -> Tex:
        if id not in fragments:
            return Tex(r"\\text{(not available)}")
        return fragments[id].shown if shown else fragments[id].result
    return result


def unplaced(fragments: dict):
    """``others(topic)``: fragments of ``topic`` that no template slot names."""
    def others(topic: str) -> Tex:
        placed = SLOTS.get(topic, ())
        return Tex("\n".join(f.tex for i, f in fragments.items()
                             if i.split(".")[0] == topic and i not in placed))
    return others


def _experiment_row(o) -> dict:
    data = o.data or {}
    seed = data.get("seed", data.get("settings", {}).get("seed") if isinstance(data.get("settings"), dict) else None)
    state = {"ok": "reused" if o.reused else "run", "missing": "not available", "failed": "failed"}[o.status]
    return {"name": o.name, "command": o.command, "seed": seed, "seconds": Tex(f"{o.seconds:.1f}\\,s") if o.seconds else None,
            "state": state}


def build_section(derived, outcomes: dict, quick: bool) -> dict:
    """What the title page, abstract and Appendix A print about this build."""
    from . import provenance
    commit = provenance.git_commit()
    from .experiments import OPTIONAL
    missing = [f"the {n} experiment" for n, o in outcomes.items()
               if not o.ok and not (n in OPTIONAL and o.status == "missing")]
    missing += [f"the {t} derivations" for t in derived.errors]
    missing_ids = [i for ids in SLOTS.values() for i in ids
                   if i not in {d.id for d in derived.derivations}]
    if missing_ids:
        missing.append(f"{len(missing_ids)} of the {sum(map(len, SLOTS.values()))} planned derivations")
    tex_version = provenance.tex_version()
    versions = provenance.versions() + ([("TeX", tex_version)] if tex_version else [])
    return {
        "command": "python -m report --out DIR" + (" --quick" if quick else ""),
        "quick_note": Tex(" (quick mode: shorter experiments)") if quick else "",
        "commit_note": f"source commit {commit}" if commit else "",
        "commit_sentence": Tex(f" from source commit \\texttt{{{escape(commit)}}}.") if commit else Tex("."),
        "missing": missing,
        "missing_list": "; ".join(missing),
        "derive_note": Tex(f"loaded from the verified-derivation cache ({derived.seconds:.1f}\\,s)" if derived.cached
                           else f"built and verified in {derived.seconds:.1f}\\,s"),
        "experiments": [_experiment_row(o) for o in outcomes.values() if o.status != "missing" or o.name not in OPTIONAL],
        "versions": versions,
    }


def guarded(section, o, figures: list, what: str) -> dict:
    """``section(o, figures)``, or ``ok=False`` with the reason when the result file does not
    have the shape its schema promises (a writeup with one part marked beats no writeup)."""
    try:
        return section(o, figures)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        return {"ok": False, "schema_error": f"{type(exc).__name__}: {exc}",
                "why": Tex(f"The {what} results (\\texttt{{DIR/{escape(o.name)}/results.json}}) do not "
                           f"match the schema the writeup reads ({escape(type(exc).__name__)}: "
                           f"{escape(str(exc))[:200]}).")}


def _unavailable(o, what: str) -> dict:
    if o is None or o.status == "missing":
        name = o.name if o is not None else what.split()[0].lower()
        why = (f"The {what} (\\texttt{{numeric/{name}\\_experiment.py}}) does not exist yet, "
               "so this build has no results for it.")
    else:
        why = (f"The {what} failed in this build ({escape(o.message)}); its log is in "
               f"\\texttt{{DIR/.report/{escape(o.name)}.log}}.")
    return {"ok": False, "why": Tex(why)}


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
    import math
    if not isinstance(kappa, (int, float)) or kappa <= 1:
        return None
    r = math.sqrt(kappa)
    return math.log((r - 1) / (r + 1)) / math.log((kappa - 1) / (kappa + 1))


def _sgd_facts(table: list, problem: dict, noise: dict, runs: list, tol=None) -> dict:
    """The numbers the Problem 1 prose quotes, and the comparisons it branches on."""
    mini = [r for r in table if not r.get("is_gd")]
    gd = next((r for r in table if r.get("is_gd")), None)
    first, last = (mini[0] if mini else None), (mini[-1] if mini else None)
    med = lambda r, m: (r or {}).get(m, {}).get("epochs_median")
    f = {"sgd1": med(first, "sgd"), "hb1": med(first, "hb"), "speed1": (first or {}).get("speedup"),
         "gd": med(gd, "sgd"), "hb_gd": med(gd, "hb"), "speed_gd": (gd or {}).get("speedup"),
         "beta_gd": (gd or {}).get("hb", {}).get("beta"),
         "first_batch": first["batch"] if first else None, "last_batch": last["batch"] if last else None,
         "max_batch": last["batch"] if last else None, "e_max_batch": med(last, "sgd"),
         "steps_first": (first or {}).get("sgd", {}).get("steps_median"),
         "steps_last": (last or {}).get("sgd", {}).get("steps_median"),
         "alpha_first": (first or {}).get("sgd", {}).get("alpha"),
         "alpha_last": (last or {}).get("sgd", {}).get("alpha"),
         "polyak_beta": problem.get("polyak_beta"), "kappa_local": problem.get("kappa_local")}
    f["ratio_gd_sgd1"] = f["gd"] / f["sgd1"] if f["gd"] and f["sgd1"] else None
    hb1 = (first or {}).get("hb", {})
    f["eff1"] = hb1["alpha"] / (1 - hb1["beta"]) if hb1.get("alpha") and hb1.get("beta") is not None and hb1["beta"] < 1 else None
    f["sqrt_kappa"] = f["kappa_local"] ** 0.5 if isinstance(f["kappa_local"], (int, float)) else None
    f["predicted_speed_gd"] = _rate_ratio(f["kappa_local"])
    done = [r for r in mini if med(r, "sgd") is not None]
    best = min(done, key=lambda r: med(r, "sgd")) if done else None
    f["best_batch"], f["best_epochs"] = (best["batch"], med(best, "sgd")) if best else (None, None)
    fit = (noise.get("fit") or {}).get("sgd") or {}
    f["fit_emin"], f["fit_bnoise"] = (fit.get("E_min"), fit.get("B_noise")) if fit.get("ok") else (None, None)
    f["bsimple"] = noise.get("b_simple_at_tol")
    ups = [(r, r.get("speedup")) for r in table if isinstance(r.get("speedup"), (int, float))]
    f["speedups"] = Tex(", ".join(f"{_times(x)} at $n'={_batch_math(r)}$" for r, x in ups))
    vals = [x for _, x in ups]
    f["grows"] = len(vals) >= 2 and vals[-1] > 1.2 * vals[0] and all(b >= 0.85 * a for a, b in zip(vals, vals[1:]))
    bad = []
    for r in table:
        for m in ("sgd", "hb"):
            cell = r.get(m) or {}
            if cell.get("seeds") and (cell.get("converged") or 0) < cell["seeds"]:
                name = "heavy ball" if m == "hb" else ("GD" if r.get("is_gd") else "SGD")
                why = next((x.get("reason") for x in runs
                            if x.get("key") == f"{m}-{'gd' if r.get('is_gd') else r['batch']}" and x.get("reason")), None)
                bad.append(f"{name} at $n'={_batch_math(r)}$, {cell.get('converged') or 0} of {cell['seeds']} seeds"
                           + (f" ({escape(why)})" if why else ""))
    f["nonconv"] = Tex("; ".join(bad))
    f.update(_floors(runs, tol))
    path = [b for b in noise.get("b_simple") or [] if isinstance(b.get("b_simple"), (int, float))]
    vals = [b["b_simple"] for b in path]
    f["bsimple_grows"] = len(vals) > 1 and all(b > a for a, b in zip(vals, vals[1:]))
    f["bsimple_path"] = Tex(", ".join(f"{num(b['b_simple'])} at gap {num(b['gap'])}" for b in path)) if len(path) > 1 else None
    return f


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
    """Problem 1 from ``DIR/sgd/results.json`` (schema ``hw6.sgd.results/1``)."""
    if o is None or not o.ok:
        return _unavailable(o, "SGD experiment")
    data = o.data
    st, pr, table = data["settings"], data["problem"], data["table"]
    noise = data.get("noise") or {}
    captions = data.get("figures") or {}
    p = {"data_sentence": plain(st.get("data_sentence", "")), "lam": st.get("l2"), "L": pr.get("L"),
         "mu": pr.get("mu"), "kappa": pr.get("kappa"), "kappa_local": pr.get("kappa_local"),
         "f_star": pr.get("f_star"), "tol": st.get("tol"), "seeds": st.get("seeds"), "seed": st.get("seed"),
         "quick": st.get("quick"), "tuning_rule": plain(st.get("tuning_rule", "")),
         "sampling": plain(st.get("sampling", "")), "checks_per_epoch": st.get("checks_per_epoch"),
         "max_epochs": st.get("max_epochs"),
         "alpha_grid": _grid(st.get("alpha_grid") or []),
         "beta_grid": Tex(", ".join(num(b) for b in st.get("beta_grid") or [])),
         "tune_seeds": len(st.get("tune_seeds") or [])}
    rows = [{"label": Tex("GD ($n'=n$)") if r.get("is_gd") else Tex(str(r["batch"])),
             "sgd_alpha": num(r["sgd"].get("alpha")), "sgd_epochs": _epochs_cell(r["sgd"]),
             "hb_alpha": num(r["hb"].get("alpha")), "hb_beta": num(r["hb"].get("beta")),
             "hb_epochs": _epochs_cell(r["hb"]), "speedup": _times(r.get("speedup"))} for r in table]
    f = _sgd_facts(table, pr, noise, data.get("runs") or [], st.get("tol"))
    figs_a = figure_list(["sgd_epochs_vs_batch", "sgd_steps_vs_batch"], figures, captions)
    figs_b = figure_list(["sgd_curves"], figures, captions)
    known = {"sgd_epochs_vs_batch", "sgd_steps_vs_batch", "sgd_curves"}
    figs_b += figure_list([g.stem for g in figures if g.stem not in known], figures, captions)
    f["curves_label"] = figs_b[0]["label"] if figs_b and figs_b[0]["path"].endswith(("curves.pdf", "curves.png")) else None
    return {"ok": True, "why": "", "p": p, "rows": rows, "f": f, "figs_a": figs_a, "figs_b": figs_b}


def _median(values):
    vals = sorted(v for v in values if isinstance(v, (int, float)))
    if not vals:
        return None
    n = len(vals)
    return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2


def _spread(values) -> Tex:
    """``median [min, max]`` over seeds (``--`` when no seed has a value), all three in one
    format (scientific as soon as one of them needs it)."""
    vals = [v for v in values or [] if isinstance(v, (int, float))]
    if not vals:
        return Tex("--")
    fmt = sci if any(v != 0 and not 1e-3 <= abs(v) < 1e5 for v in vals) else num
    if len(vals) == 1 or min(vals) == max(vals):
        return fmt(_median(vals))
    digits = 2 if fmt is sci else 3  # keep the bracket short where the numbers are long
    return Tex(f"{fmt(_median(vals))} {{\\scriptsize[{fmt(min(vals), digits)}, {fmt(max(vals), digits)}]}}")


def _reached(values) -> Tex:
    """Steps to the threshold: median over the seeds that reached it, and how many did."""
    vals = values or []
    hit = [v for v in vals if isinstance(v, (int, float))]
    if not hit:
        return Tex(f"not reached (0/{len(vals)})")
    return Tex(f"{num(_median(hit))} ({len(hit)}/{len(vals)})")


def figure_list(stems, figures: list, captions: dict) -> list[dict]:
    """Figures named by ``stems`` that this build has, with their (escaped) captions."""
    by_stem = {f.stem: f for f in figures}
    return [{"path": by_stem[s].path, "caption": plain(captions.get(s, s.replace("_", " "))),
             "label": Tex(f"fig:{by_stem[s].experiment}-{re.sub('[^A-Za-z0-9-]+', '-', s)}")}
            for s in stems if s in by_stem]


def _gan_scenario(sc: dict, figures: list, captions: dict, shown: set) -> dict:
    """One scenario's answer, tables and figures; a figure already shown by an earlier
    scenario is referred to (``seen``) instead of printed again (``shown`` is updated)."""
    cases = []
    for case, c in (sc.get("cases") or {}).items():
        rows = [{"label": plain(r.get("label", name)), "to_q": _spread(r.get("final_to_q")),
                 "to_p1": _spread(r.get("final_to_p1")) if r.get("final_to_p1") else Tex("--"),
                 "steps": _reached(r.get("steps_to_threshold")),
                 "diverged": len(r.get("diverged") or [])}
                for name, r in (c.get("runs") or {}).items()]
        cases.append({"name": case, "metric": c.get("metric", ""), "threshold": c.get("threshold"),
                      "rows": rows, "has_p1": any(r.get("final_to_p1") for r in (c.get("runs") or {}).values())})
    return {"title": sc.get("title", ""), "verdict": sc.get("verdict", ""), "answer": _by_case(sc.get("answer", "")),
            "cases": cases,
            **_split_seen(figure_list(sc.get("figures") or [], figures, captions), shown)}


def _by_case(text: str) -> Tex:
    """A scenario's answer with a paragraph per case (``... gaussian case ...  mixture case ...``)."""
    parts = [p for p in re.split(r"\s+(?=(?:gaussian|mixture) case\b)", text or "") if p.strip()]

    def lead(p: str) -> str:
        m = re.match(r"((?:gaussian|mixture) case[^:]{0,20}):\s*", p)
        return f"\\emph{{{plain(m[1][0].upper() + m[1][1:])}:}} {plain(p[m.end():])}" if m else str(plain(p))
    return Tex("\n\n".join(lead(p) for p in parts))


def _split_seen(figs: list, shown: set) -> dict:
    new = [f for f in figs if f["label"] not in shown]
    seen = [f for f in figs if f["label"] in shown]
    shown.update(f["label"] for f in new)
    return {"figures": new, "seen": seen}


def gan_section(o, figures: list) -> dict:
    """Problem 4 from ``DIR/gan/results.json`` (schema ``hw6.gan.results/1``)."""
    if o is None or not o.ok:
        return _unavailable(o, "GAN experiment")
    data = o.data
    settings = data.get("settings", {})
    captions = data.get("figures", {})
    cases = [{"name": k, **{f: plain(v.get(f, "")) for f in ("q", "gen1", "gen2", "disc", "metric", "metric_symbol",
                                                               "gen1_offset")},
              **{f: v.get(f, settings.get(f)) for f in ("threshold", "batch", "d_steps", "lr_g", "lr_d")},
              **{f: (data.get("equilibrium", {}).get(k) or {}).get(f)
                 for f in ("dist_p1_q", "disc1_support_max_dev", "disc1_support_mean_dev", "disc1_far_range")}}
             for k, v in (settings.get("cases") or {}).items()]
    scen = data.get("scenarios", {})
    shown: set = set()
    setup = {k: settings.get(k) for k in ("seed", "seeds", "steps", "optimizer", "quick", "pretrain_steps",
                                          "generator_loss")}
    used = {st for sc in scen.values() for st in sc.get("figures") or []}
    extra = figure_list([f.stem for f in figures if f.stem not in used], figures, captions)
    return {"ok": True, "why": "", "settings": setup, "cases": cases, "extra_figures": extra,
            **{k: _gan_scenario(scen[k], figures, captions, shown) if k in scen else None for k in ("a", "b", "c")}}


def vae_section(o, figures: list) -> dict:
    """The optional VAE experiment (issue 6): its figures with their captions, if it exists."""
    if o is None or o.status == "missing":
        return {"present": False, "ok": False, "why": ""}
    if not o.ok:
        return {"present": True, **_unavailable(o, "VAE experiment")}
    captions = o.data.get("figures") or {}
    stems = list(captions) or [f.stem for f in figures]
    return {"present": True, "ok": True, "why": "", "figures": figure_list(stems, figures, captions),
            "summary": plain(o.data.get("summary", "")),
            "quick": bool((o.data.get("settings") or {}).get("quick"))}

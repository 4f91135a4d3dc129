"""Stage 5 helpers: turn derivations and result files into what each section prints.

Each function returns plain data for the templates: numbers stay numbers (the templates
format them), LaTeX the project writes is :class:`~report.tex.Tex`, and every string that
comes from a result file is left a plain ``str`` so the template escapes it. A part whose
input does not exist yet gets ``ok=False`` and a one-sentence ``why``.
"""
from __future__ import annotations

import re

from .tex import Tex, escape, num, plain

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
    """``result(id)`` for the templates: the final formula of a derivation as inline LaTeX
    (math mode content), so prose quotes the derived result rather than retyping it."""
    def result(id: str) -> Tex:
        return fragments[id].result if id in fragments else Tex(r"\\text{(not available)}")
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


def sgd_section(o, figures: list) -> dict:
    """Problem 1 from ``DIR/sgd/results.json``."""
    if o is None or not o.ok:
        return _unavailable(o, "SGD experiment")
    return {"ok": True, "why": "", "data": o.data, "figures": figures}


def _median(values):
    vals = sorted(v for v in values if isinstance(v, (int, float)))
    if not vals:
        return None
    n = len(vals)
    return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2


def _spread(values) -> Tex:
    """``median [min, max]`` over seeds (``--`` when no seed has a value)."""
    vals = [v for v in values or [] if isinstance(v, (int, float))]
    if not vals:
        return Tex("--")
    if len(vals) == 1 or min(vals) == max(vals):
        return num(_median(vals))
    return Tex(f"{num(_median(vals))} {{\\scriptsize[{num(min(vals))}, {num(max(vals))}]}}")


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
    return {"title": sc.get("title", ""), "verdict": sc.get("verdict", ""), "answer": plain(sc.get("answer", "")),
            "cases": cases,
            **_split_seen(figure_list(sc.get("figures") or [], figures, captions), shown)}


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
            "summary": o.data.get("summary", "")}

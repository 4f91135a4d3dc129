"""Stage 5 helpers: turn derivations and result files into what each section prints.

Each function returns plain data for the templates: numbers stay numbers (the templates
format them), LaTeX the project writes is :class:`~report.tex.Tex`, and every string that
comes from a result file is left a plain ``str`` so the template escapes it. A part whose
input does not exist yet gets ``ok=False`` and a one-sentence ``why``.
"""
from __future__ import annotations

from .tex import Tex, escape

__all__ = ["SLOTS", "derivation_slot", "unplaced", "build_section", "sgd_section", "gan_section"]

# Derivations the templates place by id, in the seed's order; any other id of a topic is
# printed by ``others(topic)`` at the end of that problem, so nothing derived is dropped.
SLOTS = {
    "sgd": ("sgd.loss_grad", "sgd.heavy_ball"),
    "kl": ("kl.univariate", "kl.diagonal", "kl.fact1", "kl.fact2", "kl.gaussians"),
    "elbo": ("elbo.kl_grad_phi", "elbo.rec_grad_phi", "elbo.rec_grad_theta", "elbo.logit_head"),
    "gan": ("gan.optimal_discriminator",),
}


def _missing_box(text: str) -> Tex:
    return Tex(f"\\notavailable{{{text}}}")


def derivation_slot(fragments: dict, errors: dict):
    """``drv(id)`` for the templates: the derivation's fragment, or a box saying why not."""
    def drv(id: str) -> Tex:
        if id in fragments:
            return fragments[id].tex
        topic = id.split(".")[0]
        if topic in errors:
            return _missing_box(f"The derivations of topic \\texttt{{{escape(topic)}}} failed to build "
                                f"(\\texttt{{{escape(errors[topic])}}}), so \\texttt{{{escape(id)}}} is missing.")
        return _missing_box(f"The derivation \\texttt{{{escape(id)}}} does not exist yet in "
                            f"\\texttt{{derive/}}.")
    return drv


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
    missing = [f"the {n} experiment" for n, o in outcomes.items() if not o.ok]
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
        "experiments": [_experiment_row(o) for o in outcomes.values()],
        "versions": versions,
    }


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


def gan_section(o, figures: list) -> dict:
    """Problem 4 from ``DIR/gan/results.json``."""
    if o is None or not o.ok:
        return _unavailable(o, "GAN experiment")
    return {"ok": True, "why": "", "data": o.data, "figures": figures}

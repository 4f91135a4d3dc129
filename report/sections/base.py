"""Stage 5 helpers: turn derivations and result files into what each section prints.

Shared here: derivation slots, the build record, guarding of section code, figures; Problem 1 is
:mod:`report.sections.sgd`, Problem 4 :mod:`report.sections.gan`, the VAE of Problem 3
:mod:`report.sections.vae`.

Each function returns plain data for the templates: numbers stay numbers (the templates
format them), LaTeX the project writes is :class:`~report.tex.Tex`, and every string that
comes from a result file is left a plain ``str`` so the template escapes it. A part whose
input does not exist yet gets ``ok=False`` and a one-sentence ``why``.
"""
from __future__ import annotations

import re

from report.tex import Tex, escape, plain

__all__ = ["SLOTS", "PAGE_ORDER", "UNPRINTED", "derivation_slot", "result_of", "level_of", "unplaced", "build_section", "guarded", "unavailable",
           "figure_list"]

# Derivations the templates display, by id, in the assignment's order. Every other derivation (the
# routine Jacobians the experiments compute with, cross-checks, the least-squares objective) is
# verified like these and listed in the verification record (Appendix ``app:verify``), where
# ``python -m derive`` prints it: it is needed to trust the code, not to follow the answers.
SLOTS = {
    "sgd": ("sgd.loss_grad", "sgd.smoothness", "sgd.minibatch_mean", "sgd.minibatch_variance",
            "sgd.heavy_ball", "sgd.polyak_beta", "sgd.polyak_alpha"),
    "kl": ("kl.univariate", "kl.diagonal", "kl.fact1", "kl.fact2"),
    "elbo": ("elbo.kl_grad_phi", "elbo.rec_grad_phi", "elbo.rec_grad_theta"),
    "gan": ("gan.optimal_discriminator", "gan.optimal_discriminator_at_equilibrium"),
}

# The displayed derivations in the order of their pages (Problems 2-4 in the body, Problem 1's in
# Appendix A): the order of the verification record.
PAGE_ORDER = (*SLOTS["kl"], *SLOTS["elbo"], *SLOTS["gan"], *SLOTS["sgd"])

# Figures the experiments draw that the writeup does not print (figures/NAME-STEM): the GAN's
# densities of the final p_2 (its curves lie on each other at print size; the tables give the
# distances). The build test holds every other figure to being printed.
UNPRINTED = frozenset({"gan-densities"})


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


def level_of(fragments: dict):
    """``level(id)`` for the templates: how the steps of a derivation were verified, in words,
    e.g. ``all 3 steps symbolic`` or ``2 of 3 steps symbolic, 1 at listed sizes``."""
    def level(id: str) -> Tex:
        f = fragments.get(id)
        if f is None or not f.steps:
            return Tex("")
        if f.symbolic == f.steps:
            return Tex({1: "the step symbolic", 2: "both steps symbolic"}.get(f.steps, f"all {f.steps} steps symbolic"))
        parts = [f"{f.symbolic} of {f.steps} steps symbolic"]
        parts += [f"{n} {what}" for n, what in ((f.instances, "at listed sizes"), (f.numeric, "numeric")) if n]
        return Tex(", ".join(parts))
    return level


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
    from report import provenance
    commit = provenance.git_commit()
    from report.experiments import OPTIONAL
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


def _where(exc: BaseException) -> str:
    """``report/sections/sgd.py:144 in sgd_section``: the innermost frame of the project's
    own code in the exception's traceback."""
    import traceback
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().is_relative_to(root)]
    if not frames:
        return "an unknown place"
    f = frames[-1]
    return f"{Path(f.filename).resolve().relative_to(root).as_posix()}:{f.lineno} in {f.name}"


def guarded(section, o, figures: list, what: str) -> dict:
    """``section(o, figures)``, or ``ok=False`` with ``bug`` saying where it failed when the
    section code raises (a writeup with one part marked beats no writeup). The result file was
    validated against its schema before (:func:`report.experiments.schema_problem`), so an
    exception here is a bug in the writeup's code, never a problem of the results."""
    try:
        return section(o, figures)
    except Exception as exc:  # noqa: BLE001 - any exception of section code is a bug, reported as one
        bug = f"{type(exc).__name__}: {str(exc)[:200]} at {_where(exc)}".encode("ascii", "backslashreplace").decode()
        return {"ok": False, "bug": bug,
                "why": Tex(f"The writeup's code for the {escape(what)} failed, so this part is missing. "
                           f"This is a bug in the report, not a problem of the results "
                           f"(\\texttt{{{escape(bug)}}}).")}


def unavailable(o, what: str) -> dict:
    """``ok=False`` and a sentence saying why an experiment's results are missing."""
    if o is None or o.status == "missing":
        name = o.name if o is not None else what.split()[0].lower()
        why = (f"The {what} (\\texttt{{numeric/{name}/experiment.py}}) does not exist yet, "
               "so this build has no results for it.")
    else:
        why = (f"The {what} failed in this build ({escape(o.message)}); its log is in "
               f"\\texttt{{DIR/.report/{escape(o.name)}.log}}.")
    return {"ok": False, "why": Tex(why)}


def figure_list(stems, figures: list, captions: dict) -> list[dict]:
    """Figures named by ``stems`` that this build has, with their (escaped) captions."""
    by_stem = {f.stem: f for f in figures}
    return [{"stem": s, "path": by_stem[s].path, "caption": plain(captions.get(s, s.replace("_", " "))),
             "label": Tex(f"fig:{by_stem[s].experiment}-{re.sub('[^A-Za-z0-9-]+', '-', s)}")}
            for s in stems if s in by_stem]

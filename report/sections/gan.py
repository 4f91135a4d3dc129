"""Problem 4 from ``DIR/gan/results.json`` (schema ``hw6.gan.results/2``).

numeric/ writes facts only (numbers, enumerated verdicts, named conditions); this module
turns them into what the templates print: every number as :class:`~report.tex.Tex` through
:func:`report.tex.num` (one formatter for tables and prose, so a sentence quotes exactly the
digits of the table beside it), the cases' descriptions as LaTeX, the verdict words, and the
conditions, under which the templates (``part4.tex``, ``gan_*.tex``) write each sentence.
"""
from __future__ import annotations

import math

from report.sections.base import figure_list, unavailable
from report.tex import Tex, num

__all__ = ["SCHEMA", "VERDICT_WORDS", "HEADING_WORDS", "gan_section", "verdict_words"]

SCHEMA = "hw6.gan.results/2"

# The answer to each question for each enumerated verdict (numeric.gan.verdicts.VERDICTS).
VERDICT_WORDS = {
    "a": {"no": "No", "partly": "Not in general", "yes": "Yes in this run, but not by design"},
    "b": {"as_well_as_gen1": r"Only as well as $\Gen_1$ does, never better",
          "better_than_gen1": r"In this run better than $\Gen_1$, against the theory",
          "not_reached": r"Not within this run: $\Gen_2$ did not reach $p_1$"},
}
VERDICT_WORDS["c"] = VERDICT_WORDS["b"]
# The same verdicts, short, for the section headings.
HEADING_WORDS = {"a": {"no": "no", "partly": "not in general", "yes": "yes, but not by design"},
                 "b": {"as_well_as_gen1": r"only as well as $\Gen_1$", "better_than_gen1": r"better than $\Gen_1$ here",
                       "not_reached": "not within this run"}}
HEADING_WORDS["c"] = HEADING_WORDS["b"]

RUN_NAMES = {"warm": r"$D$ warm-started from $\Disc_1$", "fresh": r"fresh $D$",
             "frozen": r"$\Disc_1$ frozen (not trained)", "gan_on_gen1": r"GAN, independent noise (4.1.b)",
             "shared_noise_gan": r"GAN, shared noise", "regression": r"regression of $\Gen_2(z)$ on $\Gen_1(z)$"}
CAPTIONS = {
    "gan_distance_a": r"4.1.a: distance of $p_2$ to $q$ during training, with the discriminator warm-started "
                      r"from $\Disc_1$, fresh, or $\Disc_1$ frozen; median and 10--90\% band over seeds; "
                      r"dash-dotted: the threshold.",
    "gan_disc1_equilibrium": r"$\Disc_1$ at equilibrium with $\Gen_1$: close to $\frac12$ on the support of $q$ "
                             r"(shaded), arbitrary away from it; dashed: the optimal $q/(q+p_1)$.",
    "gan_densities": r"Densities of $q$, $p_1$ and $p_2$ (seed 0, end of training), with the discriminator of the "
                     r"first $p_2$ shown (right axis); rows: the two cases; columns: 4.1.a, and 4.1.b--c with "
                     r"$\Gen_1$ as trained and shifted.",
    "gan_distance_b": r"4.1.b: $\Gen_2$ trained on samples of $\Gen_1$; distance $d$ ($\KL$ or $W_1$) of $p_2$ "
                      r"to $p_1$ (solid) and to $q$ (dashed), and of $p_1$ to $q$ (dotted); rows: $\Gen_1$ as trained (main case) and "
                      r"shifted (stress case); median and 10--90\% band over seeds.",
    "gan_distance_c": r"4.1.c: distance of $p_2$ to $p_1$ for the GAN with shared noise, the GAN with independent "
                      r"noise (4.1.b) and the regression of $\Gen_2(z)$ on $\Gen_1(z)$; rows as in "
                      r"Figure~\ref{fig:gan-gan-distance-b}; values below {floors} are drawn at that floor. The "
                      r"distances to $q$ are in Table~\ref{tab:gan-c}.",
}
TABLE_CAPTIONS = {"a": r"4.1.a: $\Gen_2$ trained on $q$ with three discriminators.",
                  "b": r"4.1.b: $\Gen_2$ trained on samples of $\Gen_1$, for $\Gen_1$ as trained and shifted.",
                  "c": r"4.1.c: shared noise, for $\Gen_1$ as trained and shifted."}
SYMBOL = {"kl": r"\KL", "w1": r"W_1"}
MODELS = {"affine": r"affine, $az+b$", "log_scale": r"log-scale, $e^{s}z+b$",
          "quadratic_logistic": r"quadratic logistic, $\sigma(w_0+w_1x+w_2x^2)$",
          "tanh_mlp": r"one-hidden-layer $\tanh$ network, width {width}"}


def verdict_words(scenario: str, verdict: str) -> Tex:
    """The answer's words for a computed verdict (LaTeX)."""
    return Tex(VERDICT_WORDS[scenario][verdict])


def _model(m: dict) -> Tex:
    return Tex(MODELS[m["kind"]].replace("{width}", str(m.get("width"))))


def _q(comps) -> Tex:
    """q as a formula: ``$\\N(1, 0.5^2)$`` or ``$\\tfrac12\\N(\\dots)+\\tfrac12\\N(\\dots)$``."""
    terms = [(r"\tfrac12" if w == 0.5 else ("" if w == 1 else f"{w:g}\\,")) + rf"\N({m:g},\,{s:g}^2)"
             for w, m, s in comps]
    return Tex("$" + "+".join(terms) + "$")


def _shift(shift: dict) -> Tex:
    if "output_shift" in shift:
        return Tex(f"output $+{shift['output_shift']:g}$")
    return Tex(f"mean $+{shift['mean_shift']:g}$, scale $\\times{shift['scale_factor']:g}$")


def _spread(values, median) -> Tex:
    """``median [min, max]`` over seeds; the median is the fact the prose quotes."""
    vals = [v for v in values or [] if isinstance(v, (int, float))]
    if median is None:
        return Tex("--")
    if len(vals) < 2 or min(vals) == max(vals):
        return num(median)
    return Tex(f"{num(median)} {{\\scriptsize[{num(min(vals), 2)}, {num(max(vals), 2)}]}}")


def _steps(run: dict, seeds: int) -> Tex:
    """Median steps to the threshold ("never" counting as after the end) and how many seeds
    reached it."""
    if run["steps_median"] is None:
        return Tex(f"not for most seeds ({run['reached']}/{seeds})")
    return Tex(f"{num(run['steps_median'])} ({run['reached']}/{seeds})")


def _row(name: str, run: dict, seeds: int) -> dict:
    return {"name": Tex(RUN_NAMES[name]), "to_q": _spread(run["final_to_q"], run["final_to_q_median"]),
            "to_p1": _spread(run.get("final_to_p1"), run.get("final_to_p1_median")) if "final_to_p1" in run
            else Tex("--"), "steps": _steps(run, seeds), "diverged": len(run["diverged"])}


def _facts(run: dict) -> dict:
    """A run's summary facts as the prose prints them (the same Tex as its table row)."""
    return {"to_q": num(run["final_to_q_median"]), "to_p1": num(run.get("final_to_p1_median")),
            "steps": num(run["steps_median"]), "reached": run["reached"], "never": run["steps_median"] is None}


def _group(g: dict, seeds: int) -> dict:
    """One set of runs (a case of 4.1.a, or a case and Gen_1 variant of 4.1.b-c)."""
    out = {"rows": [_row(n, r, seeds) for n, r in g["runs"].items()],
           "run": {n: _facts(r) for n, r in g["runs"].items()}, "c": dict(g["conditions"])}
    if "dist_p1_q" in g:
        out["dist_p1_q"] = num(g["dist_p1_q"])
    if "disc_grad_var" in g:
        end = g["disc_grad_var"]["end"]
        out["var_ratio"] = num(end["shared"] / end["independent"]) if end["independent"] else Tex("--")
    if "numbers" in g:
        out["n"] = _numbers(g["numbers"])
    return out


def _numbers(n: dict) -> dict:
    return {k: _numbers(v) if isinstance(v, dict) else num(v) for k, v in n.items()}


def _scenario(key: str, sc: dict, cases: dict, seeds: int, figures: list, shown: set) -> dict:
    out_cases = []
    for name, c in sc["cases"].items():
        base = {"name": name, "sym": cases[name]["sym"], "threshold": num(c["threshold"])}
        if key == "a":
            out_cases.append({**base, **_group(c, seeds)})
        else:
            out_cases.append({**base, "gen1": {v: _group(g, seeds) for v, g in c["gen1"].items()}})
    figs = figure_list(sc["figures"], figures, {})
    for f in figs:
        f["caption"] = Tex(CAPTIONS[f["stem"]].replace("{floors}", _floors(cases)))
    new = [f for f in figs if f["label"] not in shown]
    shown.update(f["label"] for f in new)
    return {"key": key, "table_caption": Tex(TABLE_CAPTIONS[key]), "verdict": sc["verdict"], "words": verdict_words(key, sc["verdict"]),
            "heading": Tex(HEADING_WORDS[key][sc["verdict"]]), "cases": out_cases,
            "figures": {f["stem"]: f for f in new}}


def _power_of_ten(x) -> Tex:
    """``1e-4 -> $10^{-4}$`` (an exact power of ten needs no mantissa), else :func:`num`."""
    if isinstance(x, (int, float)) and x > 0 and float(math.log10(x)).is_integer():
        return Tex(f"$10^{{{int(math.log10(x))}}}$")
    return num(x)


def _floors(cases: dict) -> str:
    return " and ".join(f"{c['floor']} ({c['name']})" for c in cases.values())


def _case(name: str, c: dict, eq: dict) -> dict:
    e = eq.get(name, {})
    return {"name": name, "kind": c["distance"]["kind"], "sym": Tex(SYMBOL[c["distance"]["kind"]]),
            "levels": c["distance"].get("levels"), "q": _q(c["q"]), "gen1": _model(c["gen1"]),
            "gen2": _model(c["gen2"]), "disc": _model(c["disc"]), "shift": _shift(c["shift"]),
            "threshold": num(c["threshold"]), "floor": _power_of_ten(c["plot_floor"]), "batch": c["batch"],
            "d_steps": c["d_steps"], "lr_g": num(c["lr_g"]), "lr_d": num(c["lr_d"]),
            "eq": {"dist_p1_q": num(e.get("dist_p1_q")), "max_dev": num(e.get("disc1_support_max_dev")),
                   "mean_dev": num(e.get("disc1_support_mean_dev")),
                   "far": [num(v) for v in e.get("disc1_far_range") or (None, None)],
                   "far_level": _power_of_ten(e.get("far_level")), "support_level": num(e.get("support_level"))}}


def gan_section(o, figures: list) -> dict:
    """Problem 4's context for the templates from ``DIR/gan/results.json`` (schema v2)."""
    if o is None or not o.ok:
        return unavailable(o, "GAN experiment")
    data = o.data
    if data.get("schema") != SCHEMA:
        raise ValueError(f"schema {data.get('schema')!r}, expected {SCHEMA!r}")
    st = data["settings"]
    opt = st["optimizer"]
    cases = {n: _case(n, c, data["equilibrium"]) for n, c in st["cases"].items()}
    shown: set = set()
    scen = {k: _scenario(k, data["scenarios"][k], cases, st["seeds"], figures, shown) if k in data["scenarios"]
            else None for k in ("a", "b", "c")}
    used = {s for sc in data["scenarios"].values() for s in sc["figures"]}
    return {"ok": True, "why": "", "cases": list(cases.values()),
            "settings": {"seeds": st["seeds"], "seed": st["seed"], "steps": st["steps"], "quick": st["quick"],
                         "pretrain_steps": st["pretrain_steps"], "polish_steps": st["polish_steps"],
                         "optimizer": Tex(f"Adam ($\\beta_1={opt['beta1']:g}$, $\\beta_2={opt['beta2']:g}$, "
                                          f"$\\epsilon=10^{{{int(round(math.log10(opt['eps'])))}}}$)")},
            "extra_figures": figure_list([s for s in data["figures"] if s not in used], figures, {}), **scen}

"""Problem 4 from ``DIR/gan/results.json`` (schema ``hw6.gan.results/5``).

numeric/ writes facts only (numbers, enumerated verdicts, named conditions); this module
turns them into what the templates print: every number as :class:`~report.tex.Tex` through
:func:`report.tex.num` (one formatter for tables and prose, so a sentence quotes exactly the
digits of the table beside it), the cases' descriptions as LaTeX, the verdict words, and the
conditions, under which the templates (``part4.tex``, ``gan_*.tex``) write each sentence.
"""
from __future__ import annotations

import math

import numpy as np

from common import numfmt
from report.sections import gan_prose as prose
from report.sections.base import figure_list, unavailable
from report.tex import Tex, num, signed

__all__ = ["SCHEMA", "VERDICT_WORDS", "HEADING_WORDS", "CASE_TITLES", "GENERATOR_LOSSES", "LOSS_AGREE", "gan_section",
           "verdict_words", "direction", "factor", "shared_effect", "dist", "losses_agree", "exact_copy", "warm_plateau", "ended_below",
           "systematic_gains"]

SCHEMA = "hw6.gan.results/5"

# The answer to each question for each enumerated verdict (numeric.gan.verdicts.VERDICTS): what the
# theory says; what the runs showed follows in sentences of its own (report.sections.gan_prose).
VERDICT_WORDS = {
    "a": {"no": "No", "partly": "Not in general", "yes": "Not by design, although our runs were faster"},
    "b": {v: r"Yes, up to $\Gen_1$'s own error" for v in ("as_well_as_gen1", "better_than_gen1", "not_reached")},
}
VERDICT_WORDS["c"] = VERDICT_WORDS["b"]
# The same, short, for the section headings.
HEADING_WORDS = {"a": {"no": "no", "partly": "not in general", "yes": "not by design"},
                 "b": {v: r"yes, up to $\Gen_1$'s own error" for v in VERDICT_WORDS["b"]}}
HEADING_WORDS["c"] = HEADING_WORDS["b"]

RUN_NAMES = {"warm": r"warm-started from $\Disc_1$", "fresh": r"fresh discriminator",
             "frozen": r"$\Disc_1$ frozen (not trained)", "gan_on_gen1": r"independent noise (4.1.b)",
             "shared_noise_gan": r"shared noise (4.1.c)", "regression": r"regression (4.1.c)"}
BANDS = (r"lines: the median over the seeds at each recorded step; bands: from the smallest to the largest seed")
CAPTIONS = {
    "gan_distance_a": r"4.1.a: distance of $\ptwo$ to $\pdata$ during training, with the discriminator warm-started "
                      r"from $\Disc_1$ (solid), fresh (dash-dotted, open circles), or $\Disc_1$ frozen (dotted, its band grey); " + BANDS
                      + r"; thin black line: the threshold.",
    "gan_disc1_equilibrium": r"$\Disc_1$ at equilibrium with $\Gen_1$. Top: $\pdata$ (wide grey) and $\pone$ (dashed), "
                             r"the data region of $\pdata$ shaded. Bottom: $\Disc_1$ (solid), the optimal $\pdata/(\pdata+\pone)$ of "
                             r"this $\Gen_1$ (dash-dotted) and $\tfrac12$ (dotted); Table~\ref{tab:gan-disc1} gives "
                             r"the numbers.",
    "gan_densities": r"Densities of $\pdata$ (wide grey), $\pone$ (dashed) and the final $\ptwo$ of seed 0; rows: the two "
                     r"cases; columns: 4.1.a ($\ptwo$ with the discriminator warm-started from $\Disc_1$, solid, and "
                     r"fresh, dash-dotted), then 4.1.b--c with $\Gen_1$ as trained and shifted ($\ptwo$ of the GAN "
                     r"with independent noise, solid, and with shared noise, dash-dotted).",
    "gan_distance_c": r"4.1.b--c: distance of $\ptwo$ to $\pone$ for the GAN with independent noise (4.1.b, solid), "
                      r"with shared noise (dash-dotted) and the regression of $\Gen_2(z)$ on $\Gen_1(z)$ (dashed); "
                      r"rows: $\Gen_1$ as trained and shifted; columns: the two cases; " + BANDS + r"; thin black line: the "
                      r"threshold $\mathrm{dist}(\pone,\pdata)$ of $\Gen_1$ as trained; values below {floors} are drawn at that floor. "
                      r"The distances to $\pdata$ are in {ctables}.",
}
CASE_TITLES = {"gaussian": "Gaussian", "mixture": "mixture"}
TABLE_CAPTIONS = {"a": r"4.1.a: $\Gen_2$ trained on $\pdata$ with three discriminators; threshold on $\mathrm{dist}(\ptwo,\pdata)$ as in Table~\ref{tab:gan-setup}.",
                  "b": r"4.1.b: $\Gen_2$ trained on samples of $\Gen_1$, for $\Gen_1$ as trained and shifted.",
                  "c": r"4.1.b and 4.1.c: $\Gen_2$ trained on samples of $\Gen_1$ by a GAN with independent noise "
                       r"(4.1.b), by a GAN with shared noise and by regression (4.1.c), for $\Gen_1$ as trained and "
                       r"shifted; threshold on $\mathrm{dist}(\ptwo,\pone)$: $\mathrm{dist}(\pone,\pdata)$ of $\Gen_1$ as trained."}
SYMBOL = {"kl": r"\KL", "w1": r"W_1"}
MODELS = {"affine": r"affine in $z$", "log_scale": r"affine in $z$, its scale the exponential of a parameter",
          "quadratic_logistic": r"$\sigmoid$ of a quadratic in $x$",
          "tanh_mlp": r"one-hidden-layer $\tanh$ network, width {width}"}

# the generator loss of the runs (settings.generator_loss), as the text names it
GENERATOR_LOSSES = {"non_saturating": r"the non-saturating generator loss $-\ln D(G(z))$",
                    "minimax": r"the minimax generator loss $\ln(1-D(G(z)))$"}
LOSS_AGREE = 1.1   # the minimax and non-saturating first gradients "agree" (no saturation) within this factor
SETTING_NAMES = {"trained": "main", "shifted": "stress case"}


def direction(rng) -> str | None:
    """Where the first step moves Gen_2's samples on every seed, by the sign of the cosine alone:
    "towards" if every seed's cosine is positive (its [min, max] ``rng`` has min > 0), "away" if
    every seed's is negative (max < 0), None if the seeds' signs differ (or no range).

    >>> direction([-0.806, -0.406]), direction([0.1, 0.9]), direction([-0.2, 0.3]), direction(None)
    ('away', 'towards', None, None)
    """
    if not rng or None in rng:
        return None
    return "towards" if rng[0] > 0 else "away" if rng[1] < 0 else None


def _setting_value(x) -> Tex:
    """A configured value (not a measurement) as it was set, in plain decimals, so that a cell's two
    settings print alike (grader5 #13: ``5.00e-3, 0.02`` in one cell).

    >>> _setting_value(0.005), _setting_value(0.02)
    ('0.005', '0.02')
    """
    return Tex(f"{x:g}") if isinstance(x, float) and 1e-4 <= abs(x) < 1e4 else num(x)


def losses_agree(grad0: dict) -> bool:
    """Gen_2's first gradient against a discriminator has about the same norm under the
    minimax and the non-saturating loss (ratio within ``LOSS_AGREE``): the minimax loss does
    not saturate there (it would be the smaller by the factor D/(1 - D) -> 0).

    >>> losses_agree({"nonsat": 0.0331, "minimax": 0.0336}), losses_agree({"nonsat": 12.7, "minimax": 3.36})
    (True, False)
    """
    a, b = grad0.get("nonsat"), grad0.get("minimax")
    if not all(isinstance(v, (int, float)) and v > 0 for v in (a, b)):
        return False
    return max(a, b) <= LOSS_AGREE * min(a, b)


PLATEAU_SHARE = 0.25   # the warm start's plateau must last at least this share of the run
NEAR_LEVEL = 0.5       # "near the frozen level": the warm median at least this times the frozen one's


def warm_plateau(case: dict) -> dict | None:
    """4.1.a: the warm-started median distance to q stays at or above ``NEAR_LEVEL`` times the
    frozen-Disc_1 run's median (the level at which a fixed Disc_1 holds Gen_2) from the start for
    at least ``PLATEAU_SHARE`` of the run, while the fresh discriminator's median falls below
    that level within the first ``PLATEAU_SHARE`` of the plateau. Returns the printed steps and
    medians ({"until", "warm", "frozen"}: the plateau's last step and the two medians there;
    {"fresh_at", "fresh"}: the step at which the fresh median fell below the level, and the fresh
    median at the plateau's end) or None.

    >>> r = lambda m: {"step": [10 * k for k in range(8)], "to_q": {"median": m}}
    >>> fresh, frozen = r([1.4, 0.3] + [0.2] * 6), r([1.5] * 8)
    >>> str(warm_plateau({"runs": {"warm": r([1.4] * 7 + [0.2]), "fresh": fresh, "frozen": frozen}})["until"])
    '60'
    >>> warm_plateau({"runs": {"warm": r([1.4] + [0.2] * 7), "fresh": fresh, "frozen": frozen}}) is None
    True
    """
    runs = case.get("runs", {})
    if not all(k in runs and "step" in runs[k] for k in ("warm", "fresh", "frozen")):
        return None
    steps = runs["warm"]["step"]
    w, f, z = (runs[k]["to_q"]["median"] for k in ("warm", "fresh", "frozen"))
    near = lambda a, c: a is not None and c is not None and a >= NEAR_LEVEL * c
    last = None
    for i in range(len(steps)):
        if not near(w[i], z[i]):
            break
        last = i
    if last is None or steps[last] < PLATEAU_SHARE * steps[-1]:
        return None
    left = next((j for j in range(last + 1) if f[j] is not None and not near(f[j], z[j])), None)
    if left is None or steps[left] > PLATEAU_SHARE * steps[last]:
        return None
    return {"until": num(steps[last]), "warm": num(w[last]), "frozen": num(z[last]), "fresh": num(f[last]),
            "fresh_at": num(steps[left]), "level": num(NEAR_LEVEL)}


def exact_copy(run: dict) -> bool:
    """Every seed of the run ended at distance exactly 0 to p_1 (in floating point): Gen_2
    reproduces Gen_1's distribution exactly.

    >>> exact_copy({"final_to_p1": [0.0, 0.0]}), exact_copy({"final_to_p1": [0.0, 1e-9]}), exact_copy({})
    (True, False, False)
    """
    vals = run.get("final_to_p1") or []
    return bool(vals) and all(v == 0 for v in vals)


def systematic_gains(sc: dict, keys: tuple) -> str:
    """The settings (case and Gen_1 variant, joined by "and") of a 4.1.b-c scenario where a
    condition of ``keys`` holds: every seed of that way of training Gen_2 ended closer to q
    than Gen_1 (``every_seed_closer_to_q``, ``regression_every_seed_closer_to_q``); "" if none.

    >>> systematic_gains({"cases": {"gaussian": {"gen1": {"trained": {"conditions": {"e": False}},
    ...     "shifted": {"conditions": {"e": True}}}}}}, ("e",))
    'the Gaussian case, stress case'
    """
    return " and ".join(_setting(name, v) for name, c in sc["cases"].items() for v, g in c["gen1"].items()
                        if any(g["conditions"].get(k) for k in keys))


def _setting(case: str, variant: str) -> str:
    return f"the {CASE_TITLES.get(case, case)} case, {SETTING_NAMES[variant]}"


def verdict_words(scenario: str, verdict: str) -> Tex:
    """The answer's words for a computed verdict (LaTeX)."""
    return Tex(VERDICT_WORDS[scenario][verdict])


def _model(m: dict) -> Tex:
    return Tex(MODELS[m["kind"]].replace("{width}", str(m.get("width"))))


def _q(comps) -> Tex:
    """The data law as a formula: ``$\\N(1, 0.5^2)$`` or ``$\\tfrac12\\N(\\dots)+\\tfrac12\\N(\\dots)$``."""
    terms = [(r"\tfrac12" if w == 0.5 else ("" if w == 1 else f"{w:g}\\,")) + rf"\N({m:g},\,{s:g}^2)"
             for w, m, s in comps]
    return Tex("$" + "+".join(terms) + "$")


def _shift(shift: dict) -> Tex:
    if "output_shift" in shift:
        return Tex(f"output $+{shift['output_shift']:g}$")
    return Tex(f"mean $+{shift['mean_shift']:g}$, scale $\\times{shift['scale_factor']:g}$")


def dist(x) -> Tex:
    r"""A distance as the tables and the prose print it: :func:`report.tex.num`, the one number
    format (plain decimals from 0.01 to 1000, scientific notation outside, 3 digits).

    >>> str(dist(0.00108355)), str(dist(0.000979117)), str(dist(0.0927)), str(dist(0.0))
    ('$1.08\\times 10^{-3}$', '$9.79\\times 10^{-4}$', '0.0927', '0')
    """
    return num(x)


def _cell_format(values, median) -> tuple:
    r"""The number of significant digits for a median and its range (so the three numbers of
    a cell never mix precisions; trailing zeros kept), in the one number format: 3 digits, more
    if the two ends would print alike, until they differ.

    >>> _cell_format([0.089, 0.2574], 0.0927), _cell_format([0.00089, 0.0024], 0.0108)
    (('auto', 3), ('auto', 3))
    >>> _cell_format([0.135707, 0.136057], 0.135791)      # digits added: not [0.136, 0.136]
    ('auto', 4)
    """
    lo, hi = min(values), max(values)
    for digits in (3, 4, 5, 6):
        if lo == hi or numfmt.latex(lo, digits) != numfmt.latex(hi, digits):
            return "auto", digits
    return "auto", 6


def _cell_num(x, fmt: tuple, zeros: bool = True) -> Tex:
    notation, digits = fmt
    return Tex(numfmt.latex(x, digits, notation, zeros=zeros)) if x else num(x)


def _spread(values, median, alone: tuple | None = None) -> Tex:
    r"""``median [min, max]`` over seeds, all three in one notation and with the same number of
    significant digits (:func:`_cell_format`); the median is the fact the prose quotes
    (:func:`_median`); a cell whose seeds all agree prints its one value alone, in the format
    ``alone`` if given (the finest of its table's cells, :func:`_finest`).

    >>> str(_spread([0.089, 0.0927, 0.2574], 0.0927)), str(_spread([8.93e-4, 0.00108, 2.36e-3], 0.00108))
    ('0.0927\\newline{\\scriptsize[0.0890, 0.257]}', '$1.08\\times 10^{-3}$\\newline{\\scriptsize[$8.93\\times 10^{-4}$, $2.36\\times 10^{-3}$]}')
    """
    vals = [v for v in values or [] if isinstance(v, (int, float))]
    if median is None:
        return Tex("--")
    if len(vals) < 2 or min(vals) == max(vals):
        return _alone(median, alone)
    fmt = _at_least(_cell_format(vals, median), alone)
    lo, hi = (_cell_num(v, fmt) for v in (min(vals), max(vals)))
    return Tex(f"{_cell_num(median, fmt)}\\newline{{\\scriptsize[{lo}, {hi}]}}")


def _like(values, median, x, alone: tuple | None = None) -> Tex:
    """``x`` printed in the notation and digits of the cell of ``values`` and their median
    (:func:`_spread`), trailing zeros dropped as where the tables print it alone."""
    vals = [v for v in values or [] if isinstance(v, (int, float))]
    if x is None or median is None or len(vals) < 2 or min(vals) == max(vals):
        return _alone(x, alone)
    return _cell_num(x, _cell_format(vals, median), zeros=False)


def _median(values, median, alone: tuple | None = None) -> Tex:
    """A run's median as its table cell prints it (:func:`_spread`), for the prose."""
    vals = [v for v in values or [] if isinstance(v, (int, float))]
    if median is None or len(vals) < 2 or min(vals) == max(vals):
        return _alone(median, alone)
    return _cell_num(median, _at_least(_cell_format(vals, median), alone))


def _at_least(fmt: tuple, fine: tuple | None) -> tuple:
    """``fmt`` with at least the digits of ``fine`` (in the same notation), so that one quantity
    prints with the same digits in every cell of a group and in the prose.

    >>> _at_least(("auto", 3), ("auto", 4)), _at_least(("sci", 3), ("auto", 4)), _at_least(("auto", 3), None)
    (('auto', 4), ('sci', 3), ('auto', 3))
    """
    return (fmt[0], max(fmt[1], fine[1])) if fine and fine[0] == fmt[0] else fmt


def _alone(x, fmt: tuple | None) -> Tex:
    """One value without a range: :func:`dist`, or in the format ``fmt`` (trailing zeros dropped)."""
    return _cell_num(x, fmt, zeros=False) if fmt and isinstance(x, (int, float)) else dist(x)


def _finest(runs) -> tuple | None:
    """The cell format with the most digits among runs whose seeds differ (None if none do),
    so that one distance quoted beside them (Gen_1's, an exact copy's) is printed as finely.

    >>> _finest([{"final_to_q": [0.135707, 0.136057], "final_to_q_median": 0.135791},
    ...          {"final_to_q": [0.1357, 0.1357], "final_to_q_median": 0.1357}])
    ('auto', 4)
    """
    fmts = [_cell_format(r["final_to_q"], r["final_to_q_median"]) for r in runs
            if r["final_to_q_median"] is not None and len(set(v for v in r["final_to_q"] if v is not None)) > 1]
    return max(fmts, key=lambda f: f[1]) if fmts else None


def ended_below(run: dict, threshold, key: str) -> int:
    """How many seeds ended (final distance ``final_<key>``) at or below ``threshold``, whether or
    not they stayed there for the confirmation window that "reached" asks for.

    >>> ended_below({"final_to_q": [0.1, 0.3, None]}, 0.2, "to_q")
    1
    """
    return sum(1 for v in run.get(f"final_{key}") or [] if v is not None and v <= threshold)


def _steps(run: dict, seeds: int, below: int | None = None) -> Tex:
    """How many seeds reached the threshold, the median seed's step ("never" counting as after
    the end: -- if the median seed did not reach it) and [min, max] of the steps of the seeds
    that reached it; below it, how many seeds ended below the threshold."""
    k, got = run["reached"], [v for v in run.get("steps_to_threshold") or [] if v is not None]
    span = (f" {{\\scriptsize[{num(min(got))}, {num(max(got))}]}}" if len(got) > 1 and min(got) != max(got) else "")
    if run["steps_median"] is not None:
        out = f"{k}/{seeds}, step {num(run['steps_median'])}{span}"
    elif got:
        out = f"{k}/{seeds} (step{'s' * (len(got) > 1)} " + ", ".join(str(num(v)) for v in sorted(got)) + "), --"
    else:
        out = f"{k}/{seeds}, --"
    if below is not None:
        out += f"\\newline{{\\scriptsize below at the end: {below}/{seeds}}}"
    return Tex(out)


def factor(x) -> dict:
    r"""A ratio r as the prose says it: ``{"by": "1.84", "up": True}`` for r > 1 ("larger by a
    factor of 1.84"), ``{"by": 1/r, "up": False}`` for r < 1; three digits, two in scientific
    notation from 1000 on, three digits there too; trailing zeros kept (1.30 beside 1.34).

    >>> factor(11336.0)["by"], factor(0.5)["by"], factor(0.5)["up"], factor(1.3)["by"]
    ('$1.13\\times 10^{4}$', '2.00', False, '1.30')
    """
    if not isinstance(x, (int, float)) or x <= 0 or not math.isfinite(x):
        return {"by": Tex("--"), "up": True, "one": False}
    up, r = x >= 1, (x if x >= 1 else 1 / x)
    by = Tex(numfmt.latex(r, 3, zeros=True))
    return {"by": by, "up": up, "one": numfmt.latex(r, 3) == "1"}


def _dist(kind: str) -> dict:
    """The distance as the text writes it: ``KL(p_Gen2 || p_data)`` (one KL notation, as in
    Problem 2), ``W_1(p_Gen2, p_data)``; keys p2q, p2p1, p1q."""
    sep = r"\,\|\," if kind == "kl" else ","
    sym = SYMBOL[kind]
    return {k: Tex(f"{sym}({a}{sep}{b})") for k, (a, b) in
            {"p2q": (r"\ptwo", r"\pdata"), "p2p1": (r"\ptwo", r"\pone"), "p1q": (r"\pone", r"\pdata")}.items()}


def _row(name: str, run: dict, seeds: int, alone: tuple | None = None, below: int | None = None,
         exact_bound: Tex | None = None) -> dict:
    to_p1 = (_spread(run.get("final_to_p1"), run.get("final_to_p1_median"), alone) if "final_to_p1" in run
             else Tex("--"))
    if exact_bound is not None:   # every seed at or below the KL's rounding bound (regression_exact)
        to_p1 = Tex(f"$\\le${exact_bound} (rounding)")
    return {"name": Tex(RUN_NAMES[name]), "to_q": _spread(run["final_to_q"], run["final_to_q_median"], alone),
            "to_p1": to_p1, "steps": _steps(run, seeds, below), "diverged": len(run["diverged"])}


def _facts(run: dict, dist_p1_q=None, alone: tuple | None = None, below: int | None = None) -> dict:
    """A run's summary facts as the prose prints them (the same Tex as its table row);
    ``p1q``: Gen_1's distance to q printed like the run's median (so the two compared share one
    format); ``same_as_gen1``: the two print the same digits; ``exact``:
    :func:`exact_copy`."""
    to_q = _median(run["final_to_q"], run["final_to_q_median"], alone)
    p1q = _like(run["final_to_q"], run["final_to_q_median"], dist_p1_q, alone)
    return {"to_q": to_q, "p1q": p1q, "to_p1": _median(run.get("final_to_p1"), run.get("final_to_p1_median")), "seeds": num(len(run["final_to_q"])),
            "steps": num(run["steps_median"]), "reached": run["reached"], "never": run["steps_median"] is None,
            "n_seeds": len(run["final_to_q"]), "below": below,
            "steps_range": [num(v) for v in _range([v for v in run.get("steps_to_threshold") or [] if v is not None])],
            "exact": exact_copy(run),
            "same_as_gen1": dist_p1_q is not None and str(to_q) == str(p1q)}



def _range(vals: list) -> list:
    return [min(vals), max(vals)] if vals else []


def _group(g: dict, seeds: int, fine: tuple | None = None, threshold=None, key: str = "to_q") -> dict:
    """One set of runs (a case of 4.1.a, or a case and Gen_1 variant of 4.1.b-c); ``threshold``:
    the one on the distance ``key`` ("to_q" in 4.1.a, "to_p1" in 4.1.b-c)."""
    closer = (g.get("numbers") or {}).get("seeds_closer_to_q", {})
    fine = fine or _finest(g["runs"].values())
    below = {n: ended_below(r, threshold, key) if threshold is not None else None for n, r in g["runs"].items()}
    bound = g.get("numbers", {}).get("kl_rounding_bound")
    bound = signed(bound) if bound else None
    exact = (g.get("conditions") or {}).get("regression_exact")   # one form for "zero to rounding", 0 or not
    out = {"rows": [{**_row(n, r, seeds, fine, below[n], bound if n == "regression" and exact else None),
                     "closer": Tex(f"{closer[n]}/{len(r['final_to_q'])}") if n in closer
                     else Tex("--")} for n, r in g["runs"].items()],
           "run": {n: _facts(r, g.get("dist_p1_q"), fine, below[n]) for n, r in g["runs"].items()},
           "c": dict(g["conditions"])}
    if "dist_p1_q" in g:
        out["dist_p1_q"] = _alone(g["dist_p1_q"], fine)
    if "disc_grad_var" in g:
        out["var"] = _ratio_range(g["disc_grad_var"]["end"])
    if "numbers" in g:
        out["n"] = _numbers(g["numbers"])
        if "towards_q_range" in g["numbers"]:
            out["direction"] = {v: direction(r) for v, r in g["numbers"]["towards_q_range"].items()}
        if "grad0" in g["numbers"]:
            out["losses_agree"] = losses_agree(g["numbers"]["grad0"]["warm"])
        if "closer_ratio" in g["numbers"]:
            out["closer"] = factor(g["numbers"]["closer_ratio"])
    return out


def _ratio_range(var: dict) -> Tex | None:
    """Each seed's variance ratio, independent over shared noise (the ratios the condition
    shared_less_grad_var of the results is over), as ``median [min, max]`` (3 digits, trailing
    zeros kept); None without per-seed values.

    >>> str(_ratio_range({"independent_seeds": [1.3, 0.9, 2.88], "shared_seeds": [1.0, 1.0, 2.0]}))
    '1.30 [0.900, 1.44]'
    """
    ratios = [i / s for i, s in zip(var.get("independent_seeds") or [], var.get("shared_seeds") or [])
              if i is not None and s]
    if not ratios:
        return None
    f = lambda x: numfmt.latex(x, 3, zeros=True)
    return Tex(f"{f(float(np.median(ratios)))} [{f(min(ratios))}, {f(max(ratios))}]")


def _numbers(n):
    """Every number of a ``numbers`` record as the tables print it (a [min, max] pair as two)."""
    if isinstance(n, dict):
        return {k: _numbers(v) for k, v in n.items()}
    return [signed(v, zeros=True) for v in n] if isinstance(n, list) else signed(n, zeros=True)


def _finest_by_gen1(scenarios: dict) -> dict:
    """(case, Gen_1 variant) -> the finest cell format of its runs over every scenario of 4.1.b-c,
    so that Gen_1's one distance to q prints alike in each table and sentence that quotes it."""
    runs: dict = {}
    for key, sc in scenarios.items():
        if key != "a":
            for name, c in sc["cases"].items():
                for v, g in c["gen1"].items():
                    runs.setdefault((name, v), []).extend(g["runs"].values())
    return {k: _finest(rs) for k, rs in runs.items()}


def _scenario(key: str, sc: dict, cases: dict, seeds: int, figures: list, shown: set, fine: dict) -> dict:
    out_cases = []
    for name, c in sc["cases"].items():
        base = {"name": name, "title": cases[name]["title"], "sym": cases[name]["sym"], "d": cases[name]["d"],
                "threshold": num(c["threshold"]), "threshold_factor": c.get("threshold_factor"),
                "eq_max_dev": cases[name]["eq"]["max_dev"]}
        if key == "a":
            out_cases.append({**base, **_group(c, seeds, threshold=c["threshold"]), "plateau": warm_plateau(c)})
        else:
            out_cases.append({**base, "gen1": {v: _group(g, seeds, fine.get((name, v)), c["threshold"], "to_p1")
                                               for v, g in c["gen1"].items()}})
    figs = figure_list(sc["figures"], figures, {})
    for f in figs:
        f["caption"] = Tex(CAPTIONS[f["stem"]].replace("{floors}", _floors(cases)).replace("{ctables}", _ctables(cases)))
    new = [f for f in figs if f["label"] not in shown]
    shown.update(f["label"] for f in new)
    gains = "" if key == "a" else systematic_gains(sc, ("every_seed_closer_to_q", "regression_every_seed_closer_to_q"))
    return {"key": key, "table_caption": Tex(TABLE_CAPTIONS[key]), "verdict": sc["verdict"], "gains": gains,
            "diverged_note": _diverged_note(sc),
            "words": verdict_words(key, sc["verdict"]), "heading": Tex(HEADING_WORDS[key][sc["verdict"]]),
            "cases": out_cases, "effect": _effect(sc, key), "figures": {f["stem"]: f for f in new}}


def _diverged_note(sc: dict) -> Tex:
    """How many seeds of the scenario's runs diverged (NaN caught), or that none did."""
    runs = [r for c in sc["cases"].values() for g in ([c] if "runs" in c else c["gen1"].values())
            for r in g["runs"].values()]
    k = sum(len(r["diverged"]) for r in runs)
    return Tex("No run's parameters became non-finite." if k == 0 else
               f"In {k} runs of a seed the parameters became non-finite (their distances are left out).")


def _effect(sc: dict, key: str) -> dict | None:
    """:func:`shared_effect` of scenario ``key``, for 4.1.c with the settings named where shared
    noise brought p_2 closer (``closer_where``)."""
    e = shared_effect(sc.get("overall"), _not_closer(sc) if key == "c" else "")
    return {**e, "closer_where": _closer_where(sc) if key == "c" else ""} if e else e


def _not_closer(sc: dict) -> str:
    """The settings of 4.1.c where the shared noise did not bring p_2 closer to p_1 (the
    condition shared_closer_to_p1 fails), joined by "and"."""
    return " and ".join(_setting(name, v) for name, c in sc["cases"].items() for v, g in c["gen1"].items()
                        if not g["conditions"].get("shared_closer_to_p1"))


def _closer_where(sc: dict) -> str:
    """The settings of 4.1.c where shared noise brought p_2 closer to p_1 on every seed
    (shared_closer_to_p1), each case with its table: ``the Gaussian case (main) and the Gaussian
    case (stress case) (Table~\\ref{tab:gan-c-gaussian})``."""
    bits = []
    for name, c in sc["cases"].items():
        on = [_setting(name, v) for v, g in c["gen1"].items() if g["conditions"].get("shared_closer_to_p1")]
        if on:
            bits.append(" and ".join(on) + f" (Table~\\ref{{tab:gan-c-{name}}})")
    return "; ".join(bits)


def shared_effect(overall, not_closer: str = "") -> dict | None:
    """What the shared noise of 4.1.c did over all (case, Gen_1) settings, from the counts of
    ``scenarios.c.overall`` (each condition holds on every seed of a setting, or not): in how many
    settings p_2 ended closer to / farther from p_1 than with independent noise, and with no
    difference the seeds resolve; sooner / later to the threshold; ``not_closer``: the settings
    where it did not bring p_2 closer (named in the text).

    >>> e = shared_effect({"settings": 4, "shared_closer_to_p1": 2, "shared_farther_from_p1": 0,
    ...                    "shared_faster": 1, "shared_slower": 0})
    >>> e["n_closer"], e["n_unresolved"], e["n_faster"]
    ('2', '2', '1')
    """
    if not overall:
        return None
    n, k, fa = overall["settings"], overall["shared_closer_to_p1"], overall.get("shared_farther_from_p1", 0)
    f, sl = overall["shared_faster"], overall["shared_slower"]
    return {"settings": num(n), "n_closer": num(k), "n_farther": num(fa), "n_unresolved": num(n - k - fa),
            "n_faster": num(f), "n_slower": num(sl), "n_same": num(n - f - sl), "not_closer": not_closer}


def _power_of_ten(x) -> Tex:
    """``1e-4 -> $10^{-4}$`` (an exact power of ten needs no mantissa), else :func:`num`."""
    if isinstance(x, (int, float)) and x > 0 and float(math.log10(x)).is_integer():
        return Tex(f"$10^{{{int(math.log10(x))}}}$")
    return num(x)


def _floors(cases: dict) -> str:
    return " and ".join(f"{c['floor']} ({c['title']})" for c in cases.values())


def _ctables(cases: dict) -> str:
    """``Tables~\\ref{tab:gan-c-gaussian} and~\\ref{tab:gan-c-mixture}``: the tables of 4.1.b-c, one per case."""
    refs = [f"\\ref{{tab:gan-c-{n}}}" for n in cases]
    return ("Tables~" if len(refs) > 1 else "Table~") + " and~".join(refs)


def _all_figures(data: dict, figures: list, cases: dict) -> dict:
    """{stem: figure entry} for every figure of this build, with its caption."""
    out = {}
    for f in figure_list(data["figures"], figures, {}):
        f["caption"] = Tex(CAPTIONS[f["stem"]].replace("{floors}", _floors(cases)).replace("{ctables}", _ctables(cases)))
        out[f["stem"]] = f
    return out


def _case(name: str, c: dict, eq: dict) -> dict:
    e = eq.get(name, {})
    return {"name": name, "title": CASE_TITLES.get(name, name), "kind": c["distance"]["kind"],
            "sym": Tex(SYMBOL[c["distance"]["kind"]]), "d": _dist(c["distance"]["kind"]),
            "levels": c["distance"].get("levels"), "q": _q(c["q"]), "gen1": _model(c["gen1"]),
            "gen2": _model(c["gen2"]), "disc": _model(c["disc"]), "shift": _shift(c["shift"]),
            "threshold": num(c["threshold"]), "floor": _power_of_ten(c["plot_floor"]), "batch": c["batch"],
            "d_steps": c["d_steps"], "lr_g": _setting_value(c["lr_g"]), "lr_d": _setting_value(c["lr_d"]),
            "eq": {"dist_p1_q": dist(e.get("dist_p1_q")), "max_dev": num(e.get("disc1_support_max_dev"), zeros=True),
                   "mean_dev": num(e.get("disc1_support_mean_dev"), zeros=True),
                   "dstar": [num(v, zeros=True) for v in e.get("dstar_support_range") or (None, None)],
                   "far": [num(v, zeros=True) for v in e.get("disc1_far_range") or (None, None)],
                   "far_level": _power_of_ten(e.get("far_level")), "support_level": num(e.get("support_level")),
                   "window": [signed(v) for v in e.get("grid") or (None, None)],
                   "interval": Tex("$x\\in[" + ", ".join(str(num(v)).strip("$") for v in e.get("grid") or (None, None))
                                   + "]$")}}


def _window(st: dict) -> Tex:
    """The confirmation window of "reached", in generator steps."""
    w = st.get("window")
    if not w:
        return Tex("")
    return Tex(f"$\\max({num(w['records'] * st['record_every'])}$ generator steps, {num(100 * w['fraction'])}\\,\\% of "
               "the steps so far$)$")


def gan_section(o, figures: list) -> dict:
    """Problem 4's context for the templates from ``DIR/gan/results.json`` (schema v2)."""
    if o is None or not o.ok:
        return {**unavailable(o, "GAN experiment"), "answer_a": prose.answer_a(None), "answer_b": prose.answer_b(None),
                "answer_c": prose.answer_c(None), "a": None, "b": None, "c": None}
    data = o.data
    if data.get("schema") != SCHEMA:
        raise ValueError(f"schema {data.get('schema')!r}, expected {SCHEMA!r}")
    st = data["settings"]
    opt = st["optimizer"]
    cases = {n: _case(n, c, data["equilibrium"]) for n, c in st["cases"].items()}
    shown: set = set()
    fine = _finest_by_gen1(data["scenarios"])
    scen = {k: _scenario(k, data["scenarios"][k], cases, st["seeds"], figures, shown, fine) if k in data["scenarios"]
            else None for k in ("a", "b", "c")}
    case_list = list(cases.values())
    used = {s for sc in data["scenarios"].values() for s in sc["figures"]}
    return {"ok": True, "why": "", "cases": list(cases.values()), "as_tex": Tex,   # a macro's output is LaTeX
            "settings": {"seeds": st["seeds"], "seed": st["seed"], "steps": st["steps"], "quick": st["quick"],
                         "generator_loss": st["generator_loss"], "loss": Tex(GENERATOR_LOSSES[st["generator_loss"]]),
                         "pretrain_steps": st["pretrain_steps"], "polish_steps": st["polish_steps"],
                         "optimizer": Tex(f"Adam (decay rates {opt['beta1']:g} and {opt['beta2']:g})")},
            "window": _window(st),
            "extra_figures": figure_list([s for s in data["figures"] if s not in used], figures, {}), **scen,
            "figs": _all_figures(data, figures, cases), "ctables": Tex(_ctables(cases)),
            "answer_a": prose.answer_a(scen["a"]), "answer_b": prose.answer_b(scen["b"]),
            "answer_c": prose.answer_c(scen["c"]),
            "measured_a": prose.measured_a(scen["a"], case_list) if scen["a"] else Tex(""),
            "measured_b": prose.measured_b(scen["b"]) if scen["b"] else Tex(""),
            "measured_c": prose.measured_c(scen["c"]) if scen["c"] else Tex("")}

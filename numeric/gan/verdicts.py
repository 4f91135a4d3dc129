"""Problem 4's findings as named predicates over the run's facts, and the verdicts they give.

Every finding the writeup states about 4.1.a-c is one predicate here, computed from the
summary facts of the runs (:func:`run_facts`) and written into results.json as a named
condition; ``report/`` prints a sentence only when its condition holds. The verdicts are
enumerated values (``VERDICTS``), each decided by the rule in its function's docstring.
"""
from __future__ import annotations

import math

__all__ = ["VERDICTS", "GEN1_VARIANTS", "median", "median_steps", "run_facts", "verdict_a", "verdict_bc",
           "conditions_a", "conditions_b", "conditions_c"]

# Gen_1 of 4.1.b-c: "trained" is Gen_1 as trained on q (p_1 ~ q, the seed's premise);
# "shifted" is the stress case, Gen_1 moved off q on purpose (Case.shift).
GEN1_VARIANTS = ("trained", "shifted")
VERDICTS = {"a": ("no", "partly", "yes"),
            "b": ("as_well_as_gen1", "better_than_gen1", "not_reached"),
            "c": ("as_well_as_gen1", "better_than_gen1", "not_reached")}
SPEEDUP = 1.25   # "faster" in 4.1.a: the warm start reaches the threshold at least this many times sooner


def median(values):
    """The median of the finite values (None if there are none).

    >>> median([3, None, 1, 2.0])
    2.0
    """
    vals = sorted(float(v) for v in values if v is not None and math.isfinite(v))
    if not vals:
        return None
    n = len(vals)
    return vals[n // 2] if n % 2 else 0.5 * (vals[n // 2 - 1] + vals[n // 2])


def median_steps(steps, total: int):
    """The (lower) median of the steps to threshold over all seeds, "never" counting as after
    the end: an observed step, or None if the median seed never reached the threshold.

    >>> median_steps([30, None, 60], 100), median_steps([None, None, 60], 100)
    (60, None)
    """
    vals = sorted(total + 1 if s is None else s for s in steps)
    m = vals[(len(vals) - 1) // 2]
    return None if m > total else m


def run_facts(run: dict, total: int) -> dict:
    """The summary facts of one run that the writeup prints (tables and prose alike):
    median final distances, the median steps to threshold and how many seeds reached it."""
    out = {"final_to_q_median": median(run["final_to_q"])}
    if "final_to_p1" in run:
        out["final_to_p1_median"] = median(run["final_to_p1"])
    out["steps_median"] = median_steps(run["steps_to_threshold"], total)
    out["reached"] = sum(s is not None for s in run["steps_to_threshold"])
    return out


def _steps(s, total):
    return total + 1 if s is None else s


def _lt(x, y) -> bool:
    return x is not None and y is not None and x < y


def _le(x, y) -> bool:
    return x is not None and y is not None and x <= y


def conditions_a(case: dict, total: int) -> dict:
    """4.1.a for one case (``case["runs"]`` with facts, ``case["threshold"]``):

    - warm_faster: the warm start reaches the threshold at least SPEEDUP times sooner (median
      steps, "never" after the end) than a fresh discriminator;
    - warm_slower: it reaches it later than a fresh one;
    - frozen_misses: against Disc_1 kept frozen, Gen_2's median final distance to q stays
      above the threshold.
    """
    w, f, z = (case["runs"][v] for v in ("warm", "fresh", "frozen"))
    sw, sf = _steps(w["steps_median"], total), _steps(f["steps_median"], total)
    return {"warm_faster": sf >= SPEEDUP * sw, "warm_slower": sw > sf,
            "frozen_misses": not _le(z["final_to_q_median"], case["threshold"])}


def verdict_a(conditions: dict) -> str:
    """"yes" if the warm start is faster in every case, "partly" if in some, "no" otherwise."""
    faster = [c["warm_faster"] for c in conditions.values()]
    return "yes" if all(faster) else ("partly" if any(faster) else "no")


def _no_better(to_q, dist_p1_q, to_p1, kind: str) -> bool:
    """d(p_2, q) >= d(p_1, q) - d(p_2, p_1): Gen_2 no closer to q than Gen_1 beyond its own
    distance from p_1, with d = W1 (a metric) or d = sqrt(KL) (to first order the Fisher-Rao
    distance between nearby Gaussians)."""
    if None in (to_q, dist_p1_q, to_p1):
        return False
    d = math.sqrt if kind == "kl" else (lambda v: v)
    return d(to_q) >= d(dist_p1_q) - d(to_p1)


def _gen2_conditions(run: dict, dist_p1_q, threshold, kind: str) -> dict:
    """- reaches_p1: Gen_2's median final distance to p_1 is within the threshold;
    - no_better_than_gen1: it is no closer to q than Gen_1 beyond its own error (:func:`_no_better`);
    - errors_add: its distance to q is at least both errors, dist(p_1, q) and dist(p_2, p_1);
    - closer_to_p1: it ends closer to p_1 than to q (what it learned is p_1)."""
    to_p1, to_q = run["final_to_p1_median"], run["final_to_q_median"]
    return {"reaches_p1": _le(to_p1, threshold), "no_better_than_gen1": _no_better(to_q, dist_p1_q, to_p1, kind),
            "errors_add": _le(dist_p1_q, to_q) and _le(to_p1, to_q), "closer_to_p1": _lt(to_p1, to_q)}


def conditions_b(case: dict) -> dict:
    """4.1.b for one case and one Gen_1 variant (``case["runs"]``, ``case["dist_p1_q"]``,
    ``case["threshold"]``, ``case["kind"]``, the distance's kind):
    the conditions of :func:`_gen2_conditions` for the GAN trained on Gen_1's samples."""
    return _gen2_conditions(case["runs"]["gan_on_gen1"], case["dist_p1_q"], case["threshold"], case["kind"])


def conditions_c(case: dict) -> dict:
    """4.1.c for one case and one Gen_1 variant: the conditions of :func:`_gen2_conditions`
    for the shared-noise GAN, and

    - shared_closer_to_p1: with shared noise p_2 ends closer to p_1 than with independent noise;
    - shared_less_grad_var: the discriminator's minibatch gradient has less variance with shared
      noise at the end of training;
    - regression_closer_to_p1: regressing Gen_2(z) on Gen_1(z) ends closer to p_1 than the
      shared-noise GAN;
    - regression_faster: the regression reaches the threshold sooner (median steps);
    - regression_no_better_than_gen1: the regression, too, is no closer to q than Gen_1 beyond
      its own error.
    """
    r = case["runs"]
    sh, ind, reg = r["shared_noise_gan"], r["gan_on_gen1"], r["regression"]
    total = case["steps"]
    var = case["disc_grad_var"]["end"]
    return {**_gen2_conditions(sh, case["dist_p1_q"], case["threshold"], case["kind"]),
            "shared_closer_to_p1": _lt(sh["final_to_p1_median"], ind["final_to_p1_median"]),
            "shared_less_grad_var": _lt(var["shared"], var["independent"]),
            "regression_closer_to_p1": _lt(reg["final_to_p1_median"], sh["final_to_p1_median"]),
            "regression_faster": _steps(reg["steps_median"], total) < _steps(sh["steps_median"], total),
            "regression_no_better_than_gen1": _no_better(reg["final_to_q_median"], case["dist_p1_q"],
                                                         reg["final_to_p1_median"], case["kind"])}


def verdict_bc(conditions: dict) -> str:
    """From the conditions of the main case (Gen_1 as trained) of every distribution case:
    "better_than_gen1" if Gen_2 ends closer to q than Gen_1 in some case (against the theory);
    else "as_well_as_gen1" if Gen_2 reaches p_1 in every case (so it reconstructs q as well as
    Gen_1 does, no better); else "not_reached"."""
    main = [c["trained"] for c in conditions.values()]
    if not all(c["no_better_than_gen1"] for c in main):
        return "better_than_gen1"
    return "as_well_as_gen1" if all(c["reaches_p1"] for c in main) else "not_reached"

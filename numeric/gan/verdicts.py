"""Problem 4's findings as named predicates over the run's facts, and the verdicts they give.

Every finding the writeup states about 4.1.a-c is one predicate here, computed from the
summary facts of the runs (:func:`run_facts`) and written into results.json as a named
condition; ``report/`` prints a sentence only when its condition holds. The verdicts are
enumerated values (``VERDICTS``), each decided by the rule in its function's docstring.
"""
from __future__ import annotations

import math

__all__ = ["VERDICTS", "GEN1_VARIANTS", "HALF_TOL", "GRAD_FACTOR", "NEAR_FROZEN", "P1_THRESHOLD", "TOWARDS",
           "WINDOW_RECORDS", "WINDOW_FRACTION", "p1_threshold", "median", "median_steps", "confirmed_step", "separated",
           "run_facts", "seeds_closer", "verdict_a", "verdict_bc", "conditions_a", "conditions_b", "conditions_c",
           "overall_c"]

# Gen_1 of 4.1.b-c: "trained" is Gen_1 as trained on q (p_1 ~ q, the seed's premise);
# "shifted" is the stress case, Gen_1 moved off q on purpose (Case.shift).
GEN1_VARIANTS = ("trained", "shifted")
VERDICTS = {"a": ("no", "partly", "yes"),
            "b": ("as_well_as_gen1", "better_than_gen1", "not_reached"),
            "c": ("as_well_as_gen1", "better_than_gen1", "not_reached")}
HALF_TOL = 0.05  # "close to 1/2" in 4.1.a: within this of 1/2 everywhere on the support of q
GRAD_FACTOR = 2  # "smaller" / "larger" first gradient of Gen_2 in 4.1.a: by at least this factor
NEAR_FROZEN = 0.5  # 4.1.a: the warm start has left the frozen Disc_1's level once its distance is half of it
P1_THRESHOLD = 1.0  # 4.1.b-c: Gen_2 "reached" p_1 within this times d(p_1, q) of Gen_1 as trained
TOWARDS = 0.5   # 4.1.a: the first step moves Gen_2's samples towards (away from) q: cosine above (below -) this
# "reached the threshold" (as Problem 1's "converged"): the first recorded step from which the distance
# stays at or below it for a confirmation window of max(WINDOW_RECORDS records, WINDOW_FRACTION x the step)
WINDOW_RECORDS, WINDOW_FRACTION = 10, 0.2


def confirmed_step(steps, values, threshold: float):
    """The first recorded step ``s`` from which every recorded value stays <= ``threshold`` up to
    ``s + max(WINDOW_RECORDS records, WINDOW_FRACTION s)``, that end lying within the record; None if
    there is none (a dip below the threshold that does not last, or one too late to be confirmed).

    >>> steps = list(range(0, 300, 10))
    >>> confirmed_step(steps, [1.0] * 5 + [0.1] * 25, 0.5)
    50
    >>> confirmed_step(steps, [1.0, 0.1, 1.0] + [1.0] * 20 + [0.1] * 7, 0.5) is None   # too late to confirm
    True
    """
    steps = list(steps)
    every = steps[1] - steps[0] if len(steps) > 1 else 1
    start = None
    for k, (t, v) in enumerate(zip(steps, values)):
        if v is None or not math.isfinite(v) or v > threshold:
            start = None
            continue
        start = k if start is None else start
        s = steps[start]
        if t - s >= max(WINDOW_RECORDS * every, WINDOW_FRACTION * s):
            return s
    return None


def _late(s, total: int) -> int:
    """A step to threshold with "never" after the end."""
    return total + 1 if s is None else s


def separated(a, b) -> bool:
    """Every value of ``a`` is below every value of ``b`` (the seeds' ranges do not overlap; None
    values count as +infinity): the seeds resolve the difference.

    >>> separated([1, 2], [3, 4]), separated([1, 3], [2, 4]), separated([1, 2], [None, 5])
    (True, False, True)
    """
    big = lambda v: math.inf if v is None else v
    a, b = [big(v) for v in a], [big(v) for v in b]
    return bool(a) and bool(b) and max(a) < min(b)


def p1_threshold(dist_p1_q_trained: float) -> float:
    """The threshold of 4.1.b-c on d(p_2, p_1): P1_THRESHOLD times Gen_1's own distance to q (as
    trained, the seed's premise p_1 ~ q), so that "Gen_2 reached p_1" means it matches Gen_1 as
    closely as Gen_1 matches q, and the threshold scales with how good Gen_1 is.

    >>> p1_threshold(0.000979)
    0.000979
    """
    return P1_THRESHOLD * dist_p1_q_trained


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
    return _late(s, total)


def var_ratios(var: dict) -> list[float]:
    """Each seed's ratio of the discriminator's gradient variance, independent over shared noise
    (seeds with a missing or zero value left out).

    >>> var_ratios({"independent_seeds": [2.0, 3.0, None], "shared_seeds": [1.0, 2.0, 1.0]})
    [2.0, 1.5]
    """
    return [i / s for i, s in zip(var.get("independent_seeds") or [], var.get("shared_seeds") or [])
            if i is not None and s]


def _lt(x, y) -> bool:
    return x is not None and y is not None and x < y


def _le(x, y) -> bool:
    return x is not None and y is not None and x <= y


def _times(k, x):
    return None if x is None else k * x


def conditions_a(case: dict, total: int, eq: dict) -> dict:
    """4.1.a for one case (``case["runs"]`` with facts, ``case["threshold"]``,
    ``case["numbers"]``) and the case's equilibrium facts ``eq`` (Disc_1 against Gen_1):

    - warm_faster: every seed of the warm start reached the threshold (confirmed) before every
      seed of a fresh discriminator ("never" after the end: the ranges separate);
    - warm_slower: every seed of the warm start reached it after every seed of a fresh one;
    - frozen_misses: against Disc_1 kept frozen, no seed reached the threshold;
    - disc1_near_half: max |Disc_1 - 1/2| on the support of q is at most HALF_TOL (Disc_1 is
      nearly the constant 1/2 of an equilibrium there);
    - dstar_near_half: the optimal q/(q + p_1) of the trained Gen_1 stays within HALF_TOL of 1/2
      on the support (Gen_1 is close to an equilibrium with q);
    - disc1_far_real / disc1_far_fake: Disc_1 is above / below 1/2 everywhere away from the data
      (it rates the empty regions real / fake);
    - disc1_peak_off_data: Disc_1's maximum away from the data exceeds every value it takes on
      the support (1/2 + the max deviation), so a generator chasing Disc_1 moves off the data;
    - warm_grad_smaller / warm_grad_larger: Gen_2's first (non-saturating) gradient against
      Disc_1 is at most 1/GRAD_FACTOR / at least GRAD_FACTOR times that against a fresh D;
    - gen2_starts_off_data: the untrained Gen_2 has at least half its mass off the support of q;
    - warm_towards_q / warm_away_from_q: Gen_2's first gradient step against Disc_1 moves its
      samples towards q / away from it on every seed: the cosine with the direction towards q
      (numbers.towards_q_range, over the seeds) is at least TOWARDS / at most -TOWARDS on each;
    - warm_held: the warm-started run stays near the frozen Disc_1's level (its median distance
      to q above NEAR_FROZEN times the frozen run's) beyond the step at which the fresh D's median
      seed reached the threshold: Disc_1 holds Gen_2 where a frozen Disc_1 would.
    """
    w, f, z = (case["runs"][v] for v in ("warm", "fresh", "frozen"))
    sf = _steps(f["steps_median"], total)
    ws, fs = w["steps_to_threshold"], f["steps_to_threshold"]
    g = case["numbers"]["grad0"]
    gw, gf = g["warm"]["nonsat"], g["fresh"]["nonsat"]
    lo, hi = eq["disc1_far_range"]
    dev, ds = eq["disc1_support_max_dev"], eq["dstar_support_range"]
    off = case["numbers"]["gen2_init_off_support"]
    cos_lo, cos_hi = case["numbers"]["towards_q_range"]["warm"]
    return {"warm_faster": separated(ws, fs), "warm_slower": separated(fs, ws),
            "frozen_misses": not any(v is not None for v in z["steps_to_threshold"]),
            "disc1_near_half": _le(dev, HALF_TOL),
            "dstar_near_half": None not in ds and _le(max(abs(ds[0] - 0.5), abs(ds[1] - 0.5)), HALF_TOL),
            "disc1_far_real": _lt(0.5, lo), "disc1_far_fake": _lt(hi, 0.5),
            "disc1_peak_off_data": dev is not None and _lt(0.5 + dev, hi),
            "warm_grad_smaller": _le(_times(GRAD_FACTOR, gw), gf), "warm_grad_larger": _le(_times(GRAD_FACTOR, gf), gw),
            "gen2_starts_off_data": _le(0.5, off),
            "warm_towards_q": _le(TOWARDS, cos_lo), "warm_away_from_q": _le(cos_hi, -TOWARDS),
            "warm_held": _steps(case["numbers"]["warm_leaves_frozen_step"], total) > sf}


def verdict_a(conditions: dict) -> str:
    """"yes" if the warm start is faster in every case, "partly" if in some, "no" otherwise."""
    faster = [c["warm_faster"] for c in conditions.values()]
    return "yes" if all(faster) else ("partly" if any(faster) else "no")


def seeds_closer(final_to_q, dist_p1_q) -> int:
    """How many seeds ended strictly closer to q than Gen_1 (a diverged seed does not count).

    >>> seeds_closer([0.1, 0.3, None, 0.2], 0.25)
    2
    """
    return sum(1 for v in final_to_q if v is not None and dist_p1_q is not None and v < dist_p1_q)


def _gen2_conditions(run: dict, dist_p1_q, threshold, prefix: str = "") -> dict:
    """For one way of training Gen_2 on Gen_1 (``prefix`` names it in the keys):

    - reaches_p1: every seed of Gen_2 reached the threshold on d(p_2, p_1) (confirmed);
    - closer_to_p1: it ends closer to p_1 than to q (what it learned is p_1);
    - median_closer_to_q: its median final distance to q is below Gen_1's, d(p_1, q);
    - every_seed_closer_to_q: every seed ended closer to q than Gen_1 (a systematic gain, which
      the theory rules out: Gen_2 targets p_1);
    - no_seed_closer_to_q: no seed ended closer to q than Gen_1.
    """
    to_p1, to_q = run["final_to_p1_median"], run["final_to_q_median"]
    k, n = seeds_closer(run["final_to_q"], dist_p1_q), len(run["final_to_q"])
    steps = run["steps_to_threshold"]
    out = {"reaches_p1": bool(steps) and all(v is not None for v in steps), "closer_to_p1": _lt(to_p1, to_q),
           "median_closer_to_q": _lt(to_q, dist_p1_q), "every_seed_closer_to_q": n > 0 and k == n,
           "no_seed_closer_to_q": k == 0}
    return {prefix + key: v for key, v in out.items()}


def conditions_b(case: dict) -> dict:
    """4.1.b for one case and one Gen_1 variant (``case["runs"]``, ``case["dist_p1_q"]``,
    ``case["threshold"]``): the conditions of :func:`_gen2_conditions` for the GAN trained on
    Gen_1's samples."""
    return _gen2_conditions(case["runs"]["gan_on_gen1"], case["dist_p1_q"], case["threshold"])


def conditions_c(case: dict) -> dict:
    """4.1.c for one case and one Gen_1 variant: the conditions of :func:`_gen2_conditions`
    for the shared-noise GAN, the same prefixed ``regression_`` for the regression of Gen_2(z)
    on Gen_1(z), and

    - shared_closer_to_p1 / shared_farther_from_p1: every seed with shared noise ends closer to /
      farther from p_1 than every seed with independent noise (the ranges separate);
    - shared_faster / shared_slower: every seed with shared noise reaches the threshold sooner /
      later than every seed with independent noise ("never" after the end);
    - shared_less_grad_var / shared_more_grad_var: at the end of training the discriminator's
      minibatch gradient has less / more variance with shared noise than with independent noise
      on every seed (each seed's ratio independent/shared above / below 1; :func:`var_ratios`);
    - regression_closer_to_p1: every seed of the regression of Gen_2(z) on Gen_1(z) ends closer
      to p_1 than every seed of the shared-noise GAN;
    - regression_faster: every seed of the regression reaches the threshold before every seed of
      the shared-noise GAN;
    - regression_exact: (Gaussian case) every seed of the regression ends with KL(p_2 || p_1) at
      or below the rounding bound of the formula (numbers.kl_rounding_bound): zero to rounding.
    """
    r = case["runs"]
    sh, ind, reg = r["shared_noise_gan"], r["gan_on_gen1"], r["regression"]
    ratios = var_ratios(case["disc_grad_var"]["end"])
    st = {k: r[k]["steps_to_threshold"] for k in ("shared_noise_gan", "gan_on_gen1", "regression")}
    fin = {k: r[k]["final_to_p1"] for k in st}
    reg_c = _gen2_conditions(reg, case["dist_p1_q"], case["threshold"], "regression_")
    return {**_gen2_conditions(sh, case["dist_p1_q"], case["threshold"]),
            "shared_closer_to_p1": separated(fin["shared_noise_gan"], fin["gan_on_gen1"]),
            "shared_farther_from_p1": separated(fin["gan_on_gen1"], fin["shared_noise_gan"]),
            "shared_faster": separated(st["shared_noise_gan"], st["gan_on_gen1"]),
            "shared_slower": separated(st["gan_on_gen1"], st["shared_noise_gan"]),
            "shared_less_grad_var": bool(ratios) and min(ratios) > 1,
            "shared_more_grad_var": bool(ratios) and max(ratios) < 1,
            "regression_closer_to_p1": separated(fin["regression"], fin["shared_noise_gan"]),
            "regression_faster": separated(st["regression"], st["shared_noise_gan"]),
            "regression_exact": _exact(reg, (case.get("numbers") or {}).get("kl_rounding_bound")),
            **{k: reg_c[k] for k in ("regression_median_closer_to_q", "regression_every_seed_closer_to_q",
                                     "regression_no_seed_closer_to_q")}}


def _exact(run: dict, bound) -> bool:
    """Every seed's final distance to p_1 is at or below the rounding bound (None: no bound)."""
    vals = run.get("final_to_p1") or []
    return bound is not None and bool(vals) and all(v is not None and v <= bound for v in vals)


def verdict_bc(conditions: dict) -> str:
    """Will Gen_2 reconstruct q? From the conditions of the main case (Gen_1 as trained) of
    every distribution case: "better_than_gen1" if in some case every seed of Gen_2 ends closer
    to q than Gen_1 (a systematic gain, against the theory); else "as_well_as_gen1" (yes, to the
    extent p_1 ~ q) if Gen_2 reaches p_1 in every case; else "not_reached"."""
    main = [c["trained"] for c in conditions.values()]
    if any(c["every_seed_closer_to_q"] for c in main):
        return "better_than_gen1"
    return "as_well_as_gen1" if all(c["reaches_p1"] for c in main) else "not_reached"


def overall_c(conditions: dict) -> dict:
    """4.1.c over every case and Gen_1 variant (``conditions[case][variant]``): whether the
    shared noise brought p_2 closer to (farther from) p_1 than independent noise, and whether it
    reached the threshold sooner or later, each on every seed (the ranges separate): in how many
    settings each held, and how many settings."""
    cs = [c for v in conditions.values() for c in v.values()]
    out = {"settings": len(cs)}
    for key in ("shared_closer_to_p1", "shared_farther_from_p1", "shared_faster", "shared_slower"):
        out[key] = sum(bool(c[key]) for c in cs)
    return out

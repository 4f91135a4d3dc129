"""The predicates and verdict rules of Problem 4 (numeric.gan.verdicts), each flipped."""
from numeric.gan import verdicts as V


def _run(to_q, to_p1=None, steps=None, reached=0, seeds=None, spread=0.0):
    """A run of three seeds: final distances and (confirmed) steps to threshold at the median
    and ``spread`` (relative) either side."""
    around = lambda v: [v * (1 - spread), v, v * (1 + spread)]
    r = {"final_to_q_median": to_q, "steps_median": steps, "reached": 0 if steps is None else 3,
         "final_to_q": seeds if seeds is not None else [to_q] * 3,
         "steps_to_threshold": [None] * 3 if steps is None else [round(v) for v in around(steps)]}
    if to_p1 is not None:
        r["final_to_p1_median"] = to_p1
        r["final_to_p1"] = around(to_p1)
    return r


def test_confirmed_step_needs_the_window():
    steps = list(range(0, 1000, 10))
    dip = [1.0] * 10 + [0.05] * 3 + [1.0] * 87            # below at 100..120 only: not confirmed
    assert V.confirmed_step(steps, dip, 0.1) is None
    stay = [1.0] * 10 + [0.05] * 90                        # from 100 on: confirmed at 100
    assert V.confirmed_step(steps, stay, 0.1) == 100
    late = [1.0] * 95 + [0.05] * 5                         # from 950: the window (190 steps) runs past the end
    assert V.confirmed_step(steps, late, 0.1) is None
    nan = [1.0] * 10 + [0.05] * 5 + [float("nan")] + [0.05] * 84
    assert V.confirmed_step(steps, nan, 0.1) == 160        # a non-finite value breaks the streak


def test_separated_is_the_seeds_ranges():
    assert V.separated([1, 2, 3], [4, 5]) and not V.separated([1, 4], [3, 5])
    assert V.separated([1, 2], [3, None]) and not V.separated([None], [None])


def test_median_steps_counts_never_as_after_the_end():
    assert V.median_steps([10, 20, None], 100) == 20
    assert V.median_steps([10, None, None], 100) is None
    facts = V.run_facts({"final_to_q": [1.0, None, 3.0], "steps_to_threshold": [5, None]}, 10)
    assert facts == {"final_to_q_median": 2.0, "steps_median": 5, "reached": 1}


EQ = {"disc1_support_max_dev": 0.03, "dstar_support_range": [0.47, 0.52], "disc1_far_range": [0.6, 0.9]}
A_TRUE = {"warm_faster", "frozen_misses", "disc1_near_half", "dstar_near_half", "disc1_far_real",
          "disc1_peak_off_data", "warm_grad_smaller", "gen2_starts_off_data", "warm_towards_q"}


def _case_a(**numbers):
    n = {"grad0": {"warm": {"nonsat": 0.03}, "fresh": {"nonsat": 0.1}}, "gen2_init_off_support": 0.9,
         "towards_q": {"warm": 0.9, "fresh": 0.2}, "towards_q_range": {"warm": [0.8, 0.95], "fresh": [0.1, 0.3]},
         "warm_leaves_frozen_step": 5, **numbers}
    return {"threshold": 0.1, "numbers": n,
            "runs": {"warm": _run(0.05, steps=10), "fresh": _run(0.05, steps=50), "frozen": _run(5.0)}}


def test_conditions_a_and_its_verdict_flip():
    case = _case_a()
    c = V.conditions_a(case, 100, EQ)
    assert {k for k, v in c.items() if v} == A_TRUE, c
    case["runs"]["warm"]["steps_to_threshold"] = [None] * 3   # never: after the end, slower
    c2 = V.conditions_a(case, 100, EQ)
    assert c2["warm_faster"] is False and c2["warm_slower"] is True
    case["runs"]["warm"]["steps_to_threshold"] = [10, 20, 55]   # ranges overlap: neither
    c3 = V.conditions_a(case, 100, EQ)
    assert not c3["warm_faster"] and not c3["warm_slower"]
    case["runs"]["frozen"]["steps_to_threshold"] = [None, 80, None]   # one frozen seed reached it
    assert not V.conditions_a(case, 100, EQ)["frozen_misses"]
    assert V.verdict_a({"x": c, "y": c}) == "yes"
    assert V.verdict_a({"x": c, "y": c2}) == "partly"
    assert V.verdict_a({"x": c2, "y": c2}) == "no"


def test_conditions_a_on_disc1_and_the_first_gradient_flip():
    """Each 4.1.a condition about Disc_1 and Gen_2's first gradient, flipped by one fact."""
    flip = lambda eq=None, **n: V.conditions_a(_case_a(**n), 100, {**EQ, **(eq or {})})
    assert not flip({"disc1_support_max_dev": 0.21})["disc1_near_half"]
    assert not flip({"dstar_support_range": [0.3, 1.0]})["dstar_near_half"]
    far_mixed = flip({"disc1_far_range": [0.27, 0.54]})
    assert not far_mixed["disc1_far_real"] and not far_mixed["disc1_far_fake"]
    assert flip({"disc1_far_range": [0.1, 0.4]})["disc1_far_fake"]
    assert not flip({"disc1_far_range": [0.6, 0.52]})["disc1_peak_off_data"]   # 0.52 < 1/2 + 0.03
    big = flip(grad0={"warm": {"nonsat": 12.7}, "fresh": {"nonsat": 0.313}})
    assert big["warm_grad_larger"] and not big["warm_grad_smaller"]
    same = flip(grad0={"warm": {"nonsat": 0.1}, "fresh": {"nonsat": 0.15}})   # within GRAD_FACTOR
    assert not same["warm_grad_larger"] and not same["warm_grad_smaller"]
    assert not flip(gen2_init_off_support=0.4)["gen2_starts_off_data"]
    away = flip(towards_q_range={"warm": [-0.9, -0.6], "fresh": [0.1, 0.3]})
    assert away["warm_away_from_q"] and not away["warm_towards_q"]
    assert not any(flip(towards_q_range={"warm": [0.1, 0.2], "fresh": [0.1, 0.3]})[k]
                   for k in ("warm_away_from_q", "warm_towards_q"))
    # the seeds' range decides, not the median: one seed below TOWARDS and the direction is not resolved
    assert not flip(towards_q_range={"warm": [0.3, 0.95], "fresh": [0.1, 0.3]})["warm_towards_q"]
    assert flip(warm_leaves_frozen_step=60)["warm_held"] and flip(warm_leaves_frozen_step=None)["warm_held"]


def _bc(to_q, to_p1, dist, seeds=None, steps=40):
    return V.conditions_b({"runs": {"gan_on_gen1": _run(to_q, to_p1, seeds=seeds, steps=steps)}, "dist_p1_q": dist,
                           "threshold": 0.1})


def test_conditions_b_flip():
    """The comparison with Gen_1 is per seed and can fail either way (no reverse triangle
    inequality, which a metric satisfies for every outcome)."""
    base = _bc(to_q=0.3, to_p1=0.05, dist=0.28)
    assert base["reaches_p1"] and base["closer_to_p1"] and base["no_seed_closer_to_q"]
    assert not base["median_closer_to_q"] and not base["every_seed_closer_to_q"]
    assert _bc(0.3, 0.5, 0.28, steps=None)["reaches_p1"] is False
    one_missing = V.conditions_b({"runs": {"gan_on_gen1": {**_run(0.3, 0.05, steps=40),
                                                           "steps_to_threshold": [30, None, 50]}},
                                  "dist_p1_q": 0.28, "threshold": 0.1})
    assert one_missing["reaches_p1"] is False                 # every seed must reach it
    assert _bc(0.04, 0.05, 0.01)["closer_to_p1"] is False
    mixed = _bc(0.265, 0.015, 0.266, seeds=[0.264, 0.268, 0.265])    # 2 of 3 closer, median closer
    assert mixed["median_closer_to_q"] and not mixed["every_seed_closer_to_q"] and not mixed["no_seed_closer_to_q"]
    assert V.seeds_closer([0.264, 0.268, 0.265], 0.266) == 2
    assert _bc(0.2, 0.05, 0.28, seeds=[0.2, 0.21, 0.19])["every_seed_closer_to_q"]


def test_verdict_bc_follows_the_main_case():
    ok = {"reaches_p1": True, "every_seed_closer_to_q": False}
    bad = {"trained": {**ok, "every_seed_closer_to_q": True}, "shifted": ok}
    assert V.verdict_bc({"g": {"trained": ok, "shifted": ok}}) == "as_well_as_gen1"
    assert V.verdict_bc({"g": {"trained": ok, "shifted": ok}, "m": bad}) == "better_than_gen1"
    assert V.verdict_bc({"g": {"trained": {**ok, "reaches_p1": False}, "shifted": ok}}) == "not_reached"
    # the stress case does not decide the verdict
    assert V.verdict_bc({"g": {"trained": ok, "shifted": {**ok, "reaches_p1": False}}}) == "as_well_as_gen1"


def test_conditions_c_flip():
    case = {"threshold": 0.1, "steps": 100, "dist_p1_q": 0.3,
            "disc_grad_var": {"end": {"shared": 1.0, "independent": 2.0, "shared_seeds": [1.0, 1.1, 0.9],
                                      "independent_seeds": [2.0, 1.9, 2.1]}},
            "runs": {"shared_noise_gan": _run(0.25, 0.05, steps=50), "gan_on_gen1": _run(0.26, 0.08, steps=60),
                     "regression": _run(0.21, 0.01, steps=20)}}
    c = V.conditions_c(case)
    assert not c["regression_exact"]           # no rounding bound (the mixture case)
    case["numbers"] = {"kl_rounding_bound": 1e-15}
    case["runs"]["regression"]["final_to_p1"] = [0.0, 5.6e-17, 0.0]
    assert V.conditions_c(case)["regression_exact"]
    case["runs"]["regression"]["final_to_p1"] = [0.0, 2e-15, 0.0]
    assert not V.conditions_c(case)["regression_exact"]
    assert c["shared_closer_to_p1"] and c["shared_faster"] and not c["shared_slower"]
    assert not c["shared_farther_from_p1"]
    assert c["shared_less_grad_var"] and c["regression_closer_to_p1"] and c["regression_faster"]
    wide = {**case, "runs": {**case["runs"], "shared_noise_gan": _run(0.25, 0.05, steps=50, spread=0.8)}}
    cw = V.conditions_c(wide)                   # the shared-noise seeds overlap the others: no difference
    assert not cw["shared_closer_to_p1"] and not cw["shared_farther_from_p1"] and not cw["shared_faster"]
    assert c["regression_every_seed_closer_to_q"] and c["regression_median_closer_to_q"]
    assert not c["shared_more_grad_var"]
    overlap = {**case, "disc_grad_var": {"end": {"shared_seeds": [1.0, 2.5, 0.9], "independent_seeds": [2.0, 1.9, 2.1]}}}
    co = V.conditions_c(overlap)                # one seed's ratio below 1: the seeds do not resolve it
    assert not co["shared_less_grad_var"] and not co["shared_more_grad_var"]
    case["disc_grad_var"]["end"]["shared_seeds"] = [3.0, 3.1, 2.9]
    case["runs"]["regression"] = _run(0.31, 0.09, steps=None)
    case["runs"]["shared_noise_gan"] = _run(0.25, 0.09, steps=70)
    c = V.conditions_c(case)
    assert not c["shared_less_grad_var"] and not c["regression_closer_to_p1"] and not c["regression_faster"]
    assert c["shared_more_grad_var"]
    assert not c["shared_closer_to_p1"] and c["shared_farther_from_p1"] and c["shared_slower"]
    assert not c["shared_faster"]
    assert c["regression_no_seed_closer_to_q"]


def test_overall_c_counts_the_settings():
    one = {"shared_closer_to_p1": True, "shared_farther_from_p1": False, "shared_faster": False, "shared_slower": True}
    two = {"shared_closer_to_p1": False, "shared_farther_from_p1": True, "shared_faster": False, "shared_slower": False}
    assert V.overall_c({"g": {"trained": one, "shared": two}, "m": {"trained": one, "shifted": one}}) == \
        {"settings": 4, "shared_closer_to_p1": 3, "shared_farther_from_p1": 1, "shared_faster": 0, "shared_slower": 3}

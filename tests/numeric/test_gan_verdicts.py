"""The predicates and verdict rules of Problem 4 (numeric.gan.verdicts), each flipped."""
from numeric.gan import verdicts as V


def _run(to_q, to_p1=None, steps=None, reached=0):
    r = {"final_to_q_median": to_q, "steps_median": steps, "reached": reached}
    if to_p1 is not None:
        r["final_to_p1_median"] = to_p1
    return r


def test_median_steps_counts_never_as_after_the_end():
    assert V.median_steps([10, 20, None], 100) == 20
    assert V.median_steps([10, None, None], 100) is None
    facts = V.run_facts({"final_to_q": [1.0, None, 3.0], "steps_to_threshold": [5, None]}, 10)
    assert facts == {"final_to_q_median": 2.0, "steps_median": 5, "reached": 1}


def test_conditions_a_and_its_verdict_flip():
    case = {"threshold": 0.1, "runs": {"warm": _run(0.05, steps=10), "fresh": _run(0.05, steps=50),
                                       "frozen": _run(5.0)}}
    c = V.conditions_a(case, 100)
    assert c == {"warm_faster": True, "warm_slower": False, "frozen_misses": True}
    case["runs"]["warm"]["steps_median"] = None          # never: after the end, slower
    c2 = V.conditions_a(case, 100)
    assert c2["warm_faster"] is False and c2["warm_slower"] is True
    assert V.verdict_a({"x": c, "y": c}) == "yes"
    assert V.verdict_a({"x": c, "y": c2}) == "partly"
    assert V.verdict_a({"x": c2, "y": c2}) == "no"


def _bc(to_q, to_p1, dist, kind="w1"):
    return V.conditions_b({"runs": {"gan_on_gen1": _run(to_q, to_p1)}, "dist_p1_q": dist,
                           "threshold": 0.1, "kind": kind})


def test_conditions_b_flip():
    good = _bc(to_q=0.3, to_p1=0.05, dist=0.28)
    assert all(good.values())
    assert _bc(0.3, 0.5, 0.28)["reaches_p1"] is False
    assert _bc(0.1, 0.05, 0.28)["no_better_than_gen1"] is False      # 0.1 < 0.28 - 0.05
    assert _bc(0.25, 0.05, 0.28)["no_better_than_gen1"] is True      # within Gen_2's own error
    assert _bc(0.25, 0.05, 0.28)["errors_add"] is False
    assert _bc(0.04, 0.05, 0.01)["closer_to_p1"] is False
    # KL: the tolerance is on the square roots
    assert _bc(0.000978686, 2.56e-8, 0.000979117, kind="kl")["no_better_than_gen1"] is True
    assert _bc(0.0004, 2.56e-8, 0.000979117, kind="kl")["no_better_than_gen1"] is False


def test_verdict_bc_follows_the_main_case():
    ok = {"reaches_p1": True, "no_better_than_gen1": True}
    bad = {"trained": {**ok, "no_better_than_gen1": False}, "shifted": ok}
    assert V.verdict_bc({"g": {"trained": ok, "shifted": ok}}) == "as_well_as_gen1"
    assert V.verdict_bc({"g": {"trained": ok, "shifted": ok}, "m": bad}) == "better_than_gen1"
    assert V.verdict_bc({"g": {"trained": {**ok, "reaches_p1": False}, "shifted": ok}}) == "not_reached"
    # the stress case does not decide the verdict
    assert V.verdict_bc({"g": {"trained": ok, "shifted": {**ok, "reaches_p1": False}}}) == "as_well_as_gen1"


def test_conditions_c_flip():
    case = {"threshold": 0.1, "steps": 100, "kind": "w1", "dist_p1_q": 0.2,
            "disc_grad_var": {"end": {"shared": 1.0, "independent": 2.0}},
            "runs": {"shared_noise_gan": _run(0.25, 0.05, steps=50), "gan_on_gen1": _run(0.26, 0.08, steps=60),
                     "regression": _run(0.21, 0.01, steps=20)}}
    c = V.conditions_c(case)
    assert all(c.values()), c
    case["disc_grad_var"]["end"]["shared"] = 3.0
    case["runs"]["regression"] = _run(0.21, 0.09, steps=None)
    case["runs"]["shared_noise_gan"]["final_to_p1_median"] = 0.09
    c = V.conditions_c(case)
    assert not c["shared_less_grad_var"] and not c["regression_closer_to_p1"] and not c["regression_faster"]
    assert not c["shared_closer_to_p1"]

"""The GAN variants that share a random stream train as one stack along the seed axis: each
variant's numbers must be the bits it gets when trained alone."""
import numpy as np
import pytest

from numeric.gan.cases import CASES
from numeric.gan.scenarios import Settings, pretrain, scenario_b, scenario_c

ST = Settings(seeds=2, steps=20, pre_steps=20, polish_steps=3, record_every=5)


def _same(a, b):
    assert [t for t, _ in a["records"]] == [t for t, _ in b["records"]]
    for (_, ra), (_, rb) in zip(a["records"], b["records"]):
        assert {k: v.tobytes() for k, v in ra.items()} == {k: v.tobytes() for k, v in rb.items()}
    assert {k: v.tobytes() for k, v in a["params"].items()} == {k: v.tobytes() for k, v in b["params"].items()}
    assert a["died"] == b["died"]


@pytest.mark.parametrize("name", list(CASES))
def test_a_stacked_variant_has_the_bits_of_the_variant_alone(name):
    case = CASES[name]()
    p1, _ = pretrain(case, ST)
    both = {"trained": p1, "shifted": case.put_off(p1)}
    runs = scenario_b(case, ST, both)
    with pytest.raises(AssertionError):  # the comparison sees a difference: the two Gen_1 differ
        _same(runs["trained"], runs["shifted"])
    for v in both:
        _same(scenario_b(case, ST, both)[v], scenario_b(case, ST, {v: both[v]})[v])
        stacked, alone = scenario_c(case, ST, both)[v], scenario_c(case, ST, {v: both[v]})[v]
        for run in ("shared_noise_gan", "regression"):
            _same(stacked["runs"][run], alone["runs"][run])


def test_a_fault_hits_its_seed_in_every_stacked_variant():
    case = CASES["gaussian"]()
    p1, _ = pretrain(case, ST)
    st = Settings(**{**ST.__dict__, "fault": ("gaussian", "gan_on_gen1", 5, 1)})
    runs = scenario_b(case, st, {"trained": p1, "shifted": case.put_off(p1)})
    assert all(r["died"] == {1: 5} for r in runs.values())
    assert all(np.isnan(r["records"][-1][1]["to_q"][1]) for r in runs.values())

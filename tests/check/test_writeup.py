"""The writeup's own derivations, rendered as ``python -m derive --format latex`` prints them
and fed back to the checker with a notation file declaring their symbols (writeup.py).

Every step of every derivation (its verified rows and the chain's first row) must come out
proved or numeric (issue 14's "done when"); the slow test checks them all, the fast one the
derivations a part's reference comes from.
"""
import pytest

from derive import load
from writeup import feed_back


@pytest.fixture(scope="module")
def fed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("writeup")
    return {d.id: feed_back(d, tmp) for d in load()}


@pytest.mark.slow
def test_every_fed_back_step_is_proved_or_numeric(fed):
    assert not any(f.unfed for f in fed.values()), {i: f.unfed for i, f in fed.items() if f.unfed}
    bad = {i: {**f.others, **f.rows} for i, f in fed.items()
           if any(v not in ("proved", "numeric") for v in [*f.rows.values(), *f.others.values()])}
    assert not bad, bad  # the verified rows and the other steps (a chain's first row)
    steps = {d.id: len(d.steps) for d in load()}  # each step is a verified row
    assert {i: len(f.rows) for i, f in fed.items()} == steps


def test_part_derivations_fed_back(tmp_path):
    """The derivations a part's reference comes from come back proved or numeric (fast)."""
    wanted = {"kl.univariate", "kl.fact2", "sgd.loss_grad"}
    for d in load(["kl", "sgd"]):
        if d.id in wanted:
            f = feed_back(d, tmp_path)
            assert f.rows and all(v in ("proved", "numeric") for v in f.rows.values()), (d.id, f.rows)

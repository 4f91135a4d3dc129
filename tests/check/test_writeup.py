"""The writeup's own derivations, rendered as ``python -m derive --format latex`` prints them
and fed back to the checker with a notation file declaring their symbols (writeup.py).

Every step of every derivation (its verified rows and the chain's first row) must come out
proved or numeric (issue 14's "done when"). One test per derivation, judged in this process
(no CPU limit, so a verdict never depends on the machine's load), so that pytest-xdist spreads
them; the slow ones are in the slow lane, and the derivations a part's reference comes from
are their fast siblings.
"""
from importlib import import_module

import pytest

from derive import load
from derive.topics import TOPICS
from writeup import feed_back

# (topic, position among the topic's derivations), one per builder: known without building
DERIVATIONS = [(t, k, b.__name__) for t in TOPICS for k, b in enumerate(import_module(TOPICS[t]).BUILDERS)]
FAST = {"kl.univariate", "kl.fact2", "sgd.logistic_grad"}   # the parts' references (builder names)


@pytest.mark.parametrize("topic,k", [
    pytest.param(t, k, id=f"{t}.{name}", marks=() if f"{t}.{name}" in FAST else pytest.mark.slow)
    for t, k, name in DERIVATIONS])
def test_every_fed_back_step_is_proved_or_numeric(topic, k, tmp_path):
    d = load([topic])[k]
    f = feed_back(d, tmp_path)
    assert not f.unfed, f.unfed
    bad = {n: v for n, v in {**f.others, **f.rows}.items() if v not in ("proved", "numeric")}
    assert not bad, (d.id, bad)  # the verified rows and the other steps (a chain's first row)
    assert len(f.rows) == len(d.steps)  # each step is a verified row


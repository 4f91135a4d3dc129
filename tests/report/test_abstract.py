"""The abstract's claim about what was checked matches the renderer: the first line of every
chain (after its ``Let`` rows) carries no verification tag, every later line carries one, and
the abstract says that the first line is not a checked step."""
from pathlib import Path

import pytest

from derive import to_latex

TEMPLATES = Path(__file__).resolve().parents[2] / "report" / "templates"


@pytest.mark.parametrize("topic", ["kl", "elbo"])
def test_only_the_first_line_of_a_chain_is_untagged(topic):
    from derive import load
    for d in load([topic]):
        rows = to_latex(d).split("\n", 1)[1].rsplit("\n", 1)[0].split(" \\\\\n")
        chain = rows[len(d.where):]
        assert "\\verifiedmark" not in chain[0], d.id
        assert all("\\verifiedmark" in r for r in chain[1:]), d.id
        assert len(chain) == len(d.steps) + 1


def test_the_abstract_says_the_first_line_is_not_checked():
    text = " ".join((TEMPLATES / "hw6.tex").read_text().split())
    assert "each displayed step after the chain's first (defining) line was checked by machine" in text
    assert "Prose formulas are not machine-checked" in text

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
    text = " ".join((TEMPLATES / "about.tex").read_text().split())
    assert "each line after a chain's first (defining) line is a step checked by machine" in text
    assert "Formulas in the prose are not machine-checked" in text


def _about(**counts) -> str:
    from report.pipeline import environment
    vt = {"steps": 99, "symbolic": 99, "instances": 0, "numeric": 0, **counts}
    return " ".join(environment().get_template("about.tex").render(verification_total=vt).split())


def test_the_opening_paragraph_counts_the_steps_and_explains_only_the_tags_that_occur():
    every = _about()
    assert "All 99 steps of this build are proved for every value of every symbol and every size" in every
    assert "instances" not in every and "numeric" not in every
    some = _about(symbolic=92, instances=7)
    assert "Of the 99 steps of this build, 92 are proved" in some and "7 only at the sizes their tag names" in some
    assert "All 99" not in some and "numeric" not in some

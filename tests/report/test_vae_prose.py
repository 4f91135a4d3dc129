"""The VAE paragraph of Problem 3: each finding is a predicate of vae_claims, and flipping the
fact flips the sentence; numbers and symbols are set in math mode; the list of n_eps values
is the one measured."""
import copy
import json
from pathlib import Path

import pytest

from numeric.vae import figures
from report.sections import vae, vae_claims as claims

DATA = Path(__file__).parent / "data" / "vae_results.json"


@pytest.fixture
def res():
    return json.loads(DATA.read_text())


def test_the_fixture_makes_every_positive_claim(res):
    assert claims.gradient_agrees(res) and claims.elbo_improved(res) and not claims.diverged(res)
    assert all(claims.variance_falls(res, a) for a in claims.states(res))


def test_gradient_sentence_follows_its_predicate(res):
    assert "agrees with central finite differences" in vae.paragraph(res)
    bad = copy.deepcopy(res)
    bad["gradient_check"]["rel_err"] = 10 * claims.GRADIENT_TOL
    assert not claims.gradient_agrees(bad)
    text = vae.paragraph(bad)
    assert "does not agree with central finite differences" in text and "agrees with central" not in text


def test_elbo_sentence_follows_its_predicate(res):
    assert "Training raised the held-out ELBO" in vae.paragraph(res)
    bad = copy.deepcopy(res)
    bad["curve"]["test_elbo"][0] = bad["final"]["test_elbo"] + 1
    assert not claims.elbo_improved(bad)
    assert "did not raise the held-out ELBO" in vae.paragraph(bad)


def test_variance_and_theory_sentences_follow_their_predicates(res):
    text = vae.paragraph(res)
    assert f"falls in proportion to $n_\\epsilon^{{{vae.SLOPE}}}$" in text and f"The slope ${vae.SLOPE}$ is within two" in text
    flat = copy.deepcopy(res)
    for a in claims.states(flat):
        f = flat["variance"]["at"][a]["fit"]["total"]
        f["slope"], f["slope_se"] = -0.01, 0.05
    assert not claims.variance_falls(flat, "trained") and not claims.one_over_n(flat, "trained")
    text = vae.paragraph(flat)
    assert "does not fall significantly" in text and "does not show the $1/n_\\epsilon$" in text
    assert "$\\gamma=-0.01\\pm 0.05$" in text


def test_slope_is_k_and_prints_as_in_the_legend(res):
    """N10/N12: the slope is named k (s is the encoder's standard deviation) and the prose prints
    it with the legend's call, the standard error to one digit and the slope to its decimal place."""
    f = res["variance"]["at"]["trained"]["fit"]["total"]
    f["slope"], f["slope_se"] = -1.00116, 0.00789092
    text = vae.paragraph(res)
    assert f"${figures.slope_math(f)}$" in text and "$\\gamma=-1.001\\pm 0.008$" in text
    assert "$s=" not in text and "^{s}" not in text
    captions = " ".join(vae.CAPTIONS.values())
    assert "dotted" not in captions and "dashed: a line of slope $-1$" in captions


def test_diverged_sentence_appears_only_when_training_diverged(res):
    assert "diverged" not in vae.paragraph(res)
    bad = copy.deepcopy(res)
    bad["diverged"] = {"epoch": 3, "step": 40}
    assert claims.diverged(bad) and "Training diverged in epoch 3" in vae.paragraph(bad)


def test_the_list_of_draws_is_the_one_measured(res):
    ns = res["settings"]["var_n_eps"]
    text = vae.paragraph(res)
    assert "$n_\\epsilon=" + ", ".join(map(str, ns)) + "$" in text
    long = copy.deepcopy(res)
    long["settings"]["var_n_eps"] = [1, 2, 4, 8, 16, 32, 64, 128, 256]
    assert "$n_\\epsilon=1, 2, 4, \\dots, 256$" in vae.paragraph(long)


def test_symbols_and_sizes_are_in_math_mode(res):
    text = vae.paragraph(res) + " ".join(vae.CAPTIONS.values())
    side = res["settings"]["data"]["side"]
    assert f"${side}\\times {side}$" in text and f"{side}x{side}" not in text
    assert f"$m={res['settings']['latent']}$" in text
    assert " n " not in text and "1/n " not in text and "(n " not in text


def test_each_figure_is_cited_where_it_is_discussed(res):
    """Top 12: the ELBO sentence cites the learning curve, the variance sentence the variance
    figure (the two figures the appendix prints); a figure missing from the build is not cited."""
    refs = {stem: f"fig:vae-{stem}" for stem in vae.SHOWN}
    text = vae.paragraph(res, refs)
    sentences = text.split(". ")
    for phrase, stem in (("The ELBO per image after training", "vae_learning_curve"),
                         ("The total variance of the gradient estimate", "vae_gradient_variance")):
        [cited] = [t for t in sentences if f"Figure~\\ref{{{refs[stem]}}}" in t]
        assert phrase in cited, stem
    del refs["vae_gradient_variance"]
    assert "vae_gradient_variance" not in vae.paragraph(res, refs)
    assert "Figure~" not in vae.paragraph(res)
    template = (Path(__file__).resolve().parents[2] / "report" / "templates" / "appendix.tex").read_text()
    assert "f.shows" not in template and r"\begin{figure}[htbp]" in template

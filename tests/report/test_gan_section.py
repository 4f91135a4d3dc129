"""Problem 4's text follows the computed facts: verdict words, conditions and numbers.

A small real run (``run_experiment``) gives results of schema ``hw6.gan.results/3``; each
test changes one verdict or condition in a copy and renders the Problem 4 templates again.
"""
import copy
import re

import pytest

from numeric.gan import experiment as ge
from numeric.gan.scenarios import Settings
from numeric.gan.verdicts import VERDICTS
from report.experiments import Outcome
from report.pipeline import environment
from report.sections.gan import HEADING_WORDS, VERDICT_WORDS, gan_section
from report.tex import Tex


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    st = Settings(seeds=2, steps=40, pre_steps=40, polish_steps=5, record_every=10)
    return ge.run_experiment(st, ("a", "b", "c"), tmp_path_factory.mktemp("gan-small"))


def _render(data, template="part4.tex") -> str:
    gan = gan_section(Outcome("gan", "ok", "cmd", None, data=data), [])
    ctx = {"gan": gan, "drv": lambda *a, **k: Tex(""), "others": lambda *a: Tex(""),
           "result": lambda *a, **k: Tex("x"), "level": lambda *a: Tex(""), "sgd": {"ok": False}}
    return environment().get_template(template).render(**ctx)


def _heading(tex: str, label: str) -> str:
    return re.search(r"\\subsection\[[^\n]*\](\{[^\n]*\})\\label\{" + label + "}", tex)[1]


@pytest.mark.parametrize("sc", ["a", "b", "c"])
def test_every_verdict_changes_heading_answer_and_summary(results, sc):
    for verdict in VERDICTS[sc]:
        data = copy.deepcopy(results)
        data["scenarios"][sc]["verdict"] = verdict
        tex = _render(data)
        assert _heading(tex, f"sec:4{sc}").endswith(f": {HEADING_WORDS[sc][verdict]}}}")
        summary = _render(data, "summary.tex")
        item = summary.split(f"\\item[4.1.{sc}]")[1].split("\\item")[0]
        assert item.strip().startswith(VERDICT_WORDS[sc][verdict] + ":")


def test_the_summary_types_no_verdict():
    src = (environment().loader.get_source(environment(), "summary.tex")[0])
    assert "No:" not in src


# (scenario, path to a condition, text when it holds, text when it does not)
FLIPS = [
    ("a", ("gaussian", None, "warm_faster"), "The warm start was faster here.", None),
    ("a", ("mixture", None, "frozen_misses"), "never gets close to $q$", "Even against"),
    ("a", ("gaussian", None, "disc1_near_half"), "stays within", "is not close to"),
    ("a", ("mixture", None, "dstar_near_half"), "close to equilibrium with $q$", "nor is $\\Gen_1$ at equilibrium"),
    ("a", ("mixture", None, "disc1_far_real"), "rates every region real", None),
    ("a", ("gaussian", None, "gen2_starts_off_data"), "starts mostly off the support", "starts mostly on the data"),
    ("a", ("mixture", None, "warm_grad_larger"), "not a vanishing gradient but a larger one", None),
    ("a", ("gaussian", None, "warm_grad_smaller"), "smaller", None),
    ("b", ("gaussian", "trained", "reaches_p1"), "it learned $p_1$", "it did not fully learn $p_1$"),
    ("b", ("mixture", "shifted", "closer_to_p1"), "followed $p_1$, not $q$", "did not end closer to $p_1$"),
    ("b", ("gaussian", "trained", "every_seed_closer_to_q"), "which the theory does not predict", None),
    ("b", ("mixture", "trained", "no_seed_closer_to_q"), "none\nof the", None),
    ("c", ("mixture", "shifted", "shared_slower"), "reached the threshold later", None),
    ("c", ("mixture", "trained", "shared_faster"), "reached the threshold sooner (after", None),
    ("c", ("gaussian", "trained", "shared_closer_to_p1"), "The shared noise brought $p_2$ closer to $p_1$",
     "The shared noise did not bring"),
    ("c", ("mixture", "shifted", "regression_closer_to_p1"), ",\ncloser to $p_1$ than the shared-noise GAN",
     "no closer to $p_1$ than the shared-noise GAN"),
    ("c", ("mixture", "trained", "regression_no_seed_closer_to_q"), "none\nof the", None),
]


def _section(tex: str, sc: str) -> str:
    start = tex.index(f"\\label{{sec:4{sc}}}")
    end = tex.find("\\subsection", start)
    return tex[start:end if end > 0 else None]


def _case_paragraph(tex: str, sc: str, case: str, variant) -> str:
    text = _section(tex, sc)
    head = case.capitalize() + " case" + {None: ".", "trained": ", main.", "shifted": ", main."}[variant]
    if sc == "c" and variant:
        head = case.capitalize() + " case, " + ("main." if variant == "trained" else "stress case.")
    part = text.split("\\emph{" + head)[1]
    if sc == "b" and variant == "shifted":
        part = part.split("\\emph{Stress case.}")[1]
    return re.split(r"\\par\\emph|\\begin\{table\}|\\subsection", part)[0]


@pytest.mark.parametrize("sc, path, when_true, when_false", FLIPS)
def test_each_condition_flips_its_sentence(results, sc, path, when_true, when_false):
    case, variant, name = path
    for value in (True, False):
        data = copy.deepcopy(results)
        c = data["scenarios"][sc]["cases"][case]
        conds = (c if variant is None else c["gen1"][variant])["conditions"]
        if sc != "a" and name != "every_seed_closer_to_q":
            conds["every_seed_closer_to_q"] = False     # it would take precedence
        conds[name] = value
        para = _case_paragraph(_render(data), sc, case, variant)
        if value:
            assert when_true in para
        else:
            assert when_true not in para
            if when_false:
                assert when_false in para


NUMBER = re.compile(r"(?<![\w.{^])(-?\d+(?:\.\d+)?(?:\\times 10\^\{-?\d+\})?)")


def _numbers(tex: str) -> set:
    tex = re.sub(r"\\(ref|label|pageref|cite)\{[^}]*\}|p_[12]|_[12]|\^2|\\frac12|\\tfrac12|4\.1\.[abc]", "", tex)
    return set(NUMBER.findall(tex))


def test_every_number_in_a_sentence_is_the_one_its_table_prints(results):
    tex = _render(results)
    setup = tex[tex.index("\\label{tab:gan-setup}") - 2000:tex.index("\\end{table}", tex.index("tab:gan-setup"))]
    for sc in "abc":
        text = _section(tex, sc)
        tables = "".join(re.findall(r"\\begin\{table\}.*?\\end\{table\}", text, re.S))
        prose = re.sub(r"\\begin\{table\}.*?\\end\{table\}", "", text[text.index("\\paragraph{Measured.}"):],
                       flags=re.S)
        allowed = _numbers(tables) | _numbers(setup)
        missing = _numbers(prose) - allowed
        assert not missing, (sc, missing)
        assert _numbers(prose), sc


def test_a_changed_fact_changes_prose_and_table_alike(results):
    data = copy.deepcopy(results)
    run = data["scenarios"]["b"]["cases"]["gaussian"]["gen1"]["trained"]["runs"]["gan_on_gen1"]
    run["final_to_p1"] = [0.0123 * (1 + 0.1 * k) for k in range(len(run["final_to_p1"]))]
    run["final_to_p1_median"] = 0.0123
    text = _section(_render(data), "b")
    assert text.count("0.0123") >= 2   # the sentence and the table row


def _conditions(data, sc):
    for c in data["scenarios"][sc]["cases"].values():
        yield from ([c["conditions"]] if "conditions" in c else [g["conditions"] for g in c["gen1"].values()])


def test_warm_gradient_sentences_follow_the_measured_gradients(results):
    """A3: "vanishing" only where Gen_2's first gradient against Disc_1 is smaller; the
    misdirection sentence only where it is larger and Disc_1 rates the empty regions real."""
    data = copy.deepcopy(results)
    for c in _conditions(data, "a"):
        c.update(warm_grad_smaller=False, warm_grad_larger=True, disc1_far_real=True, disc1_peak_off_data=True,
                 warm_slower=True, warm_faster=False, disc1_near_half=True)
    text = _section(_render(data), "a")
    assert "nearly flat on the data" not in text and "vanishing-gradient argument" not in text
    assert text.count("the empty regions it wrongly rates real") == 2
    assert text.count("The slower warm start fits") == 2
    for c in _conditions(data, "a"):
        c.update(warm_grad_smaller=True, warm_grad_larger=False)
    text = _section(_render(data), "a")
    assert text.count("nearly flat on the data") == 2
    assert "wrongly rates real" not in text and "The slower warm start fits" not in text


def test_no_claim_of_never_better_and_no_reverse_triangle_criterion(results):
    tex = _render(results) + _render(results, "summary.tex")
    for phrase in ("never better", "beyond its own error", "both errors show", "d(p_1,q)-d(p_2,p_1)"):
        assert phrase not in tex


def test_the_shared_noise_summary_follows_the_counts(results):
    data = copy.deepcopy(results)
    o = data["scenarios"]["c"]["overall"]
    o.update(settings=4, shared_closer_to_p1=3, shared_faster=1, shared_slower=1)
    text, summary = _section(_render(data), "c"), _render(data, "summary.tex")
    assert "it can help or hurt, and it gives no consistent speed-up" in text
    assert "helped in some settings and hurt in others, with no consistent speed-up" in summary
    o.update(shared_closer_to_p1=4, shared_faster=4, shared_slower=0)
    text, summary = _section(_render(data), "c"), _render(data, "summary.tex")
    assert "in every one" in text and "help or hurt" not in text and "no consistent speed-up" not in text
    assert "brought $p_2$ closer to $p_1$ in every setting" in summary


def test_equal_printed_distances_are_not_compared(results):
    """F4: when Gen_2's distance to q prints the digits of Gen_1's, the sentence says so
    instead of printing "x, against x"."""
    data = copy.deepcopy(results)
    g = data["scenarios"]["b"]["cases"]["gaussian"]["gen1"]["trained"]
    g["runs"]["gan_on_gen1"]["final_to_q_median"] = g["dist_p1_q"] * (1 + 1e-5)
    para = _case_paragraph(_render(data), "b", "gaussian", "trained")
    assert "that of\n$\\Gen_1$ to the printed digits" in para and "against" not in para


def test_ranges_print_like_their_median(results):
    """E3: "0.136 [0.131, 0.141]", never "0.136 [0.14, 0.14]"."""
    data = copy.deepcopy(results)
    run = data["scenarios"]["b"]["cases"]["gaussian"]["gen1"]["shifted"]["runs"]["gan_on_gen1"]
    run["final_to_q"], run["final_to_q_median"] = [0.131097, 0.13582, 0.1366, 0.139242, 0.140769], 0.1366
    assert "0.137 {\\scriptsize[0.131, 0.141]}" in _section(_render(data), "b")


def test_the_misdirected_case_is_named_on_the_answers_page(results):
    data = copy.deepcopy(results)
    for c in _conditions(data, "a"):
        c.update(disc1_far_real=False, warm_grad_larger=False)
    assert "misdirected" not in _render(data, "summary.tex")
    data["scenarios"]["a"]["cases"]["mixture"]["conditions"].update(disc1_far_real=True, warm_grad_larger=True)
    assert "in the\nmixture case it rated the empty regions real" in _render(data, "summary.tex")


def test_the_metric_bound_is_stated_for_w1_only(results):
    """N5: KL is not a metric; the triangle inequality is stated for W_1, continuity for KL."""
    text = _section(_render(results), "b")
    assert "For any metric" not in text
    assert "W_1(q,p_2)\\le W_1(q,p_1)+W_1(p_1,p_2)" in text
    assert "is not a metric" in text and "continuity" in text


def test_the_flat_disc1_sentence_follows_the_two_losses(results):
    """N6: "not saturation" only where the minimax and non-saturating first gradients agree."""
    data = copy.deepcopy(results)
    c = data["scenarios"]["a"]["cases"]["gaussian"]
    c["conditions"].update(warm_grad_smaller=True, warm_grad_larger=False, disc1_near_half=True)
    g = c["numbers"]["grad0"]["warm"]
    g.update(nonsat=0.0331, minimax=0.0336)
    para = _case_paragraph(_render(data), "a", "gaussian", None)
    assert "nearly flat on the data" in para and "this is not saturation" in para
    g.update(minimax=0.0331 * 3)
    para = _case_paragraph(_render(data), "a", "gaussian", None)
    assert "nearly flat on the data" in para and "saturation" not in para


def test_the_generator_loss_is_read_from_the_settings(results):
    data = copy.deepcopy(results)
    data["settings"]["generator_loss"] = "non_saturating"
    tex = _render(data)
    assert "with the non-saturating generator loss $-\\ln D(G(z))$" in tex
    assert "Our runs train every generator with\nthe non-saturating loss" in tex
    data["settings"]["generator_loss"] = "minimax"
    tex = _render(data)
    assert "with the minimax generator loss" in tex and "Our runs train every generator" not in tex


def _regression(data, case="gaussian", variant="trained"):
    return data["scenarios"]["c"]["cases"][case]["gen1"][variant]["runs"]["regression"]


def test_an_exact_copy_is_said_so(results):
    """N14: a regression that ends at distance exactly 0 to p_1 on every seed reproduces Gen_1."""
    data = copy.deepcopy(results)
    run = _regression(data)
    run["final_to_p1"] = [0.0] * len(run["final_to_p1"])
    para = _case_paragraph(_render(data), "c", "gaussian", "trained")
    assert "of its seeds reproduce $\\Gen_1$ exactly" in para
    run["final_to_p1"][0] = 1e-9
    para = _case_paragraph(_render(data), "c", "gaussian", "trained")
    assert "reproduce $\\Gen_1$ exactly" not in para


@pytest.mark.parametrize("sc", ["b", "c"])
def test_the_no_systematic_gain_verdict_is_said_once_and_names_the_exception(results, sc):
    """N13: the verdict once per scenario; a setting where every seed ended closer is named."""
    data = copy.deepcopy(results)
    for c in _conditions(data, sc):
        c.update(every_seed_closer_to_q=False, regression_every_seed_closer_to_q=False)
    text = _section(_render(data), sc)
    assert text.count("without beating it systematically") == 1
    assert "Its target is $p_1$ too" not in text
    data["scenarios"][sc]["cases"]["mixture"]["gen1"]["trained"]["conditions"]["every_seed_closer_to_q"] = True
    text = _section(_render(data), sc)
    assert "without beating it systematically" not in text
    assert "only in\nthe mixture case, main." in text


def test_the_setting_where_shared_noise_did_not_help_is_named(results):
    data = copy.deepcopy(results)
    for c in _conditions(data, "c"):
        c["shared_closer_to_p1"] = True
    data["scenarios"]["c"]["cases"]["mixture"]["gen1"]["trained"]["conditions"]["shared_closer_to_p1"] = False
    data["scenarios"]["c"]["overall"].update(settings=4, shared_closer_to_p1=3)
    text = _section(_render(data), "c")
    assert "in 3 of the 4, not in the mixture case, main," in text and "and not in the others" not in text


def test_a_median_and_its_range_share_notation_and_digits(results):
    """N9: "0.0927 [0.0890, 0.257]" (not [0.089, 0.2574]); all three in scientific notation when
    one of them is below 0.01; the prose quotes the cell's digits."""
    data = copy.deepcopy(results)
    run = data["scenarios"]["b"]["cases"]["mixture"]["gen1"]["trained"]["runs"]["gan_on_gen1"]
    run["final_to_q"], run["final_to_q_median"] = [0.089, 0.0905, 0.0927, 0.1, 0.2574], 0.0927
    run["final_to_p1"], run["final_to_p1_median"] = [0.0089, 0.0154, 0.02, 0.03, 0.05], 0.02
    text = _section(_render(data), "b")
    assert "0.0927 {\\scriptsize[0.0890, 0.257]}" in text
    assert "$2.00\\times 10^{-2}$ {\\scriptsize[$8.90\\times 10^{-3}$, $5.00\\times 10^{-2}$]}" in text
    assert "$W_1(p_2,p_1)={}$$2.00\\times 10^{-2}$" in text


def test_the_answers_page_states_the_triangle_inequality_for_w1_only(results):
    summary = _render(results, "summary.tex")
    item = summary.split("\\item[4.1.b]")[1].split("\\item")[0]
    assert "d(q,p_2)\\le" not in item and "W_1(q,p_2)\\le W_1(q,p_1)+W_1(p_1,p_2)" in item and "not a metric" in item

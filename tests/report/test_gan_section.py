"""Problem 4's text follows the computed facts: verdict words, conditions and numbers.

A small real run (``run_experiment``) gives results of schema ``hw6.gan.results/2``; each
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
    ("b", ("gaussian", "trained", "reaches_p1"), "it learned $p_1$", "it did not fully learn $p_1$"),
    ("b", ("mixture", "shifted", "closer_to_p1"), "followed $p_1$, not $q$", "did not end closer to $p_1$"),
    ("c", ("gaussian", "trained", "shared_closer_to_p1"), "What the shared noise does do",
     "The shared noise did not bring"),
    ("c", ("mixture", "shifted", "regression_closer_to_p1"), "which is closer to $p_1$ than the shared-noise GAN",
     "no closer to $p_1$ than the shared-noise GAN"),
]


def _section(tex: str, sc: str) -> str:
    start = tex.index(f"\\label{{sec:4{sc}}}")
    end = tex.find("\\subsection", start)
    return tex[start:end if end > 0 else None]


def _case_paragraph(tex: str, sc: str, case: str, variant) -> str:
    text = _section(tex, sc)
    head = case.capitalize() + " case" + {None: ".", "trained": ", main.", "shifted": ""}[variant]
    if sc == "c" and variant:
        head = case.capitalize() + " case, " + ("main." if variant == "trained" else "stress case.")
    part = text.split("\\emph{" + head)[1]
    if sc == "b" and variant == "shifted":
        part = part.split("\\emph{Stress case.}")[1]
    return re.split(r"\\par\\emph|\\begin\{table\}", part)[0]


@pytest.mark.parametrize("sc, path, when_true, when_false", FLIPS)
def test_each_condition_flips_its_sentence(results, sc, path, when_true, when_false):
    case, variant, name = path
    for value in (True, False):
        data = copy.deepcopy(results)
        c = data["scenarios"][sc]["cases"][case]
        (c if variant is None else c["gen1"][variant])["conditions"][name] = value
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
    run["final_to_p1_median"] = 0.0123
    text = _section(_render(data), "b")
    assert text.count("0.0123") >= 2   # the sentence and the table row

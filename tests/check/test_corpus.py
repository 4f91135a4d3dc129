"""The corpus (corpus.py): each line gets its expected verdict; the measures of issue 14 hold:
every planted error found at its line, no correct step called wrong, at most 10 % inconclusive.

One test per file (so pytest-xdist spreads them), judged in this process; the files of
:data:`QUICK` are the fast lane's siblings of the slow rest."""
import pytest

from check.checker import FileResult, StepResult
from corpus import PLANTED, Case, cases, got, measures, run

CASES = {c.path.stem: c for c in cases()}
QUICK = ["a01_ln_expectation", "a04_dropped_half", "a07_ez2_mu2", "a09_domain", "b03_m_le_4",
         "e02_transposed", "f01_fact2", "s02_sign"]


def test_the_corpus_covers_every_kind_and_part():
    assert len(CASES) >= 40
    assert {c.part for c in CASES.values()} >= {"2.a", "2.b", "fact2", "3.a", "1.grad"}
    kinds = {"sign", "dropped_half", "ln_sigma", "ez2_mu2", "moments", "transposed", "domain", "m_le_4"}
    assert all(any(k in name for name in CASES) for k in kinds)
    planted = [(c.path.stem, line) for c in CASES.values() for line, v in c.expected.items() if v in PLANTED]
    assert len(planted) >= 8


def _check(case: Case):
    r = run(case)
    assert {line: got(r).get(line) for line in case.expected} == case.expected
    if case.final:
        assert r.final["verdict"] == case.final
    return r


@pytest.mark.parametrize("name", [n if n in QUICK else pytest.param(n, marks=pytest.mark.slow) for n in CASES])
def test_every_line_of_a_corpus_file(name):
    """Every line as expected (planted errors found at their line, correct steps proved or
    numeric), the final verdict too, and no step inconclusive beyond those expected to be."""
    r = _check(CASES[name])
    expected = sum(v == "inconclusive" for v in CASES[name].expected.values())
    assert sum(s.verdict == "inconclusive" for s in r.steps) <= expected


def test_the_corpus_expects_at_most_ten_percent_inconclusive():
    expected = [v for c in CASES.values() for v in c.expected.values() if v != "definition"]
    planted = [v for v in expected if v in PLANTED]
    assert sum(v == "inconclusive" for v in expected) <= 0.10 * len(expected) and len(planted) >= 23


def _result(verdicts: dict) -> FileResult:
    items = [StepResult(line, "", "", v, "") for line, v in verdicts.items()]
    return FileResult("f", None, items, {"verdict": None}, [])


def test_measures_flip():
    """The measures are predicates that can fail: a missed planted error, a correct step
    called wrong, inconclusive steps."""
    case = Case(CASES["a01_ln_expectation"].path, None, None, {1: "wrong", 2: "proved", 3: "numeric"})
    good = measures([(case, _result({1: "wrong", 2: "proved", 3: "numeric"}))])
    assert (good.planted_found, good.correct_called_wrong, good.inconclusive) == (1, 0, 0)
    bad = measures([(case, _result({1: "numeric", 2: "domain", 3: "inconclusive"}))])
    assert (bad.planted_found, bad.correct_called_wrong, bad.inconclusive) == (0, 1, 1)
    assert bad.inconclusive_share == pytest.approx(1 / 3)

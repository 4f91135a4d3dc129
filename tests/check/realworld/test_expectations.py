"""The real-world corpus is well formed: sources, parts, planted copies, notation files.

These tests read the corpus only; they never run a checker (``measure.py`` does). The real
corpus is third-party text kept outside the repository (``$HW6_REALWORLD_CORPUS``, else
``/work/realworld/corpus``): its tests are skipped where it is absent, as in CI. The tests of
the format and of the scoring use small files of their own."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from expectations import CORPUS_VARIABLE, STEP_KINDS, Expect, FormatError, cases, read_case, real_corpus  # noqa: E402
from measure import Run, assign, paired, score, source_key  # noqa: E402

REAL = real_corpus()
ABSENT = (f"the real corpus is not at {REAL}: it is third-party text, kept outside the repository "
          f"(set {CORPUS_VARIABLE} to a copy; see tests/check/realworld/README.md)")
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=ABSENT)
CASES = cases(REAL) if REAL.is_dir() else []
PARTS = {"2.a", "2.b", "fact2", "3.a", "1.grad"}


def each(chosen):
    """pytest parameters, one per case, or one skipped parameter when the corpus is absent."""
    if not REAL.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=ABSENT), id="absent")]
    return [pytest.param(c, id=c.name) for c in chosen]


@needs_real
def test_size_and_sources():
    """At least 30 derivations from at least 30 distinct sources, a third of them planted."""
    originals = [c for c in CASES if c.planted_line is None]
    assert len(originals) >= 30
    assert len({source_key(c) for c in originals}) >= 30
    assert 3 * sum(c.planted_line is not None for c in CASES) >= len(originals)


@pytest.mark.parametrize("case", each(CASES))
def test_case_is_well_formed(case):
    assert case.source.startswith(("github:", "http"))
    assert case.part is None or case.part in PARTS
    if case.part:
        assert case.answer and case.gold
    assert case.notation is not None and case.notation.exists()
    assert any(v in STEP_KINDS for e in case.expected.values() for v in e.verdicts)


@pytest.mark.parametrize("case", each([c for c in CASES if c.planted_line]))
def test_planted_copy_differs_from_its_original_at_one_line(case):
    """One planted line, marked where the header says, and the rest of the text unchanged."""
    original = case.path.with_name(case.path.name.replace("_planted", ""))
    assert original.exists()
    planted = [line for line, e in case.expected.items() if e.planted]
    assert planted == [case.planted_line]
    ours = case.path.read_text().split("\n")
    theirs = original.read_text().split("\n")
    assert len(ours) == len(theirs) + 1            # the "% planted:" header line
    body = ours[:1] + ours[2:]
    changed = [i for i, (a, b) in enumerate(zip(body, theirs), 1) if a != b]
    assert changed == [case.planted_line - 1] or (case.final == "differs" and case.planted_line - 1 in changed)


def test_expect_syntax():
    assert Expect.parse("condition, wrong: x").verdicts == ("condition", "wrong")
    with pytest.raises(FormatError):
        Expect.parse("proved")
    with pytest.raises(FormatError):
        Expect.parse("correct planted")


def test_first_line_must_cite(tmp_path):
    p = tmp_path / "x.md"
    p.write_text("no source\n$$a = b$$  % expect correct\n")
    with pytest.raises(FormatError):
        read_case(p)


def _case(tmp_path, text):
    p = tmp_path / "c.md"
    p.write_text("% source: https://example.org\n% notation: c.toml\n" + text)
    return read_case(p)


def test_score_counts_reading_alarms_and_planted(tmp_path):
    """Each measure moves with the verdicts: read, false alarm, planted found, inconclusive."""
    case = _case(tmp_path, "$$a = b$$  % expect correct\n$$b = c$$  % expect wrong planted: x\n"
                           "$$c = d$$  % expect condition\n$$d = e$$  % expect definition\n")
    good = Run(case, [(3, "proved", ""), (4, "wrong", ""), (5, "inconclusive", ""), (6, "proved", "")])
    t = score([good])
    assert (t.steps, t.read, t.judged, t.false_alarms, t.planted_found) == (3, 3, 2, 0, 1)
    bad = Run(case, [(3, "wrong", ""), (4, "inconclusive", "not read: x"), (9, "wrong", "")])
    t = score([bad])
    assert (t.read, t.false_alarms, t.planted_found, t.unmarked_flagged) == (1, 1, 0, 1)


def test_steps_below_their_line_and_pairing(tmp_path):
    case = _case(tmp_path, "$$a = b = c$$  % expect correct, wrong\n\\end{x}\n")
    by_line, unmarked = assign(Run(case, [(3, "proved", ""), (4, "wrong", "")]))
    assert unmarked == [] and [v for v, _ in by_line[3]] == ["proved", "wrong"]
    assert paired(case.expected[3], by_line[3]) == ["proved", "wrong"]
    assert paired(case.expected[3], [("proved", ""), ("wrong", ""), ("proved", "")]) == ["wrong", "wrong"]


def test_measure_without_a_corpus_is_a_one_line_error(tmp_path, capsys):
    from common import cli
    from measure import main
    assert cli.run(main, ["--corpus", str(tmp_path / "absent"), "--no-peer"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no corpus at") and err.count("\n") == 1

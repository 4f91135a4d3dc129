"""Both corpora are well formed: sources, parts, planted copies, notation files.

These tests read the corpora only; they never run a checker (``measure.py`` does). The real
corpus is third-party text kept outside the repository (``$HW6_REALWORLD_CORPUS``, else
``/work/realworld/corpus``): its tests are skipped where it is absent, as in CI. ``own/``, the
team's corpus in the style of those sources, is committed and always tested. The tests of the
format and of the scoring use small files of their own."""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from expectations import (CORPUS_VARIABLE, OWN, STEP_KINDS, Expect, FormatError, cases, read_case,  # noqa: E402
                          real_corpus)
from measure import Run, assign, constructs, paired, score, source_key  # noqa: E402

REAL = real_corpus()
ABSENT = (f"the real corpus is not at {REAL}: it is third-party text, kept outside the repository "
          f"(set {CORPUS_VARIABLE} to a copy; see tests/check/realworld/README.md)")
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=ABSENT)
REAL_CASES = cases(REAL) if REAL.is_dir() else []
OWN_CASES = cases(OWN)
PARTS = {"2.a", "2.b", "fact2", "3.a", "1.grad"}
# The issue's topics, each covered by the own corpus.
TOPICS = {"kl-univariate", "kl-diagonal", "kl-multivariate", "kl-additivity", "vae-kl-grad", "logistic-grad",
          "heavy-ball", "gan-discriminator"}
# What a notation file may hold (the checker's tables; anything else is its error, exit status 2).
TABLES = {"symbols": None, "functions": {"names", "densities"}, "matrices": None, "macros": None,
          "definitions": {"lines", "assume", "default_expectation"}, "depends": None, "jacobians": None,
          "families": None, "conventions": {"log"}, "rename": None}
README = Path(__file__).with_name("README.md")


def each(chosen_real=lambda c: True, chosen_own=lambda c: True):
    """pytest parameters, one per case of both corpora (``real/NAME``, ``own/NAME``); the real
    corpus gives one skipped parameter when it is absent."""
    real = ([pytest.param(c, id=f"real/{c.name}") for c in REAL_CASES if chosen_real(c)] if REAL.is_dir()
            else [pytest.param(None, marks=pytest.mark.skip(reason=ABSENT), id="real/absent")])
    return real + [pytest.param(c, id=f"own/{c.name}") for c in OWN_CASES if chosen_own(c)]


def readme_sources() -> set:
    """The real corpus's file names, from the README's sources table (committed, unlike the corpus)."""
    return set(re.findall(r"^\| `([^`]+)` \|", README.read_text(encoding="utf-8"), re.M))


@pytest.mark.parametrize("corpus", [pytest.param("real", marks=needs_real), "own"])
def test_size_and_sources(corpus):
    """At least 30 derivations from (or in the style of) at least 30 distinct sources, a third
    of them planted."""
    all_cases = REAL_CASES if corpus == "real" else OWN_CASES
    originals = [c for c in all_cases if c.planted_line is None]
    assert len(originals) >= 30
    assert len({source_key(c) for c in originals}) >= 30
    assert 3 * sum(c.planted_line is not None for c in all_cases) >= len(originals)


@pytest.mark.parametrize("case", each())
def test_case_is_well_formed(case):
    assert case.source.startswith(("github:", "http"))
    assert case.part is None or case.part in PARTS
    if case.part:
        assert case.answer and case.gold
    assert case.notation is not None and case.notation.exists()
    assert any(v in STEP_KINDS for e in case.expected.values() for v in e.verdicts)


@pytest.mark.parametrize("case", each(lambda c: c.planted_line, lambda c: c.planted_line))
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


# --- the own corpus: written by the team, each file in the style of one real source -------------

@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in OWN_CASES])
def test_own_file_cites_the_real_source_it_imitates(case):
    """The first line is "% style of: SOURCE (real corpus: NAME)", NAME a file of the README's
    sources table; where the real corpus is present, SOURCE is that file's own source line."""
    first = case.path.read_text(encoding="utf-8").split("\n")[0]
    m = re.fullmatch(r"% style of: (.+?) \(real corpus: ([\w.]+)\)", first)
    assert m, first
    assert m[2] in readme_sources()
    if REAL.is_dir():
        assert (REAL / m[2]).read_text(encoding="utf-8").split("\n")[0].startswith(f"% source: {m[1]}")


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in OWN_CASES if c.planted_line is None])
def test_own_notation_file_uses_the_checkers_tables(case):
    data = tomllib.loads(case.notation.read_text(encoding="utf-8"))
    for table, value in data.items():
        assert table in TABLES and isinstance(value, dict), table
        assert TABLES[table] is None or set(value) <= TABLES[table], (table, set(value))
    for rows, cols in data.get("matrices", {}).values():
        assert isinstance(rows, (int, str)) and isinstance(cols, (int, str))


def test_own_corpus_covers_the_issue():
    """Every topic of the issue; parts with final answers; real-mistake kinds (wrong steps that
    are not planted) and conditions in several files; one style per real file imitated."""
    originals = [c for c in OWN_CASES if c.planted_line is None]
    assert TOPICS <= {c.topic for c in originals}
    assert {c.part for c in originals} >= {"2.a", "2.b", "fact2", "1.grad"}
    with_mistakes = {c.base for c in originals for e in c.expected.values() if "wrong" in e.verdicts}
    with_conditions = {c.base for c in originals for e in c.expected.values() if "condition" in e.verdicts}
    assert len(with_mistakes) >= 10 and len(with_conditions) >= 5
    styles = [c.path.read_text(encoding="utf-8").split("\n")[0].rsplit("(real corpus: ", 1)[1] for c in originals]
    assert len(set(styles)) == len(styles) >= 30


def test_constructs_count_the_marked_steps_under_each(tmp_path):
    case = _case(tmp_path, "$$\\begin{aligned} a &= b \\\\  % expect correct\n&= c  % expect wrong\n\\end{aligned}$$\n"
                           "$\\mathrm{KL}[q\\,||\\,p] = d$  % expect definition\n")
    got = {name: (n, d, f) for name, n, d, f in constructs([case])}
    assert got["$$\\begin{align|aligned|split}...$$ (MathJax)"] == (2, 0, 1)
    assert got["KL: \\mathrm{KL}[P\\,||\\,Q]"] == (0, 1, 1)     # a definition, not a step
    assert got["single-$ math (no display)"] == (0, 1, 1)
    assert "aligned" in got and "split" not in got


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
    p.write_text("% style of: https://example.org (real corpus: x.md)\n$$a = b$$  % expect correct\n")
    assert read_case(p).source.startswith("https://example.org")


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
    assert cli.run(main, ["--corpus", str(tmp_path / "absent"), "--corpora", "real", "--no-peer"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no corpus at") and err.count("\n") == 1

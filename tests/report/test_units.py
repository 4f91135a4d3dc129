"""Units of the writeup pipeline: escaping, number formats, templates, LaTeX errors, reuse keys."""
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from support import have_tex
from common.runrecord import input_key, source_closure
from report.fragments import text_with_math
from common.latexbuild import LatexError, compile_pdf
from report.pipeline import environment
from report.tex import Tex, escape, finalize, integer, num, sci

OUTSIDE = "run_1 --out: 50% of $x & {y} ~ #2 \\ ^ é → μ <b> |z|"

needs_tex = pytest.mark.skipif(not have_tex(), reason="needs TeX Live (latexmk, pdflatex): "
                                                       "bash scripts/install-tex.sh")


@pytest.mark.parametrize("raw, tex", [
    ("a_b", r"a\_b"), ("100%", r"100\%"), ("x & y", r"x \& y"), ("#1", r"\#1"),
    ("$5", r"\$5"), ("--out", "-{}-out"), ("a---b", "a-{}-{}-b"), ("{a}", r"\{a\}"), ("a\\b", r"a\textbackslash{}b"), ("é", r"\'e"),
])
def test_escape_uses_latexcodec_and_covers_the_specials(raw, tex):
    assert escape(raw) == tex


def test_escape_leaves_project_latex_alone():
    assert escape(Tex(r"\alpha_1")) == r"\alpha_1"


def test_templates_escape_every_outside_string():
    env = environment()
    out = env.from_string(r"\VAR{s} | \VAR{t} | \VAR{n}").render(s=OUTSIDE, t=Tex(r"$\mu$"), n=0.000123)
    assert out.startswith(escape(OUTSIDE))
    assert r"| $\mu$ |" in out and r"10^{-4}" in out


@needs_tex
def test_escaped_outside_string_prints_literally(tmp_path):
    """Round trip: the escaped string compiles and pdftotext reads back the original."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext (apt-get install poppler-utils)")
    doc = tmp_path / "hw6.tex"
    doc.write_text("\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage[utf8]{inputenc}"
                   "\\usepackage{textcomp}\\usepackage{lmodern}"
                   f"\\pagestyle{{empty}}\\begin{{document}}\\noindent {escape(OUTSIDE)}\\end{{document}}\n")
    built = compile_pdf(doc)
    text = subprocess.run(["pdftotext", str(built.pdf), "-"], capture_output=True, text=True).stdout
    same = unicodedata.normalize("NFKC", " ".join(text.split()))  # pdftotext: micro sign for mu
    assert same == unicodedata.normalize("NFKC", OUTSIDE)


@pytest.mark.parametrize("value, tex", [
    (10000, r"10\,000"), (0.5, "0.5"), (0.0200, "0.02"), (123.456, "123"), (1.5e-6, r"$1.50\times 10^{-6}$"),
    (None, "--"), (float("nan"), "nan"),
])
def test_number_formats(value, tex):
    assert num(value) == tex


def test_finalize_formats_numbers_and_escapes_strings():
    assert finalize(None) == "--" and finalize(3) == "3" and finalize("a_b") == r"a\_b"
    assert sci(0) == "$0$" and integer(1234567) == r"1\,234\,567"


def test_text_with_math_escapes_only_outside_math():
    assert text_with_math(r"$x_1$ (gan.log_ratio) 5\% done") == r"$x_1$ (gan.log\_ratio) 5\% done"


@needs_tex
def test_latex_error_names_the_line_and_keeps_the_last_good_pdf(tmp_path):
    doc = tmp_path / "hw6.tex"
    doc.write_text("\\documentclass{article}\n\\begin{document}\nGood.\n\\end{document}\n")
    good = compile_pdf(doc).pdf.read_bytes()
    doc.write_text("\\documentclass{article}\n\\begin{document}\nBad \\nosuchmacro here.\n\\end{document}\n")
    with pytest.raises(LatexError) as err:
        compile_pdf(doc)
    assert "hw6.tex:3:" in str(err.value) and "Undefined control sequence" in str(err.value)
    assert "nosuchmacro" in str(err.value) and len(str(err.value).splitlines()) <= 2
    assert (tmp_path / "hw6.pdf").read_bytes() == good


def test_reuse_key_follows_the_experiment_sources():
    from common.runrecord import ROOT
    files = {p.relative_to(ROOT).as_posix() for p in source_closure("numeric.gan.experiment")}
    assert {"numeric/gan/experiment.py", "numeric/gan/__init__.py", "common/cli.py"} <= files
    key = lambda options: input_key("numeric.gan.experiment", options, {})
    assert key({"seeds": 2}) != key({"seeds": 3}) and key({"seeds": 2}) == key({"seeds": 2})


def test_templates_do_not_glue_words_across_lines():
    """trim_blocks eats the newline after a block tag: a line that ends in an inline tag
    right after a word would glue that word to the next line's first word."""
    import re
    from report.pipeline import TEMPLATES
    bad = [f"{p.name}:{i}" for p in TEMPLATES.glob("*.tex")
           for i, line in enumerate(p.read_text().splitlines(), 1)
           if re.search(r"\S\\BLOCK\{[^}]*\}$", line) and not re.fullmatch(r"(\\BLOCK\{[^}]*\})+", line.strip())]
    assert not bad, bad


def _outcomes(status: str, tmp_path: Path, **kw):
    from numeric.experiment import EXPERIMENTS
    from report.experiments import Outcome
    return {n: Outcome(n, status, f"python -m numeric {n} --out DIR", tmp_path / n, **kw) for n in EXPERIMENTS}


@pytest.mark.parametrize("status, says", [("missing", "does not exist yet"), ("failed", "failed in this build")])
def test_absent_experiments_are_marked_not_available(tmp_path, status, says):
    """Without results the document still assembles, and says why each part is missing."""
    from report.fragments import render_fragments
    from report.pipeline import Options, assemble, context_stage, derive_stage, problems_of
    derived = derive_stage()
    outcomes = _outcomes(status, tmp_path, message="exit status 2: boom_1")
    ctx = context_stage(derived, render_fragments(list(derived.derivations)), outcomes, {}, Options(tmp_path))
    tex = assemble(ctx)
    assert tex.count(r"\notavailable{") >= 3 and says in tex
    if status == "failed":
        assert r"boom\_1" in tex and len(problems_of(derived, outcomes, ctx)) == 3


def test_an_exception_in_section_code_is_reported_as_a_bug_not_a_schema_problem(tmp_path):
    """Issue 9.7: the results are valid against their schema; the section code fails."""
    from report.experiments import Outcome
    from report.sections.base import guarded
    from report.sections.sgd import sgd_section
    bad = Outcome("sgd", "ok", "cmd", tmp_path, data={"settings": {}, "problem": {}})  # no "table"
    section = guarded(sgd_section, bad, [], "SGD experiment")
    assert section["ok"] is False and "schema" not in section["why"]
    assert section["bug"].startswith("KeyError: ") and " at report/sections/sgd" in section["bug"]
    assert "bug in the report" in section["why"]


@pytest.mark.parametrize("ref, keys", [
    ("Arjovsky and Bottou (2017), Towards Principled Methods", ["arjovsky2017"]),
    ("Bottou, Curtis and Nocedal (2018), Optimization Methods", ["bottou2018"]),
    ("Kingma and Welling (2014); Goodfellow et al. (2014)", ["kingma2014", "goodfellow2014"]),
    ("Cover and Thomas (2006)", ["cover2006"]),
    ("Rasmussen and Williams (2006), GPML", ["rasmussen2006"]),
    ("PyTorch, torch.distributions.kl", ["paszke2019"]),
    ("optax.sgd and torch.optim.SGD", ["deepmind2020", "paszke2019"]),
])
def test_references_cite_the_right_bibliography_entry(ref, keys):
    from report.fragments import cite_keys
    assert cite_keys(ref) == keys


def test_results_with_a_missing_figure_are_not_reused(tmp_path):
    import json as _json
    from report.experiments import Plan, reusable
    folder = tmp_path / "vae"
    folder.mkdir()
    (folder / "run.json").write_text(_json.dumps({"key": "k", "argv": ["vae"], "seconds": 1.0, "by": "report"}))
    data = _json.loads((Path(__file__).parent / "data" / "vae_results.json").read_text())
    (folder / "results.json").write_text(_json.dumps(data))
    assert reusable(folder, Plan("vae", (), "k")) is None
    for stem in data["figures"]:
        (folder / f"{stem}.pdf").write_bytes(b"%PDF")
    assert reusable(folder, Plan("vae", (), "k"))[1] == data
    assert reusable(folder, Plan("vae", (), "other")) is None


def test_a_topic_that_fails_to_build_is_reported_and_the_rest_renders(monkeypatch, tmp_path):
    import derive
    from report.fragments import render_fragments
    from report.pipeline import Options, assemble, context_stage, derive_stage, problems_of
    real = derive.load

    def load(topics=None):
        if list(topics) == ["elbo"]:
            raise derive.VerificationError("elbo.kl_grad_phi, step 2: not equal")
        return real(topics)
    monkeypatch.setattr(derive, "load", load)
    derived = derive_stage()
    assert set(derived.errors) == {"elbo"} and derived.derivations
    outcomes = _outcomes("missing", tmp_path)
    ctx = context_stage(derived, render_fragments(list(derived.derivations)), outcomes, {}, Options(tmp_path))
    tex = assemble(ctx)
    assert "failed to build" in tex and r"kl\_grad\_phi, step 2" in tex
    assert any("elbo derivations" in p for p in problems_of(derived, outcomes, ctx))


def test_answers_page_levels_say_how_the_steps_were_verified():
    from report.fragments import Fragment
    from report.sections.base import level_of
    mk = lambda n, s, i, k: Fragment("x.y", "1", "", "", "", n, s, i, k)
    level = level_of({"a": mk(4, 4, 0, 0), "b": mk(2, 2, 0, 0), "c": mk(3, 2, 1, 0), "d": mk(5, 3, 1, 1)})
    assert level("a") == "all 4 steps symbolic" and level("b") == "both steps symbolic"
    assert level("c") == "2 of 3 steps symbolic, 1 at listed sizes"
    assert level("d") == "3 of 5 steps symbolic, 1 at listed sizes, 1 numeric"
    assert level("missing") == ""


def test_a_fresh_run_whose_results_break_their_schema_is_reported_as_such(tmp_path):
    """Issue 9.7: a result file that fails validation is "results do not match their schema"."""
    from types import SimpleNamespace
    from report.experiments import Plan, outcome_of_run
    (tmp_path / "vae").mkdir()
    (tmp_path / "vae" / "results.json").write_text('{"schema": "hw6.vae.results/3"}')
    o = outcome_of_run(Plan("vae", (), "k"), SimpleNamespace(returncode=0), tmp_path, tmp_path / "log", 1.0)
    assert o.status == "failed" and o.message.startswith("results do not match their schema (top level: ")


def test_a_derivation_stays_in_the_text_flow_and_whole():
    """grader5 #9: a chain placed [H] (float package): right after the sentence that introduces
    it, never moved away from its text or out of order, and an unbreakable box (no page break)."""
    from derive.kl.facts import fact2
    from report.fragments import fragment_tex
    tex = str(fragment_tex(fact2()))
    assert tex.startswith("\\begin{derivation}[H]") and "\\allowdisplaybreaks" not in tex
    preamble = (Path(__file__).parents[2] / "report" / "templates" / "preamble.tex").read_text()
    assert "\\usepackage{float}" in preamble and "\\allowdisplaybreaks" not in preamble.replace("(no \\allowdisplaybreaks)", "")

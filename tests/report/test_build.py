"""The writeup: ``python -m report --quick`` builds a complete PDF, and the CLI contract.

One quick build (the session fixture ``quick_build`` of ``conftest.py``) is shared by the
checks on the PDF, the .tex and the LaTeX log. Tests that need TeX are skipped, with the reason, when latexmk/pdflatex are
missing; CI installs TeX Live (scripts/install-tex.sh).
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from support import have_tex, run_module

needs_tex = pytest.mark.skipif(not have_tex(), reason="needs TeX Live (latexmk, pdflatex): "
                                                       "bash scripts/install-tex.sh")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="needs pdftotext (apt-get install poppler-utils)")

# (title in the PDF, marker in hw6.tex), in the assignment's order
SECTIONS = [("Answers", "sec:summary"), ("Problem 1", "sec:p1"), ("1.a", "sec:1a"), ("1.b", "sec:1b"), ("Problem 2", "sec:p2"),
            ("2.a", "sec:2a"), ("2.b", "sec:2b"), ("Extra exercise", "sec:extra"), ("Problem 3", "sec:p3"),
            ("3.a", "sec:3a"), ("3.b", "sec:3b"), ("3.c", "sec:3c"), ("Problem 4", "sec:p4"),
            ("4.1.a", "sec:4a"), ("4.1.b", "sec:4b"), ("4.1.c", "sec:4c"),
            ("Problem 1: protocol and derivations", "app:sgd"), ("The protocol", "app:protocol"),
            ("The derivations", "app:sgd-derivations"), ("a VAE trained with the gradients", "app:vae"),
            ("How the results were made", "app:how"), ("Verification record", "app:verify"),
            ("References", "thebibliography")]


@pytest.fixture(scope="module")
def pdf_text(quick_build):
    out, _, _ = quick_build
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext (apt-get install poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", str(out / "hw6.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout


def _log(out: Path) -> str:
    return (out / ".latex" / "hw6.log").read_text(errors="replace")


@needs_tex
def test_quick_build_makes_pdf(quick_build):
    # its run time is measured by `python -m bench budgets`, not asserted here
    out, proc, _ = quick_build
    assert (out / "hw6.pdf").stat().st_size > 10_000, proc.stderr
    assert (out / "hw6.tex").exists() and (out / "figures").is_dir()


@needs_tex
def test_quick_build_succeeds_with_every_input(quick_build):
    """Exit 0 only when every derivation and experiment was available and LaTeX compiled."""
    _, proc, _ = quick_build
    assert proc.returncode == 0, proc.stderr


@needs_tex
@needs_poppler
@pytest.mark.parametrize("title, marker", SECTIONS)
def test_every_section_is_in_the_pdf(pdf_text, quick_build, title, marker):
    out, _, _ = quick_build
    assert title in pdf_text
    assert marker in (out / "hw6.tex").read_text()


@needs_tex
def test_sections_are_in_the_assignments_order(quick_build):
    out, _, _ = quick_build
    tex = (out / "hw6.tex").read_text()
    positions = [tex.find(f"\\label{{{m}}}" if ":" in m else m) for _, m in SECTIONS]
    assert -1 not in positions and positions == sorted(positions)


@needs_tex
@needs_poppler
def test_pdf_shows_how_each_step_was_verified(pdf_text):
    assert "[symbolic]" in pdf_text


@needs_tex
@needs_poppler
def test_pdf_says_what_is_not_available(pdf_text, quick_build):
    """A part whose input is missing says so in the PDF, never silently empty."""
    out, _, _ = quick_build
    tex = (out / "hw6.tex").read_text()
    assert tex.count(r"\notavailable{") == pdf_text.count("Not available in this build")


@needs_tex
def test_every_part_is_available(quick_build):
    """Done when no part of the assignment is marked not available (every input has landed)."""
    out, _, _ = quick_build
    tex = (out / "hw6.tex").read_text()
    missing = re.findall(r"\\notavailable\{(.{0,120})", tex)
    assert not missing, missing


@needs_tex
def test_every_figure_is_in_the_document(quick_build):
    out, _, _ = quick_build
    tex, log = (out / "hw6.tex").read_text(), _log(out)
    from report.sections.base import UNPRINTED
    figures = sorted(p.name for p in (out / "figures").iterdir())
    for name in figures:
        if name.rsplit(".", 1)[0] in UNPRINTED:
            assert f"{{figures/{name}}}" not in tex, name
            continue
        assert f"{{figures/{name}}}" in tex, name
        assert f"figures/{name}" in log, f"{name} not loaded by pdflatex"
    for exp in ("sgd", "gan"):
        if (out / exp / "results.json").exists():
            assert any(n.startswith(f"{exp}-") for n in figures), f"no {exp} figure"


@needs_tex
def test_every_derivation_is_in_the_document(quick_build):
    """Each derivation is displayed where the templates place it (report.sections.base.SLOTS) or
    counted in the verification record's last row; none is dropped."""
    out, _, _ = quick_build
    from derive import load
    from report.sections.base import SLOTS
    tex = (out / "hw6.tex").read_text()
    shown = {i for ids in SLOTS.values() for i in ids}
    ds = load()
    for d in ds:
        assert (rf"\label{{drv:{d.id}}}" in tex) == (d.id in shown), d.id
    rest = sum(d.id not in shown for d in ds)
    assert f"{rest} derivations not displayed" in tex


@needs_tex
def test_no_undefined_references_or_missing_files(quick_build):
    out, _, _ = quick_build
    log = _log(out)
    assert not re.search(r"undefined|Reference `[^']*' on page", log, re.I), \
        [ln for ln in log.splitlines() if "undefined" in ln.lower()]
    assert "not found" not in log


@needs_tex
def test_rebuild_reuses_results(built):
    """Unchanged inputs: the experiments are not run again (results.json untouched). On a copy
    of the quick build (``built``): the build itself is shared by every test of the run."""
    out = built
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("*/results.json")}
    proc = run_module("report", "--out", str(out), "--quick", "--quiet")
    assert proc.returncode in (0, 1), proc.stderr
    assert stamps and {p: p.stat().st_mtime_ns for p in out.glob("*/results.json")} == stamps


@needs_tex
def test_without_tex_writes_tex_and_exits_3(quick_build, tmp_path):
    out, _, _ = quick_build
    copy = tmp_path / "notex"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("hw6.pdf", ".latex", "hw6.tex", "figures"))
    empty = tmp_path / "bin"
    empty.mkdir()
    env = dict(os.environ, PATH=str(empty))
    proc = run_module("report", "--out", str(copy), "--quick", "--quiet", env=env)
    assert proc.returncode == 3, proc.stderr
    assert (copy / "hw6.tex").exists() and (copy / "figures").is_dir()
    assert not (copy / "hw6.pdf").exists()
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "install" in lines[0] and "TeX" in lines[0], proc.stderr


@pytest.mark.parametrize("args", [["--bogus"], ["--quick", "extra"]])
def test_bad_options_exit_2(args):
    proc = run_module("report", *args)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error:") and len(proc.stderr.strip().splitlines()) == 1


def test_unwritable_output_folder_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = run_module("report", "--out", str(blocker / "sub"), "--quiet")
    assert proc.returncode == 2 and proc.stderr.startswith("error:"), proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_exits_0():
    proc = run_module("report", "--help")
    assert proc.returncode == 0 and "--quick" in proc.stdout


@needs_tex
def test_nothing_sticks_far_into_the_margin(quick_build):
    """Equations, tables and titles fit the page (no overfull box wider than 20 pt)."""
    out, _, _ = quick_build
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide", _log(out))]
    assert max(widths, default=0) < 20, widths


@needs_tex
def test_latex_log_has_no_warnings(quick_build):
    out, _, _ = quick_build
    warnings = re.findall(r"^(?:LaTeX|Package \w+) Warning: .*$", _log(out), re.M)
    assert not warnings, warnings[:5]


@needs_tex
@needs_poppler
def test_every_figure_has_its_caption_in_the_pdf(pdf_text, quick_build):
    out, _, _ = quick_build
    tex = (out / "hw6.tex").read_text()
    assert len(set(re.findall(r"^\s*Figure (\d+):", pdf_text, re.M))) == tex.count(r"\includegraphics")


# --- typesetting (issue 12) ---------------------------------------------------------------

def _figure_font_sizes(pdf: Path) -> tuple[float, list[float]]:
    """(width in inches, the font sizes in pt that the figure's PDF sets with ``Tf``)."""
    import zlib
    raw = pdf.read_bytes()
    width = float(re.search(rb"/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+([\d.]+)", raw)[1]) / 72
    sizes = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            data = zlib.decompress(m[1])
        except zlib.error:
            data = m[1]
        sizes += [float(s) for s in re.findall(rb"/\w+ ([\d.]+) Tf", data)]
    return width, sizes


@needs_tex
def test_every_figure_text_is_7_to_9_pt_at_its_printed_width(quick_build):
    """The printed size of each text = its size in the figure x (printed width / figure width),
    with the printed width from the figure's \\includegraphics (natural size if none given).
    Sub- and superscripts of mathtext labels are set at 0.7 of their label's size, as in
    LaTeX; a size that is 0.7 of another size of the same figure counts as such a script."""
    out, _, _ = quick_build
    tex = (out / "hw6.tex").read_text()
    linewidth = (210 - 2 * 23) / 25.4          # A4, 2.3 cm margins (preamble.tex), inches
    bad = {}
    for m in re.finditer(r"\\includegraphics(?:\[width=([\d.]*)\\linewidth\])?\{(figures/[^}]+\.pdf)\}", tex):
        width, sizes = _figure_font_sizes(out / m[2])
        printed = float(m[1] or 1) * linewidth if m[1] is not None else width
        raw = {round(s, 2) for s in sizes}
        main = {s for s in raw if not any(abs(s - 0.7 * t) < 0.02 for t in raw)}
        scaled = sorted({round(s * printed / width, 1) for s in main})
        if scaled and (scaled[0] < 7 - 0.05 or scaled[-1] > 9 + 0.05):
            bad[m[2]] = scaled
    assert not bad, bad


@needs_tex
def test_no_overfull_box_over_1pt(quick_build):
    out, _, _ = quick_build
    over = [float(v) for v in re.findall(r"Overfull \\[hv]box \(([\d.]+)pt too", _log(out))]
    assert not [v for v in over if v > 1.0], over


@needs_tex
@needs_poppler
def test_pdf_text_has_no_computer_numbers_or_raw_names(pdf_text):
    """One number style (no ``1.73e-07``) and no code names with underscores in the prose
    (derivation ids such as ``gan.log_ratio`` in the margin are typewriter labels, allowed)."""
    assert not re.findall(r"\b\d+(?:\.\d+)?[eE][-+]?\d+\b", pdf_text)   # a commit hash is one word
    names = [w for w in re.findall(r"\b[A-Za-z]+_[A-Za-z0-9_]+\b", pdf_text)
             if not re.search(r"\b(kl|elbo|sgd|gan)\.[\w.]*" + re.escape(w), pdf_text)]
    assert not names, sorted(set(names))[:20]


@needs_tex
def test_formulas_are_in_textbook_form(quick_build):
    """The printer's textbook forms reach the document: no "+ -", no leading negative term
    before a positive one inside parentheses, Gaussian constants as 1/(sqrt(2 pi) sigma), ln 4."""
    out, _, _ = quick_build
    tex = (out / "hw6.tex").read_text()
    assert "+ -" not in tex
    assert not re.search(r"\\left\(- 1 \+ \\sqrt", tex)
    assert r"\sqrt{2} e^" not in tex and r"\ln{\left(4 \right)}" not in tex
    assert r"\frac{1}{\sqrt{2 \pi}" in tex


@needs_tex
def test_definitions_come_first_and_read_forwards(quick_build):
    """A derivation's "where" rows are printed before its chain, led by "Let", with no tag."""
    out, _, _ = quick_build
    tex = (out / "hw6.tex").read_text()
    assert r"\text{Let}\quad" in tex
    assert r"\text{where}" not in tex

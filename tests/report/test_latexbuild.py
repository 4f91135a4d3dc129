"""report.latexbuild: a damaged PDF never replaces the last good one; a latexmk that hangs is
stopped with its children; one that cannot start is "no TeX"."""
import os
import time
from pathlib import Path

import pytest

from report import latexbuild
from report.latexbuild import LatexError, NoTeX, compile_pdf, pdf_problem
from support import have_tex, running

needs_tex = pytest.mark.skipif(not have_tex(), reason="needs TeX Live (latexmk, pdflatex)")
DOC = "\\documentclass{article}\n\\begin{document}\nOne.\\newpage Two.\n\\end{document}\n"


@needs_tex
def test_a_damaged_pdf_of_latexmk_is_rebuilt_not_copied(tmp_path):
    """13.2: ``truncate -s 1000 DIR/.latex/hw6.pdf``; latexmk thinks it is up to date."""
    doc = tmp_path / "hw6.tex"
    doc.write_text(DOC)
    good = compile_pdf(doc)
    assert good.pages == 2 and pdf_problem(good.pdf, 2) == ""
    os.truncate(tmp_path / ".latex" / "hw6.pdf", 1000)
    again = compile_pdf(doc)
    assert again.pages == 2 and pdf_problem(again.pdf, 2) == ""
    assert pdf_problem(tmp_path / ".latex" / "hw6.pdf", 2) == ""


@needs_tex
def test_a_pdf_that_stays_damaged_keeps_the_last_good_one(tmp_path, monkeypatch):
    doc = tmp_path / "hw6.tex"
    doc.write_text(DOC)
    good = compile_pdf(doc).pdf.read_bytes()
    doc.write_text(DOC.replace("One.", "Uno."))
    monkeypatch.setattr(latexbuild, "pdf_problem", lambda pdf, pages: "truncated")
    with pytest.raises(LatexError, match="damaged PDF twice"):
        compile_pdf(doc)
    assert (tmp_path / "hw6.pdf").read_bytes() == good
    assert not list(tmp_path.glob(".hw6.pdf.tmp"))


@needs_tex
@pytest.mark.parametrize("cut, says", [(1000, "truncated"), (-100, "truncated"), (None, ""),
                                       ("header", "no PDF header"), ("pages", "2 pages where the LaTeX log says 3")])
def test_pdf_problem(tmp_path, cut, says):
    doc = tmp_path / "hw6.tex"
    doc.write_text(DOC)
    data = compile_pdf(doc).pdf.read_bytes()
    data = b"junk" + data if cut == "header" else data[:cut] if isinstance(cut, int) else data
    (tmp_path / "x.pdf").write_bytes(data)
    problem = pdf_problem(tmp_path / "x.pdf", 3 if cut == "pages" else 2)
    assert (says in problem) if says else problem == ""


def _fake_tex(tmp_path, latexmk: str) -> Path:
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "latexmk").write_text(latexmk)
    (bin_ / "latexmk").chmod(0o755)
    (bin_ / "pdflatex").write_text("#!/bin/sh\nexit 0\n")
    (bin_ / "pdflatex").chmod(0o755)
    return bin_


def test_a_hanging_latexmk_is_stopped_with_its_children(tmp_path, monkeypatch):
    child = tmp_path / "child.pid"
    bin_ = _fake_tex(tmp_path, f"#!/bin/sh\nsleep 1000 &\necho $! > {child}\nwait\n")
    monkeypatch.setenv("PATH", f"{bin_}:{os.environ['PATH']}")
    (tmp_path / "hw6.tex").write_text(DOC)
    with pytest.raises(LatexError, match="did not finish within 2 s"):
        compile_pdf(tmp_path / "hw6.tex", timeout=2)
    pid = int(child.read_text())
    deadline = time.monotonic() + 60  # SIGKILL is delivered when the kernel gets to it (sleep lasts 1000 s)
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(pid)


def test_a_latexmk_that_cannot_start_is_no_tex(tmp_path, monkeypatch):
    bin_ = _fake_tex(tmp_path, "#!/nonexistent/perl\n")
    monkeypatch.setenv("PATH", str(bin_))
    (tmp_path / "hw6.tex").write_text(DOC)
    with pytest.raises(NoTeX, match="cannot be run"):
        compile_pdf(tmp_path / "hw6.tex")

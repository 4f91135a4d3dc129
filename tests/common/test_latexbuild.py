"""common.latexbuild: a damaged PDF never replaces the last good one; a latexmk that hangs is
stopped with its children; one that cannot start is "no TeX"."""
import os
import time
from pathlib import Path

import pytest

from common import latexbuild
from common.latexbuild import LatexError, NoTeX, compile_pdf, pdf_problem
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


# --- issue 21.14: a missing .sty names itself and the package to install -------------------

@pytest.mark.skipif(not have_tex(), reason="needs TeX Live")
def test_a_missing_sty_is_no_tex_naming_the_file_and_what_to_install(tmp_path):
    """A missing lmodern.sty gave exit 1 and "hw6.tex:14: Emergency stop", the wrong line."""
    tex = tmp_path / "hw6.tex"
    tex.write_text("\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{zzhwsixmissing}\n"
                   "\\begin{document}x\\end{document}\n")
    with pytest.raises(NoTeX) as err:
        compile_pdf(tex)
    says = str(err.value)
    assert says.startswith("the LaTeX package zzhwsixmissing.sty (hw6.tex:3) is not installed") and "\n" not in says
    assert "tlmgr" in says and "Emergency stop" not in says


@pytest.mark.parametrize("sty, package", [("lmodern", "lmodern"), ("placeins", "texlive-latex-extra"),
                                          ("booktabs", "texlive-latex-recommended"), ("amsmath", "texlive-latex-base")])
def test_the_hint_names_the_debian_package_of_each_sty(sty, package):
    log = f"! LaTeX Error: File `{sty}.sty' not found.\n\nType X to quit or <RETURN> to proceed,\n"
    assert f"sudo apt-get install {package}" in latexbuild.missing_package(log, Path("hw6.tex"))


def _used_packages() -> set:
    """Every package named by a \\usepackage of the templates and of the sources that write LaTeX
    documents (derive/, check/: the checker's PDF), as scripts/install-tex.sh finds them."""
    import re
    from support import ROOT
    files = list((ROOT / "report" / "templates").glob("*.tex"))
    files += [p for d in ("derive", "check") if (ROOT / d).is_dir() for p in (ROOT / d).rglob("*.py")]
    pattern = re.compile(r"\\(?:usepackage|RequirePackage)(?:\[[^]]*\])?\{+([^}]+)\}")
    return {name.strip() for f in files for names in pattern.findall(f.read_text()) for name in names.split(",")}


def test_every_sty_the_documents_use_has_its_package():
    """Each .sty has a known package, so that a missing one is named with what to install."""
    assert _used_packages() <= set(latexbuild.STY_PACKAGES)
    assert {"lmodern", "placeins", "booktabs", "adjustbox"} <= _used_packages()


def _install_tex_with(tmp_path, missing: set):
    """Run scripts/install-tex.sh with fake kpsewhich (``missing`` not found), apt-get and sudo
    (they record their arguments): (the kpsewhich queries, the apt-get calls)."""
    import shutil
    import subprocess
    from support import ROOT
    bin_, log = tmp_path / "bin", tmp_path / "log"
    bin_.mkdir()
    fakes = {"kpsewhich": f'echo "kpsewhich $*" >> {log}; case " {" ".join(sorted(missing))} " in '
                          '*" $1 "*) exit 1;; *) echo /x/$1;; esac',
             "apt-get": f'echo "apt-get $*" >> {log}', "sudo": '"$@"', "id": "echo 0"}
    for name, body in fakes.items():
        (bin_ / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_ / name).chmod(0o755)
    for tool in ("latexmk", "pdflatex", "pdftotext", "bash", "grep", "sed", "tr", "sort", "dirname"):
        if shutil.which(tool) and not (bin_ / tool).exists():
            (bin_ / tool).symlink_to(shutil.which(tool))
    r = subprocess.run(["bash", "scripts/install-tex.sh"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env={"PATH": str(bin_), "HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    lines = log.read_text().splitlines() if log.exists() else []
    return ({ln.split()[1] for ln in lines if ln.startswith("kpsewhich")},
            [ln for ln in lines if ln.startswith("apt-get install")])


def test_install_tex_checks_every_sty_the_documents_use(tmp_path):
    """scripts/install-tex.sh checked booktabs only: a machine with texlive-latex-recommended
    but not -extra failed the README's first command."""
    asked, installs = _install_tex_with(tmp_path, missing=set())
    assert asked == {f"{s}.sty" for s in _used_packages()} and installs == []


@pytest.mark.parametrize("sty", ["placeins.sty", "lmodern.sty", "adjustbox.sty"])
def test_install_tex_installs_when_one_sty_is_missing(tmp_path, sty):
    _, installs = _install_tex_with(tmp_path, missing={sty})
    assert len(installs) == 1 and "texlive-latex-extra" in installs[0] and "lmodern" in installs[0]

"""One quick build of the writeup, shared by the report tests (they copy it before they
change anything in it)."""
import shutil

import pytest

from support import have_tex, run_module


@pytest.fixture(scope="session")
def quick_build(tmp_path_factory):
    """``(DIR, CompletedProcess, None)`` of ``python -m report --quick --out DIR``."""
    if not have_tex():
        pytest.skip("needs TeX Live (latexmk, pdflatex): bash scripts/install-tex.sh")
    out = tmp_path_factory.mktemp("report")
    proc = run_module("report", "--out", str(out), "--quick", "--quiet", timeout=600)
    return out, proc, None


@pytest.fixture
def built(quick_build, tmp_path):
    """A copy of the quick build's DIR that a test may change."""
    out, proc, _ = quick_build
    assert proc.returncode == 0, proc.stderr
    copy = tmp_path / "D"
    shutil.copytree(out, copy, symlinks=True)
    return copy

"""One quick build of the writeup per test run (whatever the number of pytest-xdist workers),
shared by the report tests (they copy it before they change anything in it). It starts from the
quick runs of the experiments that the numeric tests read (:func:`support.quick_experiments`,
made as this build would make them), so it reuses them instead of running them again."""
import shutil

import pytest

from support import have_tex, module_once, quick_experiments


@pytest.fixture(scope="session")
def quick_build(tmp_path_factory):
    """``(DIR, CompletedProcess, None)`` of ``python -m report --quick --out DIR``."""
    if not have_tex():
        pytest.skip("needs TeX Live (latexmk, pdflatex): bash scripts/install-tex.sh")
    _, experiments = quick_experiments(tmp_path_factory)
    proc, out = module_once(tmp_path_factory, "report-quick", "report", "--quick", "--quiet", start=experiments)
    return out, proc, None


@pytest.fixture
def built(quick_build, tmp_path):
    """A copy of the quick build's DIR that a test may change."""
    out, proc, _ = quick_build
    assert proc.returncode == 0, proc.stderr
    copy = tmp_path / "D"
    shutil.copytree(out, copy, symlinks=True)
    return copy

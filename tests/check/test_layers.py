"""The layering rules of the README's layout table are import-linter contracts (pyproject.toml,
run by ``lint-imports`` in CI): they hold for the code as it is, and a planted upward import
breaks them (so a new one fails CI)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("common", "derive", "check", "numeric", "report", "bench")


def _lint(root: Path) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(lint), "--config", str(root / "pyproject.toml")], cwd=root, capture_output=True,
                          text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=300)


@pytest.fixture
def tree(tmp_path):
    """A copy of the packages' Python files and of pyproject.toml."""
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.json",
                                                                                  "templates", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_contracts_hold():
    r = _lint(ROOT)
    assert r.returncode == 0 and "0 broken" in r.stdout, r.stdout[-2000:]


@pytest.mark.parametrize("module,line,contract", [
    ("check/verdicts.py", "import report.tex", "check imports neither the writeup nor the experiments"),
    ("common/cli.py", "import check.verdicts", "check sits above derive and common"),
    ("derive/engine/verify.py", "from check import verdicts", "check sits above derive and common"),
    ("report/tex.py", "import check.output", "the writeup and the experiments do not import the checker"),
])
def test_a_planted_upward_import_breaks_a_contract(tree, module, line, contract):
    path = tree / module
    path.write_text(path.read_text() + f"\n{line}  # planted\n")
    r = _lint(tree)
    assert r.returncode != 0 and f"{contract} BROKEN" in r.stdout, r.stdout[-2000:]

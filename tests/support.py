"""Helpers the tests share: run a command of the project, find TeX."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["ROOT", "run_module", "have_tex"]

ROOT = Path(__file__).resolve().parents[1]


def run_module(*args, timeout=600, **kw):
    """Run ``python -m ...`` from the repository root; returns CompletedProcess."""
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, **kw)


def have_tex() -> bool:
    return shutil.which("pdflatex") is not None and shutil.which("latexmk") is not None

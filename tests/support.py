"""Helpers the tests share: run a command of the project, find TeX."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["ROOT", "run_module", "have_tex", "running"]

ROOT = Path(__file__).resolve().parents[1]


def run_module(*args, timeout=600, **kw):
    """Run ``python -m ...`` from the repository root; returns CompletedProcess."""
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, **kw)


def have_tex() -> bool:
    return shutil.which("pdflatex") is not None and shutil.which("latexmk") is not None


def running(pid: int) -> bool:
    """Whether process ``pid`` is alive (a zombie waiting to be reaped is not), from /proc."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False

"""How this build was made: command, versions, commit (for the appendix).

Every value here comes from outside the project's own LaTeX, so the template escapes it.
"""
from __future__ import annotations

import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

__all__ = ["LIBRARIES", "versions", "tex_version", "git_commit"]

LIBRARIES = ("sympy", "mpmath", "numpy", "scipy", "matplotlib", "numba", "jinja2", "latexcodec")
ROOT = Path(__file__).resolve().parents[1]


def versions() -> list[tuple[str, str]]:
    """``[("Python", "3.11.7"), ("sympy", "1.14.0"), ...]`` for the installed libraries."""
    out = [("Python", f"{platform.python_version()} ({platform.python_implementation()})")]
    for lib in LIBRARIES:
        try:
            out.append((lib, metadata.version(lib)))
        except metadata.PackageNotFoundError:
            out.append((lib, "not installed"))
    return out


def _first_line(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20, cwd=ROOT,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = proc.stdout.strip().splitlines()
    return lines[0].strip() if proc.returncode == 0 and lines else ""


def tex_version() -> str:
    """First line of ``pdflatex --version`` (empty without TeX)."""
    return _first_line(["pdflatex", "--version"]) if shutil.which("pdflatex") else ""


def git_commit() -> str:
    """``abc1234`` or ``abc1234 (with local changes)``; empty outside a git checkout."""
    if not shutil.which("git") or not (ROOT / ".git").exists():
        return ""
    head = _first_line(["git", "rev-parse", "--short=10", "HEAD"])
    dirty = _first_line(["git", "status", "--porcelain", "--untracked-files=no"])
    return f"{head} (with local changes)" if head and dirty else head

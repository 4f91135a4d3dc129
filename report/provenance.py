"""How this build was made: commands, configuration, versions, commit (for the appendix).

Every value here comes from outside the project's own LaTeX: the template escapes plain
strings, and :func:`command_tex` escapes a command line itself (with break points after
spaces and slashes, and any character LaTeX cannot typeset shown as its code point).
"""
from __future__ import annotations

import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from report.tex import Tex, escape

__all__ = ["LIBRARIES", "versions", "tex_version", "git_commit", "command_tex", "report_command",
           "experiment_rows", "config_rows"]

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


def _escaped(ch: str) -> str:
    try:
        return escape(ch)
    except UnicodeEncodeError:  # no glyph for it in the writeup's fonts: name it
        return escape(f"<U+{ord(ch):04X}>")


def command_tex(command: str) -> Tex:
    r"""``command`` for ``\texttt``: escaped, breakable after slashes and ``=``.

    >>> print(command_tex("python -m numeric sgd --data=/tmp/a_b.csv"))
    python -m numeric sgd -{}-data=\allowbreak{}/\allowbreak{}tmp/\allowbreak{}a\_b.csv
    """
    out = "".join(_escaped(ch) + ("\\allowbreak{}" if ch in "/=" else "") for ch in command)
    return Tex(out.replace("--", "-{}-").replace("--", "-{}-"))


def report_command(quick: bool, config) -> Tex:
    """The report's own command line, with ``DIR`` for the output folder."""
    return command_tex("python -m report --out DIR" + (f" --config {config.name}" if config else "")
                       + (" --quick" if quick else ""))


def _seed(data) -> object:
    data = data or {}
    settings = data.get("settings") if isinstance(data.get("settings"), dict) else {}
    return data.get("seed", settings.get("seed"))


def experiment_rows(outcomes: dict) -> list[dict]:
    """One row per experiment for the appendix: name, seed, run time, what this build did
    with it, the command this build runs and, for results it did not make, the command
    that made them."""
    from report.experiments import OPTIONAL
    rows = []
    for o in outcomes.values():
        if o.status == "missing" and o.name in OPTIONAL:
            continue
        state = {"ok": "reused" if o.reused else "run", "missing": "not available", "failed": "failed"}[o.status]
        rows.append({"name": o.name, "seed": _seed(o.data), "seconds": o.seconds, "state": state,
                     "command": command_tex(o.command), "outside": o.outside,
                     "made_by": command_tex(o.made_by) if o.outside else ""})
    return rows


def config_rows(config) -> list[dict]:
    """The configuration as read: one row per experiment option (``[sgd] batch-sizes = [1, 10]``)."""
    from report.config import toml_value
    return [{"table": t, "key": k, "value": command_tex(toml_value(v))}
            for t, values in config.tables.items() for k, v in values.items()]

"""Compile ``DIR/hw6.tex`` to ``DIR/hw6.pdf`` with latexmk and pdflatex.

latexmk runs in ``DIR`` with its auxiliary files in ``DIR/.latex/`` (kept between builds,
so an unchanged document is not recompiled). The PDF is copied into place through a
temporary file and an atomic rename, only after latexmk succeeded: a failed build keeps
the last good ``DIR/hw6.pdf``. A LaTeX error is reported as ``hw6.tex:LINE: message``
with the offending source line, not the whole log.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["NoTeX", "LatexError", "tex_missing", "compile_pdf", "log_problems", "INSTALL_HINT"]

AUX = ".latex"
INSTALL_HINT = ("install TeX Live: sudo apt-get install latexmk texlive-latex-recommended "
                "texlive-latex-extra texlive-fonts-recommended lmodern (macOS: MacTeX), "
                "or run scripts/install-tex.sh")


class NoTeX(RuntimeError):
    """latexmk or pdflatex is not on PATH."""


class LatexError(RuntimeError):
    """pdflatex stopped on an error; the message names the line."""


def tex_missing() -> list[str]:
    """The TeX programs the build needs that are not on PATH."""
    return [p for p in ("latexmk", "pdflatex") if shutil.which(p) is None]


_ERR = re.compile(r"^(?:\./)?(?P<file>[^:\n]+\.tex):(?P<line>\d+): (?P<msg>.*)$", re.M)


def _first_error(log: str, tex: Path) -> str:
    m = _ERR.search(log)
    if m:
        where, msg = f"{m['file']}:{m['line']}", m["msg"].strip()
        try:
            src = tex.parent.joinpath(m["file"]).read_text(errors="replace").splitlines()[int(m["line"]) - 1]
            return f"{where}: {msg}\n    {src.strip()[:200]}"
        except (OSError, IndexError):
            return f"{where}: {msg}"
    bang = re.search(r"^! (.*)$", log, re.M)
    if bang:
        context = re.search(r"^l\.(\d+) (.*)$", log[bang.end():], re.M)
        line = f"{tex.name}:{context[1]}: " if context else ""
        tail = f"\n    {context[2].strip()}" if context else ""
        return f"{line}{bang[1].strip()}{tail}"
    return ""


def log_problems(log: str) -> list[str]:
    """Undefined references or citations, and missing figures, named in a LaTeX log."""
    pats = [r"LaTeX Warning: (Reference|Citation) `[^']*' on page \d+ undefined",
            r"LaTeX Warning: There were undefined references",
            r"File `[^']*' not found"]
    return [m.group(0) for p in pats for m in re.finditer(p, log)]


@dataclass(frozen=True)
class Built:
    pdf: Path
    pages: int
    warnings: tuple[str, ...]


def _pages(log: str) -> int:
    m = re.findall(r"Output written on .*? \((\d+) pages?", log)
    return int(m[-1]) if m else 0


def compile_pdf(tex: Path, timeout: float = 300) -> Built:
    """``latexmk -pdf`` on ``tex``; the PDF lands beside it, atomically.

    Raises :class:`NoTeX` when latexmk/pdflatex are missing and :class:`LatexError` with
    the offending line when pdflatex fails.
    """
    missing = tex_missing()
    if missing:
        raise NoTeX(f"{' and '.join(missing)} not found; {INSTALL_HINT}")
    aux = tex.parent / AUX
    aux.mkdir(exist_ok=True)
    cmd = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
           f"-outdir={AUX}", tex.name]
    proc = subprocess.run(cmd, cwd=tex.parent, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, errors="replace")
    logfile = aux / f"{tex.stem}.log"
    log = logfile.read_text(errors="replace") if logfile.exists() else ""
    built = aux / f"{tex.stem}.pdf"
    if proc.returncode != 0 or not built.exists():
        detail = _first_error(log, tex) or (proc.stdout + proc.stderr).strip().splitlines()[-1:] or ["?"]
        raise LatexError(detail if isinstance(detail, str) else detail[0])
    target = tex.with_suffix(".pdf")
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(built, tmp)
    os.replace(tmp, target)
    return Built(target, _pages(log) or _pdf_pages(target), tuple(log_problems(log)))


def _pdf_pages(pdf: Path) -> int:
    """Page count from the PDF itself (when latexmk had nothing to do, the log is old)."""
    data = pdf.read_bytes()
    counts = re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)
    return max((int(c) for c in counts), default=0)

"""Compile ``DIR/hw6.tex`` to ``DIR/hw6.pdf`` with latexmk and pdflatex.

latexmk runs in ``DIR`` with its auxiliary files in ``DIR/.latex/`` (kept between builds,
so an unchanged document is not recompiled), in its own process group: when it does not
finish within the time limit, or the report is interrupted, the whole group is ended.
The PDF is copied into place through a temporary file and an atomic rename, only after
latexmk succeeded and the PDF passed :func:`pdf_problem` (it has a PDF header, an end
marker and a cross-reference table where ``startxref`` says, and as many pages as the LaTeX
log says it wrote); a damaged ``DIR/.latex/hw6.pdf`` forces one full rebuild (``latexmk -g``),
and a PDF that fails again is an error. A failed build keeps the last good ``DIR/hw6.pdf``.
A LaTeX error is reported as ``hw6.tex:LINE: message`` with the offending source line, not
the whole log. A LaTeX package that is not installed is :class:`NoTeX` (as a missing latexmk
is), naming the ``.sty`` file and the package that has it (:data:`STY_PACKAGES`).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from common.fileset import atomic_copy

__all__ = ["NoTeX", "LatexError", "tex_missing", "compile_pdf", "log_problems", "pdf_problem",
           "pdf_pages", "missing_package", "INSTALL_HINT", "STY_PACKAGES", "TIMEOUT"]

TIMEOUT = 300.0  # seconds latexmk may take

AUX = ".latex"
INSTALL_HINT = ("install TeX Live: sudo apt-get install latexmk texlive-latex-recommended "
                "texlive-latex-extra texlive-fonts-recommended lmodern (macOS: MacTeX), "
                "or run scripts/install-tex.sh")


# The Debian/Ubuntu package of each .sty the documents use (the templates and the checker's PDF;
# tests/report/test_latexbuild.py keeps this table complete). scripts/install-tex.sh checks each.
STY_PACKAGES = {
    **dict.fromkeys(("amsmath", "amsthm", "array", "fontenc", "geometry", "graphicx", "hyperref", "inputenc",
                     "tabularx"), "texlive-latex-base"),
    "amssymb": "texlive-base",
    **dict.fromkeys(("booktabs", "caption", "cite", "float", "xcolor"), "texlive-latex-recommended"),
    **dict.fromkeys(("adjustbox", "needspace", "placeins"), "texlive-latex-extra"),
    "lmodern": "lmodern",
}


class NoTeX(RuntimeError):
    """latexmk or pdflatex is not on PATH, or a LaTeX package the document uses is not installed."""


class LatexError(RuntimeError):
    """pdflatex stopped on an error; the message names the line."""


def tex_missing() -> list[str]:
    """The TeX programs the build needs that are not on PATH."""
    return [p for p in ("latexmk", "pdflatex") if shutil.which(p) is None]


_ERR = re.compile(r"^(?:\./)?(?P<file>[^:\n]+\.tex):(?P<line>\d+): (?P<msg>.*)$", re.M)


_MISSING_STY = re.compile(r"LaTeX Error: File `(?P<sty>[^']+)\.sty' not found")


def _package_line(tex: Path, sty: str) -> str:
    """``NAME.tex:LINE`` of the ``\\usepackage`` that names ``sty`` ('' if none does): the log
    names the line where TeX stopped, after it."""
    try:
        lines = tex.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    pattern = re.compile(r"\\(?:usepackage|RequirePackage)\s*(?:\[[^]]*\])?\s*\{[^}]*\b" + re.escape(sty) + r"\b")
    return next((f"{tex.name}:{i}" for i, line in enumerate(lines, 1) if pattern.search(line)), "")


def missing_package(log: str, tex: Path) -> str:
    """'' or, when the LaTeX log says a ``.sty`` file was not found, one line naming it, the
    line of ``tex`` that asks for it, and what to install (its Debian package from
    :data:`STY_PACKAGES`; ``tlmgr`` for TeX Live).

    >>> print(missing_package("! LaTeX Error: File `placeins.sty' not found.", Path("nowhere.tex")))
    the LaTeX package placeins.sty is not installed: sudo apt-get install texlive-latex-extra (TeX Live: tlmgr install placeins), or run scripts/install-tex.sh
    """
    m = _MISSING_STY.search(log)
    if not m:
        return ""
    sty, where = m["sty"], _package_line(tex, m["sty"])
    what = f"the LaTeX package {sty}.sty" + (f" ({where})" if where else "") + " is not installed"
    if sty in STY_PACKAGES:
        return f"{what}: sudo apt-get install {STY_PACKAGES[sty]} (TeX Live: tlmgr install {sty}), " \
               "or run scripts/install-tex.sh"
    return f"{what}: install the TeX Live package that has it (tlmgr search --global --file /{sty}.sty)"


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


def _latexmk(cmd: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """Run latexmk in its own process group; the group is ended when it overruns
    ``timeout`` or when we are interrupted."""
    try:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                errors="replace", stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:  # a latexmk that cannot start (a bad #! line, no permission)
        raise NoTeX(f"{shutil.which(cmd[0]) or cmd[0]} cannot be run ({exc.strerror or exc}); "
                    f"{INSTALL_HINT}") from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LatexError(f"latexmk did not finish within {timeout:g} s and was stopped") from None
    finally:  # done, overrun or interrupted: nothing of latexmk's group keeps running
        _end_group(proc)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _end_group(proc: subprocess.Popen) -> None:
    """Kill what is left of latexmk's process group (pdflatex, a hung child)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def compile_pdf(tex: Path, timeout: float = TIMEOUT) -> Built:
    """``latexmk -pdf`` on ``tex``; the PDF lands beside it, atomically, once it passed
    :func:`pdf_problem`.

    Raises :class:`NoTeX` when latexmk/pdflatex are missing or cannot run and
    :class:`LatexError` with the offending line when pdflatex fails (or a damaged PDF
    survives a forced rebuild, or latexmk overruns ``timeout``).
    """
    missing = tex_missing()
    if missing:
        raise NoTeX(f"{' and '.join(missing)} not found; {INSTALL_HINT}")
    aux = tex.parent / AUX
    aux.mkdir(exist_ok=True)
    cmd = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
           f"-outdir={AUX}", tex.name]
    built, logfile = aux / f"{tex.stem}.pdf", aux / f"{tex.stem}.log"
    for force in ([], ["-g"]):
        proc = _latexmk(cmd[:1] + force + cmd[1:], tex.parent, timeout)
        log = logfile.read_text(errors="replace") if logfile.exists() else ""
        if proc.returncode != 0 or not built.exists():
            if missing_package(log, tex):
                raise NoTeX(missing_package(log, tex))
            detail = _first_error(log, tex) or (proc.stdout + proc.stderr).strip().splitlines()[-1:] or ["?"]
            raise LatexError(detail if isinstance(detail, str) else detail[0])
        problem = pdf_problem(built, _pages(log))
        if not problem:
            break
    else:
        raise LatexError(f"latexmk wrote a damaged PDF twice ({problem}); the last good PDF is kept")
    target = tex.with_suffix(".pdf")
    atomic_copy(built, target)
    return Built(target, _pages(log) or pdf_pages(target.read_bytes()), tuple(log_problems(log)))


_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b.*?>>\s*stream\r?\n", re.S)
_PAGES = re.compile(rb"<<(?:(?!<<|>>).)*?/Type\s*/Pages\b(?:(?!<<|>>).)*>>", re.S)
_COUNT = re.compile(rb"/Count\s+(\d+)")


def _object_streams(data: bytes):
    """The decompressed object streams of a PDF (where pdflatex puts the page tree)."""
    for m in _OBJSTM.finditer(data):
        end = data.find(b"endstream", m.end())
        try:
            yield zlib.decompress(data[m.end():end if end > 0 else None])
        except zlib.error:
            continue


def pdf_pages(data: bytes) -> int:
    """The page count of the PDF ``data``: the largest ``/Count`` of a ``/Type /Pages`` node,
    in the file or in its compressed object streams (0 when there is none)."""
    counts = [int(c) for chunk in (data, *_object_streams(data)) for d in _PAGES.findall(chunk)
              for c in _COUNT.findall(d)]
    return max(counts, default=0)


def pdf_problem(pdf: Path, pages: int) -> str:
    """Why ``pdf`` is not a complete PDF of ``pages`` pages ('' when it is): it must start
    with ``%PDF-``, end with ``%%EOF``, have ``startxref`` point at a cross-reference table or
    stream, and have the page count the LaTeX log reports (when it reports one)."""
    try:
        data = pdf.read_bytes()
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    if not data.startswith(b"%PDF-"):
        return "no PDF header"
    if b"%%EOF" not in data[-1024:]:
        return f"truncated ({len(data)} bytes, no end marker)"
    m = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-1024:])
    if not m or not re.match(rb"xref|\d+\s+\d+\s+obj", data[int(m[1]):int(m[1]) + 32]):
        return "its cross-reference table is not where startxref says"
    found = pdf_pages(data)
    if pages and found != pages:
        return f"{found} pages where the LaTeX log says {pages}"
    return ""

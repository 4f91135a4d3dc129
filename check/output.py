r"""The checker's outputs: a text table, the JSON of the command-line contract, one CSV row
per file, and an annotated PDF.

In the PDF every line is typeset from its *parsed* form (the "read as" LaTeX that SymPy
prints from the objects the parser built), never from the input; remarks, file names and
messages are escaped as text (:func:`common.texescape.escape`). So no input reaches TeX as
written: ``\input``, ``\write18``, ``\def`` or catcode tricks in a submission are either
unknown macros (an error for that line) or escaped text.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

from check.checker import FileResult, StepResult
from check.grade import is_unread
from check.judge import VERDICTS

__all__ = ["to_json_obj", "to_json", "text_report", "csv_rows", "csv_text", "pdf_source", "write_pdf",
           "summary", "MARKS", "CSV_HEADER"]

CSV_HEADER = ("file", "part", "steps", "wrong", "inconclusive", "final")
MARKS = {"proved": (r"\checkmark", "green!45!black"), "numeric": (r"$\approx$", "green!35!black"),
         "wrong": (r"$\times$", "red!75!black"), "domain": (r"$\triangle$", "orange!80!black"),
         "inconclusive": ("?", "gray"), None: (r"$:=$", "blue!60!black")}


def to_json_obj(r: FileResult) -> dict:
    """The contract's object for one file."""
    return {
        "file": r.file,
        "part": r.part,
        "steps": [{"line": s.line, "latex": s.latex, "read_as": s.read_as, "verdict": s.verdict,
                   "detail": s.detail, "counterexample": s.counterexample} for s in r.steps],
        "final": {"verdict": r.final.get("verdict"), "reference_id": r.final.get("reference_id"),
                  "counterexample": r.final.get("counterexample")},
        "errors": list(r.errors),
    }


def to_json(results: list[FileResult]) -> str:
    return json.dumps([to_json_obj(r) for r in results], indent=2, ensure_ascii=False)


def summary(r: FileResult) -> Counter:
    """Steps per verdict."""
    return Counter(s.verdict for s in r.steps)


FINAL_SIDES = ("your answer", "the reference")  # the two sides of a final answer's counterexample


def _steps_word(n: int) -> str:
    return f"{n} step" + ("" if n == 1 else "s")


def _cex(c: dict | None, sides=("lhs", "rhs")) -> str:
    if not c:
        return ""
    where = ", ".join(f"{k} = {v}" for k, v in c["point"].items())
    return f"counterexample: {where or 'no variables'}: {sides[0]} = {c['lhs']}, {sides[1]} = {c['rhs']}"


def text_report(results: list[FileResult]) -> str:
    """One table per file: line, verdict, the step as read, its detail; then remarks,
    the final answer, errors and the counts."""
    out = []
    for r in results:
        head = f"{r.file}" + (f"  (part {r.part}, reference {r.final.get('reference_id')})" if r.part else "")
        out += [head, f"{'line':>5}  {'verdict':<13} step, read as"]
        for s in r.items:
            verdict = s.verdict or "definition"
            out.append(f"{s.line:>5}  {verdict:<13} {s.read_as or s.latex}")
            for extra in (s.detail if s.verdict else "", _cex(s.counterexample)):
                if extra:
                    out.append(f"{'':>5}  {'':<13} {extra}")
            for c in s.comments:
                out.append(f"{'':>5}  {'':<13} remark (not checked): {c}")
        if r.part:
            f = r.final
            out.append(f"final: {f.get('verdict')} ({f.get('reference_id')}): {f.get('detail', '')}")
            if f.get("counterexample"):
                out.append(f"       {_cex(f['counterexample'], FINAL_SIDES)}")
        for e in r.errors:
            out.append(f"error: {e}")
        c = summary(r)
        out.append(_steps_word(len(r.steps)) + ": " + ", ".join(f"{c.get(v, 0)} {v}" for v in VERDICTS))
        out.append("")
    return "\n".join(out)


def csv_rows(results: list[FileResult]) -> list[tuple]:
    """One row per file (:data:`CSV_HEADER`); the final column of a file that could not be read
    says ``unreadable``."""
    rows = []
    for r in results:
        c = summary(r)
        rows.append((r.file, r.part or "", len(r.steps), c.get("wrong", 0), c.get("inconclusive", 0),
                     "unreadable" if is_unread(r) else r.final.get("verdict") or ""))
    return rows


def csv_text(results: list[FileResult]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    w.writerows(csv_rows(results))
    return buf.getvalue()


_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage[left=4cm,right=2cm,top=2cm,bottom=2cm,marginparwidth=2.6cm,marginparsep=0.4cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{xcolor}
\usepackage{adjustbox}
\reversemarginpar
\setlength{\parindent}{0pt}
\newcommand{\stepmark}[2]{\marginpar{\raggedleft\footnotesize\textcolor{#2}{#1}}}
\begin{document}
"""


def _escape(text) -> str:
    from common.texescape import escape  # the project's text escaping (latexcodec)
    return str(escape(str(text)))


def _math(tex: str) -> str:
    return rf"\adjustbox{{max width=\linewidth}}{{$\displaystyle {tex}$}}"


def _step_tex(s: StepResult) -> list[str]:
    sym, color = MARKS[s.verdict]
    word = s.verdict or "definition"
    lines = [rf"\textbf{{line {s.line}}}\stepmark{{{sym}~{_escape(word)}}}{{{color}}}\par\nopagebreak"]
    if s.read_as:
        lines.append(_math(s.read_as) + r"\par")
    else:
        lines.append(r"\textit{(not read)}\par")
    if s.verdict and not (s.counterexample and s.detail.startswith("fails at")):
        lines.append(rf"{{\footnotesize {_escape(s.detail)}}}\par")
    if s.counterexample:
        lines.append(rf"{{\footnotesize {_cex_tex(s.counterexample)}}}\par")
    for c in s.comments:
        lines.append(rf"{{\footnotesize remark (not checked): {_escape(c)}}}\par")
    lines.append(r"\medskip")
    return lines


def _number_tex(v) -> str:
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return r"\left(" + r",\ ".join(_number_tex(x) for x in v) + r"\right)"
    return r"\text{" + _escape(v) + "}"


def _cex_tex(c: dict, sides=("left side", "right side")) -> str:
    """A counterexample in math: the names are the parsed symbols' LaTeX (printed by
    SymPy), the values numbers; anything else is escaped text."""
    where = r",\ ".join(f"{k} = {_number_tex(v)}" for k, v in c["point"].items())
    where = f"${where}$" if where else "no variables"
    return (rf"counterexample: {where}: {sides[0]} ${_number_tex(c['lhs'])}$, "
            rf"{sides[1]} ${_number_tex(c['rhs'])}$")


def pdf_source(results: list[FileResult]) -> str:
    """The annotated document: one section per file, each line typeset from its parsed form."""
    body = [_PREAMBLE]
    for r in results:
        body.append(rf"\section*{{{_escape(r.file)}}}")
        if r.part:
            f = r.final
            why = _cex_tex(f["counterexample"], FINAL_SIDES) if f.get("counterexample") else _escape(f.get("detail", ""))
            body.append(rf"Part {_escape(r.part)}; final answer: \textbf{{{_escape(f.get('verdict'))}}} "
                        rf"against {_escape(f.get('reference_id'))} ({why}).\par\medskip")
        for s in r.items:
            body += _step_tex(s)
        if r.errors:
            body.append(r"\textbf{Errors}\par")
            body += [rf"{{\footnotesize {_escape(e)}}}\par" for e in r.errors]
        c = summary(r)
        body.append(rf"\medskip {_steps_word(len(r.steps))}: " + _escape(", ".join(f"{c.get(v, 0)} {v}" for v in VERDICTS)) + r"\par")
    body.append(r"\end{document}")
    return "\n".join(body) + "\n"


def write_pdf(results: list[FileResult], out_dir: Path) -> Path:
    """``out_dir/check.tex`` and ``out_dir/check.pdf`` (the project's LaTeX build)."""
    from common.cli import atomic_write
    from common.latexbuild import compile_pdf
    tex = out_dir / "check.tex"
    atomic_write(tex, pdf_source(results))
    return compile_pdf(tex).pdf

"""Renderers: a :class:`~derive.engine.chain.Derivation` as amsmath LaTeX or as JSON.

LaTeX: one ``align*`` per derivation; the left column is what is derived, each later
line continues with ``&= ...``; the justification and how the machine verified the step
(``\verifiedmark{level}{tag}``, printed ``[symbolic]``, ``[m <= 4]`` or ``[numeric, 24 pts]``)
is a ``\tag*`` at the right margin, which amsmath moves below the line when the equation is
long (in ``aligned``: a last column). The JSON shape is the command-line contract of
``design.md``: each step has ``verified`` (the level) and ``detail`` (what exactly was checked).
"""
from __future__ import annotations

import json
import re
from typing import Iterable

import sympy as sp
from sympy.printing.repr import ReprPrinter

from derive.engine.chain import Derivation
from derive.engine.notation import DEFAULT, Notation, latex
from derive.engine.verify import LEVELS

__all__ = ["to_latex", "to_json_obj", "to_json", "standalone", "section", "document", "srepr", "assumptions_of",
           "tag_tex",
           "level_counts", "PREAMBLE"]

LONG = 80  # characters of LaTeX beyond which the justification moves to its own row

PREAMBLE = r"""\usepackage{amsmath,amssymb}
\providecommand{\verifiedmark}[2]{\;\text{\footnotesize[#2]}}
"""


_TEXT_SPECIALS = re.compile(r"(?<!\\)([_&%#])")


def _text(text: str) -> str:
    """Text with inline ``$...$`` math, safe in text mode: ``_ & % #`` outside the math
    (an id such as ``gan.log_ratio``) are escaped."""
    parts = re.split(r"(?<!\\)(\$[^$]*\$)", text)
    return "".join(p if p.startswith("$") else _TEXT_SPECIALS.sub(r"\\\1", p) for p in parts)


def tag_tex(tag: str) -> str:
    """A verification tag as LaTeX text: ``m <= 4 -> m $\\le$ 4``."""
    return _TEXT_SPECIALS.sub(r"\\\1", tag).replace("<=", r"$\le$")


def _why(text: str, step=None) -> str:
    mark = rf"\verifiedmark{{{step.verified}}}{{{tag_tex(step.tag)}}}" if step is not None else ""
    return rf"\text{{{_text(text)}}}{mark}"


def _row(left: str, right: str, why: str, tag: bool = False, op: str = "=") -> str:
    if not why:
        return rf"{left} &{op} {right}"
    if tag:  # amsmath sets the tag at the right margin, or below when the line is full
        return rf"{left} &{op} {right} \tag*{{\footnotesize {why}}}"
    if len(left) + len(right) > LONG:
        return rf"{left} &{op} {right} \\ && {why}"
    return rf"{left} &{op} {right} && {why}"


def _where_rows(d: Derivation, notation: Notation, tag: bool) -> list[str]:
    """``name := definition`` rows for the placeholders, printed before the chain that uses
    them and read forwards: the first one starts with "Let", none carries a tag."""
    rows = []
    for i, (name, value) in enumerate(d.where):
        left = latex(name(*value.variables) if isinstance(name, sp.FunctionClass) else name, notation)
        right = latex(value.expr if isinstance(value, sp.Lambda) else value, notation)
        lead = r"\text{Let}\quad " if i == 0 else ""
        rows.append(f"{lead}{left.rstrip()} &:= {right}")
    return rows


def to_latex(d: Derivation, notation: Notation = DEFAULT, environment: str = "align*") -> str:
    """The derivation as one amsmath environment (``align*`` by default). In ``align``
    environments the justifications are tags (``\\tag*``); elsewhere (``aligned``, for
    Jupyter) a last column, on its own row after a long line."""
    tag = environment in ("align*", "align")
    rows = _where_rows(d, notation, tag)
    rows += [_row(latex(d.lhs, notation), latex(d.start, notation), _why(d.start_why, None), tag,
                  ":=" if d.defines else "=")]
    for s in d.steps:
        left = "" if s.lhs is None else latex(s.lhs, notation)
        rows.append(_row(left, latex(s.rhs, notation), _why(s.why, s), tag))
    body = " \\\\\n".join(rows)
    return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"


class _Repr(ReprPrinter):
    """``srepr`` whose output ``sympy.parse_expr`` reads back (no bare ``Str``)."""

    def _print_Str(self, s):
        return repr(s.name)


def srepr(expr) -> str:
    """Exact, assumption-preserving string form that :func:`sympy.parse_expr` reads back."""
    return _Repr().doprint(expr)


def assumptions_of(symbol) -> list[str]:
    """The assumptions a symbol was declared with, e.g. ``["positive"]``."""
    orig = getattr(symbol, "_assumptions_orig", None) or {}
    facts = sorted(k for k, v in orig.items() if v and k != "commutative")
    if isinstance(symbol, sp.MatrixSymbol):
        facts.append(f"matrix {latex(symbol.shape[0])}x{latex(symbol.shape[1])}")
    return facts


def to_json_obj(d: Derivation, notation: Notation = DEFAULT) -> dict:
    """The contract's JSON object for one derivation."""
    return {
        "id": d.id,
        "problem": d.problem,
        "title": d.title,
        "latex": latex(d.result, notation),
        "sympy": srepr(d.result),
        "text": str(d.result),
        "symbols": {str(s): assumptions_of(s) for s in d.symbols},
        "steps": [{"lhs": None if s.lhs is None else latex(s.lhs, notation),
                   "latex": latex(s.rhs, notation), "why": s.why, "verified": s.verified,
                   "detail": dict(s.detail)}
                  for s in d.steps],
        "references": list(d.references),
    }


def level_counts(ds: Iterable[Derivation]) -> dict:
    """``{"steps": n, "symbolic": ..., "instances": ..., "numeric": ...}`` over all steps."""
    steps = [s for d in ds for s in d.steps]
    return {"steps": len(steps), **{lv: sum(s.verified == lv for s in steps) for lv in LEVELS}}


def to_json(ds: Iterable[Derivation], notation: Notation = DEFAULT) -> str:
    """A JSON array with one object per derivation."""
    return json.dumps([to_json_obj(d, notation) for d in ds], indent=2, ensure_ascii=False)


def section(d: Derivation, notation: Notation = DEFAULT, tex: str | None = None) -> str:
    """The derivation as a section of the standalone document (``tex``: its
    :func:`to_latex`, if already made)."""
    refs = "; ".join(d.references)
    tail = f"\n\n\\noindent\\emph{{References:}} {refs}" if refs else ""
    notes = f"\n\n{d.notes}" if d.notes else ""
    tex = to_latex(d, notation) if tex is None else tex
    return f"\\subsection*{{{d.problem}: {d.title}}}\n{tex}{notes}{tail}\n"


def document(sections: Iterable[str], title: str = "Machine-verified derivations", preamble: str = "") -> str:
    """A complete document around ``sections`` that ``pdflatex`` compiles as is (``preamble``:
    the notation's own macros)."""
    body = "\n".join(sections)
    return (f"\\documentclass[11pt]{{article}}\n\\usepackage[margin=2cm]{{geometry}}\n{PREAMBLE}{preamble}"
            f"\\allowdisplaybreaks\n\\title{{{title}}}\n\\date{{}}\n\\begin{{document}}\n"
            f"\\maketitle\n{body}\\end{{document}}\n")


def standalone(ds: Iterable[Derivation], notation: Notation = DEFAULT,
               title: str = "Machine-verified derivations") -> str:
    """A complete document that ``pdflatex`` compiles as is."""
    return document((section(d, notation) for d in ds), title, notation.preamble)

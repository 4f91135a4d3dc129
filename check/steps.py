r"""From the lines of a file to the items the judge checks: steps and definitions.

- A line that begins with ``=`` (``&=``) continues the chain: its step is
  "previous right-hand side = this right-hand side". ``a = b`` on one line is a step;
  ``a = b = c`` two steps.
- A line that begins with ``+`` or ``-`` and has no relation continues the expression of
  the line above (a long right-hand side broken over lines).
- ``lhs := rhs`` defines ``lhs``: a symbol, a function ``f(x)`` or any expression; later
  lines are read with the definition substituted. ``lhs = rhs`` on a line of its own whose
  left side contains a name not seen before (``f(x) = x^2``, ``\nabla_w f_i(w) = ...``) is a
  definition too: it introduces notation and is not judged.
- ``B \sim D`` declares the distribution of the name ``B`` (kept in the scope's
  ``distributions``; :mod:`check.subsets` reads ``B \sim \mathrm{Subset}(n, b)``).
- A line that cannot be read is an error naming its line, column and the construct; the
  next line is then compared with the last line that was read, and its detail says so.

- A line's clauses (:mod:`check.clauses`): a clause after ``\\Rightarrow`` (``\\implies``,
  ``\\iff``, ``\\text{so}``) claims to follow from the relation before it (its step's
  ``premise``); ``\\text{if } y = 1`` is an assumption of its line only; ``\\text{with }``,
  ``\\text{where }`` and prose that says "with", "where", "let" before inline math define.
- A trailing ``= z`` whose ``z`` is a name not seen before names the value (``r(w) = y x^T w
  = t`` defines ``t``); a known ``z`` claims it.
- A relation that may state a condition (an equation set or solved, not an identity) says why
  (:attr:`Step.condition`): ``... = 0``, or prose just before its display that says so
  ("setting", "solve", "when", "vanishes", ...). Such relations form the *system* in force:
  a later relation that fails as an identity may follow from it (the system is its second
  reading), and a name starred after it (``D^*(x) = ...``, ``\\tilde x^* = ...``) claims to
  solve it (:mod:`check.claims` judges both).

Steps never disappear: every relation of every line is either a step, a definition or an
error in the result.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from check.chains import MAX_READINGS, LineReader, text_of
from check.clauses import RELATIONS, segments
from check.items import Definition, Step
from check.latex_blocks import Line, lines_of
from check.lexer import ReadError, Source, tokenize
from check.notation import Notation
from check.parser import Scope, canonical_name
from derive.ops import IndexedCall

__all__ = ["Step", "Definition", "Document", "read_document", "RELATIONS", "MAX_LINES", "MAX_STEPS", "MAX_READINGS"]

MAX_LINES = 5000   # lines of the file
MAX_STEPS = 1000   # relations in the file


@dataclass
class Document:
    source: Source
    items: list
    errors: list[str]
    scope: Scope
    definitions: list[tuple]
    assumptions: list = field(default_factory=list)

    @property
    def steps(self) -> list[Step]:
        return [s for s in self.items if isinstance(s, Step)]


_segments = segments


def _merge_continuations(lines: list[Line]) -> list[Line]:
    """A line that starts with + or - and holds no relation joins the line above."""
    out: list[Line] = []
    for ln in lines:
        first = ln.tokens[0] if ln.tokens else None
        cont = (first is not None and out and out[-1].block == ln.block and out[-1].tokens
                and first.kind == "char" and first.text in "+-" and len(_segments(ln.tokens)) == 1)
        if cont:
            prev = out[-1]
            prev.tokens = prev.tokens + ln.tokens
            prev.comments = prev.comments + ln.comments
            prev.end = ln.end
        else:
            out.append(ln)
    return out


_LN10 = re.compile(r"(\\ln|\bln|\\log_e|\\log_\{e\})\s*(\\left)?[({]?\s*10(?![0-9])")  # ln 10, \ln(10), ln10


def _function_definitions(lines: list[Line], scope: Scope) -> None:
    """Names defined as functions anywhere (``f(x) := ...``) are functions from the start."""
    for ln in lines:
        segs = _segments(ln.tokens)
        if len(segs) >= 3 and segs[1][0] == ":=":
            lhs = [t for t in segs[0] if not (t.kind == "cmd" and t.text in (",", ";", "!"))]
            k = next((j for j, t in enumerate(lhs) if t.is_("char", "(") or t.is_("cmd", "left")
                      or (t.is_("char", "{") and j + 1 < len(lhs) and lhs[j + 1].is_("cmd", "left"))), None)
            if k:
                try:
                    name = canonical_name(text_of(lhs[:k]), scope)
                except ReadError:
                    continue
                base, _, sub = name.partition("_")
                scope.functions.add(base if sub and scope.is_index(sub) else name)


def _notation_lines(notation: Notation, scope: Scope, texts=None, kind: str = "definition") -> list:
    """The notation's definitions (``lhs := rhs`` in LaTeX), read as the file's would be;
    with ``kind="assumption"`` its assumptions (``L \\ge \\mu``) as ``(lhs, relation, rhs)``."""
    texts = notation.definitions if texts is None else texts
    src = Source("\n".join(texts), "<notation>")
    reader = LineReader(src, scope)
    lines = []
    for i, text in enumerate(texts):
        base = sum(len(t) + 1 for t in texts[:i])
        toks = tokenize(text, base, notation.macros)
        lines.append(Line(0, "notation", toks, [], base, base + max(len(text) - 1, 0)))
    _function_definitions(lines, scope)
    for ln in lines:
        reader.read(ln)
    if reader.errors:
        raise ReadError(f"notation {kind}: {reader.errors[0]}")
    if kind == "assumption":
        bad = [a for a in reader.items if not (isinstance(a, Step) and a.relation in ("<=", "<", ">=", ">")
                                               and a.lhs is not None and a.rhs is not None)]
        if bad:
            raise ReadError(f"notation assumption {bad[0].latex!r} is not an inequality")
        return [(a.lhs, a.relation, a.rhs) for a in reader.items]
    bad = [d for d in reader.items if not (isinstance(d, Definition) and d.lhs is not None and d.rhs is not None)]
    if bad:
        raise ReadError(f"notation definition {bad[0].latex!r} is not a definition (use :=)")
    return reader.definitions


def read_document(src: Source, notation: Notation) -> Document:
    """Read every block of ``src`` into steps and definitions (see the module docstring).

    Raises :class:`~check.lexer.ReadError` for a file that cannot be read at all
    (a block never closed, too many lines or steps)."""
    n_lines = src.text.count("\n") + 1
    if n_lines > MAX_LINES:
        raise ReadError(f"{n_lines} lines exceed the limit of {MAX_LINES}")
    scope = Scope(notation)
    scope.log_base_seen = notation.log_base is None and bool(_LN10.search(src.text))
    block_errors: list = []
    lines = _merge_continuations(lines_of(src, dict(notation.macros), block_errors, notation.log_base))
    _function_definitions(lines, scope)  # the file's functions are known to the notation's lines too
    base_defs = _notation_lines(notation, scope) if notation.definitions else []
    reader = LineReader(src, scope)
    for pos, msg in block_errors:
        reader.error(ReadError(msg, pos), pos)
    reader.definitions = list(base_defs)
    reader.seen |= {str(s) for d in base_defs if isinstance(d[0], sp.Basic) and not isinstance(d[0], (AppliedUndef, IndexedCall))
                    for s in d[0].free_symbols}  # a function's parameters are no names of the file
    block = None
    for ln in lines:
        start = ln.block != block
        if start and not (ln.tokens and _segments(ln.tokens)[0] == []):
            reader.prev, reader.broken = None, None
        block = reader.block = ln.block
        reader.read(ln)
        if len(reader.items) > MAX_STEPS:
            raise ReadError(f"more than {MAX_STEPS} relations in the file")
    if not lines and not block_errors:
        reader.errors.append("no align, equation, gather, $$ or \\[ block with math in the file")
    assumptions = _notation_lines(notation, scope, notation.assumptions, "assumption") if notation.assumptions else []
    return Document(src, reader.items, reader.errors, scope, reader.definitions, assumptions)

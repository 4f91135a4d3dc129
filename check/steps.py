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

Steps never disappear: every relation of every line is either a step, a definition or an
error in the result.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import sympy as sp
from sympy.core.function import AppliedUndef

from check.latex_blocks import Line, lines_of, token_end
from check.lexer import ReadError, Source, Token, tokenize
from check.notation import Notation
from derive.ops import IndexedCall
from derive.ops import Grad
from check.parser import Parser, Scope, canonical_name
from check.readings import side_readings
from derive.engine.verify import NO_VALUE, UNDECIDED

__all__ = ["Step", "Definition", "Document", "read_document", "RELATIONS", "MAX_LINES", "MAX_STEPS"]

MAX_LINES = 5000   # lines of the file
MAX_STEPS = 1000   # relations in the file

RELATIONS = {"=": "=", ":=": ":=", "coloneqq": ":=", "le": "<=", "leq": "<=", "ge": ">=", "geq": ">=",
             "<": "<", ">": ">", "ne": "!=", "neq": "!=", "approx": "approx", "equiv": "=", "sim": "~",
             "propto": "propto", "triangleq": ":=", "doteq": ":="}


@dataclass
class Step:
    """``lhs relation rhs`` to be judged; ``line`` is where its right-hand side ends."""

    line: int
    latex: str
    lhs: object
    rhs: object
    relation: str
    comments: list[str] = field(default_factory=list)
    note: str = ""
    error: str | None = None


@dataclass
class Definition:
    """``lhs := rhs`` (or a first line that introduces a new name)."""

    line: int
    latex: str
    lhs: object
    rhs: object
    comments: list[str] = field(default_factory=list)
    relation: str = ":="


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


def _relation(tokens: list[Token], k: int) -> tuple[str, int] | None:
    """The relation starting at ``tokens[k]`` and its length in tokens, if any."""
    t = tokens[k]
    if t.is_("char", ":") and k + 1 < len(tokens) and tokens[k + 1].is_("char", "="):
        return ":=", 2
    if t.is_("char", "=") or t.is_("char", "<") or t.is_("char", ">"):
        return RELATIONS[t.text], 1
    if t.kind == "cmd" and t.text in RELATIONS:
        return RELATIONS[t.text], 1
    return None


def _segments(tokens: list[Token]) -> list:
    """``[expr_tokens, (relation, pos), expr_tokens, ...]`` split at top-level relations."""
    out, cur, depth, k = [], [], 0, 0
    while k < len(tokens):
        t = tokens[k]
        if t.is_("char", "{") or t.is_("char", "(") or t.is_("char", "[") or t.is_("cmd", "left") or t.kind == "begin":
            depth += 1
        elif t.is_("char", "}") or t.is_("char", ")") or t.is_("char", "]") or t.is_("cmd", "right") or t.kind == "end":
            depth -= 1
        rel = _relation(tokens, k) if depth == 0 else None
        if rel:
            out += [cur, (rel[0], t.pos)]
            cur = []
            k += rel[1]
            continue
        cur.append(t)
        k += 1
    out.append(cur)
    return out


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
                    name = canonical_name(_text(lhs[:k]), scope)
                except ReadError:
                    continue
                base, _, sub = name.partition("_")
                scope.functions.add(base if sub and scope.is_index(sub) else name)


def _head(e):
    """The name a left side is made of, if it is name-like: a symbol, an entry ``x_j``, a call,
    a product of symbols (``KL``), or a derivative or gradient of a call; else None."""
    while isinstance(e, (sp.Derivative, Grad, sp.Subs)):
        e = e.args[0]
        if not isinstance(e, (AppliedUndef, IndexedCall, sp.Derivative, Grad, sp.Subs)):
            return None
    if isinstance(e, (sp.Symbol, sp.Indexed, AppliedUndef, IndexedCall)):
        return e
    if isinstance(e, sp.Mul) and all(isinstance(f, sp.Symbol) for f in e.args):
        return e
    return None


def _calls(e, top: bool = False) -> set[str]:
    """Names of the undefined functions called in ``e`` (``top``: only ``e`` itself)."""
    if not isinstance(e, sp.Basic):
        return set()
    calls = [e] if top else list(e.atoms(AppliedUndef, IndexedCall))
    return {c.family if isinstance(c, IndexedCall) else c.func.__name__ for c in calls
            if isinstance(c, (AppliedUndef, IndexedCall))}


def _names_tuple(lhs, rhs) -> bool:
    """``w := (w_0, w_1, w_2)``: a name given to an explicit column of distinct variables (read
    as that column from then on, by the parser: not a definition the judge substitutes, which
    would reach the entries ``w_0`` of the same name)."""
    return (isinstance(lhs, sp.Symbol) and isinstance(rhs, sp.MatrixBase) and rhs.shape[1] == 1
            and rhs.shape[0] > 1 and all(isinstance(x, (sp.Symbol, sp.Indexed)) for x in rhs)
            and len(set(rhs)) == len(rhs))


def _text(tokens: list[Token]) -> str:
    out = []
    for t in tokens:
        if t.kind == "cmd":
            out.append("\\" + t.text + (" " if t.text.isalpha() else ""))
        else:
            out.append(t.text)
    return "".join(out)


class _Parsed(NamedTuple):
    expr: object
    names: set
    error: str | None


class _Reader:
    """Turns lines into items, keeping the chain and the names seen so far."""

    def __init__(self, src: Source, scope: Scope):
        self.src, self.scope = src, scope
        self.items, self.errors, self.definitions = [], [], []
        self.seen: set[str] = set()
        self.prev = None            # last expression read (the chain's current value)
        self.prev_line = None       # its line
        self.broken: int | None = None  # a line in between that could not be read

    def error(self, exc: ReadError, fallback: int) -> str:
        where = self.src.at(exc.pos if exc.pos is not None else fallback)
        msg = f"{where}: {exc}"
        self.errors.append(msg)
        return msg

    def parse(self, toks: list[Token]):
        """The preferred reading of one side (the others: :func:`check.readings.side_readings`)."""
        first = side_readings(toks, self.scope)[0]
        return first.expr, set(first.names)

    def declared(self) -> set[str]:
        n = self.scope.notation
        return set(n.domains) | set(n.objects) | set(n.matrices) | set(self.scope.functions)

    def segment(self, seg: list[Token]) -> "_Parsed":
        """One side of a relation, parsed; an error is recorded and kept with it."""
        if not seg:
            return _Parsed(None, set(), None)
        try:
            e, names = self.parse(seg)
            return _Parsed(e, names, None)
        except ReadError as exc:
            return _Parsed(None, set(), self.error(exc, seg[0].pos))
        except sp.ShapeError as exc:  # SymPy refused to build it: the shapes do not fit (its fault)
            err = ReadError(f"the shapes do not fit: {exc}"[:300], seg[0].pos)
            return _Parsed(None, set(), self.error(err, seg[0].pos))

    def read(self, ln: Line) -> None:
        """One line: each relation becomes a step or a definition; the last expression is the
        chain's value for the next line."""
        segs = _segments(ln.tokens)
        sides, rels = [self.segment(seg) for seg in segs[0::2]], segs[1::2]
        line_no = self.src.line_of(ln.end)
        if not rels:  # an expression alone: the start of a chain (or an error to report)
            if sides[0].error:
                self.items.append(Step(line_no, self._latex(ln), None, None, "=", ln.comments, error=sides[0].error))
        for k, (rel, pos) in enumerate(rels):
            comments = ln.comments if k == len(rels) - 1 else []
            self.items.append(self.relation(k, rel, pos, sides, not segs[0], ln, line_no, comments))
        for side in sides:
            self.seen |= side.names
        if sides[-1].expr is not None:
            self.prev, self.prev_line, self.broken = sides[-1].expr, line_no, None
        elif rels or sides[-1].error:
            self.broken = line_no

    def relation(self, k, rel, pos, sides, continues, ln, line_no, comments):
        """The item of relation ``k`` of a line (between sides ``k`` and ``k + 1``)."""
        left, right = sides[k], sides[k + 1]
        lhs, error, note = left.expr, left.error or right.error, ""
        if k == 0 and continues:  # "= rhs": the left side is the line before
            lhs, error = self.prev, right.error
            if lhs is None:
                error = error or self.error(ReadError("this line continues a chain, but no line before it was read"), pos)
            elif self.broken is not None:
                note = f"compared with line {self.prev_line}: line {self.broken} could not be read"
        latex = self._latex(ln)
        first = k == 0 and not continues and lhs is not None and right.expr is not None
        if rel == ":=" and _names_tuple(lhs, right.expr):  # w := (w_0, w_1, w_2): w reads as that column
            self.scope.tuples[lhs.name] = right.expr
            return Definition(line_no, latex, lhs, right.expr, comments)
        if rel in (":=", "~") or (rel == "=" and first and self._fresh(left.names, right.names, lhs, right.expr)):
            if rel != "~" and _undefined(right.expr):
                err = self.error(ReadError("the value of this definition is undefined (a division by zero?)"), pos)
                return Step(line_no, latex, lhs, right.expr, rel, comments, error=err)
            if lhs is not None and right.expr is not None and rel != "~":
                self.definitions.append((lhs, right.expr))
            if rel == "~" and isinstance(lhs, sp.Symbol) and right.expr is not None:
                self.scope.distributions[lhs.name] = right.expr
            return Definition(line_no, latex, lhs, right.expr, comments, ":=" if rel != "~" else "~")
        return Step(line_no, latex, lhs, right.expr, rel, comments, note, error=error)

    def _fresh(self, left: set[str], right: set[str], lhs, rhs) -> bool:
        """The left side introduces notation: it is a name (``y``, ``f(x)``, ``KL``, or
        ``\\nabla_w f(w)``, ``d/dy v(y)``) that is new, or a call of a function nothing defines."""
        head = _head(lhs)
        if head is None:
            return False
        if isinstance(head, sp.Basic) and head.free_symbols and not (left - self.seen - self.declared() - right) \
                and not _calls(head):
            return False
        if left - self.seen - self.declared() - right:
            return True
        undefined = _calls(lhs) - self.defined() - set(self.scope.notation.densities)
        return bool(undefined - (_calls(rhs) if rhs is not None else set()))

    def defined(self) -> set[str]:
        return {n for lhs, _ in self.definitions for n in _calls(lhs, top=True)}

    def _latex(self, ln: Line) -> str:
        if not ln.tokens:
            return ""
        a, b = ln.tokens[0].pos, token_end(self.src.text, ln.tokens[-1])
        return " ".join(self.src.text[a:b].split())


def _undefined(e) -> bool:
    """``e`` evaluates to SymPy's complex infinity or NaN (``1/0``, ``0/0``); a value with
    calls, derivatives or integrals is left to the steps (its calls may be defined later,
    and ``d/da f(...)`` of an undefined ``f`` would evaluate to 0)."""
    if not isinstance(e, sp.Basic) or isinstance(e, sp.MatrixBase) or e.has(sp.Derivative, sp.Integral) \
            or e.atoms(AppliedUndef):
        return False
    try:
        return bool(e.doit().has(sp.zoo, sp.nan))
    except (*UNDECIDED, *NO_VALUE):  # SymPy could not evaluate it: judged with the steps, not here
        return False


def _notation_lines(notation: Notation, scope: Scope, texts=None, kind: str = "definition") -> list:
    """The notation's definitions (``lhs := rhs`` in LaTeX), read as the file's would be;
    with ``kind="assumption"`` its assumptions (``L \\ge \\mu``) as ``(lhs, relation, rhs)``."""
    texts = notation.definitions if texts is None else texts
    src = Source("\n".join(texts), "<notation>")
    reader = _Reader(src, scope)
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
        bad = [a for a in reader.items if not (isinstance(a, Step) and a.relation in ("<=", "<", ">=", ">"))]
        if bad:
            raise ReadError(f"notation assumption {bad[0].latex!r} is not an inequality")
        return [(a.lhs, a.relation, a.rhs) for a in reader.items]
    bad = [d for d in reader.items if not isinstance(d, Definition)]
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
    block_errors: list = []
    lines = _merge_continuations(lines_of(src, dict(notation.macros), block_errors))
    _function_definitions(lines, scope)  # the file's functions are known to the notation's lines too
    base_defs = _notation_lines(notation, scope) if notation.definitions else []
    reader = _Reader(src, scope)
    for pos, msg in block_errors:
        reader.error(ReadError(msg, pos), pos)
    reader.definitions = list(base_defs)
    reader.seen |= {str(s) for d in base_defs if isinstance(d[0], sp.Basic) for s in d[0].free_symbols}
    block = None
    for ln in lines:
        start = ln.block != block
        if start and not (ln.tokens and _segments(ln.tokens)[0] == []):
            reader.prev, reader.broken = None, None
        block = ln.block
        reader.read(ln)
        if len(reader.items) > MAX_STEPS:
            raise ReadError(f"more than {MAX_STEPS} relations in the file")
    if not lines and not block_errors:
        reader.errors.append("no align, equation, gather, $$ or \\[ block with math in the file")
    assumptions = _notation_lines(notation, scope, notation.assumptions, "assumption") if notation.assumptions else []
    return Document(src, reader.items, reader.errors, scope, reader.definitions, assumptions)

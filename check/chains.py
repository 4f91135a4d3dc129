r"""The reader of a file's lines, one clause at a time: each relation a step or a definition,
the chain of a block (a line that begins with ``=`` continues it), the names seen so far, and
the system of conditions in force (see :mod:`check.steps` for what each construct becomes).
"""
from __future__ import annotations

import re
from typing import NamedTuple

import sympy as sp
from sympy.core.function import AppliedUndef

from check.clauses import Clause, clauses, segments
from check.items import Definition, Step
from check.latex_blocks import Line, token_end
from check.lexer import ReadError, Source, Token
from check.notation import DEFAULT
from derive.ops import IndexedCall
from check.parser import Scope
from check.readings import MAX_READINGS, Reading, pairs, side_readings
from derive.engine.verify import NO_VALUE, UNDECIDED
from derive.ops import Grad
from derive.printing import latex as latex_of

__all__ = ["LineReader", "MAX_READINGS", "SYSTEM_REACH", "head", "calls", "text_of"]

SYSTEM_REACH = 3   # blocks after its last condition in which a system of conditions is in force
_CUE = re.compile(r"\b(sett?ing|sets?|solv\w*|when|whenever|if|conditions?|vanish\w*|stationary|roots?|"
                  r"zero|assum\w*|suppos\w*|requir\w*|equations?)\b", re.I)
_CONSEQUENCE = re.compile(r"\b(subtract\w*|add\w*|combin\w*|hence|thus|therefore|solution|gives?|giving|yields?|"
                         r"we get|follows?|so that)\b", re.I)
# the word before inline math in prose that makes its relation a definition from here on, or an
# assumption of its own line of text ("For $\beta = 0$ this is ..., $x_t = ...$")
_DEFINING = re.compile(r"\b(with|where|let|letting|denote|define|decompose|write|writing|here)\b[^.,;:!?]{0,40}$", re.I)
_SUPPOSING = re.compile(r"\b(for|if|when|whenever|assume|assuming|suppose|supposing|given|using|since|provided|once)"
                        r"\b[^.,;:!?]{0,25}$", re.I)

_segments = segments


def head(e):
    """The name a left side is made of, if it is name-like: a symbol, an entry ``x_j``, a call,
    a product of symbols (``KL``), or a derivative or gradient of a call; else None."""
    while isinstance(e, (sp.Derivative, Grad, sp.Subs)):
        e = e.args[0]
        if not isinstance(e, (AppliedUndef, IndexedCall, sp.Derivative, Grad, sp.Subs)):
            return None
    if isinstance(e, (sp.Symbol, sp.Indexed, AppliedUndef, IndexedCall)):
        return e
    if isinstance(e, sp.Mul) and all(isinstance(f, sp.Symbol) and len(f.name) == 1 or f.is_Pow and f.base.is_Symbol
                                     and len(f.base.name) == 1 and f.exp.is_Integer and f.exp > 0 for f in e.args):
        return e  # a word written in letters: KL, NLL
    return None


def calls(e, top: bool = False) -> set[str]:
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


def text_of(tokens: list[Token]) -> str:
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
    others: tuple = ()   # the other readings of the side (check.readings.Reading)
    first: Reading | None = None   # the preferred reading (its forks' choices)


class LineReader:
    """Turns lines into items, keeping the chain, the names seen so far and the system of
    conditions in force."""

    def __init__(self, src: Source, scope: Scope):
        self.src, self.scope = src, scope
        self.items, self.errors, self.definitions = [], [], []
        self.seen: set[str] = set()
        self.stated: dict = {}   # functions the file states with "=" (L(y_hat, y) = ...) -> their arguments
        self.restated_at: dict = {}   # L(z, y) -> (what the file first states it is, the line)
        self.slips: dict = {}   # X -> x: a letter met first in the other case beside x (a slip, P(X) for P(x))
        self.plain: set[str] = set()   # names read as plain symbols (y of f(y)): a call of one is no new function
        self.prev = None            # last expression read (the chain's current value)
        self.prev_line = None       # its line
        self.broken: int | None = None  # a line in between that could not be read
        self.last: tuple | None = None  # the last relation read, (lhs, rhs, line): what a "\Rightarrow" follows from
        self.system: list = []      # the conditions in force, (lhs, rhs, line)
        self.system_block = -10     # the block of the last of them
        self.block = 0
        self.inline_last, self.inline_block = (0, ""), -10   # the line and the kind of the last inline math read
        self.line_assume: dict = {}  # line of text -> the assumptions inline math there states ("for $y = 1$")
        self.cue, self.cue_block = "", -1   # the word of the prose before the current block that makes conditions
        self.carried = (-1, [])   # (block, assumptions): "given that $p = q$, we get:" carries into the display

    def error(self, exc: ReadError, fallback: int) -> str:
        where = self.src.at(exc.pos if exc.pos is not None else fallback)
        msg = f"{where}: {exc}"
        self.errors.append(msg)
        return msg

    def declared(self) -> set[str]:
        """Names declared before the file: a part's or a notation file's objects, matrices and
        functions (a default function letter, ``D``, used as a plain name is still new; a name
        given only a domain is not defined by it)."""
        n = self.scope.notation  # (a domain declared for a name, t real, does not define it)
        return set(n.objects) | set(n.matrices) | (set(self.scope.functions) - set(DEFAULT.functions))

    def segment(self, seg: list[Token]) -> "_Parsed":
        """One side of a relation, parsed (every plausible reading, the preferred first); an
        error is recorded and kept with it."""
        if not seg:
            return _Parsed(None, set(), None)
        try:
            first, *others = side_readings(seg, self.scope)
            return _Parsed(first.expr, set(first.names), None, tuple(others), first)
        except ReadError as exc:
            return _Parsed(None, set(), self.error(exc, seg[0].pos))
        except sp.ShapeError as exc:  # SymPy refused to build it: the shapes do not fit (its fault)
            err = ReadError(f"the shapes do not fit: {exc}"[:300], seg[0].pos)
            return _Parsed(None, set(), self.error(err, seg[0].pos))

    def read(self, ln: Line) -> None:
        """One line: its clauses, each relation a step or a definition; the last expression is
        the chain's value for the next line; the line's assumptions go to its steps."""
        line_no = self.src.line_of(ln.end)
        start = len(self.items)
        local = self.line_assume.setdefault(line_no, []) if ln.inline else []  # inline math: its line of text
        if ln.prose or ln.block != self.cue_block:  # the block's prose says whether its relations are conditions
            self.cue, self.cue_block = _cue(ln.prose), ln.block
        parts = clauses(ln.tokens)
        kind = self.inline_kind(ln, line_no)
        for c in parts:
            if c.connective == "" and kind:
                c = Clause(c.tokens, kind)  # "with $\mu_2 = 0$", "where $s(t) = ...$", "for $\beta = 0$"
            self.clause(c, ln, line_no, local, ln.comments if c is parts[-1] else [])
        carried = self._carried(ln)
        for it in self.items[start:]:
            if isinstance(it, Step):
                it.assume = local if ln.inline else list(local) + carried

    def _carried(self, ln: Line) -> list:
        """The assumptions of inline math ("given that $p_g = p_r$") whose sentence runs on, without
        a full stop, into this display block: they hold in it too."""
        if ln.inline:
            return []
        if ln.block != self.carried[0]:
            line, kind = self.inline_last
            runs_on = bool(ln.lead) and not re.search(r"[.!?](\s|$)", ln.lead) and self.inline_block == ln.block - 1
            self.carried = (ln.block, list(self.line_assume.get(line, [])) if kind == "if" and runs_on else [])
        return self.carried[1]

    def inline_kind(self, ln: Line, line_no: int) -> str:
        """How inline math joins its prose: ``with`` (defines from here on: "with", "where", "let"),
        ``if`` (an assumption of its line of text: "for", "when", "using"), or "" (a claim); math
        after only ", " or "and" joins as the math before it on the same line did."""
        if not ln.inline:
            return ""
        if re.fullmatch(r"[\s,;]*(and)?[\s,;]*", ln.lead or "") and self.inline_last[0] == line_no:
            return self.inline_last[1]
        kind = "with" if _DEFINING.search(ln.prose or "") else "if" if _SUPPOSING.search(ln.prose or "") else ""
        self.inline_last, self.inline_block = (line_no, kind), ln.block
        return kind

    def clause(self, c: Clause, ln: Line, line_no: int, local: list, comments: list) -> None:
        segs = _segments(c.tokens)
        sides, rels = [self.segment(seg) for seg in segs[0::2]], segs[1::2]
        latex = self._latex(ln)
        if (c.connective == "with" or c.connective == "if" and not ln.inline) and rels:
            self.assumption(c.connective, sides, rels, latex, line_no, local, comments)
            return
        if not rels:  # an expression alone: the start of a chain (or an error to report)
            if sides[0].error:
                self.items.append(Step(line_no, latex, None, None, "=", comments, error=sides[0].error))
        for k, (rel, pos) in enumerate(rels):
            item = self.relation(k, rel, pos, sides, not segs[0], latex, line_no, comments if k == len(rels) - 1 else [])
            if isinstance(item, Step):
                self.claims(item, c.connective if k == 0 else "", ln, k == len(rels) - 1)
                if c.connective == "if":  # "when $p_g = p_r$": a condition, and an assumption of its line of text
                    item.condition = item.condition or "the prose states it as an assumption"
                    if rel == "=" and item.lhs is not None and item.rhs is not None:
                        local.append((item.lhs, item.rhs))
            self.items.append(item)
            if item.lhs is not None and item.rhs is not None:  # what a "\\Rightarrow" after it follows from
                self.last = (item.lhs, item.rhs, line_no) if rel in ("=", ":=") else None
        if any(side.error for side in sides):
            self.last = None  # a "\\Rightarrow" after it follows from what could not be read
        for side in sides:
            self.seen |= side.names
            self.plain |= _symbol_names(side.expr)
        if sides[-1].expr is not None:
            self.prev, self.prev_line, self.broken = sides[-1].expr, line_no, None
        elif rels or sides[-1].error:
            self.broken = line_no

    def assumption(self, kind, sides, rels, latex, line_no, local, comments) -> None:
        """``\\text{if } y = 1`` (this line only) or ``\\text{with } \\mu_2 = 0`` (from here on):
        definitions that are not judged."""
        for k, (rel, _) in enumerate(rels):
            lhs, rhs = sides[k].expr, sides[k + 1].expr
            if lhs is None or rhs is None or rel not in ("=", ":="):
                continue
            if kind == "with" and isinstance(lhs, AppliedUndef) and calls(lhs, top=True) & self.defined():
                self.items.append(Step(line_no, latex, lhs, rhs, rel, comments))  # "let $p(x) = ...$" of a
                continue  # function the part or the notation already defines: a claim about it, not a new one
            if kind == "with" and isinstance(lhs, (sp.Symbol, sp.Indexed, sp.MatrixSymbol, AppliedUndef)):
                self.definitions.append((lhs, rhs))
                self.items.append(Definition(line_no, latex, lhs, rhs, comments))
            else:
                local.append((lhs, rhs))
                self.items.append(Definition(line_no, latex, lhs, rhs, comments, "if"))
            self.seen |= sides[k].names | sides[k + 1].names

    def claims(self, step: Step, connective: str, ln: Line, last_of_clause: bool) -> None:
        """What else the step may claim: that it follows (after ``\\Rightarrow``, or from the
        system of conditions in force), that it states a condition itself."""
        if step.premise_kind == "solves":
            return
        if connective == "implies":
            step.premise, step.premise_kind = ([self.last] if self.last is not None else []), "implies"
        elif self.system and self.block - self.system_block <= SYSTEM_REACH:
            step.premise, step.premise_kind = list(self.system), "system"
        if step.premise_kind == "implies" or step.lhs is None or step.rhs is None:
            return
        why = ""
        if step.relation == "=" and last_of_clause and (_is_zero(step.rhs) or _is_zero(step.lhs)):
            why = "an expression set to 0"
        elif self.cue:
            why = f"the prose before it says \"{self.cue}\""
        if why:
            step.condition = why
            if step.relation != "=":
                return
            if self.system_block != self.block:
                self.system = []
            self.system.append((step.lhs, step.rhs, step.line))
            self.system_block = self.block

    def relation(self, k, rel, pos, sides, continues, latex, line_no, comments):
        """The item of relation ``k`` of a clause (between sides ``k`` and ``k + 1``)."""
        left, right = sides[k], sides[k + 1]
        lhs, error, note = left.expr, left.error or right.error, ""
        if k == 0 and continues:  # "= rhs": the left side is the line before
            lhs, error = self.prev, right.error
            if lhs is None:
                error = error or self.error(ReadError("this line continues a chain, but no line before it was read"), pos)
            elif self.broken is not None:
                note = f"compared with line {self.prev_line}: line {self.broken} could not be read"
        first = k == 0 and not continues and lhs is not None and right.expr is not None
        if rel == ":=" and _names_tuple(lhs, right.expr):  # w := (w_0, w_1, w_2): w reads as that column
            self.scope.tuples[lhs.name] = right.expr
            return Definition(line_no, latex, lhs, right.expr, comments)
        if rel == "=" and k == len(sides) - 2 and k > 0 and self._names_value(right, sides):
            self.definitions.append((right.expr, lhs))  # "... = t": t names the value
            return Definition(line_no, latex, right.expr, lhs, comments)
        fresh = self._fresh_reading(left, right) if first and rel == "=" else None
        starred = fresh is not None and _starred(fresh) and bool(self.system)
        if not starred and (rel in (":=", "~") or fresh is not None):
            lhs = fresh if fresh is not None else lhs  # the reading that introduces a name (a call of a new function)
            if rel != "~" and _undefined(right.expr):
                err = self.error(ReadError("the value of this definition is undefined (a division by zero?)"), pos)
                return Step(line_no, latex, lhs, right.expr, rel, comments, error=err)
            if lhs is not None and right.expr is not None and rel != "~":
                self.definitions.append((lhs, right.expr))
                if isinstance(lhs, AppliedUndef):  # L(y_hat, y) = ...: L is a function from here on
                    self.scope.called.add(lhs.func.__name__)
                    self.stated[lhs.func.__name__] = lhs.args if rel == "=" else None
            if rel == "~" and isinstance(lhs, sp.Symbol) and right.expr is not None:
                self.scope.distributions[lhs.name] = right.expr
            return Definition(line_no, latex, lhs, right.expr, comments, ":=" if rel != "~" else "~")
        plain = self.plain.union(*(_symbol_names(s.expr) for s in sides))
        step = Step(line_no, latex, lhs, right.expr, rel, comments, note, error=error,
                    readings=_readings(left, right, lhs if k == 0 and continues else None, plain),
                    assigns=first and rel == "=" and isinstance(lhs, (sp.Symbol, sp.Indexed, sp.MatrixSymbol))
                    and lhs not in getattr(right.expr, "free_symbols", ())
                    and all(_named(d[0]) != _named(lhs) for d in self.definitions),
                    opaque=self._opaque(lhs, right.expr),
                    restates=self._restate(step_call := self._restated(left) if first and rel == "=" else None,
                                           right.expr, line_no))
        slips = self._case_slips(lhs, right.expr)
        if slips and lhs is not None and right.expr is not None:
            shown = ", ".join(f"{a} as {b}" for a, b in slips.items())
            step.readings.append((lhs.xreplace(slips), right.expr.xreplace(slips), f"reading {shown} (a slip of case)"))
        if step_call is not None and step_call in self.restated_at and self.restated_at[step_call][1] != line_no:
            before, at = self.restated_at[step_call]  # L(z, y) as the file stated it before
            step.readings.insert(0, (before, right.expr, f"reading {latex_of(step_call)} as on line {at}"))
        if starred:  # D^*(x) = ...: a solution of the conditions in force, and a name from here on
            self.definitions.append((lhs, right.expr))
            step.premise, step.premise_kind = list(self.system), "solves"
        return step

    def _case_slips(self, *exprs) -> dict:
        """``{X: x}`` for a one-letter name the file had not used before it met it in an integral
        over the same letter in the other case (``P(X)`` in an integral over ``x``): a slip of
        case, kept for the lines after it (a chain carries it)."""
        exprs = [e for e in exprs if isinstance(e, sp.Basic)]
        syms = {s.name: s for e in exprs for s in e.atoms(sp.Symbol)}
        bound = {lim[0] for e in exprs for i in e.atoms(sp.Integral) for lim in i.limits}  # integration variables
        declared = self.declared() | set(self.scope.notation.domains)
        for n, s in syms.items():
            other = syms.get(n.swapcase())
            if len(n) == 1 and other in bound and n not in self.seen | declared:
                self.slips.setdefault(s, other)
        return {a: b for a, b in self.slips.items() if a.name in syms}

    def _opaque(self, *exprs) -> str:
        """A name nothing defines nor declares, differentiated alone (``\\partial L_{reg} / \\partial
        \\mu``): how it depends on the variable is unknown (SymPy would take it as a constant); ""
        when none (a name inside an expression, ``\\ln(a z + b)`` in ``a``, is a parameter)."""
        n = self.scope.notation
        objects = {s.name for o in n.objects.values() if isinstance(o, sp.Basic) for s in o.free_symbols
                   if isinstance(s, (sp.Symbol, sp.MatrixSymbol))}  # (a part's lambda is the symbol lam)
        known = set(n.objects) | objects | set(n.matrices) | set(n.domains) | set(n.sizes) | set(n.index_letters) | {
            s.name for lhs, _ in self.definitions if isinstance(lhs, sp.Basic) for s in lhs.free_symbols
            if isinstance(s, sp.Symbol)}
        for e in exprs:
            for d in e.atoms(sp.Derivative, Grad) if isinstance(e, sp.Basic) else ():
                wrt = set(d.variables) if isinstance(d, sp.Derivative) else {d.args[1]}
                f = d.args[0]
                if isinstance(f, sp.Symbol) and f not in wrt and f.name not in known:
                    return f.name
        return ""

    def _restated(self, left: "_Parsed"):
        """A reading of the left side that applies a function the file states with ``=``
        (``L(\\hat y, y) = ...``) to other names (``L(z, y)``, ``L(w)``): the same quantity
        written in new variables, as authors overload a name; None otherwise."""
        for e in [left.expr] + [r.expr for r in left.others]:
            params = self.stated.get(e.func.__name__) if isinstance(e, AppliedUndef) else None
            if params is not None and e.args != params and all(
                    isinstance(a, (sp.Symbol, sp.MatrixSymbol, sp.Indexed)) for a in e.args):
                return e
        return None

    def _restate(self, call, rhs, line_no: int) -> str:
        """The name ``call`` restates ("" for None); its first statement is kept (what a later
        line restating the same call is compared with)."""
        if call is None:
            return ""
        if rhs is not None:
            self.restated_at.setdefault(call, (rhs, line_no))
        return call.func.__name__

    def _fresh_reading(self, left: "_Parsed", right: "_Parsed"):
        """The first reading of the left side that introduces a name (:meth:`_fresh`), or None; a
        reading other than the preferred one that calls a name the file reads as a plain symbol
        (``y(a+b)`` after ``f(y)``) introduces nothing."""
        plain = self.plain | _symbol_names(right.expr)
        for k, (expr, names) in enumerate([(left.expr, left.names)] + [(r.expr, set(r.names)) for r in left.others]):
            if k and calls(expr) & plain:
                continue
            if self._fresh(names, right.names, expr, right.expr):
                return expr
        return None

    def _names_value(self, right: "_Parsed", sides) -> bool:
        """The last side is a name never seen nor declared as an object (``... = t``; a domain
        declared for it is no use of it)."""
        e, n = right.expr, self.scope.notation
        taken = self.seen | set(n.objects) | set(n.matrices) | set(self.scope.functions)
        return (isinstance(e, sp.Symbol) and not right.error and not (right.names & taken)
                and all(e not in getattr(s.expr, "free_symbols", ()) for s in sides[:-1]))

    def _fresh(self, left: set[str], right: set[str], lhs, rhs) -> bool:
        """The left side introduces notation: it is a name (``y``, ``f(x)``, ``KL``, or
        ``\\nabla_w f(w)``, ``d/dy v(y)``) that is new, or a call of a function nothing defines."""
        name = head(lhs)
        if name is None or _derivative_name(lhs, self.defined() | self.scope.functions):
            return False
        if isinstance(name, sp.Basic) and name.free_symbols and not (left - self.seen - self.declared() - right) \
                and not calls(name):
            return False
        if left - self.seen - self.declared() - right:
            return True
        undefined = calls(lhs) - self.defined() - set(self.scope.notation.densities)
        return bool(undefined - (calls(rhs) if rhs is not None else set()))

    def defined(self) -> set[str]:
        return {n for lhs, _ in self.definitions for n in calls(lhs, top=True)}

    def _latex(self, ln: Line) -> str:
        if not ln.tokens:
            return ""
        a, b = ln.tokens[0].pos, token_end(self.src.text, ln.tokens[-1])
        return " ".join(self.src.text[a:b].split())


def _derivative_name(e, functions) -> bool:
    """``f^{\\prime}(y)``, ``f^{\\prime\\prime}``: a derivative of a function the file knows, no new name."""
    name = e.func.__name__ if isinstance(e, AppliedUndef) else getattr(e, "name", "")
    base = name.split("^{\\prime", 1)[0]
    return base != name and base in functions


def _named(e):
    """What a definition's left side names: ``\\pi_k := ...`` defines every entry ``\\pi_1``."""
    return e.base if isinstance(e, sp.Indexed) else e


def _symbol_names(e) -> set[str]:
    return {s.name for s in e.free_symbols if isinstance(s, sp.Symbol)} if isinstance(e, sp.Basic) else set()


def _is_zero(e) -> bool:
    return isinstance(e, sp.Basic) and not isinstance(e, sp.MatrixBase) and e == 0


def _cue(prose: str) -> str:
    """The word of the prose before a display that makes its relations conditions ("setting",
    "when", "vanishes", ...; "" when there is none, or when the prose derives them: "subtracting",
    "hence", "whose solution")."""
    last = _last_sentence(prose)
    m = _CUE.search(last) if last and not _CONSEQUENCE.search(last) else None
    return m.group(0) if m else ""


def _last_sentence(prose: str) -> str:
    """The prose after its last full stop (what leads into the display)."""
    return re.split(r"[.!?](?:\s|$)", prose.strip())[-1] if prose else ""


def _starred(e) -> bool:
    """A name decorated as a solution: ``D^*(x)``, ``\\tilde{x}^*``, ``\\theta^\\star``."""
    head = e.func.__name__ if isinstance(e, AppliedUndef) else getattr(e, "name", "")
    return "^{*}" in head or "^{\\star}" in head


def _readings(left: "_Parsed", right: "_Parsed", prev, plain: set[str]) -> list:
    """The step's other readings ``(lhs, rhs, note)``: the pairs of its sides' readings that read
    a fork both meet alike (:func:`check.readings.pairs`), after the written one (a continued
    line's left side is the line before: one reading), at most :data:`MAX_READINGS` in all; a
    reading that calls a name the file reads as a plain symbol (``y(a+b)`` beside ``by``) is
    left out."""
    lefts = [Reading(prev)] if prev is not None else [left.first, *left.others]
    if None in lefts or right.first is None:
        return []
    return [(a.expr, b.expr, note) for a, b, note in pairs(lefts, [right.first, *right.others])[1:]
            if not (calls(a.expr) | calls(b.expr)) & plain]


def _undefined(e) -> bool:
    """``e`` evaluates to SymPy's complex infinity or NaN (``1/0``, ``0/0``); a value with
    calls, derivatives or integrals is left to the steps (its calls may be defined later,
    and ``d/da f(...)`` of an undefined ``f`` would evaluate to 0)."""
    if not isinstance(e, sp.Basic) or isinstance(e, sp.MatrixBase) or e.has(sp.Derivative, sp.Integral, sp.MatrixSymbol) \
            or e.atoms(AppliedUndef):
        return False
    try:
        return bool(e.doit().has(sp.zoo, sp.nan))
    except (*UNDECIDED, *NO_VALUE):  # SymPy could not evaluate it: judged with the steps, not here
        return False

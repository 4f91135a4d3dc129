r"""A line's clauses and relations: where one statement ends and the next begins.

A line of math can hold several statements:

- ``a = b \quad c = d``, ``a = b, \qquad c = d``, ``a = b \quad\text{and}\quad c = d``:
  clauses side by side (connective ``and``);
- ``f'(y) = 0 \Rightarrow y = a/(a+b)`` (also ``\implies``, ``\iff``, ``\therefore``,
  ``\text{so}``, ``\text{hence}``): the clause after it is claimed to follow from the one
  before (connective ``implies``);
- ``\ell(w) = \dots \quad \text{if } y = 1`` (``\text{with}``, ``\text{where}``,
  ``\text{for}``, ``\text{when}``): the clause after it is an assumption (connective
  ``if``: for this line only) or a definition (``with``, ``where``: from here on).

Each clause is a chain of relations (:func:`segments`): ``=``, ``:=``, ``\le`` ...,
``\stackrel{\text{def}}{=}`` (a definition), ``\overset{(a)}{=}`` and ``\stackrel{(1)}{=}``
(an equality whose label points to a justification).

>>> from check.lexer import tokenize
>>> [(c.connective, [t.text for t in c.tokens]) for c in clauses(tokenize(r"a = b \quad\Rightarrow\quad c = d"))]
[('', ['a', '=', 'b']), ('implies', ['c', '=', 'd'])]
"""
from __future__ import annotations

from dataclasses import dataclass

from check.latex_blocks import CONNECTIVES
from check.lexer import Token

__all__ = ["Clause", "clauses", "connective", "segments", "relation_at", "RELATIONS"]

RELATIONS = {"=": "=", ":=": ":=", "coloneqq": ":=", "le": "<=", "leq": "<=", "ge": ">=", "geq": ">=",
             "leqslant": "<=", "geqslant": ">=", "<": "<", ">": ">", "ne": "!=", "neq": "!=", "approx": "approx",
             "equiv": "=", "sim": "~", "propto": "propto", "triangleq": ":=", "doteq": ":=", "defas": ":="}
_DECORATED = ("stackrel", "overset", "underset")   # \stackrel{label}{=}
_WORDS = {  # a \text{...} between clauses: how the next clause joins the line
    "implies": ("so", "hence", "thus", "therefore", "then", "gives", "giving", "i.e.", "ie", "that is", "we get",
                "which gives", "and so", "and hence", "so that", "implies", "yields"),
    "if": ("if", "when", "for", "whenever", "provided", "in the case", "assuming", "given", "at"),
    "with": ("with", "where", "letting", "let", "setting", "and where", "here", "for which"),
}


@dataclass
class Clause:
    """The tokens of one clause and how it joins the clause before (``""`` for the first,
    ``and``, ``implies``, ``if``, ``with``)."""

    tokens: list[Token]
    connective: str = ""


def connective(t: Token) -> str | None:
    """The connective a ``\\text{...}`` token names (None: a word that is not one)."""
    w = " ".join(t.text.replace("\\", " ").replace(",", " ").split()).lower()
    for kind, words in _WORDS.items():
        if w in words:
            return kind
    return "and" if w in ("and", "or", "since", "because", "as", "but", "while", "also", "and also") else None


_STRENGTH = {"": 0, "and": 1, "if": 2, "with": 2, "implies": 3}


def _depth_step(t: Token) -> int:
    if t.is_("char", "{") or t.is_("char", "(") or t.is_("char", "[") or t.is_("cmd", "left") or t.kind == "begin":
        return 1
    if t.is_("char", "}") or t.is_("char", ")") or t.is_("char", "]") or t.is_("cmd", "right") or t.kind == "end":
        return -1
    return 0


def clauses(tokens: list[Token]) -> list[Clause]:
    """The clauses of a line (see the module docstring): split at ``\\Rightarrow`` and its kin,
    at a ``\\text`` connective, at ``\\quad``/``\\qquad``, and at a top-level comma or semicolon
    that has a relation on each side. A line that begins with a connective keeps it on its
    first clause (``\\Rightarrow c = d``: it follows from the line before)."""
    out, cur, joint, pending, depth = [], [], "", None, 0
    for k, t in enumerate(tokens):
        sep = _separator(tokens, k, cur) if depth == 0 else None
        depth += _depth_step(t)
        if sep:
            pending = sep if pending is None or _STRENGTH[sep] > _STRENGTH[pending] else pending
            continue
        if pending is not None:
            if cur:
                out.append(Clause(cur, joint))
                cur = []
            joint, pending = pending, None
        cur.append(t)
    if cur or not out:
        out.append(Clause(cur, joint))
    return out


def _separator(tokens: list[Token], k: int, cur: list[Token]) -> str | None:
    """The connective ``tokens[k]`` (at the top level) is, if any."""
    t = tokens[k]
    if t.kind == "cmd" and t.text in CONNECTIVES:
        return "implies"
    if t.kind == "text":
        return connective(t) or "and"
    if t.kind == "cmd" and t.text in ("quad", "qquad"):
        return "and"
    if t.kind == "char" and t.text in ",;" and _has_relation(cur) and _has_relation(tokens[k + 1:]):
        return "and"
    spaced = lambda u: u.kind == "cmd" and u.text in _SPACES
    if spaced(t) and (k + 1 < len(tokens) and spaced(tokens[k + 1]) or k and spaced(tokens[k - 1])) \
            and _has_relation(cur) and _has_relation(tokens[k + 1:]):
        return "and"  # "a = b \ \ \ c = d": a run of spaces between two relations
    return None


_SPACES = (" ", ";", ",", ":", "enspace", "thinspace", "medspace", "thickspace")


def _has_math(tokens: list[Token]) -> bool:
    return any(not (t.kind == "cmd" and t.text in (",", ";", ":", "!", " ", "quad", "qquad")) for t in tokens)


def _has_relation(tokens: list[Token]) -> bool:
    depth = 0
    for k, t in enumerate(tokens):
        if depth == 0 and relation_at(tokens, k):
            return True
        depth += _depth_step(t)
    return False


def _group_end(tokens: list[Token], k: int) -> int:
    """The index after the braced group that starts at ``tokens[k]``."""
    depth = 0
    for j in range(k, len(tokens)):
        depth += tokens[j].is_("char", "{") - tokens[j].is_("char", "}")
        if depth == 0:
            return j + 1
    return len(tokens)


def relation_at(tokens: list[Token], k: int) -> tuple[str, int] | None:
    """The relation starting at ``tokens[k]`` and its length in tokens, if any."""
    t = tokens[k]
    if t.is_("char", ":") and k + 1 < len(tokens) and tokens[k + 1].is_("char", "="):
        return ":=", 2
    if t.is_("char", "=") or t.is_("char", "<") or t.is_("char", ">"):
        return RELATIONS[t.text], 1
    if t.kind == "cmd" and t.text in RELATIONS:
        return RELATIONS[t.text], 1
    if t.kind == "cmd" and t.text in _DECORATED and k + 1 < len(tokens) and tokens[k + 1].is_("char", "{"):
        label_end = _group_end(tokens, k + 1)
        if label_end < len(tokens) and tokens[label_end].is_("char", "{"):
            body_end = _group_end(tokens, label_end)
            inner = tokens[label_end + 1:body_end - 1]
            rel = relation_at(inner, 0) if len(inner) in (1, 2) else None
            if rel:
                label = "".join(u.text for u in tokens[k + 2:label_end - 1]).lower()
                return (":=" if "def" in label or label.strip() == ":" else rel[0]), body_end - k
    return None


def segments(tokens: list[Token]) -> list:
    """``[expr_tokens, (relation, pos), expr_tokens, ...]`` split at top-level relations."""
    out, cur, depth, k = [], [], 0, 0
    while k < len(tokens):
        t = tokens[k]
        rel = relation_at(tokens, k) if depth == 0 else None
        if rel:
            out += [cur, (rel[0], t.pos)]
            cur = []
            k += rel[1]
            continue
        depth += _depth_step(t)
        cur.append(t)
        k += 1
    out.append(cur)
    return out

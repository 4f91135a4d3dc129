r"""How the reader (:mod:`check.parser`) reads written matrices, tuples, columns by their entries
and evaluation bars.

- A written matrix (``pmatrix``, ``bmatrix``, ``matrix``, ``array`` ...) has its rows at ``\\``
  and its entries at ``&``; entries that are matrices are blocks (``\begin{pmatrix} u & v
  \end{pmatrix}`` with columns ``u``, ``v`` is ``[u v]``); ``vmatrix`` is the determinant.
- A side of a relation written as a tuple ``(a, b, c)`` is the column of its entries, and a line
  ``w := (w_0, w_1, w_2)`` names that column (``w`` reads as it from then on).
- ``\left(f_k\right)_{k=1}^{d}`` is the column of the entries ``f_k`` (:class:`~check.jacobians.ColumnOf`).
- ``f\big|_{x=a}`` (``\Big|``, ``\bigg|`` ...) evaluates the product to its left at ``x = a``, as
  ``\left. f \right|_{x=a}`` does (several values: rows of a ``\substack``); with ``p``, ``q``
  function names, ``f\big|_{p=q}`` is ``f`` with ``p`` replaced by ``q`` once ``f``'s
  definitions are substituted (:mod:`check.evaluations`).

Cap: a written matrix or tuple has at most ``MAX_MATRIX`` rows and columns.
"""
from __future__ import annotations

import sympy as sp

from check.arithmetic import is_matrix
from check.evaluations import FunctionSubs
from check.grammar import split_rows, split_top
from check.jacobians import ColumnOf
from check.lexer import ReadError, Token

__all__ = ["MAX_MATRIX", "environment", "tuple_column", "is_tuple", "column_ahead", "column_of",
           "evaluation", "evaluation_bars", "BAR"]

MAX_MATRIX = 12
BAR = "big|"  # the token of an evaluation bar \big|_{...} (no LaTeX command has this name)
_ENVS = {"pmatrix": None, "bmatrix": None, "matrix": None, "Bmatrix": None, "smallmatrix": None, "array": None,
         "vmatrix": "det"}
_BAR_SIZES = frozenset({"big", "Big", "bigg", "Bigg", "bigr", "Bigr", "biggr", "Biggr"})


def tuple_column(p, toks: list[Token], t: Token):
    """``(a, b, ...)``: the column of the entries (at least two, at most MAX_MATRIX)."""
    entries = split_top(toks[1:-1], ",")
    if len(entries) > MAX_MATRIX:
        raise ReadError(f"tuple longer than {MAX_MATRIX}", t.pos)
    col = [p.parse_sub(x, "tuple entry") for x in entries]
    if any(is_matrix(x) for x in col):
        raise ReadError("a tuple of matrices", t.pos)
    return sp.ImmutableMatrix([[x] for x in col])


def is_tuple(toks: list[Token]) -> bool:
    """``( a , b , ... )``: parentheses around the whole list, with a comma at the top level."""
    if len(toks) < 5 or not toks[0].is_("char", "(") or not toks[-1].is_("char", ")"):
        return False
    depth = 0
    for k, t in enumerate(toks):
        depth += (t.kind == "char" and t.text in "([{") - (t.kind == "char" and t.text in ")]}")
        if depth == 0 and k != len(toks) - 1:
            return False
    return len(split_top(toks[1:-1], ",")) > 1


def environment(p, t: Token):
    p.take()
    if t.text not in _ENVS:
        raise ReadError(f"environment {{{t.text}}} is not supported here", t.pos)
    body = _body(p, t)
    if t.text == "array" and body and body[0].is_("char", "{"):  # the column spec {cc}
        body = body[next(k for k, u in enumerate(body) if u.is_("char", "}")) + 1:]
    rows = [split_top(r, "&") for r in split_rows(body) if r]
    if len(rows) > MAX_MATRIX or any(len(r) > MAX_MATRIX for r in rows):
        raise ReadError(f"matrix larger than {MAX_MATRIX} x {MAX_MATRIX}", t.pos)
    if len({len(r) for r in rows}) != 1:
        raise ReadError("matrix rows of different lengths", t.pos)
    grid = [[p.parse_sub(c, "matrix entry") for c in r] for r in rows]
    M = _blocks(grid, t) if any(is_matrix(c) for r in grid for c in r) else sp.ImmutableMatrix(grid)
    return sp.Determinant(M) if _ENVS[t.text] == "det" else M


def _body(p, t: Token) -> list[Token]:
    depth, body = 1, []
    while True:
        u = p.peek()
        if u is None:
            raise ReadError(f"\\begin{{{t.text}}} is never closed", t.pos)
        p.i += 1
        depth += (u.kind == "begin") - (u.kind == "end")
        if depth == 0:
            return body
        body.append(u)


def _blocks(grid, t):
    """A written matrix whose entries are matrices: the block matrix (explicit blocks give the
    explicit matrix)."""
    shape = lambda c: c.shape if is_matrix(c) else (1, 1)
    heights = [{shape(c)[0] for c in r} for r in grid]
    widths = [{shape(r[k])[1] for r in grid} for k in range(len(grid[0]))]
    if any(len(h) != 1 for h in heights) or any(len(w) != 1 for w in widths):
        raise ReadError("the blocks of a matrix do not fit together", t.pos)
    cells = [[c if is_matrix(c) else sp.ImmutableMatrix([[c]]) for c in r] for r in grid]
    if all(isinstance(c, sp.MatrixBase) for r in cells for c in r):
        M = sp.Matrix.vstack(*(sp.Matrix.hstack(*r) for r in cells))
        if M.rows > MAX_MATRIX or M.cols > MAX_MATRIX:
            raise ReadError(f"matrix larger than {MAX_MATRIX} x {MAX_MATRIX}", t.pos)
        return sp.ImmutableMatrix(M)
    return sp.BlockMatrix(cells)


def column_ahead(p) -> bool:
    """At ``_{k=1}^{d}`` after a parenthesis."""
    if not p.at("char", "_"):
        return False
    save = p.i
    try:
        p.take()
        return any(x.is_("char", "=") for x in p.group()) and p.at("char", "^")
    finally:
        p.i = save


def column_of(p, body, t: Token):
    """``\\left(f_k\\right)_{k=1}^{d}``: the column of the entries f_1, ..., f_d."""
    p.take()
    lower = split_top(p.group(), "=")
    p.expect("char", "^", "^{...} after (f_k)_{k=1}")
    upper = p.group()
    if len(lower) != 2 or len(lower[0]) != 1 or lower[0][0].kind != "letter":
        raise ReadError("write a column by its entries as \\left(f_k\\right)_{k=1}^{d}", t.pos)
    lo, hi = p.parse_sub(lower[1], "lower limit"), p.parse_sub(upper, "upper limit")
    return ColumnOf(body, p.scope.symbol(lower[0][0].text), lo, hi)


def evaluation(p, e, t: Token):
    """``e`` at the values of the bar's subscript (see the module docstring)."""
    if not p.at("char", "_"):
        raise ReadError("\\right| needs the values: \\right|_{x=a}", t.pos)
    p.take()
    toks = p.group()
    if toks and toks[0].is_("cmd", "substack"):
        toks = toks[2:-1] if len(toks) > 2 and toks[1].is_("char", "{") and toks[-1].is_("char", "}") else []
    pairs = []
    for row in split_rows(toks):
        sides = split_top(row, "=")
        if len(sides) != 2:
            raise ReadError("write the values as x=a", t.pos)
        pairs.append((p.parse_sub(sides[0]), p.parse_sub(sides[1])))
    funcs = [isinstance(a, sp.Symbol) and p.scope.is_function(a.name) for a, _ in pairs]
    if not any(funcs):
        return sp.Subs(e, tuple(a for a, _ in pairs), tuple(b for _, b in pairs))
    if not all(funcs):
        raise ReadError("evaluate at functions (p=q) or at values (x=a), not both at once", t.pos)
    if not all(isinstance(b, sp.Symbol) and p.scope.is_function(b.name) for _, b in pairs):
        raise ReadError("a function evaluated at p=q needs a function name q", t.pos)
    if is_matrix(e):
        raise ReadError("a matrix evaluated at p=q (functions): evaluate its entries", t.pos)
    return FunctionSubs(e, [a for a, _ in pairs], [b for _, b in pairs])


def evaluation_bars(tokens: list[Token]) -> list[Token]:
    r"""``\big|_{...}`` (and ``\Big|``, ``\bigg|`` ...): one bar token, so that the bar is not read
    as an absolute value once the size command is dropped."""
    out, k = [], 0
    while k < len(tokens):
        t = tokens[k]
        if (t.kind == "cmd" and t.text in _BAR_SIZES and k + 2 < len(tokens)
                and tokens[k + 1].is_("char", "|") and tokens[k + 2].is_("char", "_")):
            out.append(Token("cmd", BAR, t.pos))
            k += 2
            continue
        out.append(t)
        k += 1
    return out

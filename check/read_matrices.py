r"""How the reader (:mod:`check.parser`) reads written matrices, tuples and columns by
their entries (:class:`MatrixReader`, a mixin of :class:`~check.parser.Parser`).

- A written matrix (``pmatrix``, ``bmatrix``, ``matrix`` inside ``\left[ ... \right]`` ...) has its
  rows at ``\\`` and its entries at ``&``; entries that are matrices are blocks:
  ``\begin{pmatrix} u & v \end{pmatrix}`` with columns ``u``, ``v`` is the matrix ``[u v]``;
  ``vmatrix`` is the determinant.
- A side of a relation written as a tuple ``(a, b, c)`` is the column of its entries, and a line
  ``w := (w_0, w_1, w_2)`` names that column (``w`` reads as it from then on).
- ``\left(f_k\right)_{k=1}^{d}`` is the column of the entries ``f_k``
  (:class:`~check.jacobians.ColumnOf`).

Cap: a written matrix or tuple has at most ``MAX_MATRIX`` rows and columns.
"""
from __future__ import annotations

import sympy as sp

from check.arithmetic import is_matrix
from check.jacobians import ColumnOf
from check.lexer import ReadError, Token
from check.token_lists import split_rows, split_top

__all__ = ["MatrixReader", "MAX_MATRIX", "is_tuple"]


MAX_MATRIX = 12         # rows or columns of a written matrix
_MATRIX_ENVS = {"pmatrix": None, "bmatrix": None, "matrix": None, "Bmatrix": None, "smallmatrix": None,
                "vmatrix": "det"}


class MatrixReader:
    """Written matrices, tuples and ``(f_k)_{k=1}^{d}`` columns (a mixin of the parser)."""

    def _tuple(self, toks: list[Token], t: Token):
        """``(a, b, ...)``: the column of the entries (at least two, at most MAX_MATRIX)."""
        entries = split_top(toks[1:-1], ",")
        if len(entries) > MAX_MATRIX:
            raise ReadError(f"tuple longer than {MAX_MATRIX}", t.pos)
        col = [self.parse_sub(x, "tuple entry") for x in entries]
        if any(is_matrix(x) for x in col):
            raise ReadError("a tuple of matrices", t.pos)
        return sp.ImmutableMatrix([[x] for x in col])

    def environment(self):
        t = self.take()
        if t.text not in _MATRIX_ENVS:
            raise ReadError(f"environment {{{t.text}}} is not supported here", t.pos)
        depth, body = 1, []
        while True:
            u = self.peek()
            if u is None:
                raise ReadError(f"\\begin{{{t.text}}} is never closed", t.pos)
            self.i += 1
            if u.kind == "begin":
                depth += 1
            elif u.kind == "end":
                depth -= 1
                if depth == 0:
                    break
            body.append(u)
        rows = [split_top(r, "&") for r in split_rows(body) if r]
        if len(rows) > MAX_MATRIX or any(len(r) > MAX_MATRIX for r in rows):
            raise ReadError(f"matrix larger than {MAX_MATRIX} x {MAX_MATRIX}", t.pos)
        if len({len(r) for r in rows}) != 1:
            raise ReadError("matrix rows of different lengths", t.pos)
        grid = [[self.parse_sub(c, "matrix entry") for c in r] for r in rows]
        M = _blocks(grid, t) if any(is_matrix(c) for r in grid for c in r) else sp.ImmutableMatrix(grid)
        return sp.Determinant(M) if _MATRIX_ENVS[t.text] == "det" else M

    def _column_ahead(self) -> bool:
        """At ``_{k=1}^{d}`` after a parenthesis."""
        if not self.at("char", "_"):
            return False
        save = self.i
        try:
            self.take()
            g = self.group()
            return any(x.is_("char", "=") for x in g) and self.at("char", "^")
        finally:
            self.i = save

    def _column_of(self, body, t):
        """``\\left(f_k\\right)_{k=1}^{d}``: the column of the entries f_1, ..., f_d."""
        self.take()
        lower = split_top(self.group(), "=")
        self.expect("char", "^", "^{...} after (f_k)_{k=1}")
        upper = self.group()
        if len(lower) != 2 or len(lower[0]) != 1 or lower[0][0].kind != "letter":
            raise ReadError("write a column by its entries as \\left(f_k\\right)_{k=1}^{d}", t.pos)
        lo, hi = self.parse_sub(lower[1], "lower limit"), self.parse_sub(upper, "upper limit")
        return ColumnOf(body, self.scope.symbol(lower[0][0].text), lo, hi)


def is_tuple(toks: list[Token]) -> bool:
    """``( a , b , ... )``: parentheses around the whole list, with a comma at the top level."""
    if len(toks) < 5 or not toks[0].is_("char", "(") or not toks[-1].is_("char", ")"):
        return False
    depth = 0
    for k, t in enumerate(toks):
        if t.kind == "char" and t.text in "([{":
            depth += 1
        elif t.kind == "char" and t.text in ")]}":
            depth -= 1
            if depth == 0 and k != len(toks) - 1:
                return False
    return len(split_top(toks[1:-1], ",")) > 1


def _blocks(grid, t):
    """A written matrix whose entries are matrices: the block matrix (every block of a row
    of blocks has the same number of rows, every block of a column the same number of
    columns); explicit blocks give the explicit matrix."""
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

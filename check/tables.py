r"""The notation file's ``[depends]``, ``[jacobians]`` and ``[families]`` tables, read
(:func:`read_tables`) and checked against the declared matrices (:func:`validate`): every name
a declared column, each Jacobian's shape (rows of its output, rows of its variable), no cycle
in the dependencies. What they mean at explicit sizes is :mod:`check.relations`.
"""
from __future__ import annotations

from types import MappingProxyType

import sympy as sp

__all__ = ["read_tables", "validate", "TABLES"]

TABLES = ("depends", "jacobians", "families")


class _Error(ValueError):
    pass


def _names(value, where: str, canon) -> tuple:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _Error(f"{where}: give a list of names")
    return tuple(canon(v) for v in value)


def read_tables(data: dict, canon, error=_Error) -> tuple[MappingProxyType, MappingProxyType, MappingProxyType]:
    """``(depends, jacobians, families)`` from a notation file's tables (names read with
    ``canon``); raises ``error`` with a one-line message."""
    dep, jac, fam = data.get("depends", {}), data.get("jacobians", {}), data.get("families", {})
    try:
        families = {}
        for k, v in fam.items():
            base, _, letter = canon(k).partition("_")
            if not (base and len(letter) == 1 and letter.isalpha()):
                raise _Error(f"[families] {k}: name a member with one index letter, such as z_{{i}}")
            if not (isinstance(v, list) and len(v) == 2 and all(isinstance(x, (str, int)) and not isinstance(x, bool)
                                                                 for x in v)):
                raise _Error(f"[families] {k}: give [rows, cols]")
            families[base] = tuple(v)
        depends = {canon(k): _names(v, f"[depends] {k}", canon) for k, v in dep.items()}
        jacobians = {}
        for k, v in jac.items():
            pair = _names(v, f"[jacobians] {k}", canon)
            if len(pair) != 2:
                raise _Error(f"[jacobians] {k}: give [output, variable]")
            jacobians[canon(k)] = pair
    except _Error as exc:
        raise error(f"notation file: {exc}") from None
    return MappingProxyType(depends), MappingProxyType(jacobians), MappingProxyType(families)


def validate(notation, symbol, error=_Error) -> None:
    """Every name of the two tables is a declared column, each Jacobian's shape is
    (rows of its output, rows of its variable), and the dependencies have no cycle;
    ``symbol(name)`` is the parser's object for a name."""
    if not notation.depends and not notation.jacobians:
        return
    column = lambda n, where: _column_shape(symbol(n), n, where, error)
    for y, ws in notation.depends.items():
        column(y, "[depends]")
        for w in ws:
            column(w, f"[depends] {y}")
    for g, (y, w) in notation.jacobians.items():
        G = symbol(g)
        if not isinstance(G, sp.MatrixSymbol):
            raise error(f"notation file: [jacobians] {g} must be declared in [matrices]")
        want = (column(y, f"[jacobians] {g}")[0], column(w, f"[jacobians] {g}")[0])
        if tuple(G.shape) != want:
            raise error(f"notation file: [jacobians] {g} is declared {G.shape[0]} x {G.shape[1]}, "
                        f"but d{y}/d{w} is {want[0]} x {want[1]}")
    _acyclic(notation.depends, error)


def _column_shape(M, name, where, error):
    if not isinstance(M, sp.MatrixSymbol) or M.shape[1] != 1:
        raise error(f"notation file: {where}: {name} must be a column declared in [matrices] ([rows, 1])")
    return M.shape


def _acyclic(depends, error):
    state = {}

    def visit(n, path):
        if state.get(n) == "done":
            return
        if state.get(n) == "open":
            raise error(f"notation file: [depends] is circular: {' -> '.join(path + [n])}")
        state[n] = "open"
        for w in depends.get(n, ()):
            visit(w, path + [n])
        state[n] = "done"
    for n in depends:
        visit(n, [])

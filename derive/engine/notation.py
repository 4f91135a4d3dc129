r"""One frozen notation config, passed down to every renderer (never a mutable global).

The LaTeX printer settings live here: ``\ln`` for the natural logarithm, terms kept in
the order the expression stores them, and display names for symbols whose ASCII code
name is not what a document prints (``sigma_q -> \sigma_{q}`` is automatic in SymPy;
a name such as ``n_eps -> n_{\epsilon}`` goes in ``symbol_names``). The engine's
:data:`DEFAULT` names no symbol; a user of the engine passes its own table.

>>> import sympy as sp
>>> latex(sp.log(sp.Symbol("n_eps")), Notation(symbol_names={"n_eps": r"n_{\epsilon}"}))
'\\ln{\\left(n_{\\epsilon} \\right)}'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

import sympy as sp

__all__ = ["Notation", "DEFAULT", "latex"]


@dataclass(frozen=True)
class Notation:
    """How formulas print.

    ln_notation: print ``log`` as ``\\ln``.
    order: SymPy's term order; ``"none"`` keeps the stored (written) order.
    symbol_names: code name -> LaTeX for symbols SymPy would not name well.
    """

    ln_notation: bool = True
    order: str = "none"
    symbol_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def settings(self, expr: sp.Basic | None = None) -> dict:
        """Keyword settings for :func:`sympy.latex` for ``expr``."""
        names = {}
        if expr is not None and hasattr(expr, "free_symbols"):
            names = {s: self.symbol_names[s.name] for s in expr.free_symbols
                     if getattr(s, "name", None) in self.symbol_names}
        return {"ln_notation": self.ln_notation, "order": self.order, "symbol_names": names}

    def __hash__(self):
        return hash((self.ln_notation, self.order, tuple(sorted(self.symbol_names.items()))))


DEFAULT = Notation()


@lru_cache(maxsize=4096)
def _printed(expr, notation: Notation) -> str:
    return sp.latex(expr, **notation.settings(expr))


def latex(expr, notation: Notation = DEFAULT) -> str:
    """LaTeX for ``expr`` in ``notation`` (strings pass through unchanged; an expression is
    printed once and remembered: the JSON and the LaTeX of a derivation print the same steps)."""
    if isinstance(expr, str):
        return expr
    try:
        return _printed(expr, notation)
    except TypeError:  # an unhashable expression (a mutable matrix): print it directly
        return sp.latex(expr, **notation.settings(expr))

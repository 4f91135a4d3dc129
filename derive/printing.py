"""The engine's renderers (:mod:`derive.engine.render`) in the homework's notation: a derivation in
the writeup's, :data:`derive.symbols.DOCUMENT` (one meaning per printed symbol: the margin ``u``,
the strong-convexity constant ``c``, ``\\sigmoid``, transposes ``^\\top``), a bare expression by
default in :data:`derive.symbols.NOTATION` (``n_eps`` prints as ``n_{\\epsilon}``, ``lam`` as
``\\lambda``), which the checker prints with.

>>> from derive.symbols import lam, n_eps
>>> latex(lam / n_eps)
'\\\\frac{\\\\lambda}{n_{\\\\epsilon}}'
"""
from __future__ import annotations

from typing import Iterable

from derive.engine import notation as engine_notation
from derive.engine import render as engine_render
from derive.engine.chain import Derivation
from derive.engine.notation import Notation
from derive.symbols import DOCUMENT, NOTATION

__all__ = ["NOTATION", "DOCUMENT", "latex", "to_latex", "to_json_obj", "to_json", "standalone"]


def latex(expr, notation: Notation = NOTATION) -> str:
    """LaTeX for ``expr`` (strings pass through)."""
    return engine_notation.latex(expr, notation)


def to_latex(d: Derivation, notation: Notation = DOCUMENT, environment: str = "align*") -> str:
    """The derivation as one amsmath environment (see :func:`derive.engine.render.to_latex`)."""
    return engine_render.to_latex(d, notation, environment)


def to_json_obj(d: Derivation, notation: Notation = DOCUMENT) -> dict:
    """The command-line contract's JSON object for one derivation."""
    return engine_render.to_json_obj(d, notation)


def to_json(ds: Iterable[Derivation], notation: Notation = DOCUMENT) -> str:
    """A JSON array with one object per derivation."""
    return engine_render.to_json(ds, notation)


def standalone(ds: Iterable[Derivation], notation: Notation = DOCUMENT,
               title: str = "Machine-verified derivations") -> str:
    """A complete document that ``pdflatex`` compiles as is."""
    return engine_render.standalone(ds, notation, title)

"""The readings of one side of a relation: the interface between the reader and the judge.

A line can often be read in more than one way (``P(x)`` a call or a product, how far ``\\log``
reaches, ``\\log 2\\pi\\sigma^2``). The reader returns every plausible reading of a side, the
preferred first; the judge calls a step ``wrong`` only when every reading of it is wrong, and says
which reading holds when they disagree (issue 23).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from check.lexer import Token

__all__ = ["Reading", "side_readings"]


@dataclass(frozen=True)
class Reading:
    """One reading of a side: the expression, the names it uses, and what was chosen where the
    text allowed a choice (``""`` when nothing was: the only reading)."""

    expr: object
    names: frozenset = field(default_factory=frozenset)
    note: str = ""


def side_readings(tokens: list[Token], scope) -> list[Reading]:
    """Every plausible reading of ``tokens`` as one side, the preferred first.

    Raises ``ReadError`` (with its position) when no reading exists."""
    from check.parser import Parser

    p = Parser(tokens, scope)
    e = p.side()
    p.finish()
    return [Reading(e, frozenset(p.names))]

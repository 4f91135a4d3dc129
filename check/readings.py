r"""The readings of one side of a relation: the interface between the reader and the judge.

A line can often be read in more than one way. The reader (:mod:`check.parser`) meets each such
place as a *fork* with its options, the preferred first:

- ``("call", name)``: ``P(x)`` a product or a call of a name nobody declared (a call at once when
  the file applies the name to a variable of an integral, a derivative or an expectation, or
  declares or defines it as a function; a product at once when it declares it a symbol);
- ``("reach", pos)``: ``\log 2\pi\sigma^2`` the log of the product, or of the first factor;
- ``("power", pos)``: ``\log(x)^2`` the square of the log, or the log of the square;
- ``("log-base",)``: ``\log`` the natural log, or the log base 10 in a file that writes ``\ln 10``;
- ``("pm",)``: ``a \pm b`` read with ``+``, or with ``-`` (one sign for every ``\pm`` of the side);

:func:`side_readings` reads the side with the preferred options, then again with each other
option of every fork met, at most :data:`MAX_READINGS` readings in all (the preferred first; a
reading whose expression is another's, or that uses a name both as a function and as a symbol,
is left out). Each reading's ``note`` names the options it took at the forks met (``""``: the
side has one reading), and ``choices`` holds them as ``(key, index)`` pairs: two sides of one
step are read alike where they meet the same fork (``P`` a function on both sides or on neither:
:func:`compatible`, :func:`pairs`).

The judge calls a step ``wrong`` only when every pair of readings is wrong, and says which
reading holds when they disagree (issue 23).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from check.lexer import ReadError, Token
from check.parser import Forks, Parser

__all__ = ["Reading", "side_readings", "compatible", "pairs", "MAX_READINGS"]

MAX_READINGS = 8   # readings of one side, and pairs of readings of one step


@dataclass(frozen=True)
class Reading:
    """One reading of a side: the expression, the names it uses, what was chosen at the forks
    (``note``, a phrase the judge prints; ``choices``, ``(fork key, option index)`` pairs)."""

    expr: object
    names: frozenset = field(default_factory=frozenset)
    note: str = ""
    choices: frozenset = field(default_factory=frozenset)


def _read(tokens: list[Token], scope, forks):
    p = Parser(tokens, scope, forks=forks)
    e = p.side()
    p.finish()
    return e, frozenset(p.names)


def _plausible(e) -> bool:
    """A name is not both a function and a symbol of the same side (``x + x(y+1)``)."""
    if not isinstance(e, sp.Basic):
        return True
    calls = {c.func.__name__ for c in e.atoms(AppliedUndef)}
    return not calls & {s.name for s in e.free_symbols if isinstance(s, sp.Symbol)}


def side_readings(tokens: list[Token], scope) -> list[Reading]:
    """Every plausible reading of ``tokens`` as one side, the preferred first (at most
    :data:`MAX_READINGS`).

    Raises ``ReadError`` (the preferred reading's, with its position) when no reading exists."""
    queue, tried, out, first_error = [{}], set(), [], None
    attempts = 0
    while queue and len(out) < MAX_READINGS and attempts < 4 * MAX_READINGS:
        choices, attempts = queue.pop(0), attempts + 1
        forks = Forks(choices)
        try:
            e, names = _read(tokens, scope, forks)
        except ReadError as exc:  # no reading with these choices; the forks met so far still fork
            first_error = first_error or exc
            e = None
        met = forks.met
        taken = frozenset((k, choices.get(k, 0)) for k in met)
        if e is not None and taken not in tried:
            tried.add(taken)
            if (_plausible(e) or not out) and all(e != r.expr for r in out):
                note = "; ".join(met[k][i] for k, i in sorted(taken, key=str))
                out.append(Reading(e, names, note, taken))
        for key, options in met.items():
            for i in range(1, len(options)):
                if key not in choices:
                    queue.append({**choices, key: i})
    if not out:
        raise first_error
    if len(out) == 1:
        out[0] = Reading(out[0].expr, out[0].names, "", out[0].choices)
    elif not _plausible(out[0].expr) and any(_plausible(r.expr) for r in out):
        out.sort(key=lambda r: not _plausible(r.expr))
        out = [r for r in out if _plausible(r.expr)]
    return out


def compatible(a: Reading, b: Reading) -> bool:
    """Two readings took the same option at every fork both met (``\\log`` is one base in a step)."""
    left = dict(a.choices)
    return all(left.get(k, i) == i for k, i in b.choices)


def pairs(lefts: list[Reading], rights: list[Reading]) -> list[tuple[Reading, Reading, str]]:
    """The compatible pairs of readings of a step's two sides, the preferred first (at most
    :data:`MAX_READINGS`), each with its note (the two sides' notes, once each)."""
    out = []
    for a in lefts:
        for b in rights:
            if compatible(a, b) and len(out) < MAX_READINGS:
                notes = [n for n in dict.fromkeys(x for r in (a, b) for x in r.note.split("; ")) if n]
                out.append((a, b, "; ".join(notes)))
    return out

"""The five verdicts on a step, the verdict with its detail (:class:`Verdict`), and the one
exception that means "cannot judge".

A step is ``proved``, ``numeric``, ``wrong``, ``domain`` or ``inconclusive`` (defined in
:mod:`check.judge`). Any module of the judge that meets a construct it cannot decide
(a density that is not defined, a subset too large to enumerate, an extremum not found in
closed form, ...) raises :class:`Unsupported` with a one-line message;
:func:`check.judge.judge` makes the step ``inconclusive`` with ``not supported:``
and that message.

>>> str(Unsupported("no density q is defined"))
'no density q is defined'
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Verdict", "Unsupported", "PROVED", "NUMERIC", "WRONG", "DOMAIN", "INCONCLUSIVE", "VERDICTS"]

PROVED, NUMERIC, WRONG, DOMAIN, INCONCLUSIVE = "proved", "numeric", "wrong", "domain", "inconclusive"
VERDICTS = (PROVED, NUMERIC, WRONG, DOMAIN, INCONCLUSIVE)


class Unsupported(Exception):
    """Raised when a step uses a construct the judge cannot decide: the step becomes
    ``inconclusive`` with the message."""


@dataclass(frozen=True)
class Verdict:
    """One step's verdict, a one-line detail, and a counterexample (or None):
    ``{"point": {name: value}, "lhs": value, "rhs": value}``."""

    verdict: str
    detail: str
    counterexample: dict | None = None

    def as_dict(self) -> dict:
        return {"verdict": self.verdict, "detail": self.detail, "counterexample": self.counterexample}

"""The verdict on a step is the engine's :class:`derive.engine.verify.Verdict`: a level that holds
(``symbolic``, which the checker's output calls ``proved``, or ``numeric``) or an outcome of a
failed or undecided verification (``wrong``, ``domain``, ``inconclusive``), its one-line text in
``detail["text"]``, and a counterexample or None. This module makes one (:func:`verdict`), turns it
into the contract's dict (:func:`as_dict`), and holds the one exception that means "cannot
judge" (:class:`Unsupported`): any module of the judge that meets a construct it cannot decide
(a density that is not defined, a subset too large to enumerate, an extremum not found in
closed form, ...) raises it with a one-line message; :func:`check.judge.judge` makes the step
``inconclusive`` with ``not supported:`` and that message.

>>> as_dict(verdict(PROVED, "the difference expands to 0"))["verdict"]
'proved'
"""
from __future__ import annotations

from derive.engine.verify import DOMAIN, INCONCLUSIVE, NUMERIC, SYMBOLIC, WRONG, Verdict

__all__ = ["Verdict", "verdict", "as_dict", "text", "Unsupported", "PROVED", "NUMERIC", "WRONG", "DOMAIN",
           "INCONCLUSIVE", "VERDICTS"]

PROVED = SYMBOLIC   # shown for every value (and size): the engine's level, "proved" in the output
VERDICTS = ("proved", NUMERIC, WRONG, DOMAIN, INCONCLUSIVE)   # the words of the output (the contract)


class Unsupported(Exception):
    """Raised when a step uses a construct the judge cannot decide: the step becomes
    ``inconclusive`` with the message."""


def verdict(level: str, text: str, counterexample: dict | None = None) -> Verdict:
    """The engine's verdict with the checker's one-line text."""
    return Verdict(level, {"text": text}, counterexample)


def text(v: Verdict) -> str:
    return v.detail["text"]


def as_dict(v: Verdict) -> dict:
    """The contract's ``{"verdict", "detail", "counterexample"}`` of a step."""
    return {"verdict": "proved" if v.level == PROVED else v.level, "detail": text(v),
            "counterexample": v.counterexample}

"""What a file's lines become: steps to judge and definitions (:mod:`check.steps` reads them)."""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Step", "Definition"]


@dataclass
class Step:
    """``lhs relation rhs`` to be judged; ``line`` is where its right-hand side ends.

    readings: the other plausible readings ``(lhs, rhs, note)`` (the product of its sides'
    readings after the written one, at most :data:`MAX_READINGS` in all); premise: the
    relations ``(lhs, rhs, line)`` it may follow from, ``premise_kind``: ``"implies"`` (after
    ``\\Rightarrow``: claimed), ``"system"`` (the conditions in force: a second reading) or
    ``"solves"`` (a starred name after them); condition: why the relation may state a
    condition ("" when nothing says so); assume: the assumptions of its line
    (``\\text{if } y = 1``), ``(lhs, rhs)``; assigns: see below."""

    line: int
    latex: str
    lhs: object
    rhs: object
    relation: str
    comments: list[str] = field(default_factory=list)
    note: str = ""
    error: str | None = None
    readings: list = field(default_factory=list)
    premise: list = field(default_factory=list)
    premise_kind: str = ""
    condition: str = ""
    assume: list = field(default_factory=list)
    assigns: bool = False   # "alpha = ...": a name nothing defines on the left alone (a value given, or claimed)
    opaque: str = ""        # a name nothing defines, differentiated (its dependence unknown)
    restates: str = ""      # "L(z, y) = ...": a function the file states, applied to other names (written anew)


@dataclass
class Definition:
    """``lhs := rhs`` (or a first line that introduces a new name; ``relation`` "if": an
    assumption of its line)."""

    line: int
    latex: str
    lhs: object
    rhs: object
    comments: list[str] = field(default_factory=list)
    relation: str = ":="

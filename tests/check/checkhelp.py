"""Helpers for the checker's tests: check a LaTeX text, read its verdicts by line."""
from __future__ import annotations

from check.checker import check_text, load_notation

__all__ = ["check", "verdicts"]


def check(text: str, part: str | None = None, notation: str | None = None, **kw):
    nota, p = load_notation(part, notation)
    return check_text(text, nota, p, **kw)


def verdicts(result) -> dict:
    """line -> verdict ("definition" for definitions)."""
    return {s.line: s.verdict or "definition" for s in result.items}

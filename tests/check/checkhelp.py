"""Helpers for the checker's tests: check a LaTeX text, read its verdicts by line."""
from __future__ import annotations

from check.checker import check_text, load_notation

__all__ = ["check", "verdicts"]


def check(text: str, part: str | None = None, notation: str | None = None, **kw):
    """Check ``text`` in this process (the sandbox's limits are what only its own tests and
    those with ``seconds=`` test)."""
    nota, p = load_notation(part, notation)
    kw.setdefault("sandbox", "seconds" in kw)
    return check_text(text, nota, p, **kw)


def verdicts(result) -> dict:
    """line -> verdict ("definition" for definitions)."""
    return {s.line: s.verdict or "definition" for s in result.items}

"""A derivation is a value: the definition it starts from, the ordered verified steps, the
final result, the symbols with their assumptions and the references.

Build one with :class:`Chain`; every ``step`` is verified as it is added (see
:mod:`derive.engine.verify`), so a :class:`Derivation` that exists is a derivation whose every
displayed equality was checked by machine, and each step records how.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> d = (Chain("demo", problem="0", title="A square", lhs=sp.Symbol("f"), start=(x + 1)**2)
...      .step(x**2 + 2*x + 1, "expand").done())
>>> d.steps[0].verified, d.steps[0].detail["method"]
('symbolic', 'cancel')
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import sympy as sp

from derive.engine.explicit import evaluated
from derive.engine.verify import LEVELS, Verdict, VerificationBug, VerificationError, verify

__all__ = ["Step", "Derivation", "Chain", "VerificationError"]


@dataclass(frozen=True)
class Step:
    """One displayed equality ``lhs = rhs`` with its one-line justification.

    ``lhs`` is None when the step continues the chain (``= rhs`` under the line above).
    ``verified`` is ``"symbolic"``, ``"instances"`` or ``"numeric"``: how the machine checked
    it; ``detail`` says exactly what was checked (:class:`~derive.engine.verify.Verdict`).
    """

    rhs: Any
    why: str
    verified: str
    lhs: Any = None
    detail: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def tag(self) -> str:
        """The short text of the step's LaTeX tag: ``symbolic``, ``m <= 4``, ``numeric, 24 pts``."""
        return self.detail.get("tag", self.verified)


@dataclass(frozen=True)
class Derivation:
    """A verified chain of equalities ending in ``result``.

    id: stable name such as ``"kl.univariate"``; problem: the seed's part (``"2.a"``);
    lhs: what is being derived, as displayed (a SymPy expression or a LaTeX string);
    start: the definition it starts from (the first displayed right-hand side);
    steps: the verified equalities that follow; result: the final formula;
    symbols: free symbols with their assumptions; references: citations (short text);
    notes: prose the writeup may print with it; where: ``(name, definition)`` pairs for
    the placeholders the steps display (``q(z) := N(z; mu, sigma^2)``); defines: the first
    row defines ``lhs`` (printed ``lhs := start``: an update rule, a named constant), rather
    than states an equality that follows from definitions elsewhere.
    """

    id: str
    problem: str
    title: str
    lhs: Any
    start: Any
    steps: tuple[Step, ...]
    result: Any
    symbols: tuple = ()
    references: tuple[str, ...] = ()
    notes: str = ""
    start_why: str = "definition"
    where: tuple = ()
    defines: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def _latex(self, printer=None) -> str:  # sympy.latex(derivation) hook
        from derive.engine.render import to_latex
        return to_latex(self)

    def _repr_latex_(self) -> str:  # Jupyter
        from derive.engine.render import to_latex
        return "$\\displaystyle " + to_latex(self, environment="aligned") + "$"

    def __str__(self) -> str:
        return f"{self.id}: {self.result}"


def _symbols_of(*exprs) -> tuple:
    found = set()
    for e in exprs:
        if isinstance(e, sp.Basic):
            found |= {s for s in e.free_symbols if isinstance(s, (sp.Symbol, sp.MatrixSymbol))}
    # by name; where a scalar and a matrix share a name, the matrix comes last (deterministic)
    return tuple(sorted(found, key=lambda s: (str(s), isinstance(s, sp.MatrixSymbol))))


class Chain:
    """Builder: ``Chain(id, ..., lhs=..., start=...).step(expr, why)...done()``.

    ``step(rhs, why)`` checks ``previous rhs = rhs``; ``step(rhs, why, lhs=L)`` starts a
    new displayed line ``L = rhs`` and checks that equality instead. Keyword arguments
    ``how``, ``n_points``, ``rtol``, ``sampler`` go to :func:`derive.engine.verify.verify_equal`;
    ``where={q: Lambda(z, pdf), c: value}`` names placeholders: steps display ``q(z)``
    and are verified with the definitions substituted (functions through ``replace``,
    symbols through ``subs``). ``check=fn`` replaces the check by ``fn(lhs, rhs) -> Verdict``
    (for steps such as "instantiate at m = 1..4 and compare", which must raise on failure).
    """

    def __init__(self, id: str, *, problem: str, title: str, lhs, start,
                 references=(), notes: str = "", start_why: str = "definition", where=None,
                 defines: bool = False):
        where = dict(where or {})
        self._meta = dict(id=id, problem=problem, title=title, lhs=lhs, start=start,
                          references=tuple(references), notes=notes, start_why=start_why,
                          where=tuple(where.items()), defines=defines)
        self._where = where
        self._steps: list[Step] = []
        self._current = start

    @property
    def current(self):
        """The right-hand side of the last line."""
        return self._current

    def step(self, rhs, why: str, *, lhs=None, check: Callable | None = None, **verify_kw) -> "Chain":
        left = self._current if lhs is None else lhs
        where = f"{self._meta['id']}, step {len(self._steps) + 1} ({why})"
        try:
            a, b = self.expand(left), self.expand(rhs)
            verdict = check(a, b) if check else verify(a, b, **verify_kw)
        except VerificationError as exc:
            raise VerificationError(f"{where}: {exc}") from exc
        if isinstance(verdict, str) and verdict in LEVELS:
            verdict = Verdict(verdict)
        if not isinstance(verdict, Verdict):
            raise VerificationBug(f"{where}: the check returned {verdict!r}, not a Verdict")
        if not verdict.holds:
            raise VerificationError(f"{where}: {verdict.level}: {dict(verdict.detail)}")
        self._steps.append(Step(rhs=rhs, why=why, verified=verdict.level, lhs=lhs,
                                detail=dict(verdict.detail)))
        self._current = rhs
        return self

    def expand(self, expr):
        """``expr`` with the ``where`` placeholders replaced by their definitions."""
        for name, value in self._where.items():
            if isinstance(name, sp.FunctionClass):
                expr = expr.replace(name, value)
            else:
                expr = expr.subs(name, value)
        return expr

    def done(self, result=None, *, symbols=None, **extra) -> Derivation:
        """Freeze the chain; ``result`` defaults to the last right-hand side, rebuilt with
        SymPy's evaluation (the canonical form that ``parse_expr(srepr(result))`` returns;
        the steps keep their written order)."""
        result = evaluated(self._current if result is None else result)
        if symbols is None:
            symbols = _symbols_of(result, self._meta["start"], *(s.rhs for s in self._steps))
        return Derivation(steps=tuple(self._steps), result=result, symbols=tuple(symbols),
                          extra=dict(extra), **self._meta)

r"""How the reader (:mod:`check.parser`) reads evaluation bars (:class:`EvaluationReader`,
a mixin of :class:`~check.parser.Parser`).

- ``f\big|_{x=a}`` (``\Big|``, ``\bigg|``, ``\Bigg|``, ``\bigr|`` ...) evaluates the product to its
  left at ``x = a``, as ``\left. f \right|_{x=a}`` does; several values are rows of a
  ``\substack``;
- with ``p`` and ``q`` function names, ``f\big|_{p=q}`` is ``f`` with ``p`` replaced by ``q`` once
  ``f``'s definitions are substituted (:mod:`check.evaluations`).
"""
from __future__ import annotations

import sympy as sp

from check.arithmetic import is_matrix
from check.evaluations import FunctionSubs
from check.lexer import ReadError, Token
from check.token_lists import split_rows, split_top

__all__ = ["EvaluationReader", "BAR", "evaluation_bars"]


BAR = "big|"  # the token of an evaluation bar \big|_{...} (no LaTeX command has this name)
_BAR_SIZES = frozenset({"big", "Big", "bigg", "Bigg", "bigr", "Bigr", "biggr", "Biggr"})


class EvaluationReader:
    """Evaluation bars ``f\\big|_{x=a}`` and ``f\\big|_{p=q}`` (a mixin of the parser)."""

    def evaluation(self, e, t):
        if not self.at("char", "_"):
            raise ReadError("\\right| needs the values: \\right|_{x=a}", t.pos)
        self.take()
        toks = self.group()
        if toks and toks[0].is_("cmd", "substack"):
            toks = toks[2:-1] if len(toks) > 2 and toks[1].is_("char", "{") and toks[-1].is_("char", "}") else []
        pairs = []
        for row in split_rows(toks):
            sides = split_top(row, "=")
            if len(sides) != 2:
                raise ReadError("write the values as x=a", t.pos)
            pairs.append((self.parse_sub(sides[0]), self.parse_sub(sides[1])))
        funcs = [isinstance(a, sp.Symbol) and self.scope.is_function(a.name) for a, _ in pairs]
        if any(funcs):
            return self._at_functions(e, pairs, t) if all(funcs) else self._mixed_evaluation(t)
        return sp.Subs(e, tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))

    def _at_functions(self, e, pairs, t):
        """``f\\big|_{p=q}`` with ``p``, ``q`` function names: ``p`` replaced by ``q``
        (:class:`~check.evaluations.FunctionSubs`)."""
        if not all(isinstance(b, sp.Symbol) and self.scope.is_function(b.name) for _, b in pairs):
            raise ReadError("a function evaluated at p=q needs a function name q", t.pos)
        if is_matrix(e):
            raise ReadError("a matrix evaluated at p=q (functions): evaluate its entries", t.pos)
        return FunctionSubs(e, [a for a, _ in pairs], [b for _, b in pairs])

    def _mixed_evaluation(self, t):
        raise ReadError("evaluate at functions (p=q) or at values (x=a), not both at once", t.pos)


def evaluation_bars(tokens: list[Token]) -> list[Token]:
    r"""``\big|_{...}`` (and ``\Big|``, ``\bigg|`` ...): one bar token, so that the bar is not
    read as an absolute value once the size command is dropped."""
    out, k = [], 0
    while k < len(tokens):
        t = tokens[k]
        if (t.kind == "cmd" and t.text in _BAR_SIZES and k + 2 < len(tokens)
                and (tokens[k + 1].is_("char", "|") or tokens[k + 1].is_("cmd", "vert"))
                and tokens[k + 2].is_("char", "_")):
            out.append(Token("cmd", BAR, t.pos))
            k += 2
            continue
        out.append(t)
        k += 1
    return out

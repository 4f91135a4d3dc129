r"""How the reader (:mod:`check.parser`) reads the operators that bind a variable in the
term after them: sums, products and arg max / arg min (:class:`BigOperatorReader`, a mixin of
:class:`~check.parser.Parser`).

- ``\sum_{j=1}^{m} term``, ``\prod_{j=1}^{m} term``; ``\sum_j`` takes the range of ``j`` from the
  notation; ``\sum`` and ``\prod`` take the next term (a product).
- ``\sum_{i \in B} g_i`` sums over the members of a set named ``B`` (:mod:`check.subsets`).
- ``\operatorname*{arg\,max}_{y \in (a, b)} term`` (also arg min and ``\arg\max``; ``_y`` alone:
  over the real line) is the maximiser over the interval (:class:`~check.objects.Argmax`).
- Inside the term the variable is bound: it is no name of the line.
"""
from __future__ import annotations

import sympy as sp

from check.lexer import ReadError, Token
from check.notation import assumptions
from check.objects import Argmax
from check.subsets import SetSum
from check.token_lists import GREEK, plain, split_top

__all__ = ["BigOperatorReader"]


class BigOperatorReader:
    """Sums, products and arg max / arg min, with their bound variables (a mixin of the parser)."""

    def bound_operand(self, vname: str, t: Token):
        """The operand term of a big operator whose variable ``vname`` is bound in it (so it
        is no name of the line)."""
        self.scope.bound.append(vname)
        try:
            body = self._operand_term(t)
        finally:
            self.scope.bound.pop()
        self.names.discard(vname)
        return body

    def limits(self) -> tuple:
        """The ``_{...}`` and ``^{...}`` groups of a big operator, in either order (None if absent)."""
        lower = upper = None
        for _ in range(2):
            if self.at("char", "_") and lower is None:
                self.take()
                lower = self.group()
            elif self.at("char", "^") and upper is None:
                self.take()
                upper = self.group()
        return lower, upper

    def big_operator(self):
        """``\\sum_{j=1}^{m} term`` (the range of ``\\sum_j`` from the notation)."""
        t = self.take()
        lower, upper = self.limits()
        if lower is None:
            raise ReadError(f"\\{t.text} needs its index: \\{t.text}_{{j=1}}^{{m}}", t.pos)
        members = split_top(lower, "in", kind="cmd")
        if len(members) == 2 and t.text == "sum":
            return self.set_sum(t, members, upper)
        parts = split_top(lower, "=")
        var_toks = parts[0]
        if len(var_toks) != 1 or not (var_toks[0].kind == "letter" or var_toks[0].text in GREEK):
            raise ReadError(f"the index of \\{t.text} must be one letter (or \\sum_{{i \\in B}})", t.pos)
        vname = var_toks[0].text
        var = sp.Symbol(vname, integer=True)
        lo = self.parse_sub(parts[1], "lower limit") if len(parts) > 1 else sp.Integer(1)
        if upper is not None:
            hi = self.parse_sub(upper, "upper limit")
        elif vname in self.scope.notation.ranges:
            hi = self.scope.symbol(self.scope.notation.ranges[vname])
        else:
            raise ReadError(f"give the range of \\{t.text}_{vname}: \\{t.text}_{{{vname}=1}}^{{m}}", t.pos)
        var = sp.Symbol(vname, **assumptions(self.scope.notation.domain(vname)))
        body = self.bound_operand(vname, t)
        cls = sp.Sum if t.text == "sum" else sp.Product
        return cls(body, (var, lo, hi))

    def set_sum(self, t, members, upper):
        """``\\sum_{i \\in B} term``: the term summed over the members ``i`` of the set named ``B``."""
        var_toks, set_toks = members
        if upper is not None:
            raise ReadError("\\sum_{i \\in B} takes no upper limit", t.pos)
        if len(var_toks) != 1 or not (var_toks[0].kind == "letter" or var_toks[0].text in GREEK):
            raise ReadError("the index of \\sum_{i \\in B} must be one letter", t.pos)
        where = self.parse_sub(set_toks, "set")
        if not isinstance(where, sp.Symbol):
            raise ReadError("\\sum_{i \\in B}: the set must be a name", t.pos)
        vname = var_toks[0].text
        var = sp.Symbol(vname, **assumptions(self.scope.notation.domain(vname)))
        body = self.bound_operand(vname, t)
        return SetSum(body, var, where)

    def arg(self):
        """``\\arg\\max`` and ``\\arg\\min`` (a bare ``\\arg`` is not read)."""
        t = self.take()
        u = self.peek()
        if u is None or not (u.is_("cmd", "max") or u.is_("cmd", "min")):
            raise ReadError("\\arg is read only as \\arg\\max or \\arg\\min", t.pos)
        self.take()
        return self.extremum(u.text, t)

    def extremum(self, word: str, t: Token):
        """``arg max_{y \\in I} f``: the maximiser of the next term over ``y`` in the interval
        ``I`` (``(a, b)``, ``[a, b]``, ``\\mathbb{R}``; ``_y`` alone: the real line)."""
        if not self.at("char", "_"):
            raise ReadError(f"arg {word} needs its variable: \\operatorname*{{arg\\,{word}}}_{{y \\in (0, 1)}}", t.pos)
        self.take()
        parts = split_top(self.group(), "in", kind="cmd")
        var_toks = parts[0]
        if len(parts) > 2 or len(var_toks) != 1 or not (var_toks[0].kind == "letter" or var_toks[0].text in GREEK):
            raise ReadError(f"arg {word}: write one variable and its interval, as in _{{y \\in (0, 1)}}", t.pos)
        vname = var_toks[0].text
        interval = self._interval(parts[1], t) if len(parts) == 2 else sp.S.Reals
        var = self.scope.symbol(vname)
        body = self.bound_operand(vname, t)
        return Argmax(body, var, interval, sp.Integer(1 if word == "max" else -1))

    def _interval(self, toks: list[Token], t: Token):
        """``(a, b)``, ``[a, b)``, ... as a SymPy interval; ``\\mathbb{R}`` the real line."""
        if plain(toks) in ("mathbb{R}", "mathbbR", "R"):
            return sp.S.Reals
        if len(toks) < 5 or toks[0].text not in "([" or toks[-1].text not in ")]" or toks[0].kind != "char":
            raise ReadError("an interval is written (a, b), [a, b], (a, b] or [a, b)", t.pos)
        ends = split_top(toks[1:-1], ",")
        if len(ends) != 2:
            raise ReadError("an interval has two ends: (a, b)", t.pos)
        lo, hi = (self.parse_sub(e, "end of the interval") for e in ends)
        return sp.Interval(lo, hi, left_open=toks[0].text == "(", right_open=toks[-1].text == ")")

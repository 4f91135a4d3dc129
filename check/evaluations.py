r"""Evaluating an expression at a function: ``f\big|_{p=q}`` where ``p`` and ``q`` are
function names (``D^\star(x)\big|_{p_G=q}``: the optimal discriminator at ``p_G = q``).

The parser keeps the written form, ``FunctionSubs(f, (p,), (q,))``; the judge gives it its
meaning once the definitions are substituted in ``f`` (:func:`function_substitutions`): every
call ``p(args)`` becomes ``q(args)``, and ``q``'s own definition (if any) is substituted after.
A function that the document defines cannot be replaced this way (its definition is already
in ``f``): the judge reports that as unsupported rather than guess which one is meant.

>>> x = sp.Symbol("x")
>>> p, q = sp.Function("p"), sp.Function("q")
>>> e = FunctionSubs(x * p(x) + q(x), (sp.Symbol("p"),), (sp.Symbol("q"),))
>>> function_substitutions(e, set())
x*q(x) + q(x)
"""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from check.verdicts import Unsupported

__all__ = ["FunctionSubs", "function_substitutions"]


class FunctionSubs(sp.Expr):
    """``f\\big|_{p=q}``: ``f`` with the function ``p`` replaced by the function ``q``
    (names as symbols, in two tuples of the same length)."""

    def __new__(cls, expr, old, new):
        return sp.Basic.__new__(cls, expr, sp.Tuple(*old), sp.Tuple(*new))

    @property
    def pairs(self):
        return list(zip(self.args[1], self.args[2]))

    def _latex(self, printer, exp=None):
        f = printer._print(self.args[0])
        at = ", ".join(f"{printer._print(a)}={printer._print(b)}" for a, b in self.pairs)
        tex = rf"\left. {f} \right|_{{{at}}}"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"


def function_substitutions(e, defined: set[str]):
    """``e`` with each :class:`FunctionSubs` carried out: the calls ``p(args)`` in its
    expression become ``q(args)``. ``defined``: the names of the functions the document
    defines (replacing one of them raises :class:`~check.verdicts.Unsupported`)."""
    def carry(x):
        body = x.args[0]
        for old, new in x.pairs:
            if old.name in defined:
                raise Unsupported(f"{old.name} is defined, so {old.name}={new.name} cannot replace it")
            body = body.replace(lambda c, n=old.name: isinstance(c, AppliedUndef) and c.func.__name__ == n,
                                lambda c, f=sp.Function(new.name): f(*c.args))
        return body
    return e.replace(lambda x: isinstance(x, FunctionSubs), carry) if isinstance(e, sp.Basic) else e

"""What the judge knows about a document: its definitions, densities, sizes, assumptions and
declared relations (:class:`Context`), and its function definitions as Lambdas
(:meth:`Context.functions`: ``f(x) := x^2`` is ``f -> ((x,), Lambda(x, x^2))``).

>>> x = sp.Symbol("x", real=True)
>>> Context(definitions=[(sp.Function("f")(x), x ** 2)]).functions()["f"][1](3)
9
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from check.jacobians import At, MatrixLambda, Member
from derive.ops import IndexedCall

__all__ = ["Context"]


@dataclass
class Context:
    """What the judge knows about a document.

    definitions: ``(lhs, rhs)`` pairs in order; densities: names of generic densities;
    explicit: ``(obj, sizes) -> explicit value or None``, a part's rule for matrices and
    entries at given sizes; base: ``name -> IndexedBase`` with the declared domain;
    variable: the random variable of a ``N(mu, s^2)`` written without one; sizes: the
    names of sizes; assumptions: ``(lhs, relation, rhs)`` inequalities the numeric points
    must satisfy; distributions: name -> distribution (``B \\sim \\mathrm{Subset}(n, b)``);
    relations: the declared dependencies and Jacobians (:class:`check.relations.Relations`)
    or None; memo: what the judge derived once for one side (its instance at a size, its
    meaning there), shared by the steps of the file (a chain's right side is the next step's
    left side).
    """

    definitions: list = field(default_factory=list)
    densities: frozenset = frozenset()
    explicit: Callable | None = None
    base: Callable = lambda name: sp.IndexedBase(name, real=True)
    variable: sp.Symbol = sp.Symbol("z", real=True)
    sizes: frozenset = frozenset("mdn")
    assumptions: list = field(default_factory=list)
    distributions: dict = field(default_factory=dict)
    relations: object = None
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # readings shared by the steps

    def functions(self) -> dict:
        """Function name (or family, for ``q_j(z_j) := ...``) -> (variables, Lambda)."""
        out = {}
        for lhs, rhs in self.definitions:
            if isinstance(lhs, IndexedCall):
                j, args = lhs.args[1], lhs.args[2:]
                if not isinstance(j, sp.Symbol):
                    continue
                key, params = ("[]", lhs.family), (j, *args)
            elif isinstance(lhs, AppliedUndef):
                key, params = lhs.func.__name__, lhs.args
            elif isinstance(lhs, At):
                key, params = ("at", lhs.args[0].name), lhs.args[1:]
            else:
                continue
            if any(isinstance(a, Member) for a in params) or isinstance(lhs, At):
                out[key] = (params, MatrixLambda(params, rhs))
                continue
            if not all(isinstance(a, (sp.Symbol, sp.Indexed, sp.MatrixSymbol)) for a in params) \
                    or len(set(params)) != len(params):
                continue
            dummies = [a if isinstance(a, (sp.Symbol, sp.MatrixSymbol)) else sp.Dummy("t", real=True) for a in params]
            body = rhs.xreplace({a: d for a, d in zip(params, dummies) if a is not d})
            out[key] = (params, sp.Lambda(tuple(dummies), body))
        return out

"""One walker that makes an expression explicit: sums and products with numeric bounds
written out, matrix symbols replaced by explicit matrices, matrix operations carried out.

The rules are data: :data:`RULES` maps a SymPy type to a function ``rule(expr, walk)``;
an :class:`Explicit` walker looks up the most specific type of each node (its own ``rules``
first, then :data:`RULES`) and, for a type without a rule, rebuilds the node from its
walked arguments. Display operators bring their own table (``derive.ops.EXPLICIT``), and a
check adds rules for what only it knows (the network behind a Jacobian symbol):

>>> import sympy as sp
>>> j, m = sp.Symbol("j", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
>>> x = sp.IndexedBase("x")
>>> Explicit(values={m: 3})(sp.Sum(x[j] ** 2, (j, 1, m)))
x[1]**2 + x[2]**2 + x[3]**2
>>> A = sp.MatrixSymbol("A", m, m)
>>> Explicit(values={m: 2, A: sp.Matrix([[1, 2], [3, 4]])})(sp.Determinant(A) + sp.Trace(A))
3

``values`` maps symbols (sizes), matrix symbols and indexed objects to what they stand for;
``bound`` holds the value of each summation variable while its sum is written out (a
rule may read it: the sample ``i`` a Jacobian ``g(z_i)`` is taken at).
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field, replace
from functools import reduce
from types import MappingProxyType
from typing import Any, Callable, Mapping

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = ["Explicit", "RULES", "Rule", "is_explicit", "evaluated", "MAX_TERMS"]

Rule = Callable[[Any, "Explicit"], Any]


def is_explicit(e) -> bool:
    """True for an explicit matrix or a scalar expression (no matrix symbol left)."""
    return isinstance(e, sp.MatrixBase) or not isinstance(e, MatrixExpr)


def evaluated(e):
    """``e`` rebuilt bottom-up with SymPy's evaluation (undoes ``evaluate=False``: the written
    form of a step, or of a line the checker read), a matrix entry by entry.

    >>> x = sp.Symbol("x")
    >>> evaluated(sp.Add(x, x, evaluate=False))
    2*x
    """
    if isinstance(e, sp.MatrixBase):
        return e.applyfunc(evaluated)
    if not isinstance(e, sp.Basic) or not e.args or isinstance(e, (sp.MatrixSymbol, sp.Indexed)):
        return e
    return e.func(*[evaluated(a) for a in e.args])


def _all_explicit(args) -> bool:
    return all(is_explicit(a) for a in args)


MAX_TERMS = 10_000  # terms of one sum or product written out, at most (a longer one is kept)


def _bounds(limit, walk):
    var, lo, hi = limit
    lo, hi = walk(lo), walk(hi)
    numbers = lo.is_Integer and hi.is_Integer and hi - lo < MAX_TERMS
    return (var, int(lo), int(hi)) if numbers else None


def _unrolled(expr, walk, combine, empty):
    """A Sum or Product over its outermost limit, written out when the bounds are numbers
    (``xreplace``: the index also reaches an integral over ``z_j``, which ``subs`` treats as bound)."""
    *inner, outer = expr.limits
    bounds = _bounds(outer, walk)
    if bounds is None:
        return _rebuild(expr, walk)
    var, lo, hi = bounds
    body = expr.func(expr.function, *inner) if inner else expr.function
    terms = [walk.bind(var, v)(body.xreplace({var: sp.Integer(v)})) for v in range(lo, hi + 1)]
    return reduce(combine, terms) if terms else empty


def _rebuild(expr, walk):
    """The node rebuilt (and so evaluated) from its walked arguments."""
    args = [walk(a) for a in expr.args]
    if isinstance(expr, MatrixExpr) and args and _all_explicit(args) and \
            any(isinstance(a, sp.MatrixBase) for a in args):
        out = expr.func(*args).doit()
        return out if isinstance(out, sp.MatrixBase) else out.as_explicit()
    return expr.func(*args)


def _fold(op):
    def rule(expr, walk):
        args = [walk(a) for a in expr.args]
        if not _all_explicit(args):
            return expr.func(*args)
        if op is operator.add and len({isinstance(a, sp.MatrixBase) for a in args}) > 1:
            raise sp.ShapeError(f"a matrix and a number added in {expr}")
        return reduce(op, args)
    return rule


def _matrix_method(method):
    """A matrix operation of one argument: carried out when the argument is explicit."""
    def rule(expr, walk):
        arg = walk(expr.args[0])
        return method(arg) if isinstance(arg, sp.MatrixBase) else expr.func(arg)
    return rule


def _hadamard(expr, walk):
    args = [walk(a) for a in expr.args]
    if not all(isinstance(a, sp.MatrixBase) for a in args):
        return expr.func(*args)
    return reduce(lambda a, b: a.multiply_elementwise(b), args)


def _hadamard_power(expr, walk):
    base, exp = walk(expr.args[0]), walk(expr.args[1])
    if not isinstance(base, sp.MatrixBase):
        return expr.func(base, exp)
    return base.applyfunc(lambda e: e ** exp)


def _sized(make):
    def rule(expr, walk):
        shape = [walk(a) for a in expr.args]
        return make(*shape) if all(getattr(n, "is_Integer", False) for n in shape) else expr.func(*shape)
    return rule


def _leaf(expr, walk):
    """A symbol, matrix symbol or indexed object: its value, if ``values`` names one."""
    value = walk.values.get(expr, expr)
    return value if isinstance(value, sp.Basic) else sp.sympify(value)


RULES: Mapping[type, Rule] = MappingProxyType({
    sp.Sum: lambda e, walk: _unrolled(e, walk, operator.add, sp.Integer(0)),
    sp.Product: lambda e, walk: _unrolled(e, walk, operator.mul, sp.Integer(1)),
    sp.Add: _fold(operator.add), sp.MatAdd: _fold(operator.add),
    sp.Mul: _fold(operator.mul), sp.MatMul: _fold(operator.mul),
    sp.Transpose: _matrix_method(lambda a: a.T),
    sp.Inverse: _matrix_method(lambda a: a.inv()),
    sp.Determinant: _matrix_method(lambda a: a.det()),
    sp.Trace: _matrix_method(lambda a: a.trace()),
    sp.HadamardProduct: _hadamard, sp.HadamardPower: _hadamard_power,
    sp.OneMatrix: _sized(sp.ones), sp.ZeroMatrix: _sized(sp.zeros),
    sp.Identity: _sized(sp.eye),
    sp.Symbol: _leaf, sp.MatrixSymbol: _leaf, sp.Indexed: _leaf,
})


@dataclass(frozen=True)
class Explicit:
    """A walker: ``Explicit(values, rules)(expr)`` is ``expr`` made explicit."""

    values: Mapping = field(default_factory=dict)
    rules: Mapping[type, Rule] = field(default_factory=dict)
    bound: Mapping = field(default_factory=dict)

    def __call__(self, expr):
        if not isinstance(expr, sp.Basic):
            return expr
        rule = self.rule_for(type(expr))
        if rule is not None:
            return rule(expr, self)
        if not expr.args:
            return expr
        return _rebuild(expr, self)

    def rule_for(self, cls) -> Rule | None:
        """The rule of the most specific class of ``cls`` that has one."""
        for c in cls.__mro__:
            if c in self.rules:
                return self.rules[c]
            if c in RULES:
                return RULES[c]
        return None

    def bind(self, var, value) -> "Explicit":
        """The walker inside a sum over ``var``, at ``var = value``."""
        return replace(self, bound={**self.bound, var: value})

    def extended(self, values: Mapping | None = None, rules: Mapping | None = None) -> "Explicit":
        """The walker with more values and rules (later ones win)."""
        return replace(self, values={**self.values, **(values or {})}, rules={**self.rules, **(rules or {})})

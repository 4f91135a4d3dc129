"""The one evaluator of the engine and the checker: the value of a SymPy expression at a point,
with mpmath, by a small tree-walking interpreter (no code is generated or executed); a node it
has no rule for raises :class:`NoValue`, and the caller falls back to SymPy's ``evalf``. Integrals are evaluated by
``mpmath.quad`` over their limits, with the integrand interpreted at each node, which
is much faster than SymPy's ``evalf`` of an unevaluated ``Integral``.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> float(value(sp.Integral(sp.exp(-x**2), (x, -sp.oo, sp.oo)), {}))
1.772453850905516
"""
from __future__ import annotations

import mpmath
import sympy as sp

__all__ = ["value", "NoValue"]


class NoValue(Exception):
    """A node the interpreter has no rule for (the caller falls back to ``evalf``)."""


_FUNCS = {sp.exp: mpmath.exp, sp.log: mpmath.log, sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tan: mpmath.tan,
          sp.tanh: mpmath.tanh, sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh, sp.atan: mpmath.atan,
          sp.asin: mpmath.asin, sp.acos: mpmath.acos, sp.Abs: abs, sp.factorial: mpmath.factorial,
          sp.gamma: mpmath.gamma}


def _number(e):
    if e.is_Integer:
        return mpmath.mpf(int(e))
    if e.is_Rational:
        return mpmath.mpf(int(e.p)) / int(e.q)
    if e.is_Float:
        return mpmath.mpf(e)
    if e is sp.pi:
        return +mpmath.pi
    if e is sp.E:
        return +mpmath.e
    if e is sp.oo:
        return mpmath.inf
    if e is -sp.oo or e == -sp.oo:
        return -mpmath.inf
    if e is sp.I:
        return mpmath.mpc(0, 1)
    raise NoValue(str(e))


def value(e, env: dict, integrand: bool = False, memo: dict | None = None):
    """``e`` at ``env`` (symbol or indexed entry -> number) as an mpmath number; a subtree
    that occurs several times is evaluated once (``memo``, for one ``env``).

    ``integrand``: inside an integral, a product with a factor that is 0 (a density that
    underflowed far out) is 0 whatever its other factors (``0 * ln 0`` there is the limit 0)."""
    if e in env:
        return env[e]
    if e.is_Number or e in (sp.pi, sp.E, sp.I, sp.oo, -sp.oo):
        return _number(e)
    memo = {} if memo is None else memo
    if e not in memo:
        memo[e] = _node(e, env, integrand, memo)
    return memo[e]


def _node(e, env: dict, integrand: bool, memo: dict):
    """One node of :func:`value` (its arguments through ``memo``)."""
    value = lambda a, env, integrand: _value_memo(a, env, integrand, memo)
    if isinstance(e, sp.Add):
        return mpmath.fsum(value(a, env, integrand) for a in e.args)
    if isinstance(e, sp.Mul):
        vals = [value(a, env, integrand) for a in e.args]
        if integrand and any(v == 0 for v in vals):
            return mpmath.mpf(0)
        out = mpmath.mpf(1)
        for v in vals:
            out *= v
        return out
    if isinstance(e, sp.Pow):
        base, exp = value(e.base, env, integrand), value(e.exp, env, integrand)
        if base == 0 and (exp.real if isinstance(exp, mpmath.mpc) else exp) < 0:
            raise ZeroDivisionError("0 to a negative power")
        return mpmath.power(base, exp)
    if isinstance(e, sp.Integral):
        return _integral(e, env)
    if isinstance(e, (sp.Max, sp.Min)):
        vals = [value(a, env, integrand) for a in e.args]
        if any(isinstance(v, mpmath.mpc) for v in vals):
            raise ValueError("max or min of a complex number")  # undefined in the reals
        return max(vals) if isinstance(e, sp.Max) else min(vals)
    if isinstance(e, sp.binomial):
        n, k = (value(a, env, integrand) for a in e.args)
        return mpmath.binomial(n, k)
    func = _FUNCS.get(type(e))
    if func is not None and len(e.args) == 1:
        arg = value(e.args[0], env, integrand)
        if func is mpmath.log and arg == 0:
            return -mpmath.inf
        return func(arg)
    raise NoValue(type(e).__name__)


def _value_memo(e, env, integrand, memo):
    return value(e, env, integrand, memo)


def _integral(e: sp.Integral, env: dict):
    (var, lo, hi), rest = e.limits[0], e.limits[1:]
    inner = sp.Integral(e.function, *rest) if rest else e.function
    a, b = value(lo, env), value(hi, env)

    def f(t):
        return value(inner, {**env, var: t}, True)
    entries = {x: sp.Dummy() for x in inner.atoms(sp.Indexed)}  # (z_1's label z is not the variable z)
    if var not in inner.xreplace(entries).free_symbols | set(entries) and mpmath.isinf(b - a):  # a constant
        # over an infinite range: it diverges (quad would return a large number)
        c = value(inner, env, True)
        return mpmath.mpf(0) if c == 0 else mpmath.inf * mpmath.sign(c) * mpmath.sign(b - a)
    return mpmath.quad(f, [a, b])

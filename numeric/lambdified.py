"""The one lambdify boundary: SymPy expressions from ``derive`` become NumPy (or ``math``
for numba) functions here and nowhere else.

Before compiling, :func:`stable` puts an expression in a floating-point safe form (the one
rewrite of the logistic function and of softplus). Arguments are passed in an explicit order, common subexpressions are shared
(``cse=True``), and only the project's own expressions are compiled (lambdify uses
``exec``; never feed it user strings). Compiled functions are memoised per
(expression, arguments, module).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> f = compile_expr(x**2 + 1, [x])
>>> float(f(2.0))
5.0
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Sequence

import sympy as sp
from sympy.codegen.cfunctions import log1p

__all__ = ["stable", "compile_expr", "compile_jit"]

_T, _U = sp.Symbol("t", real=True), sp.Wild("u")


def stable(expr, logistic: sp.FunctionClass):
    """``expr`` in a form that is safe in floating point:

        logistic(t)   -> 1 / (1 + e^{-t})                (e^{-t} = inf gives 0, never NaN)
        ln(1 + e^u)   -> max(u, 0) + log1p(e^{-|u|})     (no overflow, full relative precision)

    ``logistic`` is the undefined function the derivations write sigma with. Callers evaluate
    the compiled result under ``numpy.errstate(over="ignore")`` (an overflow of e^{-t} is the
    correct limit 0 here, not an error).

    >>> s = sp.Function("sigma")
    >>> stable(sp.log(1 + sp.exp(-_T)) + s(_T), s)
    log1p(exp(-Abs(t))) + Max(0, -t) + 1/(1 + exp(-t))
    """
    expr = expr.replace(logistic, sp.Lambda(_T, 1 / (1 + sp.exp(-_T))))
    return expr.replace(sp.log(1 + sp.exp(_U)), lambda u: sp.Max(u, 0) + log1p(sp.exp(-sp.Abs(u))))


@lru_cache(maxsize=None)
def _compile(expr, args: tuple, module: str) -> Callable:
    return sp.lambdify(args, expr, modules=module, cse=True)


def compile_expr(expr, args: Sequence, module: str = "numpy") -> Callable:
    """``lambdify(args, expr, modules=module, cse=True)``, memoised.

    expr: a SymPy expression (or a list/Matrix of them) from ``derive``;
    args: the symbols (or matrix symbols) in the order the function takes them.
    """
    return _compile(sp.sympify(expr) if not isinstance(expr, (list, tuple)) else tuple(expr),
                    tuple(args), module)


def compile_jit(expr, args: Sequence) -> Callable:
    """A numba-compiled scalar function of ``expr`` (lambdified with the ``math`` module),
    callable from other ``numba.njit`` code."""
    import numba
    return numba.njit(cache=False, fastmath=False)(compile_expr(expr, args, module="math"))

"""The one lambdify boundary: SymPy expressions from ``derive`` become NumPy functions (or
``math`` source for numba, :func:`jit_source`) here and nowhere else.

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

import builtins
import inspect
import math
from functools import lru_cache
from typing import Callable, Sequence

import sympy as sp
from sympy.codegen.cfunctions import log1p

__all__ = ["stable", "compile_expr", "jit_source"]

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


def jit_source(expr, args: Sequence, name: str) -> str:
    """Python source that defines ``name``, the numba version of ``expr``: the code lambdify
    writes with the ``math`` module (as :func:`compile_expr`), under ``@njit(cache=True)``, with
    the import of the ``math`` functions it calls. For a generated module that numba caches
    (:func:`numeric.jit.load`); callable from other ``numba.njit`` code.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> print(jit_source(sp.exp(-x), [x], "f"))
    from math import exp
    @njit(cache=True)
    def f(x):
        return exp(-x)
    <BLANKLINE>
    """
    f = compile_expr(expr, args, module="math")
    names = sorted(n for n in f.__code__.co_names if hasattr(math, n) and not hasattr(builtins, n))
    missing = [n for n in f.__code__.co_names if not hasattr(math, n) and not hasattr(builtins, n)]
    if missing:
        raise ValueError(f"lambdified code calls {missing}, which is neither in math nor a builtin")
    head = f"from math import {', '.join(names)}\n" if names else ""
    body = inspect.getsource(f).replace("def _lambdifygenerated(", f"def {name}(", 1)
    return f"{head}@njit(cache=True)\n{body}"

"""The one lambdify boundary: SymPy expressions from ``derive`` become NumPy (or ``math``
for numba) functions here and nowhere else.

Arguments are passed in an explicit order, common subexpressions are shared
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

__all__ = ["compile_expr", "compile_jit"]


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

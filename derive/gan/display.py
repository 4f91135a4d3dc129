"""Display operator of the GAN derivations: a partial derivative printed inline.

``Partial(f, v)`` is SymPy's ``Derivative(f, v)`` (same meaning, same ``doit``) printed
``\\partial_{v}(f)``: in a column of derivatives the stacked ``\\frac{\\partial}{\\partial v}`` would
squeeze the line spacing, and ``\\frac{d}{dv}`` would read as a total derivative.

>>> import sympy as sp
>>> from derive.engine.notation import latex
>>> a, z = sp.symbols("a z", real=True)
>>> latex(Partial(sp.sin(a * z), a)), Partial(sp.sin(a * z), a).doit()
('\\\\partial_{a}\\\\!\\\\left(\\\\sin{\\\\left(a z \\\\right)}\\\\right)', z*cos(a*z))
"""
from __future__ import annotations

import sympy as sp

__all__ = ["Partial"]


class Partial(sp.Derivative):
    """``Derivative(f, v)`` printed ``\\partial_{v}(f)`` (one variable, first order)."""

    def _latex(self, printer):
        (v, _), = self.variable_count
        return rf"\partial_{{{printer._print(v)}}}\!\left({printer._print(self.expr)}\right)"

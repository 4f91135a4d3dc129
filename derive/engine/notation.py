r"""One frozen notation config, passed down to every renderer (never a mutable global).

The LaTeX printer settings live here: ``\ln`` for the natural logarithm, terms kept in
the order the expression stores them, and display names for symbols whose ASCII code
name is not what a document prints (``sigma_q -> \sigma_{q}`` is automatic in SymPy;
a name such as ``n_eps -> n_{\epsilon}`` goes in ``symbol_names``). The engine's
:data:`DEFAULT` names no symbol; a user of the engine passes its own table.

The printer (:class:`TextbookPrinter`) writes the textbook forms: in a sum the positive terms
come first, in their stored order (``z - \mu``, ``\sqrt{\kappa} - 1``, ``2 g - 2 y``); a
Gaussian density's constant is ``1/(\sqrt{2 \pi} \sigma)`` and a fraction in an exponent is
written with ``\exp``; the logarithm of a number, a symbol or a symbol's power needs no
parentheses (``-\ln 4``, ``\ln \sigma^{2}``; in a product with other factors it keeps them).
Only the display changes, never the expression.

>>> import sympy as sp
>>> latex(sp.log(sp.Symbol("n_eps")), Notation(symbol_names={"n_eps": r"n_{\epsilon}"}))
'\\ln n_{\\epsilon}'
>>> x, mu = sp.symbols("x mu", real=True); s = sp.Symbol("sigma", positive=True)
>>> print(latex(sp.exp(-(x - mu)**2 / (2 * s**2)) / sp.sqrt(2 * sp.pi * s**2)))
\frac{1}{\sqrt{2 \pi} \sigma} \exp\left(- \frac{\left(x - \mu\right)^{2}}{2 \sigma^{2}}\right)
>>> print(latex(-sp.log(4)), latex((sp.sqrt(sp.Symbol("kappa", positive=True)) - 1)**2))
- \ln 4 \left(\sqrt{\kappa} - 1\right)^{2}
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["Notation", "DEFAULT", "latex", "TextbookPrinter"]


@dataclass(frozen=True)
class Notation:
    """How formulas print.

    ln_notation: print ``log`` as ``\\ln``.
    order: SymPy's term order; ``"none"`` keeps the stored (written) order.
    symbol_names: LaTeX for symbols SymPy would not name well, keyed by code name, or by the
        symbol itself (its name and assumptions), which tells apart two symbols of one name.
    function_names: LaTeX for undefined functions, by name (``sigma -> \\sigmoid``).
    transpose: the superscript of a transpose (``T`` or ``\\top``).
    preamble: LaTeX lines a document needs for these names (a macro such as ``\\sigmoid``).
    """

    ln_notation: bool = True
    order: str = "none"
    symbol_names: Mapping = field(default_factory=lambda: MappingProxyType({}))
    function_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    transpose: str = "T"
    preamble: str = ""

    def settings(self, expr: sp.Basic | None = None) -> dict:
        """Keyword settings for :func:`sympy.latex` for ``expr``."""
        names = {}
        if expr is not None and hasattr(expr, "free_symbols"):
            for s in expr.free_symbols:
                if s in self.symbol_names:
                    names[s] = self.symbol_names[s]
                elif getattr(s, "name", None) in self.symbol_names:
                    names[s] = self.symbol_names[s.name]
        return {"ln_notation": self.ln_notation, "order": self.order, "symbol_names": names}

    def __hash__(self):
        return hash((self.ln_notation, self.order, tuple(sorted((str(k), v) for k, v in self.symbol_names.items())),
                     tuple(sorted(self.function_names.items())), self.transpose, self.preamble))


DEFAULT = Notation()


def _negative(term) -> bool:
    """A term that prints with a leading minus sign: ``-x``, ``-2 y``, ``-ln 4``."""
    coeff = term.args[0] if term.is_Mul and term.args else term
    return term.could_extract_minus_sign() or bool(coeff.is_Number and coeff.is_negative)


class TextbookPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the textbook forms of this module's docstring (and the
    function names and transpose sign of a :class:`Notation`, :attr:`names`)."""

    names: Notation | None = None

    def _hprint_Function(self, func: str) -> str:
        if self.names is not None and func in self.names.function_names:
            return self.names.function_names[func]
        return super()._hprint_Function(func)

    def _print_Transpose(self, expr):
        out = super()._print_Transpose(expr)
        if self.names is not None and self.names.transpose != "T" and out.endswith("^{T}"):
            return out[:-len("^{T}")] + f"^{{{self.names.transpose}}}"
        return out

    def _as_ordered_terms(self, expr, order=None):
        terms = super()._as_ordered_terms(expr, order=order)
        if (order or self.order) == "none" and isinstance(expr, sp.Add):
            negative = [t for t in terms if _negative(t)]
            positive = [t for t in terms if t not in negative]
            if positive:
                terms = positive + negative
        return terms

    def _print_Add(self, expr, order=None):
        # a term whose printed form starts with a minus sign that SymPy's Add printer did not
        # extract (an unevaluated product) would print as "+ -"
        return super()._print_Add(expr, order=order).replace("+ -", "-")

    _bare_log = True   # False while printing a product with other factors: "\\ln 2 q" would be ambiguous

    def _print_log(self, expr, exp=None):
        arg = expr.args[0]
        atom = arg.is_Symbol or isinstance(arg, sp.Indexed)
        simple = (arg.is_Integer and arg > 0) or atom or (
            arg.is_Pow and arg.exp.is_Integer and arg.exp > 0 and (arg.base.is_Symbol or isinstance(arg.base, sp.Indexed)))
        if self._settings["ln_notation"] and exp is None and simple and self._bare_log:
            return rf"\ln {self._print(arg)}"
        return super()._print_log(expr, exp)

    def _print_exp(self, expr, exp=None):
        """``\\exp(...)`` for an exponent with a fraction, which ``e^{...}`` would set in tiny type."""
        arg = self._print(expr.args[0])
        if r"\frac" in arg and exp is None:
            return rf"\exp\left({arg}\right)"
        return self._print_ExpBase(expr, exp)

    def _print_Mul(self, expr):
        """``c e^{...}`` whose constant holds ``\\sqrt{\\pi}``: written as ``k/(\\sqrt{2\\pi}) e^{...}``."""
        exps = [a for a in expr.args if isinstance(a, sp.exp)]
        if len(exps) == 1 and expr.has(sp.pi):
            rest = sp.Mul(*[a for a in expr.args if a is not exps[0]])
            k = rest * sp.sqrt(2) * sp.sqrt(sp.pi)
            if rest.has(sp.pi) and not k.has(sp.pi):
                num, den = sp.fraction(sp.factor_terms(k))
                den_tex = "" if den == 1 else " " + self._print(den)
                return rf"\frac{{{self._print(num)}}}{{\sqrt{{2 \pi}}{den_tex}}} {self._print(exps[0])}"
        outer = self._bare_log
        self._bare_log = outer and sum(not a.is_Number for a in expr.args) <= 1
        try:
            return super()._print_Mul(expr)
        finally:
            self._bare_log = outer
def _printer(expr, notation: Notation) -> TextbookPrinter:
    p = TextbookPrinter(notation.settings(expr))
    p.names = notation
    return p


@lru_cache(maxsize=4096)
def _printed(expr, notation: Notation) -> str:
    return _printer(expr, notation).doprint(expr)


def latex(expr, notation: Notation = DEFAULT) -> str:
    """LaTeX for ``expr`` in ``notation`` (strings pass through unchanged; an expression is
    printed once and remembered: the JSON and the LaTeX of a derivation print the same steps)."""
    if isinstance(expr, str):
        return expr
    try:
        return _printed(expr, notation)
    except TypeError:  # an unhashable expression (a mutable matrix): print it directly
        return _printer(expr, notation).doprint(expr)

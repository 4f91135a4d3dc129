r"""How the reader (:mod:`check.parser`) reads the named functions and operators
(:class:`FunctionReader`, a mixin of :class:`~check.parser.Parser`).

- ``\ln``, ``\log``, ``\log_2``, ``\exp``, ``\sin`` ... (also spelt in letters, ``log``); of a matrix,
  entrywise. Without parentheses they take the next *factor*: ``\ln\frac{q}{p} q`` is
  ``ln(q/p) q`` (not the log of a product), ``\ln\sigma^2`` is ``ln(sigma^2)``; a number takes the
  letters after it: ``\ln 2\pi`` is ``ln(2 pi)``; ``\ln^2 x`` is ``(ln x)^2``.
- ``\operatorname{tr}``, ``\operatorname{diag}``, ``\det`` (of a number: the number), ``\max(a, b)``,
  ``\min(a, b)``.
- ``\sqrt{x}``, ``\sqrt[n]{x}``, ``\binom{n}{k}``.

Caps: the power of a function and the root index (as exponents), binomial arguments (at most 10^6).
"""
from __future__ import annotations

import sympy as sp

from check.arithmetic import is_matrix, mul, value
from check.lexer import ReadError, Token
from check.objects import Elementwise
from check.token_lists import GREEK
from derive.ops import Diag

__all__ = ["FunctionReader", "FUNCS", "WORDS"]


FUNCS = {"ln": sp.log, "log": sp.log, "exp": sp.exp, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
         "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh, "arctan": sp.atan, "arcsin": sp.asin,
         "arccos": sp.acos}
WORDS = {"KL", "tr", "Tr", "diag", "Var", "det", "max", "min", *FUNCS}


class FunctionReader:
    """Named functions (``\\ln``, ``\\exp`` ...), ``tr``, ``diag``, ``det``, max, min, roots and
    binomials (a mixin of the parser)."""

    def operator_word(self, word: str, t: Token, consumed: bool = False):
        if not consumed:
            for _ in word:
                self.take()
        if word in FUNCS:
            return self.function(word, t)
        if word == "KL":
            return self.kl(t)
        if word in ("tr", "Tr"):
            return sp.Trace(self.operand("argument of tr"))
        if word == "diag":
            return Diag(self.operand("argument of diag"))
        if word == "det":
            return self._abs_matrix(self.operand("argument of det"))
        if word in ("max", "min"):
            return self._minmax(word, t)
        if word == "Var":
            return self.variance(t)
        raise ReadError(f"cannot read {word}", t.pos)

    def _abs_matrix(self, e):
        return sp.Determinant(e) if is_matrix(e) else e

    def det(self):
        t = self.take()
        return self.operator_word("det", t, consumed=True)

    def minmax(self):
        t = self.take()
        return self._minmax(t.text, t)

    def _minmax(self, word, t):
        args = self.call_args() if self._call_ahead() else None
        if not args:
            raise ReadError(f"\\{word} needs its arguments in parentheses", t.pos)
        return (sp.Max if word == "max" else sp.Min)(*args, evaluate=False)

    def operand(self, what: str):
        """The argument of a prefix operator: a parenthesised group, else the next factor."""
        if self._call_ahead():
            args = self.call_args()
            if len(args) != 1:
                raise ReadError(f"{what}: one argument", self.pos())
            return args[0]
        return self.factor()

    def function(self, name: str, t: Token):
        """``\\ln x``, ``\\log_2 x``, ``\\ln^2 x``, ``\\exp(x)``, ``\\sqrt`` handled apart."""
        func = FUNCS[name]
        base = power = None
        if self.at("char", "_") and name == "log":
            self.take()
            base = self.parse_sub(self.group(), "base of the logarithm")
        if self.at("char", "^"):
            self.take()
            toks = self.group()
            power = self.parse_sub(toks, "power")
            self._cap(power, toks)
        if self._call_ahead():
            args = self.call_args()
            if len(args) != 1:
                raise ReadError(f"\\{name} takes one argument", t.pos)
            arg = args[0]
        elif self.at("char", "{") or self.at("cmd", "left"):
            arg = self.factor()  # a group, or {\\sigma}_{j}^{2}: a name with its scripts
        else:
            arg = self.function_argument(t)
        if is_matrix(arg):
            if base is not None or power is not None:
                raise ReadError(f"\\{name} of a matrix with a base or a power", t.pos)
            return Elementwise(func, arg)
        out = func(arg, evaluate=False) if base is None else sp.Mul(sp.log(arg, evaluate=False),
                                                                     sp.Pow(sp.log(base, evaluate=False), -1, evaluate=False),
                                                                     evaluate=False)
        return sp.Pow(out, power, evaluate=False) if power is not None else out

    def function_argument(self, t: Token):
        """The next factor; a number takes the letters that follow it (``\\ln 2\\pi``)."""
        if self._stops():
            raise ReadError(f"\\{t.text} without an argument", t.pos)
        if self.at("number"):
            e = self.factor()
            while self.peek() is not None and not self._stops() and (
                    self.at("letter") or (self.peek().kind == "cmd" and self.peek().text in GREEK)):
                e = mul(e, self.factor())
            return e
        return self.factor()

    def root(self):
        t = self.take()
        n = None
        if self.at("char", "["):
            self.take()
            n = self.parse_sub(self._until_char("]", t, opens="["), "root index")
            self._cap(n, [t])
        arg = self.parse_sub(self.group(), "radicand")
        if n is None:
            return sp.sqrt(arg, evaluate=False)
        return sp.Pow(arg, sp.Pow(n, -1, evaluate=False), evaluate=False)

    def binom(self):
        self.take()
        a, b = (self.parse_sub(self.group(), "binomial argument") for _ in range(2))
        for v in (a, b):
            v = value(v)
            if v.is_number and abs(v) > 10 ** 6:
                raise ReadError(f"binomial argument {v} exceeds the limit of 10^6", self.pos())
        return sp.binomial(a, b, evaluate=False)

r"""The reader: a table-driven Pratt parser that builds SymPy objects (the engine's,
:mod:`derive.ops`) directly from tokens (:mod:`check.lexer`). No
text is ever handed to ``eval``, ``sympify``, ``parse_expr`` or ``lambdify``.

It is three tables and one loop:

- the operators and their binding powers (:data:`check.grammar.INFIX`): ``+ -`` bind loosest,
  then the products (written, or by juxtaposition), then the scripts; :meth:`Parser.expr`
  reads a prefix construct, then every operator that binds tighter than its caller;
- the constructs (:data:`CONSTRUCTS`): what a command, a letter or a bracket starts, each a
  function ``read(parser, token)`` in the module named after its topic:
  :mod:`check.names` (names, scripts, calls), :mod:`check.algebra` (fractions, roots,
  ``\ln``, ``tr``, ``|x|``, norms, matrices, evaluation bars), :mod:`check.calculus`
  (derivatives, gradients, integrals, sums, arg max), :mod:`check.probability`
  (``\mathbb{E}``, ``Var``, ``\mathcal{N}``, KL, ``\langle x \rangle``);
- the spellings (:mod:`check.aliases`), rewritten before anything is read.

Where the text allows more than one reading, a construct asks :meth:`Parser.choose` with its
options, the preferred first; :func:`check.readings.side_readings` reads the side again for
each other option met (the forks: a call or a product, how far ``\log`` reaches, its base, a
power of a call).

Caps (each a one-line error with its line and column): nesting depth, tokens per expression,
exponents, digits of a number, factorial arguments, matrix sizes.

>>> from check.notation import DEFAULT
>>> e = parse_tokens(tokenize(r"\frac{1}{2}\left(\mu^2 + \sigma^2 - 1 - \ln\sigma^2\right)"), Scope(DEFAULT))
>>> evaluated(e)  # SymPy's evaluation of the written form
mu**2/2 + sigma**2/2 - log(sigma**2)/2 - 1/2
"""
from __future__ import annotations

import sympy as sp

from check import algebra, calculus, derivatives, names, probability
from derive.engine.explicit import evaluated
from check.arithmetic import add, div, hadamard, is_matrix, mul, neg
from check.grammar import INFIX, POWER, PRODUCT, SKIP, SUM, TRANSPOSE, plain, show, stops
from check.lexer import ReadError, Token, tokenize
from check.scope import Scope

__all__ = ["Scope", "Parser", "Forks", "parse_tokens", "canonical_name", "CONSTRUCTS", "MAX_DEPTH",
           "MAX_TOKENS", "MAX_EXPONENT", "MAX_DIGITS"]

MAX_DEPTH = 40          # nesting of groups and operators
MAX_TOKENS = 3000       # tokens in one expression
MAX_EXPONENT = 1000     # |numeric exponent|
MAX_DIGITS = 30         # digits of a number literal
MAX_FACTORIAL = 1000    # n! with a numeric n

CONSTRUCTS = {**names.COMMANDS, **algebra.COMMANDS, **calculus.COMMANDS, **derivatives.COMMANDS, **probability.COMMANDS}


class Forks:
    """The choices of one reading (fork key -> index of the option taken, 0 the preferred) and
    the forks the reading met (key -> the notes of its options)."""

    def __init__(self, choices: dict | None = None):
        self.choices = dict(choices or {})
        self.met: dict = {}

    def choose(self, key, options: list):
        """The value of the option taken at the fork ``key``; ``options``: ``(value, note)``."""
        self.met.setdefault(key, [note for _, note in options])
        return options[min(self.choices.get(key, 0), len(options) - 1)][0]


class Parser:
    """Read one token list into one SymPy expression (see the module docstring)."""

    def __init__(self, tokens: list[Token], scope: Scope, depth: int = 0, forks: Forks | None = None,
                 in_integral: int = 0):
        if len(tokens) > MAX_TOKENS:
            raise ReadError(f"expression of {len(tokens)} tokens exceeds the limit of {MAX_TOKENS}", tokens[0].pos)
        self.toks = [t for t in algebra.evaluation_bars(tokens) if not (t.kind == "cmd" and t.text in SKIP)]
        self.scope, self.depth, self.in_integral, self.i = scope, depth, in_integral, 0
        self.forks = forks if forks is not None else Forks()
        self.names: set[str] = set()
        if depth > MAX_DEPTH:
            raise ReadError(f"expression nested deeper than {MAX_DEPTH} levels", tokens[0].pos if tokens else None)

    # -- the tokens --------------------------------------------------------------------
    def peek(self, k: int = 0) -> Token | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def at(self, kind: str, text: str | None = None, k: int = 0) -> bool:
        t = self.peek(k)
        return t is not None and t.is_(kind, text)

    def take(self) -> Token:
        t = self.peek()
        if t is None:
            raise ReadError("the expression ends too early", self.toks[-1].pos if self.toks else None)
        self.i += 1
        return t

    def expect(self, kind: str, text: str, what: str) -> Token:
        if not self.at(kind, text):
            raise ReadError(f"expected {what}", self.pos())
        return self.take()

    def pos(self) -> int | None:
        t = self.peek()
        return t.pos if t else (self.toks[-1].pos if self.toks else None)

    def done(self) -> bool:
        return self.i >= len(self.toks)

    def finish(self):
        if not self.done():
            raise ReadError(f"cannot read {show(self.peek())} here", self.pos())

    def choose(self, key, options: list):
        return self.forks.choose(key, options)

    def sign(self, t: Token) -> str:
        """``+`` or ``-``; ``\\pm`` (``\\mp``) is a fork, one sign for the whole side: each is a reading."""
        if t.kind == "char":
            return t.text
        plus = self.choose(("pm",), [(True, "reading \\pm as +"), (False, "reading \\pm as -")])
        return "+" if plus == (t.text == "pm") else "-"

    def sub(self, tokens: list[Token], **kw) -> "Parser":
        return Parser(tokens, self.scope, self.depth + 1, self.forks, kw.get("in_integral", self.in_integral))

    def parse_sub(self, tokens: list[Token], what: str = "expression"):
        """``tokens`` read as one whole expression (its names join this one's)."""
        if not tokens:
            raise ReadError(f"empty {what}", self.pos())
        p = self.sub(tokens)
        e = p.expression()
        p.finish()
        self.names |= p.names
        return e

    def group(self) -> list[Token]:
        """The tokens of a ``{...}`` group, or of the single next token (``\\frac12``: one digit)."""
        t = self.take()
        if t.is_("char", "{"):
            return self.until("{", "}", t)
        if t.kind == "number" and len(t.text) > 1:
            first = Token("number", t.text[0], t.pos)
            self.toks[self.i - 1:self.i] = [first, Token("number", t.text[1:], t.pos + 1)]
            return [first]
        if t.kind == "cmd" and t.text in names.WRAPPED:  # x^\mathrm{T}, \frac{1}{\mathbf x}
            return [t, Token("char", "{", t.pos), *self.group(), Token("char", "}", t.pos)]
        return [t]

    def until(self, open_: str, close: str, start: Token, kind: str = "char", braces: bool = False) -> list[Token]:
        """The tokens up to the ``close`` that matches ``start`` (``open_`` nests; with ``braces``,
        only outside braces); the closing token is taken, not returned."""
        depth, level, out = 1, 0, []
        while True:
            t = self.peek()
            if t is None:
                raise ReadError(f"{show(start)} is never closed" if kind == "char" or open_ != "left"
                                else "\\left without \\right", start.pos)
            self.i += 1
            if braces and kind == "char":
                level += t.is_("char", "{") - t.is_("char", "}")
            if not level and t.is_(kind, open_) and open_ != close:
                depth += 1
            elif not level and t.is_(kind, close):
                depth -= 1
                if depth == 0:
                    return out
            out.append(t)

    def until_right(self, start: Token) -> tuple[list[Token], Token]:
        """Tokens up to the matching ``\\right``, and the closing delimiter."""
        inner = self.until("left", "right", start, kind="cmd")
        return inner, self.take()

    def call_ahead(self) -> bool:
        """At ``(``, ``\\left(`` or SymPy's ``{\\left(``."""
        return (self.at("char", "(") or (self.at("cmd", "left") and self.at("char", "(", 1))
                or (self.at("char", "{") and self.at("cmd", "left", 1) and self.at("char", "(", 2)))

    # -- the loop ----------------------------------------------------------------------
    def side(self):
        """One side of a relation: a tuple ``(a, b, c)`` (the column of its entries), else an
        expression."""
        if algebra.is_tuple(self.toks):
            t = self.peek()
            self.i = len(self.toks)
            return algebra.tuple_column(self, self.toks, t)
        return self.expression()

    def expression(self):
        return self.expr(0)

    def term(self):
        """The products that follow (the operand of ``\\sum``, ``\\nabla``, ``\\frac{d}{dx}``)."""
        return self.expr(SUM)

    def factor(self):
        """One factor with its scripts (the operand of ``\\ln``)."""
        return self.expr(PRODUCT)

    def operand(self, t: Token):
        """The term a prefix operator ``t`` applies to."""
        if self.stops():
            raise ReadError(f"\\{t.text} without an operand", t.pos)
        return self.term()

    def stops(self) -> bool:
        t = self.peek()
        if stops(t) or (t.kind == "char" and t.text in "+-") or t.is_("cmd", "pm") or t.is_("cmd", "mp"):
            return True
        return bool(self.in_integral) and calculus.integrand_ends(self)

    def expr(self, rbp: int):
        """A prefix construct, then every operator that binds tighter than ``rbp``."""
        if self.depth > MAX_DEPTH:
            raise ReadError(f"expression nested deeper than {MAX_DEPTH} levels", self.pos())
        self.depth += 1
        try:
            left = self.prefix(rbp)
            while not self.done():
                t = self.peek()
                lbp = INFIX.get((t.kind, t.text))
                if lbp is None:
                    lbp = 0 if self.stops() else PRODUCT  # juxtaposition is a product
                elif self.in_integral and lbp == PRODUCT and calculus.integrand_ends(self):
                    lbp = 0
                if lbp <= rbp:
                    return left
                left = self.infix(left, t, lbp)
            return left
        finally:
            self.depth -= 1

    def prefix(self, rbp: int):
        t = self.peek()
        if t is None:
            raise ReadError("the expression ends too early", self.pos())
        if t.is_("char", "-") or t.is_("char", "+") or t.is_("cmd", "pm") or t.is_("cmd", "mp"):
            self.take()
            e = self.expr(max(rbp, SUM))
            return neg(e) if self.sign(t) == "-" else e
        if self.stops():
            raise ReadError(f"expected a term before {show(t)}", t.pos)
        if t.kind == "number":
            return self.number(self.take())
        read = CONSTRUCTS.get((t.kind, t.text)) or CONSTRUCTS.get(t.kind)
        if read is None:
            if t.kind == "cmd" and t.text.isalpha():
                raise ReadError(f"unknown macro \\{t.text}", t.pos)
            raise ReadError(f"cannot read {show(t)} here", t.pos)
        return read(self, t)

    def infix(self, left, t: Token, lbp: int):
        if lbp == SUM:
            self.take()
            right = self.expr(SUM)
            return add(left, right if self.sign(t) == "+" else neg(right))
        if lbp == POWER:
            return self.postfix(left, self.take())
        if (t.kind, t.text) not in INFIX:
            return mul(left, self.expr(PRODUCT))
        self.take()
        if t.text == "big|":
            return algebra.evaluation(self, left, t)
        right = self.expr(PRODUCT)
        if t.text in ("/", "div"):
            return div(left, right)
        return hadamard(left, right) if t.text in ("circ", "odot") else mul(left, right)

    def postfix(self, e, t: Token):
        if t.text == "^":
            return self.superscript(e, self.group())
        if t.text == "!":
            v = evaluated(e)
            if v.is_number and (not v.is_integer or v > MAX_FACTORIAL):
                raise ReadError(f"factorial of {v} exceeds the limit of {MAX_FACTORIAL}!", t.pos)
            return sp.factorial(e, evaluate=False)
        if t.text == "_" and isinstance(e, algebra.Norm):  # ||w||_2: the Euclidean norm
            if plain(self.group()) != "2":
                raise ReadError("only the Euclidean norm ||w||_2 is read", t.pos)
            return e
        if t.text == "'":
            raise ReadError("a prime (') on an expression: write d/dx", t.pos)
        raise ReadError("a subscript on an expression that is not a name", t.pos)

    def superscript(self, base, toks: list[Token]):
        """``base^{toks}``: transpose, inverse, Hadamard power, or a power (capped)."""
        if plain(toks) in TRANSPOSE:
            return sp.Transpose(base) if is_matrix(base) else base
        if toks and toks[0].is_("cmd", "circ"):
            k = self.parse_sub(toks[1:], "Hadamard power")
            return sp.HadamardPower(base, k) if is_matrix(base) else sp.Pow(base, k, evaluate=False)
        if isinstance(base, sp.MatrixSymbol) and 1 in base.shape and base.shape[0] != base.shape[1]:
            return self.scope.symbol(f"{base.name}^{{{names.plain_latex(toks)}}}")  # x^{k} of a column: an iterate
        exp = self.parse_sub(toks, "exponent")
        self.cap(exp, toks)
        if is_matrix(base):
            return sp.Inverse(base) if exp == -1 else sp.MatPow(base, exp)
        return sp.Pow(base, exp, evaluate=False)

    def cap(self, exp, toks):
        v = evaluated(exp)
        if v.is_number and v.is_finite and abs(v) > MAX_EXPONENT:
            raise ReadError(f"exponent {sp.latex(exp)} exceeds the limit of {MAX_EXPONENT}", toks[0].pos)

    def number(self, t: Token):
        digits = t.text.replace(".", "")
        if len(digits) > MAX_DIGITS:
            raise ReadError(f"number with more than {MAX_DIGITS} digits", t.pos)
        if "." in t.text:
            whole, frac = t.text.split(".")
            return sp.Rational(int(whole + frac), 10 ** len(frac))
        return sp.Integer(int(t.text))


def parse_tokens(tokens: list[Token], scope: Scope, forks: Forks | None = None):
    """One expression from ``tokens`` (all of them), the preferred reading."""
    if not tokens:
        raise ReadError("empty expression")
    p = Parser(tokens, scope, forks=forks)
    e = p.expression()
    p.finish()
    return e


def canonical_name(latex: str, scope: Scope) -> str:
    """The name the reader gives ``latex`` (``\\sigma`` -> ``sigma``, ``g_{\\mu,\\phi}``).

    >>> from check.notation import DEFAULT
    >>> canonical_name(r"g_{\\mu,\\phi}", Scope(DEFAULT)), canonical_name("sigma", Scope(DEFAULT))
    ('g_{\\\\mu,\\\\phi}', 'sigma')
    """
    if latex.isalpha() and len(latex) > 1:
        return latex
    try:
        p = Parser(tokenize(latex), scope)
        name = names.name_only(p)
        p.finish()
    except ReadError:
        raise ReadError(f"{latex!r} is not a name") from None
    return name

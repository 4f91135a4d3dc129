r"""A recursive-descent parser for the notation of this homework that builds SymPy
objects directly from tokens (:mod:`check.lexer`). No text is ever handed to
``eval``, ``sympify``, ``parse_expr`` or ``lambdify``.

The grammar, loosest binding first::

    expression := ['+'|'-'] term (('+'|'-') term)*
    term       := factor ((\cdot | \times | / | \circ | \odot | juxtaposition) factor)*
    factor     := ['-'] primary postfix*          postfix: _sub ^sup ' ! (call args)
    primary    := number | name | ( expression ) | [ expression ] | { expression }
                | \frac | \sqrt | \binom | \ln \log \exp ... | e^{...} | \sum | \prod
                | \int ... dz | \int_{\mathbb{R}^m} f dz (z a column) | \int_{\mathbb{R}^{m-1}} f \prod_{k \neq j} dz_k
                | \mathbb{E}_q[...] | \mathcal{N}(z; mu, s^2) | \mathrm{KL}(q \| p)
                | \nabla_w term | \nabla_{(a,b,...)} term | \frac{d}{dx} term | \partial_x term | |x| | \|x\|
                | \begin{pmatrix} ... \end{pmatrix} | \left. ... \right|_{x=a}
                | \sum_{i \in B} term | \operatorname{Var}_q[...] | \mathrm{Subset}(n, b)
                | \operatorname*{arg\,max}_{y \in (a, b)} term  (also arg min, \arg\max_y)
    side       := ( expression , expression , ... ) | expression     (a side of a relation)

and a term may end in an evaluation bar ``\big|_{x=a}`` (also ``\Big|``, ``\bigg|``, ``\Bigg|``,
``\bigr|``; ``\big|_{p=q}`` at functions).

Each group of constructs is read by a mixin of :class:`Parser` in a module of its own, whose
docstring lists the notation it reads and the conventions chosen for it:

- :mod:`check.read_matrices`: written matrices, tuples, ``(f_k)_{k=1}^{d}``;
- :mod:`check.read_probability`: ``\mathbb{E}``, ``Var``, ``\mathcal{N}``, KL, ``p(x \mid z)``;
- :mod:`check.read_evaluation_bars`: ``f\big|_{x=a}``, ``\left. f \right|_{x=a}``;
- :mod:`check.read_derivatives`: ``\frac{d}{dx}``, ``\partial``, ``\nabla``;
- :mod:`check.read_sums`: ``\sum``, ``\prod``, arg max and arg min;
- :mod:`check.read_integrals`: ``\int ... dz`` and its differentials;
- :mod:`check.read_functions`: ``\ln``, ``\exp`` ..., ``tr``, ``diag``, ``det``, roots;
- :mod:`check.read_names`: names, scripts, indexed entries and calls.

Conventions of the core, each chosen on purpose:

- ``^T``, ``^\top`` transpose.
- ``e^{v}`` of a column ``v`` is the column of the ``e^{v_j}`` (entrywise, like ``\exp(v)``).
- ``\!`` and the other spacings (``\,``, ``\quad``, ``\displaystyle``, ``\big`` ...) are dropped.
- ``\mathrm{Subset}(n, b)`` is the uniform distribution over the subsets of ``{1..n}`` of
  size ``b`` (declared with ``B \sim \mathrm{Subset}(n, b)``).
- ``I_m`` (``I`` with a size as subscript: ``I_n``, ``I_d``) is the identity matrix of that size.

Caps (each a one-line error): nesting depth, tokens per expression, exponents
(``x^{10^{10}}``), digits of a number, factorial arguments, matrix sizes.

>>> from check.notation import DEFAULT
>>> e = parse_tokens(tokenize(r"\frac{1}{2}\left(\mu^2 + \sigma^2 - 1 - \ln\sigma^2\right)"), Scope(DEFAULT))
>>> value(e)  # SymPy's evaluation of the written form
mu**2/2 + sigma**2/2 - log(sigma**2)/2 - 1/2
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

from check.arithmetic import add, div, hadamard, is_matrix, mul, neg, value
from check.lexer import ReadError, Token, tokenize
from check.notation import Notation, assumptions
from check.objects import Elementwise, Norm
from check.read_derivatives import DerivativeReader, derivative_parts
from check.read_evaluation_bars import BAR, EvaluationReader, evaluation_bars
from check.read_functions import FUNCS, FunctionReader, WORDS
from check.read_integrals import IntegralReader
from check.read_matrices import MatrixReader, is_tuple
from check.read_names import NameReader, STAR, join, latex_name, plain_latex, star
from check.read_probability import ProbabilityReader
from check.read_sums import BigOperatorReader
from check.subsets import SubsetDist
from check.token_lists import BOLD, DECOR, GREEK, plain, show

__all__ = ["Scope", "Parser", "parse_tokens", "canonical_name", "GREEK", "MAX_DEPTH", "MAX_TOKENS",
           "MAX_EXPONENT", "MAX_DIGITS"]

MAX_DEPTH = 40          # nesting of groups and operators
MAX_TOKENS = 3000       # tokens in one expression
MAX_EXPONENT = 1000     # |numeric exponent|
MAX_DIGITS = 30         # digits of a number literal
MAX_FACTORIAL = 1000    # n! with a numeric n

_SKIP = frozenset({",", ";", ":", "!", " ", "displaystyle", "textstyle", "limits", "nolimits",
                   "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
                   "Biggl", "Biggr", "quad", "qquad", "cdotp", "mathstrut", "strut", "hfill"})
_TEXTNAME = frozenset({"mathrm", "operatorname", "mathit", "mathsf", "mathtt"})
_OPEN = {"(": ")", "[": "]"}
_TRANSPOSE = frozenset({"T", "top", "intercal", "mathsf{T}", "mathrm{T}", "tau_T"})


class Scope:
    """What the parser knows besides the tokens: the notation, the names declared as
    functions so far (definitions add to them) and the bound variables of enclosing
    sums and integrals."""

    def __init__(self, notation: Notation):
        self.notation = notation
        self.functions = set(notation.functions | notation.densities)
        self.bound: list[str] = []
        self.distributions: dict = {}  # name -> distribution, from lines ``B \sim \mathrm{Subset}(n, b)``
        self.tuples: dict = {}  # name -> explicit column, from lines ``w := (w_0, w_1, w_2)``

    def is_function(self, name: str) -> bool:
        """A declared function, or one decorated (``D^*``) or subscripted (``q_1``) from one."""
        base = name.split("_", 1)[0].split("^", 1)[0]
        return name in self.functions or (base in self.functions and name not in self.notation.objects
                                          and name not in self.notation.domains)

    def size(self, v):
        return sp.Integer(v) if isinstance(v, int) else self.symbol(v)

    def symbol(self, name: str):
        """The object for ``name``: a part's object, a declared matrix, else a symbol with the
        declared (or default) domain."""
        obj = self.notation.objects.get(name)
        if obj is not None:
            return obj
        if name in self.tuples:
            return self.tuples[name]
        if name in self.notation.matrices:
            rows, cols = self.notation.matrices[name]
            return sp.MatrixSymbol(name, self.size(rows), self.size(cols))
        identity = _identity_size(name, self.notation)
        if identity is not None:
            return sp.Identity(self.size(identity))
        return sp.Symbol(name, **assumptions(self.notation.domain(name)))

    def base(self, name: str):
        obj = self.notation.objects.get(name + "[]")
        return obj if obj is not None else sp.IndexedBase(name, **assumptions(self.notation.domain(name)))

    def declared_names(self) -> set[str]:
        n = self.notation
        return set(n.objects) | set(n.matrices) | set(n.domains)

    def is_index(self, name: str) -> bool:
        return name in self.notation.index_letters or name in self.bound


def _identity_size(name: str, notation: Notation):
    """``I_m`` (``I`` subscripted by a size: ``I_n``, ``I_{d}``) is the identity of that size,
    unless the name is declared; the size's name, or None."""
    base, _, sub = name.partition("_")
    sub = sub[1:-1] if sub.startswith("{") and sub.endswith("}") else sub
    if base != "I" or name in notation.domains or sub not in notation.sizes:
        return None
    return sub


class Parser(MatrixReader, ProbabilityReader, EvaluationReader, DerivativeReader, BigOperatorReader, IntegralReader, FunctionReader, NameReader):
    """Parse one token list into one SymPy expression (see the module docstring)."""

    def __init__(self, tokens: list[Token], scope: Scope, depth: int = 0, in_integral: int = 0,
                 stop: Callable[[Token], bool] | None = None):
        if len(tokens) > MAX_TOKENS:
            raise ReadError(f"expression of {len(tokens)} tokens exceeds the limit of {MAX_TOKENS}", tokens[0].pos)
        self.toks = [t for t in evaluation_bars(tokens) if not (t.kind == "cmd" and t.text in _SKIP)]
        self.scope, self.depth, self.in_integral, self.i = scope, depth, in_integral, 0
        self.stop = stop
        self.names: set[str] = set()
        if depth > MAX_DEPTH:
            raise ReadError(f"expression nested deeper than {MAX_DEPTH} levels", tokens[0].pos if tokens else None)

    # -- token helpers -----------------------------------------------------------------
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
        t = self.peek()
        if t is None or not t.is_(kind, text):
            raise ReadError(f"expected {what}", (t or self.toks[-1]).pos if self.toks else None)
        return self.take()

    def pos(self) -> int | None:
        t = self.peek()
        return t.pos if t else (self.toks[-1].pos if self.toks else None)

    def done(self) -> bool:
        return self.i >= len(self.toks)

    def sub(self, tokens: list[Token], **kw) -> "Parser":
        p = Parser(tokens, self.scope, self.depth + 1, kw.pop("in_integral", self.in_integral), **kw)
        return p

    def parse_sub(self, tokens: list[Token], what: str = "expression"):
        if not tokens:
            raise ReadError(f"empty {what}", self.pos())
        p = self.sub(tokens)
        e = p.expression()
        p.finish()
        self.names |= p.names
        return e

    def finish(self):
        if not self.done():
            t = self.peek()
            raise ReadError(f"cannot read {show(t)} here", t.pos)

    def group(self) -> list[Token]:
        """The tokens of a ``{...}`` group, or of the single next token."""
        t = self.take()
        if t.is_("char", "{"):
            return self._until_close("{", "}", t)
        if t.kind == "number" and len(t.text) > 1:  # \frac12, x^23: one digit only
            first = Token("number", t.text[0], t.pos)
            self.toks[self.i - 1:self.i] = [first, Token("number", t.text[1:], t.pos + 1)]
            return [first]
        if t.kind == "cmd" and t.text in BOLD | _TEXTNAME | DECOR | {"mathbb", "mathcal"}:
            return [t, Token("char", "{", t.pos), *self.group(), Token("char", "}", t.pos)]
        return [t]

    def _until_close(self, open_: str, close: str, start: Token) -> list[Token]:
        depth, out = 1, []
        while True:
            t = self.peek()
            if t is None:
                raise ReadError(f"{open_} is never closed", start.pos)
            self.i += 1
            if t.is_("char", open_):
                depth += 1
            elif t.is_("char", close):
                depth -= 1
                if depth == 0:
                    return out
            out.append(t)

    def _until_right(self, start: Token) -> tuple[list[Token], Token]:
        """Tokens up to the matching ``\\right``; returns them and the closing delimiter."""
        depth, out = 1, []
        while True:
            t = self.peek()
            if t is None:
                raise ReadError("\\left without \\right", start.pos)
            self.i += 1
            if t.is_("cmd", "left"):
                depth += 1
            elif t.is_("cmd", "right"):
                depth -= 1
                if depth == 0:
                    return out, self.take()
            out.append(t)

    def _until_char(self, close: str, start: Token, opens: str | None = None) -> list[Token]:
        """Tokens up to ``close`` at brace depth 0 (``opens`` nests)."""
        depth, braces, out = 1, 0, []
        while True:
            t = self.peek()
            if t is None:
                raise ReadError(f"{show(start)} is never closed", start.pos)
            self.i += 1
            if t.is_("char", "{"):
                braces += 1
            elif t.is_("char", "}"):
                braces -= 1
            elif braces == 0 and opens and t.is_("char", opens):
                depth += 1
            elif braces == 0 and t.is_("char", close):
                depth -= 1
                if depth == 0:
                    return out
            out.append(t)

    # -- grammar -----------------------------------------------------------------------
    def side(self):
        """One side of a relation: a tuple ``(a, b, c)`` (the column of its entries), else an
        expression."""
        if is_tuple(self.toks):
            t = self.peek()
            self.i = len(self.toks)
            return self._tuple(self.toks, t)
        return self.expression()

    def expression(self):
        """``['+'|'-'] term (('+'|'-') term)*``"""
        sign = None
        if self.at("char", "-") or self.at("char", "+"):
            sign = self.take().text
        e = self.term()
        if sign == "-":
            e = neg(e)
        while self.at("char", "+") or self.at("char", "-"):
            op = self.take().text
            t = self.term()
            e = add(e, t if op == "+" else neg(t))
        return e

    def _stops(self) -> bool:
        t = self.peek()
        if t is None:
            return True
        if self.stop and self.stop(t):
            return True
        if t.kind == "char" and t.text in "+-=)]},;&<>:":
            return True
        if t.kind == "cmd" and t.text in ("right", "middle", "rVert", "rvert", "mid",
                                           "le", "leq", "ge", "geq", "ne", "neq", "approx", "equiv", "to",
                                           "sim", "propto", "coloneqq", "parallel", "rangle", "\\", "}"):
            return True
        if t.kind in ("tag", "nonumber", "end"):
            return True
        return bool(self.in_integral) and (self._differential() or self._product_differential_now())

    def term(self):
        """factors joined by products (explicit or by juxtaposition)."""
        e = self.factor()
        while not self._stops():
            t = self.peek()
            if t.kind == "cmd" and t.text in ("cdot", "times", "ast"):
                self.take()
                e = mul(e, self.factor())
            elif t.is_("char", "*"):
                self.take()
                e = mul(e, self.factor())
            elif t.is_("char", "/") or t.is_("cmd", "div"):
                self.take()
                e = div(e, self.factor())
            elif t.kind == "cmd" and t.text in ("circ", "odot"):
                self.take()
                e = hadamard(e, self.factor())
            elif t.is_("cmd", BAR):
                e = self.evaluation(e, self.take())
            else:
                e = mul(e, self.factor(juxtaposed=True))
        return e

    def factor(self, juxtaposed: bool = False):
        if self.at("char", "-") and not juxtaposed:
            self.take()
            return neg(self.factor())
        if self.depth > MAX_DEPTH:
            raise ReadError(f"expression nested deeper than {MAX_DEPTH} levels", self.pos())
        self.depth += 1
        try:
            return self.postfix(self.primary())
        finally:
            self.depth -= 1

    def postfix(self, e):
        while True:
            if self.at("char", "^"):
                self.take()
                e = self.superscript(e, self.group())
            elif self.at("char", "!"):
                self.take()
                e = self._factorial(e)
            elif self.at("char", "'") and not is_matrix(e):
                raise ReadError("a prime (') on an expression: write d/dx", self.pos())
            elif self.at("char", "_"):
                raise ReadError("a subscript on an expression that is not a name", self.pos())
            else:
                return e

    def _factorial(self, e):
        v = value(e)
        if v.is_number and (not v.is_integer or v > MAX_FACTORIAL):
            raise ReadError(f"factorial of {v} exceeds the limit of {MAX_FACTORIAL}!", self.pos())
        return sp.factorial(e, evaluate=False)

    def superscript(self, base, toks: list[Token]):
        """``base^{toks}``: transpose, inverse, Hadamard power, or a power (capped)."""
        text = plain(toks)
        if text in _TRANSPOSE:
            return sp.Transpose(base) if is_matrix(base) else base
        if toks and toks[0].is_("cmd", "circ"):
            k = self.parse_sub(toks[1:], "Hadamard power")
            return sp.HadamardPower(base, k) if is_matrix(base) else sp.Pow(base, k, evaluate=False)
        exp = self.parse_sub(toks, "exponent")
        self._cap(exp, toks)
        if is_matrix(base):
            return sp.Inverse(base) if exp == -1 else sp.MatPow(base, exp)
        return sp.Pow(base, exp, evaluate=False)

    def _cap(self, exp, toks):
        v = value(exp)
        if v.is_number and v.is_finite and abs(v) > MAX_EXPONENT:
            raise ReadError(f"exponent {sp.latex(exp)} exceeds the limit of {MAX_EXPONENT}", toks[0].pos)

    # -- primaries ---------------------------------------------------------------------
    def primary(self):
        t = self.peek()
        if t is None:
            raise ReadError("the expression ends too early", self.pos())
        if self._stops():
            raise ReadError(f"expected a term before {show(t)}", t.pos)
        if t.kind == "number":
            return self.number()
        if t.kind == "letter":
            return self.letter()
        if t.kind == "char":
            return self.char_primary()
        if t.kind == "cmd":
            return self.command()
        if t.kind == "begin":
            return self.environment()
        if t.kind == "text":
            raise ReadError("\\text{...} inside the math (remarks go after the math or after \\quad)", t.pos)
        raise ReadError(f"cannot read {show(t)} here", t.pos)

    def number(self):
        t = self.take()
        digits = t.text.replace(".", "")
        if len(digits) > MAX_DIGITS:
            raise ReadError(f"number with more than {MAX_DIGITS} digits", t.pos)
        if "." in t.text:
            whole, frac = t.text.split(".")
            return sp.Rational(int(whole + frac), 10 ** len(frac))
        return sp.Integer(int(t.text))

    def char_primary(self):
        t = self.peek()
        if t.text in _OPEN:
            self.take()
            inner = self._until_char(_OPEN[t.text], t, opens=t.text)
            return self.parse_sub(inner, "parentheses")
        if t.text == "{":
            self.take()
            inner = self._until_close("{", "}", t)
            if len(inner) == 1 and (inner[0].kind == "letter" or (inner[0].kind == "cmd" and inner[0].text in GREEK)):
                self.toks[self.i:self.i] = inner  # {\sigma}_{j}: the group is a name
                return self.primary()
            return self.parse_sub(inner, "group")
        if t.text == "|":
            self.take()
            inner = self._until_char("|", t)
            return self._abs(self.parse_sub(inner, "|...|"))
        raise ReadError(f"cannot read {show(t)} here", t.pos)

    def _abs(self, e):
        return sp.Determinant(e) if is_matrix(e) else sp.Abs(e, evaluate=False)

    def letter(self):
        t = self.peek()
        word = self._word()
        if word:
            return self.operator_word(word, t)
        if t.text == "e" and "e" not in self.scope.notation.domains and self.at("char", "^", 1):
            self.take()
            self.take()
            toks = self.group()
            return _exp(self.parse_sub(toks, "exponent"))
        if t.text == "e" and "e" not in self.scope.notation.domains:
            self.take()
            return sp.E
        if t.text == "E" and (self.at("char", "_", 1) or self.at("char", "[", 1)) and not self.scope.is_function("E"):
            self.take()
            return self.expectation(t)
        if t.text == "D" and self.at("char", "_", 1) and plain(self._peek_group(2)) in ("mathrm{KL}", "KL"):
            self.take()
            self.take()
            self.group()
            return self.kl(t)
        return self.name()

    def _peek_group(self, k: int) -> list[Token]:
        save = self.i
        self.i += k
        try:
            return self.group() if self.peek() else []
        finally:
            self.i = save

    def _word(self) -> str | None:
        """A known word spelt in adjacent letters (``KL``, ``log``, ``tr``) at this point."""
        t = self.peek()
        letters, k = [t], 1
        while True:
            u = self.peek(k)
            if u is None or u.kind != "letter" or u.pos != letters[-1].pos + 1:
                break
            letters.append(u)
            k += 1
        word = "".join(x.text for x in letters)
        return word if len(word) > 1 and word in WORDS else None

    def _call_ahead(self) -> bool:
        if self.at("char", "("):
            return True
        if self.at("cmd", "left") and self.at("char", "(", 1):
            return True
        return self.at("char", "{") and self.at("cmd", "left", 1) and self.at("char", "(", 2)

    # -- commands ----------------------------------------------------------------------
    def command(self):
        t = self.peek()
        name = t.text
        if name in GREEK:
            if name == "pi" and not self.scope.is_function("pi") and "pi" not in self.scope.notation.domains \
                    and "pi" not in self.scope.notation.matrices:
                self.take()
                return sp.pi
            return self.name()
        if name in DECOR or name in BOLD:
            return self.name()
        if name in FUNCS:
            self.take()
            return self.function(name, t)
        handler = {
            "frac": self.frac, "dfrac": self.frac, "tfrac": self.frac, "sqrt": self.root,
            "binom": self.binom, "dbinom": self.binom, "tbinom": self.binom,
            "sum": self.big_operator, "prod": self.big_operator, "int": self.integral,
            "iint": self.integral, "iiint": self.integral, "nabla": self.nabla, "partial": self.partial,
            "infty": self.infinity, "left": self.left, "mathbb": self.mathbb, "mathcal": self.mathcal,
            "det": self.det, "max": self.minmax, "min": self.minmax, "|": self.norm, "lVert": self.norm,
            "Vert": self.norm, "lvert": self.abs_cmd, "vert": self.abs_cmd, "{": self.brace_group,
            "lbrace": self.brace_group, "arg": self.arg,
        }.get(name)
        if handler:
            return handler()
        if name in _TEXTNAME:
            return self.text_name()
        if name in ("dots", "ldots", "cdots", "vdots", "ddots"):
            raise ReadError(f"cannot read \\{name}: write the sum or product with \\sum or \\prod", t.pos)
        if name in ("pm", "mp"):
            raise ReadError(f"\\{name} is not supported: write the two cases on two lines", t.pos)
        raise ReadError(f"unknown macro \\{name}", t.pos)

    def infinity(self):
        self.take()
        return sp.oo

    def brace_group(self):
        t = self.take()
        depth, out = 1, []
        while True:
            u = self.peek()
            if u is None:
                raise ReadError("\\{ is never closed", t.pos)
            self.i += 1
            if u.is_("cmd", "{") or u.is_("cmd", "lbrace"):
                depth += 1
            elif u.is_("cmd", "}") or u.is_("cmd", "rbrace"):
                depth -= 1
                if depth == 0:
                    return self.parse_sub(out)
            out.append(u)

    def text_name(self):
        """``\\mathrm{KL}``, ``\\operatorname{diag}``: a known word, else a multi-letter name."""
        t = self.take()
        if self.at("char", "*"):  # \operatorname*: limits below, same meaning
            self.take()
        toks = self.group()
        word = plain(toks)
        if word == "Subset" and self._call_ahead():
            args = self.call_args()
            if len(args) != 2:
                raise ReadError("\\mathrm{Subset}(n, b) takes the population size and the subset size", t.pos)
            return SubsetDist(*args)
        if word.replace(",", "") in ("argmax", "argmin"):
            return self.extremum(word[-3:], t)
        if word in WORDS or word in ("E", "Var"):
            if word == "E":
                return self.expectation(t)
            return self.operator_word(word, t, consumed=True)
        if word == "e":
            if self.at("char", "^"):
                self.take()
                return _exp(self.parse_sub(self.group(), "exponent"))
            return sp.E
        if not all(x.kind in ("letter", "number") for x in toks):
            raise ReadError(f"cannot read \\{t.text}{{{word}}} as a name", t.pos)
        self.toks[self.i:self.i] = [Token("cmd", f"@{t.text}{{{word}}}", t.pos)]
        return self._named_word()

    def _named_word(self):
        t = self.take()
        base = "\\" + t.text[1:]
        sub = None
        if self.at("char", "_"):
            self.take()
            sub = self.group()
        return self.build_name(base, sub, 0)

    def frac(self):
        t = self.take()
        num, den = self.group(), self.group()
        d = derivative_parts(num, den)
        if d is not None:
            return self.derivative(*d, t)
        return div(self.parse_sub(num, "numerator"), self.parse_sub(den, "denominator"))

    def _operand_term(self, t):
        if self._stops():
            raise ReadError(f"\\{t.text} without an operand", t.pos)
        return self.term()

    def left(self):
        """``\\left( ... \\right)`` and friends; ``\\left. f \\right|_{x=a}`` evaluates."""
        t = self.take()
        d = self.take()
        inner, close = self._until_right(t)
        if d.is_("char", "."):
            if not close.is_("char", "|") and not close.is_("cmd", "vert"):
                raise ReadError("\\left. must close with \\right|", t.pos)
            return self.evaluation(self.parse_sub(inner), t)
        if d.is_("char", "|") or d.is_("cmd", "vert") or d.is_("cmd", "lvert"):
            return self._abs(self.parse_sub(inner, "|...|"))
        if d.is_("cmd", "|") or d.is_("cmd", "Vert") or d.is_("cmd", "lVert"):
            return Norm(self.parse_sub(inner, "norm"))
        if d.kind == "begin" or d.kind == "cmd" and d.text in ("langle",):
            raise ReadError(f"cannot read \\left{show(d)}", d.pos)
        if d.is_("cmd", "{"):
            return self.parse_sub(inner)
        if d.is_("char", "(") and self._column_ahead():
            return self._column_of(self.parse_sub(inner, "entry"), t)
        return self.parse_sub(inner, "parentheses")

    def norm(self):
        t = self.take()
        depth, out = 1, []
        while True:
            u = self.peek()
            if u is None:
                raise ReadError("\\| is never closed", t.pos)
            self.i += 1
            if u.is_("cmd", "|") or u.is_("cmd", "rVert") or u.is_("cmd", "Vert"):
                return Norm(self.parse_sub(out, "norm"))
            out.append(u)

    def abs_cmd(self):
        t = self.take()
        out = []
        while True:
            u = self.peek()
            if u is None:
                raise ReadError("\\lvert is never closed", t.pos)
            self.i += 1
            if u.is_("cmd", "rvert") or u.is_("cmd", "vert"):
                return self._abs(self.parse_sub(out))
            out.append(u)

    def mathbb(self):
        t = self.take()
        word = plain(self.group())
        if word == "E":
            return self.expectation(t)
        if word == "1":
            return self.build_name("\\mathbf{1}", None, 0)
        raise ReadError(f"cannot read \\mathbb{{{word}}} here", t.pos)

    def mathcal(self):
        t = self.take()
        word = plain(self.group())
        if word == "N":
            return self.normal(t)
        self.toks[self.i:self.i] = [Token("cmd", f"@mathcal{{{word}}}", t.pos)]
        return self._named_word()


def _exp(arg):
    """``e^{arg}``; of a column, the column of the exponentials of its entries."""
    if is_matrix(arg):
        if arg.shape[1] != 1:
            raise ReadError("e^{M} of a matrix that is not a column (write \\exp entrywise or the series)")
        return Elementwise(sp.exp, arg)
    return sp.exp(arg, evaluate=False)


def parse_tokens(tokens: list[Token], scope: Scope):
    """One expression from ``tokens`` (all of them)."""
    if not tokens:
        raise ReadError("empty expression")
    p = Parser(tokens, scope)
    e = p.expression()
    p.finish()
    return e


def canonical_name(latex: str, scope: Scope) -> str:
    """The name the parser gives ``latex`` (``\\sigma`` -> ``sigma``, ``g_{\\mu,\\phi}``).

    >>> from check.notation import DEFAULT
    >>> canonical_name(r"g_{\\mu,\\phi}", Scope(DEFAULT)), canonical_name("sigma", Scope(DEFAULT))
    ('g_{\\\\mu,\\\\phi}', 'sigma')
    """
    if latex.isalpha() and len(latex) > 1:
        return latex
    try:
        toks = tokenize(latex)
        p = Parser(toks, scope)
        base = p.base_name()
        sub = None
        if p.at("char", "_"):
            p.take()
            sub = p.group()
        while p.at("char", "^"):
            p.take()
            g = p.group()
            if plain(g) not in STAR:
                raise ReadError("")
            base = f"{latex_name(base)}^{{{star(g)}}}"
        p.finish()
    except ReadError:
        raise ReadError(f"{latex!r} is not a name") from None
    return base if sub is None else join(base, plain_latex(sub))

r"""How the reader (:mod:`check.parser`) reads numbers' companions: letters and words, brackets,
fractions, roots, named functions and operators.

- ``\ln``, ``\log``, ``\log_2``, ``\exp``, ``\sin`` ... (also spelt in letters, ``log``); of a matrix,
  entrywise. Without parentheses they take the next *factor*: ``\ln\frac{q}{p} q`` is
  ``ln(q/p) q``, ``\ln\sigma^2`` is ``ln(sigma^2)``; ``\ln^2 x`` is ``(ln x)^2``. Forks:
  ``\log 2\pi\sigma^2`` is the log of the product (preferred) or ``(\log 2)\pi\sigma^2``;
  ``\log(x)^2`` is ``(\log x)^2`` (preferred) or ``\log(x^2)``. ``\log`` without a base is the
  natural log (a base the author states: :mod:`check.conventions`), or, in a file that writes
  ``\ln 10`` (the author differentiates a log base 10), also the log base 10 (the fork
  ``("log-base",)``, one for the side).
- ``\operatorname{tr}`` (of a number: the number), ``\operatorname{diag}``, ``\det`` (of a number:
  the number), ``\max(a, b)``, ``\min(a, b)``; ``\sqrt{x}``, ``\sqrt[n]{x}``, ``\binom{n}{k}``;
  ``|x|`` (of a matrix: its determinant), ``\|v\|`` and ``\|v\|_2``.
- ``e`` and ``\mathrm{e}`` are Euler's number (``e^{v}`` of a column: entrywise); ``\pi`` is pi;
  ``\mathrm{word}``, ``\mathcal{L}`` are names (``\mathcal{N}`` the normal law, ``\mathbb{E}``
  the expectation, ``\mathbb{1}`` the column of ones).

Caps: the power of a function and the root index (as exponents), binomial arguments (at most 10^6).
"""
from __future__ import annotations

import sympy as sp

from check import calculus, derivatives, matrices, names, probability
from derive.engine.explicit import evaluated
from check.arithmetic import div, is_matrix, mul
from check.grammar import FUNCS, GREEK, KL_NAMES, WORDS, plain, show
from check.lexer import ReadError, Token
from check.matrices import evaluation, evaluation_bars, is_tuple, tuple_column
from check.subsets import SubsetDist
from derive.ops import Diag, Elementwise, Norm

__all__ = ["COMMANDS", "evaluation", "evaluation_bars", "is_tuple", "tuple_column", "Norm", "exp_of"]

_FUNC = {"ln": sp.log, "log": sp.log, "exp": sp.exp, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
         "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh, "arctan": sp.atan, "arcsin": sp.asin, "arccos": sp.acos}


def letter(p, t: Token):
    """A letter: a word spelt in letters (``KL``, ``log``), ``e``, ``E_q[...]``, ``D_{KL}``, a name."""
    word = _word(p)
    if word:
        for _ in word:
            p.take()
        return operator_word(p, word, t)
    declared = t.text in p.scope.notation.domains
    if t.text == "e" and not declared:
        p.take()
        return exp_of(p.parse_sub(_script(p), "exponent")) if p.at("char", "^") else sp.E
    if t.text == "E" and (p.at("char", "_", 1) or p.at("char", "[", 1)) and not p.scope.is_function("E"):
        p.take()
        return probability.expectation(p, t)
    if t.text == "D" and p.at("char", "_", 1) and _kl_subscript(p, 2):
        return probability.kl(p, t)
    return names.name(p, t)


def _script(p) -> list[Token]:
    p.take()
    return p.group()


def _kl_subscript(p, k: int) -> bool:
    """At a name followed by ``_{KL}`` (its group ``k`` tokens ahead): if so, all of it is taken."""
    save = p.i
    p.i += k
    if p.peek() is not None and plain(p.group()) in KL_NAMES:
        return True
    p.i = save
    return False


def _word(p) -> str | None:
    """A known word spelt in adjacent letters (``KL``, ``log``, ``tr``) at this point."""
    letters, k = [p.peek()], 1
    while (u := p.peek(k)) is not None and u.kind == "letter" and u.pos == letters[-1].pos + 1:
        letters.append(u)
        k += 1
    word = "".join(x.text for x in letters)
    return word if len(word) > 1 and word in WORDS else None


def operator_word(p, word: str, t: Token):
    if word in FUNCS:
        return function(p, word, t)
    if word == "KL":
        return probability.kl(p, t)
    if word in ("tr", "Tr"):
        m = operand(p, "argument of tr")
        return sp.Trace(m) if is_matrix(m) else m
    if word == "diag":
        return Diag(operand(p, "argument of diag"))
    if word == "det":
        m = operand(p, "argument of det")
        return sp.Determinant(m) if is_matrix(m) else m
    if word in ("max", "min"):
        return minmax(p, t, word)
    if word == "Var":
        return probability.variance(p, t)
    raise ReadError(f"cannot read {word}", t.pos)


def operand(p, what: str):
    """The argument of a prefix operator: a parenthesised group, else the next factor."""
    if p.call_ahead():
        args = names.call_args(p)
        if len(args) != 1:
            raise ReadError(f"{what}: one argument", p.pos())
        return args[0]
    return p.factor()


def minmax(p, t: Token, word: str | None = None):
    """``\\max(a, b)``; ``\\max_y f`` is the value at the maximiser (:mod:`check.calculus`)."""
    word = word or t.text
    if word == t.text:
        p.take()
    if p.at("char", "_"):
        return calculus.optimum(p, word, t)
    if not p.call_ahead():
        raise ReadError(f"\\{word} needs its arguments in parentheses", t.pos)
    return (sp.Max if word == "max" else sp.Min)(*names.call_args(p), evaluate=False)


def function(p, name: str, t: Token):
    """``\\ln x``, ``\\log_2 x``, ``\\ln^2 x``, ``\\exp(x)`` (the forks in the module docstring)."""
    func, base, power = _FUNC[name], None, None
    if p.at("char", "_") and name == "log":
        base = p.parse_sub(_script(p), "base of the logarithm")
    if p.at("char", "^"):
        toks = _script(p)
        power = p.parse_sub(toks, "power")
        p.cap(power, toks)
    if name == "log" and base is None and p.scope.log_base_seen:
        base = p.choose(("log-base",), [(None, "reading \\log as the natural log"),
                                         (sp.Integer(10), "reading \\log as the log base 10")])
    if p.call_ahead():
        args = names.call_args(p)
        if len(args) != 1:
            raise ReadError(f"\\{name} takes one argument", t.pos)
        arg = args[0]
        if p.at("char", "^") and power is None:
            arg = _power_inside(p, name, arg)
    elif p.at("char", "{") or p.at("cmd", "left"):
        arg = p.factor()  # a group, or {\sigma}_{j}^{2}: a name with its scripts
    else:
        arg = _argument(p, name, t)
    if is_matrix(arg):
        if base is not None or power is not None:
            raise ReadError(f"\\{name} of a matrix with a base or a power", t.pos)
        return Elementwise(func, arg)
    out = func(arg, evaluate=False) if base is None else sp.Mul(
        sp.log(arg, evaluate=False), sp.Pow(sp.log(base, evaluate=False), -1, evaluate=False), evaluate=False)
    return sp.Pow(out, power, evaluate=False) if power is not None else out


def _power_inside(p, name: str, arg):
    """``\\log(x)^{2}``: the power of the log (preferred, left to the caller) or the log of the power."""
    save = p.i
    toks = _script(p)
    tex = f"\\{name}(\\cdot)^{{{names.plain_latex(toks)}}}"
    if p.choose(("power", toks[0].pos), [(False, f"reading {tex} as a power of the {name}"),
                                          (True, f"reading {tex} as the {name} of a power")]):
        return p.superscript(arg, toks)
    p.i = save
    return arg


def _argument(p, name: str, t: Token):
    """The next factor; a number followed by names (``\\log 2\\pi\\sigma^2``): the log of the
    whole product (preferred) or of the number alone."""
    if p.stops():
        raise ReadError(f"\\{t.text} without an argument", t.pos)
    if not p.at("number"):
        return p.factor()
    start, e = p.i, p.factor()
    more = lambda: not p.stops() and (p.at("letter") or p.at("char", "{") or (p.peek().kind == "cmd" and p.peek().text in GREEK))
    if p.done() or not more():
        return e
    save, rest = p.i, e
    while not p.done() and more():
        rest = mul(rest, p.factor())
    tex = f"\\{name} {names.plain_latex(p.toks[start:p.i])}"
    if p.choose(("reach", t.pos), [(True, f"reading {tex} as the {name} of the product"),
                                    (False, f"reading {tex} as the {name} of its first factor")]):
        return rest
    p.i = save
    return e


def frac(p, t: Token):
    p.take()
    num, den = p.group(), p.group()
    d = derivatives.derivative_parts(num, den)
    if d is not None:
        return derivatives.derivative(p, *d, t)
    return div(p.parse_sub(num, "numerator"), p.parse_sub(den, "denominator"))


def root(p, t: Token):
    p.take()
    n = None
    if p.at("char", "["):
        o = p.take()
        n = p.parse_sub(p.until("[", "]", o, braces=True), "root index")
        p.cap(n, [t])
    arg = p.parse_sub(p.group(), "radicand")
    return sp.sqrt(arg, evaluate=False) if n is None else sp.Pow(arg, sp.Pow(n, -1, evaluate=False), evaluate=False)


def binom(p, t: Token):
    p.take()
    a, b = (p.parse_sub(p.group(), "binomial argument") for _ in range(2))
    for v in (evaluated(a), evaluated(b)):
        if v.is_number and abs(v) > 10 ** 6:
            raise ReadError(f"binomial argument {v} exceeds the limit of 10^6", p.pos())
    return sp.binomial(a, b, evaluate=False)


def bracket(p, t: Token):
    """``( ... )``, ``[ ... ]``; ``{ ... }`` (a lone name in braces keeps its scripts: ``{\\sigma}_j``)."""
    p.take()
    if t.text in "([":
        return p.parse_sub(p.until(t.text, ")" if t.text == "(" else "]", t, braces=True), "parentheses")
    inner = p.until("{", "}", t)
    lone = len(inner) == 1 and (inner[0].kind == "letter" or inner[0].text in GREEK)
    bracket_next = p.at("char", "[") or (p.at("cmd", "left") and p.at("char", "[", 1))
    if lone or (inner and inner[0].is_("cmd", "mathbb") and bracket_next):
        p.toks[p.i:p.i] = inner  # the group is a name, or {\mathbb{E}_q}[f]
        return p.prefix(0)
    return p.parse_sub(inner, "group")


def absolute(p, t: Token):
    p.take()
    return _abs(p.parse_sub(p.until("|", "|", t, braces=True), "|...|"))


def _abs(e):
    return sp.Determinant(e) if is_matrix(e) else sp.Abs(e, evaluate=False)


def norm(p, t: Token):
    p.take()
    return Norm(p.parse_sub(p.until("|", "|", t, kind="cmd"), "norm"))


def left(p, t: Token):
    """``\\left( ... \\right)`` and friends; ``\\left. f \\right|_{x=a}`` evaluates."""
    p.take()
    d = p.take()
    inner, close = p.until_right(t)
    if d.is_("char", "."):
        if not close.is_("char", "|"):
            raise ReadError("\\left. must close with \\right|", t.pos)
        return evaluation(p, p.parse_sub(inner), t)
    if d.is_("char", "|"):
        return _abs(p.parse_sub(inner, "|...|"))
    if d.is_("cmd", "|"):
        return Norm(p.parse_sub(inner, "norm"))
    if d.is_("cmd", "langle"):
        return probability.angle_body(p, inner, t)
    if d.kind == "begin":
        raise ReadError(f"cannot read \\left{show(d)}", d.pos)
    if d.is_("char", "(") and matrices.column_ahead(p):
        return matrices.column_of(p, p.parse_sub(inner, "entry"), t)
    return p.parse_sub(inner, "parentheses")


def text_name(p, t: Token):
    """``\\mathrm{KL}``, ``\\operatorname{diag}``: a known word, else a multi-letter name."""
    p.take()
    if p.at("char", "*"):  # \operatorname*: limits below, same meaning
        p.take()
    toks = p.group()
    word = plain(toks)
    if word == "Subset" and p.call_ahead():
        args = names.call_args(p)
        if len(args) != 2:
            raise ReadError("\\mathrm{Subset}(n, b) takes the population size and the subset size", t.pos)
        return SubsetDist(*args)
    if word.replace(",", "") in ("argmax", "argmin"):
        return calculus.extremum(p, word[-3:], t)
    if word == "E":
        return probability.expectation(p, t)
    if word in WORDS or word == "Var":
        return operator_word(p, word, t)
    if word == "e":
        return exp_of(p.parse_sub(_script(p), "exponent")) if p.at("char", "^") else sp.E
    if not all(x.kind in ("letter", "number") for x in toks):
        raise ReadError(f"cannot read \\{t.text}{{{word}}} as a name", t.pos)
    return _named_word(p, f"@{t.text}{{{word}}}", t)


def _named_word(p, text: str, t: Token):
    p.toks[p.i:p.i] = [Token("cmd", text, t.pos)]
    return names.name(p, t)


def mathbb(p, t: Token):
    p.take()
    word = plain(p.group())
    if word == "E":
        return probability.expectation(p, t)
    if word == "1":
        return names.build(p, "\\mathbf{1}", None)
    raise ReadError(f"cannot read \\mathbb{{{word}}} here", t.pos)


def mathcal(p, t: Token):
    p.take()
    word = plain(p.group())
    if word == "N":
        return probability.normal(p, t)
    if word == "D" and p.at("char", "_") and _kl_subscript(p, 1):
        return probability.kl(p, t)
    return _named_word(p, f"@mathcal{{{word}}}", t)


def brace_set(p, t: Token):
    p.take()
    return p.parse_sub(p.until("{", "}", t, kind="cmd"))


def exp_of(arg):
    """``e^{arg}``; of a column, the column of the exponentials of its entries."""
    if is_matrix(arg):
        if arg.shape[1] != 1:
            raise ReadError("e^{M} of a matrix that is not a column (write \\exp entrywise or the series)")
        return Elementwise(sp.exp, arg)
    return sp.exp(arg, evaluate=False)


def _unreadable(p, t: Token):
    if t.text in ("dots", "ldots", "cdots", "vdots", "ddots"):
        raise ReadError(f"cannot read \\{t.text}: write the sum or product with \\sum or \\prod", t.pos)
    raise ReadError("\\text{...} inside the math (remarks go after the math or after \\quad)", t.pos)


def _func(p, t: Token):
    p.take()
    return function(p, t.text, t)


def _det(p, t: Token):
    p.take()
    return operator_word(p, "det", t)


def _infinity(p, t: Token):
    p.take()
    return sp.oo


COMMANDS = {
    "letter": letter, "begin": matrices.environment, "text": _unreadable,
    ("char", "("): bracket, ("char", "["): bracket, ("char", "{"): bracket, ("char", "|"): absolute,
    ("cmd", "|"): norm, ("cmd", "left"): left, ("cmd", "frac"): frac, ("cmd", "sqrt"): root,
    ("cmd", "binom"): binom, ("cmd", "mathbb"): mathbb, ("cmd", "mathcal"): mathcal, ("cmd", "det"): _det,
    ("cmd", "max"): minmax, ("cmd", "min"): minmax, ("cmd", "{"): brace_set, ("cmd", "infty"): _infinity,
    **{("cmd", f): _func for f in FUNCS}, **{("cmd", w): text_name for w in
                                            ("mathrm", "operatorname", "mathit", "mathsf", "mathtt")},
    **{("cmd", w): _unreadable for w in ("dots", "ldots", "cdots", "vdots", "ddots")},
}

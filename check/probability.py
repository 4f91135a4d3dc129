r"""How the reader (:mod:`check.parser`) reads expectations, variances, normal laws and KL
divergences.

- ``\mathbb{E}_q[f]``, ``\mathbb{E}_{z\sim q}[f]``, ``\mathbb{E}_{X \sim P(x)}[f]`` (the density
  ``P`` of ``X``), ``\mathbb{E}[f]`` (the notation's default distribution, from ``--part``);
  ``\mathbb{E}`` takes a bracket, or the next factor: ``\mathbb{E}(z-\mu)^2`` is ``E[(z - mu)^2]``.
  ``\langle f \rangle_{q}`` and ``\langle f \rangle`` are the same expectation; ``\langle x, w
  \rangle`` (two entries) is the inner product ``x^T w``.
- ``\operatorname{Var}`` takes what ``\mathbb{E}`` takes and means ``E[(X - E X)^2]``.
- ``\mathcal{N}(z; \mu, \sigma^2)`` (also ``\mathcal{N}(z \mid \mu, \sigma^2)``) is a density,
  ``\mathcal{N}(\mu, \sigma^2)`` a distribution.
- KL in every common spelling: ``\mathrm{KL}``, ``KL``, ``\operatorname{KL}``, ``\text{KL}``,
  ``D_{KL}``, ``D_{\mathrm{KL}}``, ``\mathcal{D}_{KL}``, ``\mathfrak{D}_\text{KL}``, its arguments in
  ``(...)`` or ``[...]``, separated by ``\|``, ``||``, ``\mid\mid``, ``\parallel`` or ``,``.
"""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.engine.explicit import evaluated
from check.arithmetic import is_matrix, mul
from check.grammar import split_top
from check.lexer import ReadError, Token
from check.names import build, call_tokens
from derive.ops import Expect, KL, NormalDensity, NormalDist, NormalPDF, Variance

__all__ = ["COMMANDS", "normal", "kl", "expectation", "variance", "angle_body"]


def normal(p, t: Token):
    """``\\mathcal{N}(z; mu, s^2)`` is a density; ``\\mathcal{N}(mu, s^2)`` a distribution."""
    if not p.call_ahead():
        raise ReadError("\\mathcal{N} needs its arguments: \\mathcal{N}(z; \\mu, \\sigma^2)", t.pos)
    inner = call_tokens(p)
    head = split_top(inner, ";") if any(x.is_("char", ";") for x in inner) else None
    for sep, kind in (("|", "char"), ("mid", "cmd")):
        pieces = split_top(inner, sep, kind=kind)
        if head is None and len(pieces) == 2:
            head = pieces
    if head is None:
        return NormalDist(*_two(p, inner, t))
    if len(head) != 2:
        raise ReadError("write \\mathcal{N}(z; \\mu, \\sigma^2)", t.pos)
    z = p.parse_sub(head[0], "variable")
    mean, var = _two(p, head[1], t)
    if is_matrix(z) or is_matrix(mean) or is_matrix(var):
        return NormalDensity(z, mean, var)
    return NormalPDF(z, mean, sp.sqrt(evaluated(var)))


def _two(p, toks, t):
    parts = split_top(toks, ",")
    if len(parts) != 2:
        raise ReadError("\\mathcal{N} takes a mean and a variance", t.pos)
    return p.parse_sub(parts[0], "mean"), p.parse_sub(parts[1], "variance")


def kl(p, t: Token):
    """``KL(q || p)`` in the spellings of the module docstring (the name already taken)."""
    if p.call_ahead():
        inner = call_tokens(p)
    elif p.at("char", "["):
        o = p.take()
        inner = p.until("[", "]", o, braces=True)
    elif p.at("cmd", "left") and p.at("char", "[", 1):
        o = p.take()
        p.take()
        inner = p.until_right(o)[0]
    else:  # KL alone (KL_i): a name
        sub = p.group() if p.at("char", "_") and p.take() else None
        return build(p, "KL", sub)
    args = _kl_split(inner)
    if args is None:
        raise ReadError("KL(q \\| p): two arguments separated by \\| (or ||, \\mid\\mid, a comma)", t.pos)
    q, r = (p.parse_sub(a, f"{w} argument of KL") for a, w in zip(args, ("first", "second")))
    for d in (q, r):
        if isinstance(d, sp.Symbol):
            p.scope.called.add(d.name)  # a density: P(x) elsewhere is its call
    return KL(q, r)


def _kl_split(toks: list[Token]):
    """KL's two arguments, split at ``\\|``, ``||``, ``\\mid\\mid``, ``\\mid`` or ``,`` (outside groups)."""
    depth = 0
    for k, t in enumerate(toks):
        depth += (t.kind == "char" and t.text in "{([") + t.is_("cmd", "left")
        depth -= (t.kind == "char" and t.text in "})]") + t.is_("cmd", "right")
        if depth:
            continue
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.is_("cmd", "|") or (t.is_("cmd", "mid") and not (nxt and nxt.is_("cmd", "mid"))):
            return toks[:k], toks[k + 1:]
        if nxt is not None and (t.is_("char", "|") and nxt.is_("char", "|") or t.is_("cmd", "mid") and nxt.is_("cmd", "mid")):
            return toks[:k], toks[k + 2:]
    parts = split_top(toks, ",")
    return parts if len(parts) == 2 else None


def _subscript_distribution(p, t: Token, missing: str):
    """The distribution (and variable) of ``_q`` / ``_{z\\sim q}`` after an expectation, else the
    notation's default; ``missing`` is the error when there is neither."""
    dist, var = None, None
    if p.at("char", "_"):
        p.take()
        dist, var = _distribution(p, p.group())
    elif p.scope.notation.default_expectation:
        dist = sp.Function(p.scope.notation.default_expectation)
    if dist is None:
        raise ReadError(missing, t.pos)
    return dist, var


def expectation(p, t: Token):
    """``\\mathbb{E}_q[f]``, ``\\mathbb{E}_{z\\sim q}[f]``, ``\\mathbb{E}[f]``, ``\\mathbb{E} f``."""
    dist, var = _subscript_distribution(p, t, "\\mathbb{E} needs its distribution: \\mathbb{E}_q[...] (or --part)")
    if p.at("char", "["):
        o = p.take()
        f = p.parse_sub(p.until("[", "]", o, braces=True), "expectation")
    elif p.at("cmd", "left") and p.at("char", "[", 1):
        o = p.take()
        p.take()
        f = p.parse_sub(p.until_right(o)[0], "expectation")
    else:
        f = p.factor()
    return _expectation(f, dist, var)


def _distribution(p, toks):
    """The subscript of an expectation: ``q``, ``z \\sim q`` or ``X \\sim P(x)`` (P a density)."""
    pieces = split_top(toks, "sim", kind="cmd")
    var = None
    if len(pieces) == 2:
        var = p.parse_sub(pieces[0], "variable")
        toks = pieces[1]
        if len(toks) > 1 and toks[0].kind in ("letter", "cmd") and toks[1].is_("char", "("):
            p.scope.variables.append("*")  # X ~ P(x): P is a density, a function
            try:
                dist = p.parse_sub(toks, "distribution")
            finally:
                p.scope.variables.pop()
            return (dist.func if isinstance(dist, AppliedUndef) else dist), var
    return p.parse_sub(toks, "distribution"), var


def _expectation(f, dist, var):
    if isinstance(dist, AppliedUndef) and len(dist.args) == 1 and var is None:
        dist, var = dist.func, dist.args[0]
    if isinstance(dist, (sp.FunctionClass, sp.Symbol)) and var is None:  # X, the capital letter, is the variable;
        letters = [s for s in getattr(f, "free_symbols", ()) if isinstance(s, sp.Symbol) and len(s.name) == 1
                   and s.name.isalpha() and s.name.isascii()]  # else the one Latin letter (<x^2> = mu^2 + s^2)
        capitals = [s for s in letters if s.name.isupper()]
        var = capitals[0] if len(capitals) == 1 else letters[0] if len(letters) == 1 and not capitals else None
    if isinstance(dist, sp.FunctionClass):
        dist = sp.Symbol(dist.__name__)
    return Expect(f, dist, var if var is not None else sp.S.EmptySet)


def variance(p, t: Token):
    """``\\operatorname{Var}_q[f]``, ``\\operatorname{Var} f``: read as ``\\mathbb{E}`` reads them."""
    try:
        e = expectation(p, t)
    except ReadError as exc:
        raise ReadError(str(exc).replace("\\mathbb{E}", "\\operatorname{Var}"), exc.pos) from None
    return Variance(*e.args)


def angle(p, t: Token):
    p.take()
    return angle_body(p, p.until("langle", "rangle", t, kind="cmd"), t)


def angle_body(p, inner: list[Token], t: Token):
    """``\\langle f \\rangle_{q}``: ``E_q[f]`` (default distribution without subscript);
    ``\\langle x, w \\rangle``: the inner product."""
    parts = split_top(inner, ",")
    if len(parts) == 2:
        a, b = (p.parse_sub(x, "entry of the inner product") for x in parts)
        return mul(sp.Transpose(a), b) if is_matrix(a) else mul(a, b)
    f = p.parse_sub(inner, "expectation")
    dist, var = _subscript_distribution(
        p, t, "\\langle f \\rangle needs its distribution: \\langle f \\rangle_{q} (or --part)")
    return _expectation(f, dist, var)


COMMANDS = {("cmd", "langle"): angle}

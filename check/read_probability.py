r"""How the reader (:mod:`check.parser`) reads expectations, variances, normal laws, KL
divergences and the conditional bar (:class:`ProbabilityReader`, a mixin of
:class:`~check.parser.Parser`).

- ``\mathbb{E}_q[f]``, ``\mathbb{E}_{z\sim q}[f]``, ``\mathbb{E}[f]`` (the notation's default
  distribution, from ``--part``); ``\mathbb{E}`` takes a bracket, or the next factor with its power:
  ``\mathbb{E}(z-\mu)^2`` is ``E[(z - mu)^2]``.
- ``\operatorname{Var}`` (or ``\mathrm{Var}``, ``Var``) takes what ``\mathbb{E}`` takes and
  means ``E[(X - E X)^2]`` under the same distribution.
- ``\mathcal{N}(z; \mu, \sigma^2)`` (also ``\mathcal{N}(z \mid \mu, \sigma^2)``) is a density,
  ``\mathcal{N}(\mu, \sigma^2)`` a distribution.
- ``\mathrm{KL}(q \| p)``, ``\mathrm{KL}\left(q \,\middle\|\, p\right)``, ``D_{KL}(q\|p)``.
- ``p(x \mid z)`` is the call ``p(x, z)``, and so is ``p(x|z)`` (one bare ``|`` in an argument of a
  declared function's call is the conditional bar; two are an absolute value, ``f(|x|)``).
"""
from __future__ import annotations

import sympy as sp

from check.arithmetic import is_matrix, value
from check.lexer import ReadError, Token
from check.objects import Expectation, NormalDensity, NormalDist, Variance
from check.token_lists import split_top
from derive.ops import KL, NormalPDF

__all__ = ["ProbabilityReader", "conditional_bar"]


class ProbabilityReader:
    """Expectations, variances, normal laws and KL divergences (a mixin of the parser)."""

    def normal(self, t):
        """``\\mathcal{N}(z; mu, s^2)`` is a density; ``\\mathcal{N}(mu, s^2)`` a distribution."""
        if not self._call_ahead():
            raise ReadError("\\mathcal{N} needs its arguments: \\mathcal{N}(z; \\mu, \\sigma^2)", t.pos)
        inner = self.call_tokens()
        head = split_top(inner, ";") if any(x.is_("char", ";") for x in inner) else None
        if head is None:
            for sep in ("|", "mid"):
                pieces = split_top(inner, sep, kind="char" if sep == "|" else "cmd")
                if len(pieces) == 2:
                    head = pieces
        if head is not None:
            if len(head) != 2:
                raise ReadError("write \\mathcal{N}(z; \\mu, \\sigma^2)", t.pos)
            z = self.parse_sub(head[0], "variable")
            mean, var = self._two(head[1], t)
            if is_matrix(z) or is_matrix(mean) or is_matrix(var):
                return NormalDensity(z, mean, var)
            return NormalPDF(z, mean, sp.sqrt(value(var)))
        mean, var = self._two(inner, t)
        return NormalDist(mean, var)

    def _two(self, toks, t):
        parts = split_top(toks, ",")
        if len(parts) != 2:
            raise ReadError("\\mathcal{N} takes a mean and a variance", t.pos)
        return self.parse_sub(parts[0], "mean"), self.parse_sub(parts[1], "variance")

    def kl(self, t):
        """``KL(q || p)``, ``\\mathrm{KL}\\left(q \\,\\middle\\|\\, p\\right)``, ``D_{KL}(q\\|p)``."""
        if not self._call_ahead():
            raise ReadError("KL needs its arguments: \\mathrm{KL}(q \\| p)", t.pos)
        inner = self.call_tokens()
        inner = [x for x in inner if not x.is_("cmd", "middle")]
        k = _kl_split(inner)
        if k is None:
            raise ReadError("KL(q \\| p): two arguments separated by \\|", t.pos)
        a, b = k
        return KL(self.parse_sub(a, "first argument of KL"), self.parse_sub(b, "second argument of KL"))

    def expectation(self, t):
        """``\\mathbb{E}_q[f]``, ``\\mathbb{E}_{z\\sim q}[f]``, ``\\mathbb{E}[f]``, ``\\mathbb{E} f``."""
        dist, var = None, None
        if self.at("char", "_"):
            self.take()
            toks = self.group()
            pieces = split_top(toks, "sim", kind="cmd")
            if len(pieces) == 2:
                var = self.parse_sub(pieces[0], "variable")
                toks = pieces[1]
            dist = self.parse_sub(toks, "distribution")
        elif self.scope.notation.default_expectation:
            dist = self.scope.symbol(self.scope.notation.default_expectation)
            dist = sp.Function(self.scope.notation.default_expectation)
        if dist is None:
            raise ReadError("\\mathbb{E} needs its distribution: \\mathbb{E}_q[...] (or --part)", t.pos)
        if self.at("char", "["):
            o = self.take()
            f = self.parse_sub(self._until_char("]", o, opens="["), "expectation")
        elif self.at("cmd", "left") and self.at("char", "[", 1):
            o = self.take()
            self.take()
            inner, _ = self._until_right(o)
            f = self.parse_sub(inner, "expectation")
        else:
            f = self.factor()
        if isinstance(dist, sp.core.function.AppliedUndef) and len(dist.args) == 1 and var is None:
            dist, var = dist.func, dist.args[0]
        return Expectation(f, _dist_key(dist), var if var is not None else sp.S.EmptySet)

    def variance(self, t):
        """``\\operatorname{Var}_q[f]``, ``\\operatorname{Var} f``: read as ``\\mathbb{E}`` reads its
        distribution and argument."""
        try:
            e = self.expectation(t)
        except ReadError as exc:
            raise ReadError(str(exc).replace("\\mathbb{E}", "\\operatorname{Var}"), exc.pos) from None
        return Variance(*e.args)


def _dist_key(dist):
    """The distribution of an expectation as a SymPy object: a function class becomes a
    symbol with its name (``E_q``), a ``N(mu, s^2)`` stays."""
    if isinstance(dist, sp.FunctionClass):
        return sp.Symbol(dist.__name__)
    return dist


def _kl_split(toks: list[Token]):
    """Split KL's arguments at ``\\|``, ``||`` or ``\\parallel`` (outside groups)."""
    depth = 0
    for k, t in enumerate(toks):
        depth += t.is_("char", "{") + t.is_("char", "(") - t.is_("char", "}") - t.is_("char", ")")
        depth += t.is_("cmd", "left") - t.is_("cmd", "right")
        if depth:
            continue
        if t.is_("cmd", "|") or t.is_("cmd", "parallel") or t.is_("cmd", "Vert"):
            return toks[:k], toks[k + 1:]
        if t.is_("char", "|") and k + 1 < len(toks) and toks[k + 1].is_("char", "|"):
            return toks[:k], toks[k + 2:]
    return None


def conditional_bar(toks: list[Token]) -> list[Token]:
    """An argument of a call with exactly one bare ``|``, outside groups: that ``|`` is the
    conditional bar ``\\mid`` (``q(z|x)`` is ``q(z \\mid x)``). Two or more are absolute
    values and stay (``f(|x|)``, ``f(|x| y)``); so does one inside a group. A ``|`` after
    ``\\left``, ``\\right`` or ``\\middle`` is a delimiter, never the bar."""
    bars, depth = [], 0
    for k, t in enumerate(toks):
        if t.is_("char", "{") or t.is_("char", "(") or t.is_("char", "[") or t.is_("cmd", "left") or t.kind == "begin":
            depth += 1
        elif t.is_("char", "}") or t.is_("char", ")") or t.is_("char", "]") or t.is_("cmd", "right") or t.kind == "end":
            depth -= 1
        delimiter = k > 0 and toks[k - 1].kind == "cmd" and toks[k - 1].text in ("left", "right", "middle")
        if t.is_("char", "|") and not delimiter:
            bars.append((k, depth))
    if len(bars) != 1 or bars[0][1] != 0:
        return toks
    k = bars[0][0]
    return [*toks[:k], Token("cmd", "mid", toks[k].pos), *toks[k + 1:]]

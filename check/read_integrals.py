r"""How the reader (:mod:`check.parser`) reads integrals and their differentials
(:class:`IntegralReader`, a mixin of :class:`~check.parser.Parser`).

- ``\int_a^b f dz``, ``\iint``, ``\iiint``; no limits, ``_{\mathbb{R}}`` or ``_{\mathbb{R}^m}``: the
  real line; the integrand ends at the differential (``\int dz`` is the integral of 1).
- ``d{z}_{k}`` is the differential ``dz_k`` (also ``\mathrm{d}z``); ``\int_{\mathbb{R}^m} f\, dz``
  with ``z`` a declared column integrates over its entries
  (:class:`~check.mvn.ColumnIntegral`).
- ``\int_{\mathbb{R}^{m-1}} f \prod_{k \neq j} dz_k`` integrates over every coordinate ``z_k`` but
  ``z_j`` (``k`` up to the rows of the column ``z``, else the range of ``k``;
  ``\prod_{k=1}^{m} dz_k`` takes them all), and the dimension written on ``R`` must be their
  number (:class:`~check.mvn.CoordinateIntegral`).
"""
from __future__ import annotations

import sympy as sp

from check.arithmetic import value
from check.lexer import ReadError
from check.mvn import ColumnIntegral, CoordinateIntegral
from check.token_lists import GREEK, plain, split_top

__all__ = ["IntegralReader"]


class IntegralReader:
    """Integrals and their differentials (a mixin of the parser)."""

    def _differential(self) -> bool:
        """At ``d z``, ``d{z}`` or ``\\mathrm{d} z`` (inside an integral)."""
        t, u = self.peek(), self.peek(1)
        if t is None or u is None:
            return False
        if t.is_("letter", "d"):
            if u.is_("char", "{"):
                return self.at("char", "}", 3) and _is_name_token(self.peek(2))
            return u.kind == "letter" or (u.kind == "cmd" and u.text in GREEK)
        if t.is_("cmd", "mathrm") or t.is_("cmd", "operatorname"):
            return (self.at("char", "{", 1) and self.at("letter", "d", 2) and self.at("char", "}", 3))
        return False

    def integral(self):
        """``\\int_a^b f dz``; no limits, ``_{\\mathbb{R}}`` or ``_{\\mathbb{R}^m}``: the real line."""
        t = self.take()
        count = {"int": 1, "iint": 2, "iiint": 3}[t.text]
        lower, upper = self.limits()
        whole = lower is None or plain(lower).startswith("mathbb{R}")
        if not whole and upper is None:
            raise ReadError("an integral with a lower limit only", t.pos)
        lo = -sp.oo if whole else self.parse_sub(lower, "lower limit")
        hi = sp.oo if whole else self.parse_sub(upper, "upper limit")
        variables = []
        if self._differential_now():
            variables = [self._read_differential() for _ in range(count)]
        self.in_integral += 1
        try:
            body = self.integrand()
        finally:
            self.in_integral -= 1
        if not variables and count == 1 and whole and self._product_differential_now():
            return self._coordinate_integral(body, lower, t)
        while len(variables) < count:
            if not self._differential_now():
                raise ReadError("integral without its differential (dz)", t.pos)
            variables.append(self._read_differential(columns=whole and count == 1))
        for v in variables:  # bound: not names of the line
            self.names.discard(v.base.label.name if isinstance(v, sp.Indexed) else v.name)
        if len(variables) == 1 and isinstance(variables[0], sp.MatrixSymbol):
            return ColumnIntegral(body, variables[0])  # \int_{R^m} f dz over a column z
        return sp.Integral(body, *[(v, lo, hi) for v in variables])

    def _product_differential_now(self) -> bool:
        r"""At ``\prod_{k \neq j} dz_k`` (or ``\prod_{k=1}^{m} dz_k``): a differential of several coordinates."""
        if not self.at("cmd", "prod"):
            return False
        save = self.i
        try:
            self.take()
            while self.at("char", "_") or self.at("char", "^"):
                self.take()
                self.group()
            return self._differential_now()
        except ReadError:
            return False
        finally:
            self.i = save

    def _coordinate_integral(self, body, lower, t):
        r"""``\int_{R^{m-1}} f \prod_{k \neq j} dz_k``: over the coordinates ``z_k``, ``k`` from 1 to
        the rows of the column ``z`` (else the range of ``k``), ``k = j`` left out; the dimension
        written on ``R`` must be their number."""
        p = self.take()
        sub, sup = self.limits()
        excl = split_top(sub, "neq", kind="cmd") if sub else []
        if len(excl) != 2:
            excl = split_top(sub, "ne", kind="cmd") if sub else []
        head = excl[0] if len(excl) == 2 else split_top(sub, "=")[0] if sub else []
        if len(head) != 1 or head[0].kind != "letter":
            raise ReadError("write the coordinates as \\prod_{k \\neq j} dz_k or \\prod_{k=1}^{m} dz_k", p.pos)
        k = head[0].text
        self.scope.bound.append(k)
        try:
            v = self._read_differential()
        finally:
            self.scope.bound.pop()
        if not (isinstance(v, sp.Indexed) and len(v.indices) == 1 and v.indices[0].name == k):
            raise ReadError(f"the differential of \\prod_{{{k} ...}} must be d of an entry with index {k}", p.pos)
        kv = v.indices[0]
        lo, hi = sp.Integer(1), None
        if len(excl) != 2 and len(split_top(sub, "=")) == 2:
            lo = self.parse_sub(split_top(sub, "=")[1], "lower limit")
        if sup is not None:
            hi = self.parse_sub(sup, "upper limit")
        else:
            rows = self.scope.notation.matrices.get(v.base.label.name)
            rng = self.scope.notation.ranges.get(k)
            if rows is None and rng is None:
                raise ReadError(f"give the range of {k}: \\prod_{{{k}=1}}^{{m}}", p.pos)
            hi = self.scope.size(rows[0]) if rows is not None else self.scope.symbol(rng)
        left_out = self.parse_sub(excl[1], "left-out index") if len(excl) == 2 else sp.S.EmptySet
        dim = _dimension(lower, self)
        count = hi - lo + 1 - (0 if left_out is sp.S.EmptySet else 1)
        if dim is not None and sp.expand(value(dim) - value(count)) != 0:
            raise ReadError(f"the integral over R^{{{sp.latex(dim)}}} has {sp.latex(value(count))} coordinates", t.pos)
        self.names.discard(v.base.label.name)
        return CoordinateIntegral(body, v, kv, lo, hi, left_out)

    def integrand(self):
        """The integrand: an expression that ends at the differential (1 for ``\\int dz``)."""
        return self.expression() if not self._differential_now() else sp.Integer(1)

    def _differential_now(self) -> bool:
        save = self.in_integral
        self.in_integral = 1
        try:
            return self._differential()
        finally:
            self.in_integral = save

    def _read_differential(self, columns: bool = False):
        r"""The variable of ``dz``, ``\mathrm{d}z``, ``dz_k`` or ``d{z}_{k}`` (a braced name); a
        column ``z`` only where ``columns`` (``\int_{R^m} f dz``)."""
        if self.at("letter", "d"):
            self.take()
        else:
            self.take()
            self.group()
        if self.at("char", "{") and self.at("char", "}", 2) and _is_name_token(self.peek(1)):
            del self.toks[self.i + 2]  # d{z}_{k}: the braces hold the name
            del self.toks[self.i]
        save = self.in_integral
        self.in_integral = 0
        try:
            v = self.name()
        finally:
            self.in_integral = save
        if not (isinstance(v, (sp.Symbol, sp.Indexed)) or columns and isinstance(v, sp.MatrixSymbol) and v.shape[1] == 1):
            raise ReadError(f"cannot integrate over {sp.latex(v)}", self.pos())
        return v


def _is_name_token(t) -> bool:
    return t is not None and (t.kind == "letter" or (t.kind == "cmd" and t.text in GREEK))


def _dimension(lower, parser):
    """The exponent of ``\\mathbb{R}^{e}`` in an integral's lower limit (None: not written)."""
    if not lower:
        return None
    k = next((i for i, t in enumerate(lower) if t.is_("char", "^")), None)
    if k is None:
        return sp.Integer(1)
    save_toks, save_i = parser.toks, parser.i
    parser.toks, parser.i = lower, k + 1
    try:
        toks = parser.group()
    finally:
        parser.toks, parser.i = save_toks, save_i
    return parser.parse_sub(toks, "dimension")

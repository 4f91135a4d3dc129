r"""How the reader (:mod:`check.parser`) reads derivatives and gradients
(:class:`DerivativeReader`, a mixin of :class:`~check.parser.Parser`).

- ``\frac{d}{dx} term``, ``\frac{d^2}{dx^2} term``, ``\frac{\partial f}{\partial x}``,
  ``\frac{\partial^2 f}{\partial x \partial y}``; ``\partial_x f`` is ``df/dx``; ``\nabla_w term``.
- ``\nabla`` and ``\frac{d}{dx}`` take the next term (a product).
- ``\frac{\partial f}{\partial w}`` of a column ``f`` in a column ``w`` is the Jacobian
  (:class:`~check.jacobians.Jacobian`, rows of ``f`` x rows of ``w``; of a number it is the
  gradient).
- ``\nabla_{(a, b, ...)} f`` (a tuple of scalars) is the column ``(df/da, df/db, ...)^T``; with a
  line ``w := (w_0, w_1, w_2)``, ``\nabla_w f`` is the column of partials.
- ``\nabla_z f(z_i)``, when ``f`` holds one member ``z_i`` of a family named ``z`` and no ``z``, is
  the gradient in ``z`` taken at ``z = z_i`` (:class:`~check.jacobians.GradientAt`).
"""
from __future__ import annotations

import sympy as sp

from check.arithmetic import is_column, is_matrix
from check.jacobians import GradientAt, Jacobian, Member
from check.lexer import ReadError, Token
from check.read_matrices import is_tuple
from check.token_lists import BOLD, DECOR, plain
from derive.ops import Grad

__all__ = ["DerivativeReader", "derivative_parts"]


class DerivativeReader:
    """Derivatives, partials and gradients (a mixin of the parser)."""

    def derivative(self, f_toks, variables, t):
        """``\\frac{d}{dx} term``, ``\\frac{\\partial f}{\\partial x}``, orders as ``^2``."""
        vars_ = []
        for toks, order in variables:
            v = self.parse_sub(toks, "variable")
            vars_.append((v, order))
        f = self.parse_sub(f_toks, "function") if f_toks else self._operand_term(t)
        return self._differentiate(f, vars_, t)

    def _differentiate(self, f, vars_, t):
        out = f
        for v, order in vars_:
            if is_matrix(v):
                if order != 1:
                    raise ReadError("second derivative with respect to a vector", t.pos)
                out = Jacobian(out, v) if is_column(out) and is_column(v) else Grad(out, v)
            elif not isinstance(v, (sp.Symbol, sp.Indexed)):
                raise ReadError(f"derivative with respect to {sp.latex(v)}, which is not a variable", t.pos)
            else:
                out = sp.Derivative(out, (v, order))
        return out

    def nabla(self):
        t = self.take()
        if not self.at("char", "_"):
            raise ReadError("\\nabla needs a subscript: \\nabla_w", t.pos)
        self.take()
        g = self.group()
        v = self._tuple(g, t) if is_tuple(g) else self.parse_sub(g, "variable")
        if is_tuple(g) and not _is_variables(v):
            raise ReadError("the gradient in a tuple of distinct variables: \\nabla_{(a, b)}", t.pos)
        f = self._operand_term(t)
        if _is_variables(v):
            return _partials_column(f, v, t)
        if is_matrix(v):
            return _gradient_at_member(f, v) or Grad(f, v)
        if isinstance(v, (sp.Symbol, sp.Indexed)):
            return sp.Derivative(f, v)
        raise ReadError(f"gradient with respect to {sp.latex(v)}", t.pos)

    def partial(self):
        t = self.take()
        if not self.at("char", "_"):
            raise ReadError("\\partial needs a subscript here: \\partial_x f or \\frac{\\partial f}{\\partial x}", t.pos)
        self.take()
        v = self.parse_sub(self.group(), "variable")
        return self._differentiate(self._operand_term(t), [(v, 1)], t)


def _is_variables(v) -> bool:
    """An explicit column of distinct variables (``(a, b)``, or a name defined as one)."""
    return (isinstance(v, sp.MatrixBase) and v.shape[1] == 1 and v.shape[0] > 1
            and all(isinstance(x, (sp.Symbol, sp.Indexed)) for x in v) and len(set(v)) == len(v))


def _partials_column(f, v, t):
    r"""``\nabla_{(a, b, ...)} f``: the column ``(df/da, df/db, ...)^T`` of a scalar ``f``."""
    if is_matrix(f):
        raise ReadError("the gradient in a tuple of a matrix: write a column of gradients", t.pos)
    return sp.ImmutableMatrix([[sp.Derivative(f, x)] for x in v])


def _gradient_at_member(f, v):
    """``\\nabla_z f(z_i)``: with ``f`` free of the column ``z`` but holding exactly one member
    ``z_i`` of a family named ``z``, the gradient in ``z`` taken at ``z_i`` (:class:`GradientAt`);
    None otherwise."""
    if not (isinstance(v, sp.MatrixSymbol) and is_column(v)) or f.has(v) or any(
            x.base.label.name == v.name for x in f.atoms(sp.Indexed)):
        return None
    members = {x for x in f.atoms(Member) if x.family == v.name and x.shape == v.shape}
    if len(members) != 1:
        return None
    (z_i,) = members
    return GradientAt(f.xreplace({z_i: v}), v, z_i)


def derivative_parts(num: list[Token], den: list[Token]):
    """``(f_tokens, [(var_tokens, order), ...])`` when ``num/den`` is a derivative."""
    def is_d(t):
        return t.is_("letter", "d") or t.is_("cmd", "partial")

    def strip_d(toks):
        if toks and is_d(toks[0]):
            return toks[1:]
        if len(toks) >= 4 and toks[0].is_("cmd", "mathrm") and plain(toks[1:4]) == "{d}":
            return toks[4:]
        return None

    body = strip_d(num)
    if body is None:
        return None
    order = 1
    if body and body[0].is_("char", "^"):
        if len(body) < 2:
            return None
        if body[1].is_("char", "{"):
            close = next((k for k, t in enumerate(body) if t.is_("char", "}")), None)
            if close is None:
                return None
            o, body = body[2:close], body[close + 1:]
        else:
            o, body = [body[1]], body[2:]
        if len(o) != 1 or o[0].kind != "number":
            return None
        order = int(o[0].text)
    variables, rest = [], den
    while rest:
        r = strip_d(rest)
        if r is None or not r:
            return None
        k = 1
        if r[0].kind == "cmd" and r[0].text in DECOR | BOLD:
            k = next((j for j, t in enumerate(r) if t.is_("char", "}")), 0) + 1
        while k + 1 < len(r) + 1 and k < len(r) and r[k].is_("char", "_"):
            if r[k + 1].is_("char", "{"):
                close = k + 1
                depth = 0
                for j in range(k + 1, len(r)):
                    depth += r[j].is_("char", "{") - r[j].is_("char", "}")
                    if depth == 0:
                        close = j
                        break
                k = close + 1
            else:
                k += 2
        var, rest = r[:k], r[k:]
        vorder = 1
        if rest and rest[0].is_("char", "^") and len(rest) > 1:
            o = rest[1:2] if not rest[1].is_("char", "{") else rest[2:3]
            if not o or o[0].kind != "number":
                return None
            vorder = int(o[0].text)
            rest = rest[2:] if not rest[1].is_("char", "{") else rest[4:]
        variables.append((var, vorder))
    if sum(v for _, v in variables) != order:
        return None
    return body, variables

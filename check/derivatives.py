r"""How the reader (:mod:`check.parser`) reads derivatives and gradients.

``\frac{d}{dx} term``, ``\frac{d^2}{dx^2} term``, ``\frac{\partial f}{\partial x}``,
``\frac{\partial^2 f}{\partial x \partial y}``; ``\partial_x f`` is ``df/dx``; ``\nabla_w term``;
each takes the next *term*. Of a column ``f`` in a column ``w``: the Jacobian (rows of ``f`` x rows
of ``w``); ``\nabla_{(a, b)} f`` (or ``\nabla_w`` with ``w := (a, b)``) is the column of partials;
``\nabla_z f(z_i)`` with a family member ``z_i`` is the gradient at ``z_i``; ``\nabla f(x)``
(no subscript) is the derivative of ``f`` at ``x``.
"""
from __future__ import annotations

import sympy as sp

from check.arithmetic import is_column, is_matrix
from check.grammar import BOLD, DECOR, plain
from check.jacobians import GradientAt, Jacobian, Member
from check.matrices import is_tuple, tuple_column
from check.lexer import ReadError, Token
from derive.ops import Grad

__all__ = ["COMMANDS", "derivative_parts", "derivative"]


def derivative(p, f_toks, variables, t):
    """``\\frac{d}{dx} term``, ``\\frac{\\partial f}{\\partial x}``, orders as ``^2``."""
    vars_ = [(p.parse_sub(toks, "variable"), order) for toks, order in variables]
    p.scope.variables.extend(plain(toks) for toks, _ in variables)
    try:
        f = p.parse_sub(f_toks, "function") if f_toks else p.operand(t)
    finally:
        del p.scope.variables[-len(variables):]
    return _differentiate(f, vars_, t)


def _differentiate(f, vars_, t):
    out = f
    for v, order in vars_:
        if is_matrix(v):
            if order != 1:
                raise ReadError("second derivative with respect to a vector", t.pos)
            out = Jacobian(out, v) if is_column(out) and is_column(v) else Grad(out, v)
        elif not isinstance(v, (sp.Symbol, sp.Indexed)):
            inner = v.free_symbols if isinstance(v, sp.Basic) else ()
            if order != 1 or len(inner) != 1:
                raise ReadError(f"derivative with respect to {sp.latex(v)}, which is not a variable", t.pos)
            (x,) = inner  # d f / d g(x) = (df/dx) / (dg/dx)
            out = sp.Mul(sp.Derivative(out, x), sp.Pow(sp.Derivative(v, x), -1), evaluate=False)
        else:
            out = sp.Derivative(out, (v, order))
    return out


def nabla(p, t: Token):
    p.take()
    if not p.at("char", "_"):
        return _gradient_at(p, t)
    p.take()
    g = p.group()
    v = tuple_column(p, g, t) if is_tuple(g) else p.parse_sub(g, "variable")
    if is_tuple(g) and not _is_variables(v):
        raise ReadError("the gradient in a tuple of distinct variables: \\nabla_{(a, b)}", t.pos)
    p.scope.variables.append(plain(g))
    try:
        f = p.operand(t)
    finally:
        p.scope.variables.pop()
    if _is_variables(v):
        if is_matrix(f):
            raise ReadError("the gradient in a tuple of a matrix: write a column of gradients", t.pos)
        return sp.ImmutableMatrix([[sp.Derivative(f, x)] for x in v])
    if is_matrix(v):
        if is_matrix(f) and f.shape != (1, 1):  # (a 1 x 1 product is the number it holds)
            raise ReadError("the gradient of a matrix: write its Jacobian (g_{y,w} in [jacobians])", t.pos)
        return _gradient_at_member(f, v) or Grad(f, v)
    if isinstance(v, (sp.Symbol, sp.Indexed)):
        return sp.Derivative(f, v)
    raise ReadError(f"gradient with respect to {sp.latex(v)}", t.pos)


def _gradient_at(p, t: Token):
    """``\\nabla f(x)`` without a subscript: the derivative of the function ``f`` at ``x``."""
    p.scope.variables.append("*")  # the operand is a call, whatever its argument
    try:
        f = p.operand(t)
    finally:
        p.scope.variables.pop()
    if not (isinstance(f, sp.core.function.AppliedUndef) and len(f.args) == 1):
        raise ReadError("\\nabla needs a subscript (\\nabla_w), or a function of one argument: \\nabla f(x)", t.pos)
    (a,) = f.args
    if isinstance(a, sp.MatrixSymbol):
        return Grad(f, a)
    if is_matrix(a):
        raise ReadError("\\nabla f(...) at a matrix expression: write \\nabla_w f(w)", t.pos)
    if isinstance(a, (sp.Symbol, sp.Indexed)):
        return sp.Derivative(f, a)
    x = sp.Dummy("x", real=True)
    return sp.Subs(sp.Derivative(f.func(x), x), x, a)


def _is_variables(v) -> bool:
    """An explicit column of distinct variables (``(a, b)``, or a name defined as one)."""
    return (isinstance(v, sp.MatrixBase) and v.shape[1] == 1 and v.shape[0] > 1
            and all(isinstance(x, (sp.Symbol, sp.Indexed)) for x in v) and len(set(v)) == len(v))


def _gradient_at_member(f, v):
    """``\\nabla_z f(z_i)``: ``f`` free of the column ``z`` but holding one member ``z_i`` of a
    family named ``z``: the gradient in ``z`` taken at ``z_i``; None otherwise."""
    if not (isinstance(v, sp.MatrixSymbol) and is_column(v)) or f.has(v) or any(
            x.base.label.name == v.name for x in f.atoms(sp.Indexed)):
        return None
    members = {x for x in f.atoms(Member) if x.family == v.name and x.shape == v.shape}
    if len(members) != 1:
        return None
    (z_i,) = members
    return GradientAt(f.xreplace({z_i: v}), v, z_i)


def partial(p, t: Token):
    p.take()
    if not p.at("char", "_"):
        raise ReadError("\\partial needs a subscript here: \\partial_x f or \\frac{\\partial f}{\\partial x}", t.pos)
    p.take()
    g = p.group()
    v = p.parse_sub(g, "variable")
    p.scope.variables.append(plain(g))
    try:
        return _differentiate(p.operand(t), [(v, 1)], t)
    finally:
        p.scope.variables.pop()


def derivative_parts(num: list[Token], den: list[Token]):
    """``(f_tokens, [(var_tokens, order), ...])`` when ``num/den`` is a derivative."""
    body = _strip_d(num)
    if body is None:
        return None
    parts = _derivative_parts(body, den)
    rest = _strip_d(den)
    if parts is None and rest and not any(_strip_d([u]) is not None for u in rest) \
            and not (body and body[0].is_("char", "^")):
        return body, [(rest, 1)]  # \frac{\partial f}{\partial \log\sigma}: with respect to an expression
    return parts


def _derivative_parts(body, den):
    order = 1
    if body and body[0].is_("char", "^"):
        o, body = _script_of(body[1:])
        if o is None:
            return None
        order = o
    variables, rest = [], den
    while rest:
        r = _strip_d(rest)
        if not r:
            return None
        k = 1
        if r[0].kind == "cmd" and r[0].text in DECOR | BOLD:
            k = next((j for j, t in enumerate(r) if t.is_("char", "}")), 0) + 1
        while k < len(r) and r[k].is_("char", "_"):
            k = _group_end(r, k + 1)
        var, rest = r[:k], r[k:]
        vorder = 1
        if rest and rest[0].is_("char", "^"):
            vorder, rest = _script_of(rest[1:])
            if vorder is None:
                return None
        variables.append((var, vorder))
    if sum(v for _, v in variables) != order:
        return None
    return body, variables


def _strip_d(toks):
    """The tokens after a leading ``d`` or ``\\partial`` (None without one; ``\\partial_a f`` is an
    operator applied, no differential)."""
    if len(toks) > 1 and toks[0].is_("cmd", "partial") and toks[1].is_("char", "_"):
        return None
    if toks and (toks[0].is_("letter", "d") or toks[0].is_("cmd", "partial")):
        return toks[1:]
    if len(toks) >= 4 and toks[0].is_("cmd", "mathrm") and plain(toks[1:4]) == "{d}":
        return toks[4:]
    return None


def _group_end(r, k):
    """The index after the group (or token) at ``r[k]``."""
    if k >= len(r) or not r[k].is_("char", "{"):
        return k + 1
    depth = 0
    for j in range(k, len(r)):
        depth += r[j].is_("char", "{") - r[j].is_("char", "}")
        if depth == 0:
            return j + 1
    return len(r)


def _script_of(toks):
    """A numeric order ``2`` or ``{2}`` at the start of ``toks`` and the rest (None if not one)."""
    end = _group_end(toks, 0)
    o = toks[1:end - 1] if toks and toks[0].is_("char", "{") else toks[:1]
    if len(o) != 1 or o[0].kind != "number":
        return None, toks
    return int(o[0].text), toks[end:]


COMMANDS = {("cmd", "nabla"): nabla, ("cmd", "partial"): partial}

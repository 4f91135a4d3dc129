r"""How the reader (:mod:`check.parser`) reads derivatives, gradients, integrals, sums and
optima.

- ``\frac{d}{dx} term``, ``\frac{d^2}{dx^2} term``, ``\frac{\partial f}{\partial x}``,
  ``\frac{\partial^2 f}{\partial x \partial y}``; ``\partial_x f`` is ``df/dx``; ``\nabla_w term``;
  each takes the next *term*. Of a column ``f`` in a column ``w``: the Jacobian (rows of ``f`` x rows
  of ``w``); ``\nabla_{(a, b)} f`` (or ``\nabla_w`` with ``w := (a, b)``) is the column of partials;
  ``\nabla_z f(z_i)`` with a family member ``z_i`` is the gradient at ``z_i``; ``\nabla f(x)``
  (no subscript) is the derivative of ``f`` at ``x``.
- ``\int_a^b f dz``, ``\iint``; no limits, ``_{\mathbb{R}}``, ``_{\mathcal X}``, ``_{x \in \chi}``:
  the real line; ``\int_x f`` (the variable as subscript) needs no differential; the integrand
  ends at the differential (``dz``, ``\mathrm{d}z``, ``d{z}_{k}``); ``\int_{\mathbb{R}^m} f dz``
  over a declared column, ``\int_{\mathbb{R}^{m-1}} f \prod_{k \neq j} dz_k`` over every
  coordinate but ``z_j`` (:mod:`check.mvn`).
- ``\sum_{j=1}^{m} term`` (the range of ``\sum_j`` from the notation), ``\prod``,
  ``\sum_{i \in B} term`` over a random subset; the index is bound in the term.
- ``\operatorname*{arg\,max}_{y \in (0,1)} f`` (``\arg\max_y``: over the real line) is the
  maximiser (:class:`~derive.ops.Argmax`), ``\max_y f`` the value there.
"""
from __future__ import annotations

import sympy as sp

from derive.engine.explicit import evaluated
from check.arithmetic import is_column, is_matrix
from check.grammar import BOLD, DECOR, GREEK, plain, split_top
from check.jacobians import GradientAt, Jacobian, Member
from check.matrices import is_tuple, tuple_column
from check.lexer import ReadError, Token
from check.mvn import ColumnIntegral, CoordinateIntegral
from check.names import name, name_only
from check.notation import assumptions
from check.subsets import SetSum
from derive.ops import Argmax, Grad

__all__ = ["COMMANDS", "derivative_parts", "derivative", "differential_ahead", "integrand_ends", "extremum", "optimum"]


def _name_token(t) -> bool:
    return t is not None and (t.kind == "letter" or (t.kind == "cmd" and t.text in GREEK))


def differential_ahead(p, k: int = 0) -> bool:
    """At ``d z``, ``d{z}`` or ``\\mathrm{d} z``."""
    t, u = p.peek(k), p.peek(k + 1)
    if t is None or u is None:
        return False
    if t.is_("letter", "d"):
        if u.is_("char", "{"):
            return p.at("char", "}", k + 3) and _name_token(p.peek(k + 2))
        return _name_token(u) or (u.kind == "cmd" and u.text in BOLD)
    return (t.is_("cmd", "mathrm") or t.is_("cmd", "operatorname")) and p.at("char", "{", k + 1) \
        and p.at("letter", "d", k + 2) and p.at("char", "}", k + 3)


def integrand_ends(p) -> bool:
    """At the differential of an integral: ``dz``, or ``\\prod_{k \\neq j} dz_k``."""
    return differential_ahead(p) or _product_differential(p)


def _variables_ahead(p) -> list[str]:
    """The names after the differentials at the top level ahead (``\\int f(x) dx``: ``x``), so that
    ``f(x)`` reads as a call of ``f`` at the integration variable."""
    out, depth = [], 0
    for k in range(len(p.toks) - p.i):
        t = p.peek(k)
        depth += (t.kind == "char" and t.text in "{([") - (t.kind == "char" and t.text in "})]")
        if depth == 0 and differential_ahead(p, k):
            u = p.peek(k + (1 if t.kind == "letter" else 4))
            out.append((p.peek(k + 2) if u.is_("char", "{") else u).text)
    return out


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


def limits(p) -> tuple:
    """The ``_{...}`` and ``^{...}`` groups of a big operator, in either order (None if absent)."""
    lower = upper = None
    for _ in range(2):
        if p.at("char", "_") and lower is None:
            p.take()
            lower = p.group()
        elif p.at("char", "^") and upper is None:
            p.take()
            upper = p.group()
    return lower, upper


def integral(p, t: Token):
    """``\\int_a^b f dz`` and the forms in the module docstring."""
    p.take()
    count = {"int": 1, "iint": 2, "iiint": 3}[t.text]
    lower, upper = limits(p)
    named = _named_variable(p, lower) if upper is None else None
    whole = lower is None or named is not None or plain(lower).startswith(("mathbb{R}", "mathcal"))
    if not whole and upper is None:
        raise ReadError("an integral with a lower limit only", t.pos)
    lo = -sp.oo if whole else p.parse_sub(lower, "lower limit")
    hi = sp.oo if whole else p.parse_sub(upper, "upper limit")
    variables = [_differential(p) for _ in range(count)] if differential_ahead(p) else []
    ahead = _variables_ahead(p) + ([plain(named)] if named else [])
    p.scope.variables.extend(ahead)
    p.in_integral += 1
    try:
        body = p.expression() if not differential_ahead(p) else sp.Integer(1)
    finally:
        p.in_integral -= 1
        del p.scope.variables[len(p.scope.variables) - len(ahead):]
    if not variables and count == 1 and whole and _product_differential(p):
        return _coordinate_integral(p, body, lower, t)
    if not variables and named is not None and not differential_ahead(p):
        variables = [p.parse_sub(named, "variable")]
    while len(variables) < count:
        if not differential_ahead(p):
            raise ReadError("integral without its differential (dz)", t.pos)
        variables.append(_differential(p, columns=whole and count == 1))
    for v in variables:  # bound: not names of the line
        p.names.discard(v.base.label.name if isinstance(v, sp.Indexed) else v.name)
    if len(variables) == 1 and isinstance(variables[0], sp.MatrixSymbol):
        return ColumnIntegral(body, variables[0])
    return sp.Integral(body, *[(v, lo, hi) for v in variables])


def _named_variable(p, lower):
    """``\\int_x``, ``\\int_{\\mathbf{x}}`` or ``\\int_{x \\in \\chi}``: the variable's tokens (None:
    limits, or a set)."""
    if lower is None:
        return None
    head = split_top(lower, "in", kind="cmd")[0]
    if not head or head[0].is_("cmd", "mathbb") or head[0].is_("cmd", "mathcal"):
        return None
    q = p.sub(head)
    try:
        name_only(q)
        q.finish()
    except ReadError:
        return None
    return head


def _product_differential(p) -> bool:
    r"""At ``\prod_{k \neq j} dz_k`` (or ``\prod_{k=1}^{m} dz_k``)."""
    if not p.at("cmd", "prod"):
        return False
    save = p.i
    try:
        p.take()
        limits(p)
        return differential_ahead(p)
    except ReadError:
        return False
    finally:
        p.i = save


def _coordinate_integral(p, body, lower, t):
    r"""``\int_{R^{m-1}} f \prod_{k \neq j} dz_k``: over the coordinates ``z_k``, ``k`` from 1 to the
    rows of the column ``z`` (else the range of ``k``), ``k = j`` left out; the dimension written on
    ``R`` must be their number."""
    o = p.take()
    sub, sup = limits(p)
    excl = next((e for w in ("ne", "neq") if len(e := split_top(sub or [], w, kind="cmd")) == 2), [])
    head = excl[0] if excl else split_top(sub, "=")[0] if sub else []
    if len(head) != 1 or head[0].kind != "letter":
        raise ReadError("write the coordinates as \\prod_{k \\neq j} dz_k or \\prod_{k=1}^{m} dz_k", o.pos)
    k = head[0].text
    p.scope.bound.append(k)
    try:
        v = _differential(p)
    finally:
        p.scope.bound.pop()
    if not (isinstance(v, sp.Indexed) and len(v.indices) == 1 and v.indices[0].name == k):
        raise ReadError(f"the differential of \\prod_{{{k} ...}} must be d of an entry with index {k}", o.pos)
    lo = p.parse_sub(split_top(sub, "=")[1], "lower limit") if not excl and len(split_top(sub, "=")) == 2 else sp.Integer(1)
    if sup is not None:
        hi = p.parse_sub(sup, "upper limit")
    else:
        rows, rng = p.scope.notation.matrices.get(v.base.label.name), p.scope.notation.ranges.get(k)
        if rows is None and rng is None:
            raise ReadError(f"give the range of {k}: \\prod_{{{k}=1}}^{{m}}", o.pos)
        hi = p.scope.size(rows[0]) if rows is not None else p.scope.symbol(rng)
    left_out = p.parse_sub(excl[1], "left-out index") if excl else sp.S.EmptySet
    count = hi - lo + 1 - (0 if left_out is sp.S.EmptySet else 1)
    dim = _dimension(lower, p)
    if dim is not None and sp.expand(evaluated(dim) - evaluated(count)) != 0:
        raise ReadError(f"the integral over R^{{{sp.latex(dim)}}} has {sp.latex(evaluated(count))} coordinates", t.pos)
    p.names.discard(v.base.label.name)
    return CoordinateIntegral(body, v, v.indices[0], lo, hi, left_out)


def _dimension(lower, p):
    """The exponent of ``\\mathbb{R}^{e}`` in an integral's lower limit (1 when not written)."""
    k = next((i for i, u in enumerate(lower or []) if u.is_("char", "^")), None)
    if not lower or k is None:
        return None if not lower else sp.Integer(1)
    rest = lower[k + 1:]
    return p.parse_sub(rest[1:-1] if rest[0].is_("char", "{") else rest[:1], "dimension")


def _differential(p, columns: bool = False):
    r"""The variable of ``dz``, ``\mathrm{d}z``, ``dz_k`` or ``d{z}_{k}``; a column ``z`` only where
    ``columns`` (``\int_{R^m} f dz``)."""
    if p.at("letter", "d"):
        p.take()
    else:
        p.take()
        p.group()
    if p.at("char", "{") and p.at("char", "}", 2) and _name_token(p.peek(1)):
        del p.toks[p.i + 2]  # d{z}_{k}: the braces hold the name
        del p.toks[p.i]
    save = p.in_integral
    p.in_integral = 0
    try:
        v = name(p)
    finally:
        p.in_integral = save
    if not (isinstance(v, (sp.Symbol, sp.Indexed)) or columns and isinstance(v, sp.MatrixSymbol) and v.shape[1] == 1):
        raise ReadError(f"cannot integrate over {sp.latex(v)}", p.pos())
    return v


def _bound(p, vname: str, t: Token):
    """The operand term of a big operator whose variable ``vname`` is bound in it."""
    p.scope.bound.append(vname)
    try:
        body = p.operand(t)
    finally:
        p.scope.bound.pop()
    p.names.discard(vname)
    return body


def _one_letter(toks) -> bool:
    return len(toks) == 1 and _name_token(toks[0])


def big_operator(p, t: Token):
    """``\\sum_{j=1}^{m} term`` (the range of ``\\sum_j`` from the notation), ``\\prod``, and
    ``\\sum_{i \\in B} term`` over the members of the set named ``B``."""
    p.take()
    lower, upper = limits(p)
    if lower is None:
        raise ReadError(f"\\{t.text} needs its index: \\{t.text}_{{j=1}}^{{m}}", t.pos)
    members = split_top(lower, "in", kind="cmd")
    if len(members) == 2 and t.text == "sum":
        if upper is not None or not _one_letter(members[0]):
            raise ReadError("\\sum_{i \\in B}: one letter, and no upper limit", t.pos)
        where = p.parse_sub(members[1], "set")
        if not isinstance(where, sp.Symbol):
            raise ReadError("\\sum_{i \\in B}: the set must be a name", t.pos)
        vname = members[0][0].text
        var = sp.Symbol(vname, **assumptions(p.scope.notation.domain(vname)))
        return SetSum(_bound(p, vname, t), var, where)
    parts = split_top(lower, "=")
    if not _one_letter(parts[0]):
        raise ReadError(f"the index of \\{t.text} must be one letter (or \\sum_{{i \\in B}})", t.pos)
    vname = parts[0][0].text
    lo = p.parse_sub(parts[1], "lower limit") if len(parts) > 1 else sp.Integer(1)
    if upper is not None:
        hi = p.parse_sub(upper, "upper limit")
    elif vname in p.scope.notation.ranges:
        hi = p.scope.symbol(p.scope.notation.ranges[vname])
    else:
        raise ReadError(f"give the range of \\{t.text}_{vname}: \\{t.text}_{{{vname}=1}}^{{m}}", t.pos)
    var = sp.Symbol(vname, **assumptions(p.scope.notation.domain(vname)))
    return (sp.Sum if t.text == "sum" else sp.Product)(_bound(p, vname, t), (var, lo, hi))


def arg(p, t: Token):
    """``\\arg\\max`` and ``\\arg\\min`` (a bare ``\\arg`` is not read)."""
    p.take()
    u = p.peek()
    if u is None or not (u.is_("cmd", "max") or u.is_("cmd", "min")):
        raise ReadError("\\arg is read only as \\arg\\max or \\arg\\min", t.pos)
    p.take()
    return extremum(p, u.text, t)


def _over(p, word: str, t: Token):
    """The variable, interval and bound term of ``arg max_{y \\in I} f`` or ``\\max_y f``."""
    if not p.at("char", "_"):
        raise ReadError(f"arg {word} needs its variable: \\operatorname*{{arg\\,{word}}}_{{y \\in (0, 1)}}", t.pos)
    p.take()
    parts = split_top(p.group(), "in", kind="cmd")
    if len(parts) > 2 or not _one_letter(parts[0]):
        raise ReadError(f"arg {word}: write one variable and its interval, as in _{{y \\in (0, 1)}}", t.pos)
    vname = parts[0][0].text
    interval = _interval(p, parts[1], t) if len(parts) == 2 else sp.S.Reals
    return p.scope.symbol(vname), interval, _bound(p, vname, t)


def extremum(p, word: str, t: Token):
    """``arg max_{y \\in I} f``: the maximiser of the next term over ``y`` in ``I``."""
    var, interval, body = _over(p, word, t)
    return Argmax(body, var, interval, sp.Integer(1 if word == "max" else -1))


def optimum(p, word: str, t: Token):
    """``\\max_y f``: ``f`` at its maximiser (``y`` a variable of ``f``; over a function, ``\\max_D
    V(D, G)``, it is not read)."""
    var, interval, body = _over(p, word, t)
    if not isinstance(var, sp.Symbol) or p.scope.is_function(var.name) or var not in getattr(body, "free_symbols", ()) or any(
            c.func.__name__ == var.name for c in body.atoms(sp.core.function.AppliedUndef)):
        raise ReadError(f"\\{word} over {sp.latex(var)}, which is not a variable of the term, is not read", t.pos)
    return body.xreplace({var: Argmax(body, var, interval, sp.Integer(1 if word == "max" else -1))})


def _interval(p, toks: list[Token], t: Token):
    """``(a, b)``, ``[a, b)``, ... as a SymPy interval; ``\\mathbb{R}`` the real line."""
    if plain(toks) in ("mathbb{R}", "mathbbR", "R"):
        return sp.S.Reals
    if len(toks) < 5 or toks[0].text not in "([" or toks[-1].text not in ")]" or toks[0].kind != "char":
        raise ReadError("an interval is written (a, b), [a, b], (a, b] or [a, b)", t.pos)
    ends = split_top(toks[1:-1], ",")
    if len(ends) != 2:
        raise ReadError("an interval has two ends: (a, b)", t.pos)
    lo, hi = (p.parse_sub(e, "end of the interval") for e in ends)
    return sp.Interval(lo, hi, left_open=toks[0].text == "(", right_open=toks[-1].text == ")")


COMMANDS = {("cmd", "sum"): big_operator, ("cmd", "prod"): big_operator, ("cmd", "int"): integral,
            ("cmd", "iint"): integral, ("cmd", "iiint"): integral, ("cmd", "nabla"): nabla,
            ("cmd", "partial"): partial, ("cmd", "arg"): arg}

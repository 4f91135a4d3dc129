r"""How the reader (:mod:`check.parser`) reads integrals, sums and optima (derivatives and
gradients: :mod:`check.derivatives`).

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
from check.grammar import BOLD, GREEK, plain, split_top
from check.lexer import ReadError, Token
from check.mvn import ColumnIntegral, CoordinateIntegral
from check.names import name, name_only
from check.notation import assumptions
from check.subsets import SetSum
from derive.ops import Argmax

__all__ = ["COMMANDS", "differential_ahead", "integrand_ends", "extremum", "optimum"]


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
            ("cmd", "iint"): integral, ("cmd", "iiint"): integral, ("cmd", "arg"): arg}

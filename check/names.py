r"""How the reader (:mod:`check.parser`) reads names with their scripts, indexed entries and
calls.

- ``x_j`` is the j-th entry of ``x`` when the subscript is made of indices (``i j k l``, bound
  variables, digits); otherwise the subscript is part of the name (``\sigma_q``); ``x_{ij}`` is
  the entry ``(i, j)``; ``x^{(i)}`` with an index ``i`` is one more index (the i-th sample), with
  anything else part of the name (``\theta^{(t)}``); ``\sigma_j^{(i)2}`` is the square of that
  entry, and so is ``\mu^2_i`` (a power written before the subscript).
- ``^*``, ``^\star``, ``^\prime`` decorate a name; ``f'``, ``f''``, ``f^{\prime\prime}`` are
  derivatives of a function.
- A name applied to arguments, ``P(x)``: a call of a declared function (or one defined
  ``f(x) := ...``); of a name the file applies to the variable of an integral, a derivative or an
  expectation (here or on an earlier line), a call; of a name declared as a symbol, a product;
  of any other name, both readings (the fork ``("call", name)``, the product preferred).
- With the tables of :mod:`check.jacobians`: ``z_i`` of a declared family is one matrix of it;
  ``y(a)``, ``y_k(a)`` of a declared dependent column (or Jacobian) take its first dependencies at
  ``a``.
- A subscript that becomes part of a name holds letters, digits, a few characters and known
  commands only.
"""
from __future__ import annotations

import sympy as sp

from check.grammar import BOLD, DECOR, GREEK, TEXTNAME, TRANSPOSE, plain, show, split_top
from check.jacobians import At, Member
from check.lexer import ReadError, Token
from derive.ops import IndexedCall

__all__ = ["COMMANDS", "WRAPPED", "STAR", "name", "name_only", "call_args", "call_tokens", "call",
           "latex_name", "join", "plain_latex", "conditional_bar"]

STAR = frozenset({"*", "star", "ast", "prime", "dagger"})
WRAPPED = BOLD | TEXTNAME | DECOR | {"mathbb", "mathcal"}
_NAME_CMDS = GREEK | {"prime", "star", "ast", "mathrm", "mathit", "mathsf", "mathbf", "operatorname", "top",
                      "infty", "partial", "ell", "cdot"}


def name(p, t: Token | None = None):
    """A symbol, an indexed entry or a call, with its scripts."""
    base = base_name(p)
    sub, primes, extra, power = None, 0, [], None
    while True:
        if p.at("char", "_") and sub is None:
            p.take()
            sub = p.group()
        elif p.at("char", "^"):
            save = p.i
            p.take()
            g = p.group()
            if plain(g) in STAR or _label(g):
                base = f"{latex_name(base)}^{{{_star(g) if plain(g) in STAR else plain_latex(g)}}}"
            elif g and all(u.is_("cmd", "prime") for u in g):
                primes += len(g)
            elif len(g) >= 3 and g[0].is_("char", "(") and (close := _paren_end(g)):
                inner, power = g[1:close], g[close + 1:] or None
                if _index_tokens(p, inner):
                    extra.append(inner)
                else:
                    base = f"{latex_name(base)}^{{({plain_latex(_checked(inner))})}}"
                if power:
                    break
            elif sub is None and p.at("char", "_") and power is None:
                power = g  # \mu^2_i: the power of the entry
            else:
                p.i = save
                break
        elif p.at("char", "'"):
            p.take()
            primes += 1
        else:
            break
    e = build(p, base, sub, primes, extra)
    return p.superscript(e, power) if power else e


def _label(g: list[Token]) -> bool:
    """A superscript that labels a name: a word of three letters or more (``D^{opt}``), or text
    (not ``\\mathrm{T}``, a transpose)."""
    if plain(g) in TRANSPOSE:
        return False
    words = g[2:-1] if len(g) > 3 and g[0].kind == "cmd" and g[0].text in TEXTNAME else g
    return len(words) >= 3 and all(u.kind == "letter" for u in words) or (len(g) > 3 and words is not g)


def _paren_end(g: list[Token]) -> int | None:
    depth = 0
    for k, u in enumerate(g):
        depth += u.is_("char", "(") - u.is_("char", ")")
        if depth == 0:
            return k if k > 1 else None
    return None


def _index_tokens(p, toks: list[Token]) -> bool:
    return bool(toks) and all(u.kind == "number" or (u.kind == "letter" and p.scope.is_index(u.text)) for u in toks)


def name_only(p) -> str:
    """The name at the parser's position with its subscript and decorations (no object built)."""
    base = base_name(p)
    sub = None
    if p.at("char", "_"):
        p.take()
        sub = p.group()
    while p.at("char", "^"):
        p.take()
        g = p.group()
        if plain(g) not in STAR:
            raise ReadError("not a name")
        base = f"{latex_name(base)}^{{{_star(g)}}}"
    return base if sub is None else join(base, plain_latex(sub))


def base_name(p) -> str:
    t = p.take()
    if t.kind == "letter" or (t.kind == "cmd" and t.text in GREEK):
        return t.text
    if t.kind == "cmd" and t.text in DECOR:
        inner = p.group()
        if len(inner) != 1 or not (inner[0].kind == "letter" or inner[0].text in GREEK):
            raise ReadError(f"\\{t.text}{{...}} of more than one letter", t.pos)
        return f"\\{t.text}{{{latex_name(inner[0].text)}}}"
    if t.kind == "cmd" and t.text in BOLD:
        inner = p.group()
        if plain(inner) in ("1", "0"):
            return f"\\mathbf{{{plain(inner)}}}"
        q = p.sub(inner)
        got = base_name(q)
        q.finish()
        return got
    if t.kind == "cmd" and t.text.startswith("@"):  # \mathrm{KL}-like words made names
        return "\\" + t.text[1:]
    raise ReadError(f"expected a name, found {show(t)}", t.pos)


def build(p, base: str, sub: list[Token] | None, primes: int = 0, extra=()):
    """``base`` with its subscript: a call, an indexed entry (``x_j``), or a symbol whose name
    includes the subscript (``\\sigma_q``)."""
    scope = p.scope
    applied = _applied(p, base, sub, primes)
    if applied is not None:
        return applied
    if sub is not None and scope.is_function(base) and p.call_ahead():
        nm = join(base, plain_latex(_checked(sub)))
        p.names.add(nm)
        indices = _indices(p, sub)
        if indices is not None and len(indices) == 1 and not primes and nm not in scope.functions:
            return IndexedCall(sp.Symbol(base), indices[0], *call_args(p))
        return call(p, nm, primes)
    declared = sub is not None and join(base, plain_latex(sub)) in scope.declared_names()
    indices = _indices(p, sub) if sub is not None and not declared else [] if extra else None
    if indices is not None and (base + "[]" in scope.notation.objects or base not in scope.notation.objects):
        if sub is not None and not extra and base in scope.notation.matrices and _iterate(p, base, sub):
            return scope.symbol(join(base, plain_latex(sub)))
        indices = indices + [p.parse_sub(x, "index") for x in extra]
        key = (base if not extra else f"{latex_name(base)}^{{(\\cdot)}}") + "'" * primes
        p.names.add(key)
        return scope.base(key)[tuple(indices)]
    nm = base if sub is None else join(base, plain_latex(_checked(sub)))
    if p.call_ahead() and (scope.is_function(nm) or _reads_as_call(p, nm, primes)):
        p.names.add(nm)
        return call(p, nm, primes)
    nm += "'" * primes
    p.names.add(nm)
    obj = scope.symbol(nm)
    if nm in scope.notation.applied and p.call_ahead():
        call_args(p)  # a network's output at its input: the declared object
    return obj


def _iterate(p, base: str, sub) -> bool:
    """``x_k`` of a declared matrix ``x``: its entry ``k`` (preferred), or a matrix of its shape
    of its own (the k-th iterate, the k-th sample); the fork ``("entry", base)``. An entry only
    when the subscript is a number (``\\mu_1``) or an index an enclosing sum binds (``v_j`` in
    ``\\sum_j``)."""
    letters = [t.text for t in sub if t.kind == "letter"]
    if not letters or all(x in p.scope.bound for x in letters):
        return False
    tex = f"{latex_name(base)}_{{{plain_latex(sub)}}}"
    rows, cols = p.scope.notation.matrices[base]
    return p.choose(("entry", base), [(False, f"reading {tex} as an entry of {latex_name(base)}"),
                                      (True, f"reading {tex} as a {rows} x {cols} matrix of its own")])


def _reads_as_call(p, nm: str, primes: int) -> bool:
    """``P(x)`` of a name nobody declared: a call when the file applies ``P`` to a variable (of an
    integral, a derivative, an expectation), here or before, or when it is primed (``f''(m)``);
    else the fork of both readings."""
    if p.scope.is_symbol(nm) or nm in ("e", "pi"):
        return False
    if primes:  # f''(m): a derivative of a function
        return True
    save = p.i
    args = call_tokens(p)
    p.i = save
    text = plain_latex(args)
    variables = set(p.scope.variables)
    if nm in p.scope.called or "*" in variables or any(plain(a) in variables for a in split_top(args, ",")):
        p.scope.called.add(nm)
        return True
    tex = f"{latex_name(nm)}({text})"
    return p.choose(("call", nm), [(False, f"reading {tex} as a product"),
                                   (True, f"reading {tex} as a function of {text}")])


def _applied(p, base: str, sub, primes: int):
    """A member ``z_i`` of a declared family; ``y(a)``, ``y_k(a)`` of a declared dependent column
    or Jacobian (:mod:`check.jacobians`); None for anything else."""
    n = p.scope.notation
    if primes or not (n.families or n.depends or n.jacobians):
        return None
    idx = _indices(p, sub) if sub is not None else None
    if idx is not None and len(idx) == 1 and base in n.families:
        p.names.add(base)
        return Member(base, idx[0], *(p.scope.size(x) for x in n.families[base]))
    if not p.call_ahead():
        return None
    nm = base if sub is None else join(base, plain_latex(_checked(sub)))
    if nm in n.depends or nm in n.jacobians:
        p.names.add(nm)
        return At(p.scope.symbol(nm), *call_args(p))
    if idx is not None and len(idx) == 1 and base in n.depends:
        p.names.add(base)
        return At(p.scope.symbol(base), *call_args(p))[idx[0] - 1, 0]
    return None


def _indices(p, toks: list[Token]):
    """The entries of a subscript made of indices, or None (the subscript names)."""
    if not toks or any(t.kind not in ("letter", "number", "char") for t in toks):
        return None
    if any(t.kind == "letter" and not p.scope.is_index(t.text) for t in toks):
        return None
    if any(t.kind == "char" and t.text not in "+-," for t in toks):
        return None
    out = []
    for part in split_top(toks, ","):
        if len(part) > 1 and all(t.kind == "letter" for t in part):  # x_{ij}
            out += [p.parse_sub([t]) for t in part]
        else:
            out.append(p.parse_sub(part, "index"))
    return out


def call_args(p) -> list:
    """``(a, b)``, ``\\left(a, b\\right)`` or SymPy's ``{\\left(a \\right)}``; ``p(x \\mid z)`` is the
    call ``p(x, z)``, and so is ``p(x | z)`` (:func:`conditional_bar`)."""
    parts = [q for a in split_top(call_tokens(p), ",") for q in split_top(conditional_bar(a), "mid", kind="cmd")]
    return [p.parse_sub(a, "argument") for a in parts]


def call_tokens(p) -> list:
    """The tokens inside ``(...)``, ``\\left(...\\right)`` or SymPy's ``{\\left(...\\right)}``."""
    braced = p.at("char", "{")
    if braced:
        p.take()
    t = p.take()
    if t.is_("cmd", "left"):
        p.take()
        inner, _ = p.until_right(t)
    else:
        inner = p.until("(", ")", t, braces=True)
    if braced:
        p.expect("char", "}", "} after the arguments")
    return inner


def call(p, nm: str, primes: int = 0):
    args = call_args(p)
    f = sp.Function(nm)
    if primes:
        if len(args) != 1:
            raise ReadError(f"{nm}' of several arguments", p.pos())
        x = sp.Dummy("x", real=True)
        return sp.Subs(sp.Derivative(f(x), (x, primes)), x, args[0])
    return f(*args)


def conditional_bar(toks: list[Token]) -> list[Token]:
    """An argument with exactly one bare ``|`` outside groups: that ``|`` is the conditional bar
    ``\\mid`` (``q(z|x)``). Two or more are absolute values (``f(|x|)``); a ``|`` after ``\\left``,
    ``\\right`` is a delimiter."""
    bars, depth = [], 0
    for k, t in enumerate(toks):
        depth += (t.kind == "char" and t.text in "{([") or t.is_("cmd", "left") or t.kind == "begin"
        depth -= (t.kind == "char" and t.text in "})]") or t.is_("cmd", "right") or t.kind == "end"
        delimiter = k > 0 and toks[k - 1].kind == "cmd" and toks[k - 1].text in ("left", "right")
        if t.is_("char", "|") and not delimiter:
            bars.append((k, depth))
    if len(bars) != 1 or bars[0][1] != 0:
        return toks
    k = bars[0][0]
    return [*toks[:k], Token("cmd", "mid", toks[k].pos), *toks[k + 1:]]


def plain_latex(toks: list[Token]) -> str:
    """A subscript's tokens as LaTeX text (the part of a name after ``_``)."""
    out = []
    for t in toks:
        if t.kind == "cmd":
            out.append(("\\" + t.text + " ") if t.text.isalpha() else "\\" + t.text)
        elif t.kind == "text":
            out.append(f"\\text{{{t.text}}}")
        else:
            out.append(t.text)
    s = "".join(out).strip()
    return s.replace(" ,", ",").replace(" }", "}").replace(" {", "{").replace("\\mathrm {", "\\mathrm{")


def _checked(toks: list[Token]) -> list[Token]:
    """A subscript that becomes part of a name may hold letters, digits, a few characters and
    known commands only (so a name can never carry an arbitrary macro)."""
    for t in toks:
        if t.kind == "cmd" and t.text not in _NAME_CMDS and t.text not in (",", ";", "!", " "):
            raise ReadError(f"unknown macro \\{t.text}" if t.text.isalpha() else f"cannot read \\{t.text} in a subscript", t.pos)
        if t.kind == "char" and t.text not in "+-,*'=(){}|":
            raise ReadError(f"cannot read {t.text!r} in a subscript", t.pos)
        if t.kind == "text" and not all(c.isalnum() or c == " " for c in t.text):
            raise ReadError("\\text in a subscript may hold letters and digits only", t.pos)
        if t.kind in ("begin", "end", "tag", "nonumber"):
            raise ReadError(f"cannot read {show(t)} in a subscript", t.pos)
    return toks


def latex_name(nm: str) -> str:
    return "\\" + nm if nm in GREEK else nm


def join(base: str, sub: str) -> str:
    if len(sub) == 1 and sub.isalnum():
        return f"{base}_{sub}"
    return f"{base}_{{{sub}}}"


def _star(g: list[Token]) -> str:
    text = plain(g)
    return "*" if text in ("*", "ast") else "\\" + text


def _greek(p, t: Token):
    n = p.scope.notation
    if t.text == "pi" and not p.scope.is_function("pi") and "pi" not in n.domains and "pi" not in n.matrices:
        p.take()
        return sp.pi
    return name(p, t)


COMMANDS = {**{("cmd", g): _greek for g in GREEK}, **{("cmd", d): name for d in DECOR | BOLD}}

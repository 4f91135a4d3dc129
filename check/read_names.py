r"""How the reader (:mod:`check.parser`) reads names with their scripts, indexed
entries and function calls (:class:`NameReader`, a mixin of :class:`~check.parser.Parser`).

- ``x_j`` is the j-th entry of ``x`` when the subscript is made of indices (``i j k l``,
  bound variables, digits); otherwise the subscript is part of the name (``\sigma_q``);
  ``x_{ij}`` is the entry ``(i, j)``.
- ``^*``, ``^\star``, ``^\prime`` and primes decorate a name.
- A name applied to arguments is a function call only for declared functions; ``f'(x)`` is the
  derivative of ``f`` at ``x``.
- With the notation tables of :mod:`check.jacobians`: ``z_i`` of a declared family is
  one matrix of that family; ``y(a)`` and ``y_k(a)`` of a declared dependent column, and
  ``g(a)`` of a declared Jacobian, take the first dependencies at ``a``.
- A subscript that becomes part of a name holds letters, digits, a few characters and known
  commands only.
"""
from __future__ import annotations

import sympy as sp

from check.jacobians import At, Member
from check.lexer import ReadError, Token
from check.objects import IndexedCall
from check.read_probability import conditional_bar
from check.token_lists import BOLD, DECOR, GREEK, plain, show, split_top

__all__ = ["NameReader", "STAR", "latex_name", "join", "star", "plain_latex"]


STAR = frozenset({"*", "star", "ast", "prime", "dagger"})


class NameReader:
    """Names with their scripts, indexed entries and function calls (a mixin of the parser)."""

    def name(self):
        """A symbol, an indexed entry or a function call, with its scripts."""
        base = self.base_name()
        sub, sups, primes = None, [], 0
        while True:
            if self.at("char", "_") and sub is None:
                self.take()
                sub = self.group()
            elif self.at("char", "^"):
                save = self.i
                self.take()
                g = self.group()
                if plain(g) in STAR:
                    base = f"{latex_name(base)}^{{{star(g)}}}"
                else:
                    self.i = save
                    break
            elif self.at("char", "'"):
                self.take()
                primes += 1
            else:
                break
        return self.build_name(base, sub, primes)

    def base_name(self) -> str:
        t = self.take()
        if t.kind == "letter":
            return t.text
        if t.kind == "cmd" and t.text in GREEK:
            return t.text
        if t.kind == "cmd" and t.text in DECOR:
            inner = self.group()
            if len(inner) != 1 or not (inner[0].kind == "letter" or inner[0].text in GREEK):
                raise ReadError(f"\\{t.text}{{...}} of more than one letter", t.pos)
            return f"\\{t.text}{{{latex_name(inner[0].text)}}}"
        if t.kind == "cmd" and t.text in BOLD:
            inner = self.group()
            if plain(inner) in ("1", "0"):
                return f"\\mathbf{{{plain(inner)}}}"
            sub = self.sub(inner)
            name = sub.base_name()
            sub.finish()
            return name
        raise ReadError(f"expected a name, found {show(t)}", t.pos)

    def build_name(self, base: str, sub: list[Token] | None, primes: int):
        """``base`` with its subscript: a call of a declared function, an indexed entry
        (``x_j``), or a symbol whose name includes the subscript (``\\sigma_q``)."""
        scope = self.scope
        applied = self._applied(base, sub, primes)
        if applied is not None:
            return applied
        if sub is not None and scope.is_function(base) and self._call_ahead():
            name = join(base, plain_latex(_checked_name(sub)))
            self.names.add(name)
            indices = self._indices(sub)
            if indices is not None and len(indices) == 1 and not primes and name not in scope.functions:
                return IndexedCall(sp.Symbol(base), indices[0], *self.call_args())
            return self.call(name, primes)
        declared = sub is not None and join(base, plain_latex(sub)) in scope.declared_names()
        indices = self._indices(sub) if sub is not None and not declared else None
        if indices is not None and (base + "[]" in scope.notation.objects or base not in scope.notation.objects):
            self.names.add(base)
            return scope.base(base)[tuple(indices)]
        name = base if sub is None else join(base, plain_latex(_checked_name(sub)))
        if scope.is_function(name) and self._call_ahead():
            self.names.add(name)
            return self.call(name, primes)
        name += "'" * primes
        self.names.add(name)
        obj = scope.symbol(name)
        if name in scope.notation.applied and self._call_ahead():
            self.call_args()  # a network's output at its input: the declared object
        return obj

    def _applied(self, base: str, sub: list[Token] | None, primes: int):
        """A member ``z_i`` of a declared family; ``y(a)``, ``y_k(a)`` of a declared dependent
        column or Jacobian (:mod:`check.jacobians`); None for anything else."""
        n = self.scope.notation
        if primes or not (n.families or n.depends or n.jacobians):
            return None
        idx = self._indices(sub) if sub is not None else None
        if idx is not None and len(idx) == 1 and base in n.families:
            self.names.add(base)
            return Member(base, idx[0], *(self.scope.size(x) for x in n.families[base]))
        if not self._call_ahead():
            return None
        name = base if sub is None else join(base, plain_latex(_checked_name(sub)))
        if name in n.depends or name in n.jacobians:
            self.names.add(name)
            return At(self.scope.symbol(name), *self.call_args())
        if idx is not None and len(idx) == 1 and base in n.depends:
            self.names.add(base)
            return At(self.scope.symbol(base), *self.call_args())[idx[0] - 1, 0]
        return None

    def _indices(self, toks: list[Token]):
        """The entries of a subscript made of indices, or None (the subscript names)."""
        if not toks or any(t.kind not in ("letter", "number", "char") for t in toks):
            return None
        if any(t.kind == "letter" and not self.scope.is_index(t.text) for t in toks):
            return None
        if any(t.kind == "char" and t.text not in "+-," for t in toks):
            return None
        parts, cur = [], []
        for t in toks:
            if t.is_("char", ","):
                parts.append(cur)
                cur = []
            else:
                cur.append(t)
        parts.append(cur)
        out = []
        for p in parts:
            if len(p) > 1 and all(t.kind == "letter" for t in p):  # x_{ij}
                out += [self.parse_sub([t]) for t in p]
            else:
                out.append(self.parse_sub(p, "index"))
        return out

    def call_args(self) -> list:
        """``(a, b)``, ``\\left(a, b\\right)`` or SymPy's ``{\\left(a \\right)}``; ``p(x \\mid z)``
        is the call ``p(x, z)``, and so is ``p(x | z)`` (:func:`conditional_bar`)."""
        parts = [q for a in split_top(self.call_tokens(), ",")
                 for q in split_top(conditional_bar(a), "mid", kind="cmd")]
        return [self.parse_sub(a, "argument") for a in parts]

    def call_tokens(self) -> list:
        """The tokens inside ``(...)``, ``\\left(...\\right)`` or SymPy's ``{\\left(...\\right)}``."""
        braced = self.at("char", "{")
        if braced:
            self.take()
        t = self.take()
        if t.is_("cmd", "left"):
            self.take()
            inner, _ = self._until_right(t)
        else:
            inner = self._until_char(")", t, opens="(")
        if braced:
            self.expect("char", "}", "} after the arguments")
        return inner

    def call(self, name: str, primes: int = 0):
        args = self.call_args()
        f = sp.Function(name)
        if primes:
            if len(args) != 1:
                raise ReadError(f"{name}' of several arguments", self.pos())
            x = sp.Dummy("x", real=True)
            return sp.Subs(sp.Derivative(f(x), (x, primes)), x, args[0])
        return f(*args)


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


_NAME_CMDS = GREEK | {"prime", "star", "ast", "mathrm", "mathit", "mathsf", "mathbf", "operatorname", "top",
                      "infty", "partial", "ell", "cdot"}


def _checked_name(toks: list[Token]) -> list[Token]:
    """A subscript that becomes part of a name may hold letters, digits, a few characters
    and known commands only (so a name can never carry an arbitrary macro)."""
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


def latex_name(name: str) -> str:
    return "\\" + name if name in GREEK else name


def join(base: str, sub: str) -> str:
    if len(sub) == 1 and sub.isalnum():
        return f"{base}_{sub}"
    return f"{base}_{{{sub}}}"


def star(g: list[Token]) -> str:
    text = plain(g)
    return "*" if text in ("*", "ast") else "\\" + text

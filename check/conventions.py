r"""The author's conventions, stated once for a file: what the prose says and the math does not.

- ``[conventions] log = 10`` in a notation file: the author's ``\log`` (and ``log`` written
  without a backslash) is base 10 (:func:`log_base`: read as ``\log_{10}``); ``\ln`` stays
  natural.
- ``[rename]`` in a notation file: a part's letters as the author writes them
  (``q = "P"``, ``p = "Q"``: part 2.a's ``q`` and ``p`` are the author's ``P`` and ``Q``;
  :func:`renamed`), so that ``--part 2.a`` loads its densities under the author's names.
- ``--assume`` on the command line (:func:`assumption_lines`): ``'\mu_2 = 0'`` defines
  (``\mu_2 := 0``), ``'L \ge \mu'`` restricts the numeric points; a Greek letter may be written
  without its backslash (``'mu_2 = 0'``).

>>> assumption_lines(["mu_2 = 0", r"L \ge \mu", r"\sigma_2 := 1"])
(('\\mu_2 := 0', '\\sigma_2 := 1'), ('L \\ge \\mu',))
"""
from __future__ import annotations

import re
from dataclasses import replace
from types import MappingProxyType

import sympy as sp
from sympy.core.function import AppliedUndef

from check.lexer import Token

__all__ = ["log_base", "renamed", "renamed_expr", "assumption_lines", "GREEK"]

GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
         "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
         "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega")
_GREEK = re.compile(r"(?<![\\A-Za-z])(" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")(?![A-Za-z])")
_INEQUALITY = re.compile(r"\\(le|ge|leq|geq|lt|gt)(?![A-Za-z])|<|>")


def log_base(tokens: list[Token], base: int) -> list[Token]:
    """``\\log x`` and ``log x`` as ``\\log_{base} x`` (a ``\\log`` with its own subscript is kept)."""
    out, k = [], 0
    while k < len(tokens):
        t = tokens[k]
        word = (t.kind == "letter" and t.text == "l" and k + 2 < len(tokens) and tokens[k + 1].is_("letter", "o")
                and tokens[k + 2].is_("letter", "g") and not (k and tokens[k - 1].kind == "letter")
                and not (k + 3 < len(tokens) and tokens[k + 3].kind == "letter"))
        if t.is_("cmd", "log") or word:
            k += 1 if t.kind == "cmd" else 3
            out.append(Token("cmd", "log", t.pos))
            if not (k < len(tokens) and tokens[k].is_("char", "_")):
                out += [Token("char", "_", t.pos), Token("char", "{", t.pos), Token("number", str(base), t.pos),
                        Token("char", "}", t.pos)]
            continue
        out.append(t)
        k += 1
    return out


def _rename_text(text: str, mapping: dict) -> str:
    """Every name of ``mapping`` replaced at once (a simultaneous substitution, so that
    ``{q: p, p: q}`` swaps the two letters).

    >>> _rename_text(r"q(z) := p(z) + \\phi", {"q": "p", "p": "q"})
    'p(z) := q(z) + \\\\phi'
    """
    if not mapping:
        return text
    names = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    return re.sub(r"(?<![\\A-Za-z])(" + names + r")(?![A-Za-z])", lambda m: mapping[m.group(1)], text)


def _rename_name(name: str, mapping: dict) -> str:
    """``q`` -> ``P``, ``q_1`` -> ``P_1`` (a name or a name with a subscript)."""
    base, sep, sub = name.partition("_")
    return mapping.get(base, base) + sep + sub if base in mapping else name


def renamed(notation, mapping: dict):
    """``notation`` (a part's) with its letters renamed as the author writes them."""
    if not mapping:
        return notation
    keys = lambda d: MappingProxyType({_rename_name(k, mapping): v for k, v in d.items()})
    return replace(
        notation, definitions=tuple(_rename_text(t, mapping) for t in notation.definitions),
        functions=frozenset(_rename_name(n, mapping) for n in notation.functions),
        densities=frozenset(_rename_name(n, mapping) for n in notation.densities),
        objects=keys(notation.objects), domains=keys(notation.domains), matrices=keys(notation.matrices),
        default_expectation=_rename_name(notation.default_expectation, mapping) if notation.default_expectation else None)


def renamed_expr(e, mapping: dict):
    """A part's expression (its reference result) with its functions and names renamed as
    :func:`renamed` renames the part's notation (``q_1(z) -> p_1(z)`` when ``q`` and ``p`` swap)."""
    if not mapping or not isinstance(e, sp.Basic):
        return e
    funcs = {f: sp.Function(new, **getattr(f, "_explicit_class_assumptions", {}))
             for f in {a.func for a in e.atoms(AppliedUndef)}
             if (new := _rename_name(f.__name__, mapping)) != f.__name__}
    syms = {s: s.func(new, **s.assumptions0) for s in e.atoms(sp.Symbol)
            if (new := _rename_name(s.name, mapping)) != s.name}
    return e.replace(lambda x: isinstance(x, AppliedUndef) and x.func in funcs,
                     lambda x: funcs[x.func](*x.args)).xreplace(syms)


def assumption_lines(values) -> tuple[tuple, tuple]:
    """``--assume`` values as notation lines: ``(definitions, assumptions)``."""
    defs, assume = [], []
    for v in values:
        v = _GREEK.sub(lambda m: "\\" + m.group(1), v.strip())
        if _INEQUALITY.search(v):
            assume.append(v)
        elif ":=" in v:
            defs.append(v)
        else:
            defs.append(v.replace("=", ":=", 1))
    return tuple(defs), tuple(assume)

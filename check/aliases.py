r"""Ways of writing the same thing, rewritten to one spelling before anything is read: the
table of aliases, of style switches that carry no meaning and of wrappers around a formula.

- :data:`RENAME`: ``\dfrac``, ``\tfrac`` -> ``\frac``; ``\lVert``, ``\Vert``, ``\parallel`` -> ``\|``;
  ``\lvert`` -> ``|``; ``\leqslant`` -> ``\le`` ... (relations and arrows keep their names: the
  lines are split at them by :mod:`check.steps`).
- :data:`DROP`: ``\small``, ``\displaystyle``, ``\middle`` ... (a style, not math).
- :data:`WRAPPERS`: ``\boxed{X}``, ``\underbrace{X}_{Y}``, ``\overbrace{X}^{Y}``, ``\mathop{X}``
  are ``{X}``; ``\overset{(a)}{=}`` and ``\stackrel{def}{=}`` are the relation ``=`` (a label over
  a relation; over anything else, the thing); ``\underset{D}{\max}`` is ``{\max}_{D}``;
  ``\eqref{..}`` and ``\ref{..}`` are tags (comments).
- ``\cal X`` is ``\mathcal{X}``; ``{\rm tr}`` is ``\mathrm{tr}`` (also ``\bf`` -> ``\mathbf``,
  ``\it`` dropped); ``\mathfrak``, ``\mathscr`` are ``\mathcal``.
- ``\text{Re}(z)`` (a word applied to an argument) is ``\operatorname{Re}(z)``, a name.
- ``<x, w>`` (a comma between ``<`` and ``>``, no relation between) is ``\langle x, w \rangle``.

>>> from check.lexer import tokenize
>>> [t.text for t in tokenize(r"a \overset{(a)}{=} \boxed{\dfrac{1}{2}}")]
['a', '=', '{', 'frac', '{', '1', '}', '{', '2', '}', '}']
"""
from __future__ import annotations

from check.lexer import ReadError, Token

__all__ = ["rewrite", "RENAME", "DROP", "WRAPPERS"]

RENAME = {"dfrac": "frac", "tfrac": "frac", "cfrac": "frac", "dbinom": "binom", "tbinom": "binom",
          "lVert": "|", "rVert": "|", "Vert": "|", "parallel": "|", "leqslant": "le",
          "geqslant": "ge", "lbrace": "{", "rbrace": "}", "mathfrak": "mathcal", "mathscr": "mathcal",
          "vartheta": "theta", "varphi": "phi", "varepsilon": "epsilon", "coloneq": "coloneqq", "bm": "boldsymbol"}
_CHARS = {"lvert": "|", "rvert": "|", "vert": "|", "ast": "*", "lt": "<", "gt": ">"}
DROP = frozenset({"small", "normalsize", "large", "Large", "footnotesize", "scriptsize", "displaystyle",
                  "textstyle", "scriptstyle", "mathstrut", "strut", "hfill", "middle", "limits", "nolimits",
                  "it", "cdotp", "nobreak", "allowbreak", "phantom"})
WRAPPERS = {"boxed": 1, "underbrace": 1, "overbrace": 1, "mathop": 1, "overset": 2, "stackrel": 2,
            "underset": 2, "eqref": 0, "ref": 0}
_STYLE = {"rm": "mathrm", "bf": "mathbf", "cal": "mathcal", "mathcal": "mathcal", "sf": "mathsf", "tt": "mathtt"}
_RELATIONS = frozenset({"=", "<", ">", "le", "leq", "ge", "geq", "ne", "neq", "approx", "equiv", "coloneqq",
                        "triangleq", "sim", "Rightarrow", "implies", "iff"})


def _group(toks: list[Token], i: int) -> tuple[list[Token], int]:
    """The ``{...}`` group (or the single token) at ``toks[i]``: its tokens with the braces, and
    the index after it."""
    if i >= len(toks):
        raise ReadError("an argument is missing at the end", toks[-1].pos if toks else None)
    if not toks[i].is_("char", "{"):
        return [toks[i]], i + 1
    depth = 0
    for j in range(i, len(toks)):
        depth += toks[j].is_("char", "{") - toks[j].is_("char", "}")
        if depth == 0:
            return toks[i:j + 1], j + 1
    raise ReadError("{ is never closed", toks[i].pos)


def _inner(group: list[Token]) -> list[Token]:
    return group[1:-1] if len(group) > 1 and group[0].is_("char", "{") else group


def _braced(group: list[Token], pos: int) -> list[Token]:
    return group if group[0].is_("char", "{") else [Token("char", "{", pos), *group, Token("char", "}", pos)]


def _wrapper(t: Token, toks: list[Token], i: int) -> tuple[list[Token], int]:
    """The tokens a wrapper at ``toks[i - 1] == t`` stands for, and the index after it."""
    if WRAPPERS[t.text] == 0:
        g, i = _group(toks, i)
        return [Token("tag", "".join(u.text for u in _inner(g)), t.pos)], i
    if WRAPPERS[t.text] == 1:
        g, i = _group(toks, i)
        if t.text in ("underbrace", "overbrace") and i < len(toks) and toks[i].text in ("_", "^"):
            _, i = _group(toks, i + 1)  # the brace's note: not math of the line
        relation = any(u.text in _RELATIONS and u.kind in ("char", "cmd") for u in _inner(g))
        return (_inner(g) if relation else _braced(g, t.pos)), i  # \boxed{a = b}: the relation stays
    over, i = _group(toks, i)
    body, i = _group(toks, i)
    inner = _inner(body)
    if len(inner) == 1 and inner[0].text in _RELATIONS:
        return inner, i
    if t.text == "underset":
        return [*_braced(body, t.pos), Token("char", "_", t.pos), *_braced(over, t.pos)], i
    return _braced(body, t.pos), i


def _style(toks: list[Token], i: int, out: list[Token]) -> int:
    """``\\cal X`` -> ``\\mathcal{X}``; ``{\\rm tr}`` -> ``\\mathrm{tr}`` (the rest of the group)."""
    t = toks[i]
    cmd = Token("cmd", _STYLE[t.text], t.pos)
    if t.text == "mathcal" or (i + 1 < len(toks) and toks[i + 1].is_("char", "{")):
        g, j = _group(toks, i + 1)
        out += [cmd, *_braced(g, t.pos)]
        return j
    if out and out[-1].is_("char", "{"):  # {\rm tr}: the style runs to the closing brace
        depth, j = 1, i + 1
        while j < len(toks) and depth:
            depth += toks[j].is_("char", "{") - toks[j].is_("char", "}")
            j += 1
        out[-1:] = [cmd, out[-1], *toks[i + 1:j]]
        return j
    g, j = _group(toks, i + 1)  # \rm x: the next token
    out += [cmd, *_braced(g, t.pos)]
    return j


def _inner_product(toks: list[Token], i: int) -> int | None:
    """The index of the ``>`` that closes ``<x, w>`` at ``toks[i]``, if it is one."""
    depth, comma = 0, False
    for j in range(i + 1, min(len(toks), i + 60)):
        u = toks[j]
        depth += u.is_("char", "{") + u.is_("char", "(") - u.is_("char", "}") - u.is_("char", ")")
        if depth < 0 or (u.kind == "cmd" and u.text in _RELATIONS) or u.text in ("=", "<"):
            return None
        if depth == 0 and u.is_("char", ","):
            comma = True
        if depth == 0 and u.is_("char", ">"):
            return j if comma else None
    return None


def _called_word(toks: list[Token], i: int) -> bool:
    """``\\text{word}(`` where the word is a name (``Re``, ``Im``, ``relu``), not a connective (``if``)."""
    from check.clauses import connective
    t = toks[i]
    return (t.text.isalpha() and t.text.isascii() and i + 1 < len(toks) and toks[i + 1].is_("char", "(")
            and connective(t) is None)


def rewrite(toks: list[Token]) -> list[Token]:
    """``toks`` with every spelling of the tables rewritten (see the module docstring)."""
    out: list[Token] = []
    closers: set[int] = set()
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "cmd" and t.text in DROP:
            i += 1
        elif t.kind == "cmd" and t.text in RENAME:
            out.append(Token("cmd", RENAME[t.text], t.pos))
            i += 1
        elif t.kind == "cmd" and t.text in _CHARS:
            out.append(Token("char", _CHARS[t.text], t.pos))
            i += 1
        elif t.kind == "cmd" and t.text in WRAPPERS:
            body, i = _wrapper(t, toks, i + 1)
            out += rewrite(body)
        elif t.kind == "cmd" and t.text in _STYLE:
            i = _style(toks, i, out)
        elif t.is_("char", "<") and (j := _inner_product(toks, i)) is not None:
            out.append(Token("cmd", "langle", t.pos))
            closers.add(j)
            i += 1
        elif t.kind == "text" and _called_word(toks, i):  # \text{Re}(z): the name Re, applied
            out += [Token("cmd", "operatorname", t.pos), Token("char", "{", t.pos),
                    *(Token("letter", c, t.pos) for c in t.text), Token("char", "}", t.pos)]
            i += 1
        elif i in closers:
            out.append(Token("cmd", "rangle", t.pos))
            i += 1
        else:
            out.append(t)
            i += 1
    return out

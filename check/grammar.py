r"""The reader's tables (:mod:`check.parser`): the words, the operators with their binding
powers, the tokens that end an expression, and what the reader does with token lists (split
them at a separator outside groups, show them in an error, spell them as text).

Binding powers, loosest first: ``+ -`` (:data:`SUM`), the products ``\cdot \times * / \div
\circ \odot``, juxtaposition and the evaluation bar (:data:`PRODUCT`), the scripts ``^ _``, ``!``
and ``'`` (:data:`POWER`). A prefix operator takes its operand at a binding power: ``\sum``,
``\nabla``, ``\frac{d}{dx}`` take a *term* (the products that follow), ``\ln`` a *factor*
(with its scripts), a unary minus a term at the start and a factor after a product sign.
"""
from __future__ import annotations

from check.lexer import Token

__all__ = ["GREEK", "DECOR", "BOLD", "TEXTNAME", "SKIP", "SUM", "PRODUCT", "POWER", "INFIX", "stops",
           "FUNCS", "WORDS", "TRANSPOSE", "KL_NAMES", "split_top", "split_rows", "show", "plain"]

GREEK = frozenset("""alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron
pi varpi rho varrho sigma varsigma tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma
Upsilon Phi Psi Omega ell""".split())
DECOR = frozenset({"bar", "hat", "tilde", "overline", "widehat", "widetilde", "dot", "ddot", "breve",
                   "check", "acute", "grave", "mathring", "underline"})
BOLD = frozenset({"mathbf", "boldsymbol", "vec", "mathbfit", "pmb"})
TEXTNAME = frozenset({"mathrm", "operatorname", "mathit", "mathsf", "mathtt"})
SKIP = frozenset({",", ";", ":", "!", " ", "limits", "nolimits", "big", "Big", "bigg", "Bigg", "bigl", "bigr",
                  "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "quad", "qquad"})

SUM, PRODUCT, POWER = 10, 20, 30
INFIX = {("char", "+"): SUM, ("char", "-"): SUM, ("cmd", "cdot"): PRODUCT, ("cmd", "times"): PRODUCT,
         ("char", "*"): PRODUCT, ("char", "/"): PRODUCT, ("cmd", "div"): PRODUCT, ("cmd", "circ"): PRODUCT,
         ("cmd", "odot"): PRODUCT, ("cmd", "big|"): PRODUCT, ("char", "^"): POWER, ("char", "!"): POWER,
         ("char", "'"): POWER, ("char", "_"): POWER, ("cmd", "pm"): SUM, ("cmd", "mp"): SUM}
_STOP_CHARS = frozenset("=)]},;&<>:")
_STOP_CMDS = frozenset({"right", "mid", "le", "leq", "ge", "geq", "ne", "neq", "approx", "equiv", "to",
                        "rightarrow", "sim", "simeq", "propto", "coloneqq", "rangle", "\\", "}", "implies", "iff",
                        "Rightarrow", "Longrightarrow", "Leftrightarrow", "Longleftrightarrow", "in", "triangleq",
                        "doteq", "leftarrow", "mapsto", "cr", "newline"})


def stops(t: Token | None) -> bool:
    """``t`` ends an expression: a relation, a closing delimiter, ``&``, ``\\\\``, a tag."""
    return (t is None or (t.kind == "char" and t.text in _STOP_CHARS) or (t.kind == "cmd" and t.text in _STOP_CMDS)
            or t.kind in ("tag", "nonumber", "end"))


FUNCS = frozenset({"ln", "log", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "arctan", "arcsin", "arccos"})
WORDS = frozenset({"KL", "tr", "Tr", "diag", "Var", "det", "max", "min", *FUNCS})
TRANSPOSE = frozenset({"T", "top", "intercal", "mathsf{T}", "mathrm{T}", "tau_T"})
KL_NAMES = frozenset({"KL", "mathrm{KL}", "text{KL}", "operatorname{KL}"})


def _opens(t: Token) -> bool:
    return (t.kind == "char" and t.text in "{([") or t.is_("cmd", "left") or t.kind == "begin"


def _closes(t: Token) -> bool:
    return (t.kind == "char" and t.text in "})]") or t.is_("cmd", "right") or t.kind == "end"


def split_top(toks: list[Token], sep: str, kind: str = "char") -> list[list[Token]]:
    """Split at ``sep`` outside braces, parentheses and \\left...\\right."""
    out, cur, depth = [], [], 0
    for t in toks:
        depth += _opens(t) - _closes(t)
        if depth == 0 and t.is_(kind, sep):
            out.append(cur)
            cur = []
        else:
            cur.append(t)
    out.append(cur)
    return out


def split_rows(toks: list[Token]) -> list[list[Token]]:
    """The rows of a matrix or ``\\substack``, at ``\\\\`` outside inner groups."""
    out, cur, depth = [], [], 0
    for t in toks:
        depth += (t.kind == "begin") - (t.kind == "end") + t.is_("char", "{") - t.is_("char", "}")
        if depth == 0 and t.is_("cmd", "\\"):
            out.append(cur)
            cur = []
        else:
            cur.append(t)
    out.append(cur)
    return [r for r in out if r]


def show(t: Token | None) -> str:
    if t is None:
        return "the end"
    if t.kind == "cmd":
        return "\\" + t.text
    if t.kind in ("begin", "end"):
        return f"\\{t.kind}{{{t.text}}}"
    return repr(t.text)


def plain(toks: list[Token]) -> str:
    """The tokens as compact text: ``mathrm{KL}``, ``\\top`` -> ``top``."""
    return "".join(t.text for t in toks)

r"""The words of the reader (:mod:`check.parser`) and what it does with token lists:
split them at a separator outside groups, show them in an error, spell them as text.

Greek letters are names (``\sigma``, ``\ell``); ``\bar{x}``, ``\hat{x}`` ... decorate a name;
``\mathbf{w}``, ``\boldsymbol{w}``, ``\vec{w}`` ... are the name ``w`` in bold.
"""
from __future__ import annotations

from check.lexer import Token

__all__ = ["GREEK", "DECOR", "BOLD", "split_top", "split_rows", "show", "plain"]


GREEK = frozenset("""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa
lambda mu nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega
Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell""".split())
DECOR = frozenset({"bar", "hat", "tilde", "overline", "widehat", "widetilde", "dot", "ddot", "breve",
                   "check", "acute", "grave", "mathring", "underline"})
BOLD = frozenset({"mathbf", "boldsymbol", "bm", "vec", "mathbfit", "pmb"})


def split_top(toks: list[Token], sep: str, kind: str = "char") -> list[list[Token]]:
    """Split at ``sep`` outside braces, parentheses and \\left...\\right."""
    out, cur, depth = [], [], 0
    for t in toks:
        if t.is_("char", "{") or t.is_("char", "(") or t.is_("char", "[") or t.is_("cmd", "left") or t.kind == "begin":
            depth += 1
        elif t.is_("char", "}") or t.is_("char", ")") or t.is_("char", "]") or t.is_("cmd", "right") or t.kind == "end":
            depth -= 1
        if depth == 0 and t.is_(kind, sep):
            out.append(cur)
            cur = []
        else:
            cur.append(t)
    out.append(cur)
    return out


def split_rows(toks: list[Token]) -> list[list[Token]]:
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
    out = []
    for t in toks:
        out.append(t.text)
    return "".join(out)

r"""The display blocks of a LaTeX file and their lines.

Blocks are ``align``, ``align*``, ``equation``, ``equation*``, ``gather``, ``gather*``,
``$$ ... $$`` and ``\[ ... \]``; text outside them is prose and is not read. A block is
split into lines at ``\\`` (outside braces and inner environments; ``aligned`` and
``split`` inside a block split lines too). In each line

- ``&`` alignment marks are dropped (an ``&`` inside an inner environment, a ``pmatrix``,
  separates its entries and is kept);
- ``\tag``, ``\label``, ``\nonumber``, a ``\text{...}`` remark, and everything after a
  ``\quad``/``\qquad`` or a ``\text`` that follows the math are *comments*: kept for the
  report, never read as math;
- a trailing ``,``, ``.`` or ``;`` is punctuation.

>>> src = Source(r"\begin{align*} a &= b \\ &= c \quad\text{done} \label{x} \end{align*}")
>>> [([t.text for t in l.tokens], l.comments) for l in lines_of(src)]
[(['a', '=', 'b'], []), (['=', 'c'], ['\\quad\\text{done}', '\\label{x}'])]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from check.lexer import Macro, ReadError, Source, Token, tokenize

__all__ = ["Block", "Line", "blocks_of", "lines_of", "token_end", "ENVIRONMENTS"]

ENVIRONMENTS = ("align", "align*", "equation", "equation*", "gather", "gather*")
_TRANSPARENT = ("aligned", "split", "gathered", "alignedat")
_START = re.compile(r"\\begin\s*\{(align\*?|equation\*?|gather\*?)\}|\$\$|\\\[")
_REMARK_SPACES = ("quad", "qquad")


@dataclass(frozen=True)
class Block:
    """One display block: its environment, and the offsets of its body in the file."""

    env: str
    start: int
    end: int


@dataclass
class Line:
    """One line of a block: its math tokens and its comments (source text of each)."""

    block: int
    env: str
    tokens: list[Token]
    comments: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0


def _masked(text: str) -> str:
    """``text`` with ``%`` comments blanked (offsets unchanged)."""
    return re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)


def blocks_of(src: Source) -> list[Block]:
    """Every display block of the file, in order."""
    text, out, i = _masked(src.text), [], 0
    while True:
        m = _START.search(text, i)
        if not m:
            return out
        if m.group(0) == "$$":
            env, close = "$$", re.compile(r"\$\$")
        elif m.group(0) == "\\[":
            env, close = "\\[", re.compile(r"\\\]")
        else:
            env = m.group(1)
            close = re.compile(r"\\end\s*\{" + re.escape(env) + r"\}")
        c = close.search(text, m.end())
        if not c:
            line = src.line_of(m.start())
            raise ReadError(f"line {line}: {m.group(0)} is never closed")
        out.append(Block(env, m.end(), c.start()))
        i = c.end()


def _split(tokens: list[Token]) -> list[list[Token]]:
    """Split at ``\\\\`` outside braces and inner environments (except transparent ones)."""
    lines, cur, depth, envs = [], [], 0, 0
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.kind in ("begin", "end") and t.text in _TRANSPARENT:
            i += 1
            continue
        if t.is_("char", "{"):
            depth += 1
        elif t.is_("char", "}"):
            depth -= 1
        elif t.kind == "begin":
            envs += 1
        elif t.kind == "end":
            envs -= 1
        if t.is_("cmd", "\\") and depth == 0 and envs == 0:
            lines.append(cur)
            cur = []
            i += 1
            if i < len(tokens) and tokens[i].is_("char", "*"):
                i += 1
            if i < len(tokens) and tokens[i].is_("char", "["):  # \\[2pt]
                while i < len(tokens) and not tokens[i].is_("char", "]"):
                    i += 1
                i += 1
            continue
        cur.append(t)
        i += 1
    lines.append(cur)
    return lines


def _comments(tokens: list[Token], src: Source) -> tuple[list[Token], list[str]]:
    """Separate a line's math tokens from its comments (see the module docstring)."""
    math, comments, depth = [], [], 0
    for k, t in enumerate(tokens):
        depth += t.is_("char", "{") - t.is_("char", "}")
        depth += _inner_env(t)  # a matrix's & separates its entries: kept
        if depth or not (t.kind in ("tag", "nonumber", "text") or t.is_("char", "&")
                         or (t.kind == "cmd" and t.text in _REMARK_SPACES)):
            math.append(t)
        elif t.kind in ("tag", "nonumber"):
            comments.append(src.text[t.pos:token_end(src.text, t)])
        elif t.is_("char", "&"):
            continue
        elif not _has_math(math):  # a remark before the math, or leading space
            if t.kind == "text":
                comments.append(src.text[t.pos:token_end(src.text, t)])
        else:  # the rest of the line is a remark
            rest = tokens[k:]
            tags = [u for u in rest if u.kind in ("tag", "nonumber")]
            words = [u for u in rest if u not in tags]
            remark = src.text[t.pos:token_end(src.text, words[-1])]
            for u in sorted(tags, key=lambda u: -u.pos):
                if u.pos < words[-1].pos:
                    a, b = u.pos - t.pos, token_end(src.text, u) - t.pos
                    remark = remark[:a] + remark[b:]
            if remark.strip() not in ("", "\\quad", "\\qquad"):
                comments.append(" ".join(remark.split()))
            comments += [src.text[u.pos:token_end(src.text, u)] for u in tags]
            break
    while math and math[-1].kind == "char" and math[-1].text in ",.;":
        math.pop()
    return math, comments


def _inner_env(t: Token) -> int:
    """+1 at the start of an inner environment (``pmatrix``), -1 at its end, else 0."""
    if t.kind not in ("begin", "end") or t.text in _TRANSPARENT:
        return 0
    return 1 if t.kind == "begin" else -1


def _has_math(tokens: list[Token]) -> bool:
    return any(not (t.kind == "cmd" and t.text in (",", ";", ":", "!", " ", "quad", "qquad")) for t in tokens)


def token_end(text: str, t: Token) -> int:
    """The offset just after token ``t`` in the file (a braced argument included)."""
    if t.kind in ("text", "tag", "begin", "end"):
        i, depth = text.index("{", t.pos) + 1, 1
        while depth and i < len(text):
            if text[i] == "\\":
                i += 2
                continue
            depth += (text[i] == "{") - (text[i] == "}")
            i += 1
        return i
    if t.kind in ("cmd", "nonumber") and text.startswith("\\", t.pos):
        return t.pos + 1 + len(t.text)
    return min(len(text), t.pos + max(1, len(t.text) if t.kind == "number" else 1))


def lines_of(src: Source, macros: dict[str, Macro] | None = None, errors: list | None = None) -> list[Line]:
    """The lines of every block of the file, each with its math tokens and comments. A block
    that cannot be tokenized (an unknown character, a macro that expands forever) raises
    :class:`ReadError`, or with ``errors`` given is recorded there as ``(pos, message)`` and
    skipped."""
    out = []
    for b_idx, block in enumerate(blocks_of(src)):
        try:
            tokens = tokenize(src.text[block.start:block.end], block.start, macros)
        except ReadError as exc:
            if errors is None:
                raise
            errors.append((exc.pos if exc.pos is not None else block.start, str(exc)))
            continue
        for toks in _split(tokens):
            if not toks:
                continue
            math, comments = _comments(toks, src)
            if not math and not comments:
                continue
            start = math[0].pos if math else toks[0].pos
            end = math[-1].pos if math else toks[-1].pos
            out.append(Line(b_idx, block.env, math, comments, start, end))
    return out

r"""The math of a file and its lines: display blocks, inline math that states a relation.

What is read as math (:func:`blocks_of`), in LaTeX, Markdown (MathJax, kramdown), a
notebook's Markdown cells, HTML and reStructuredText alike:

- displays: ``align``, ``equation``, ``gather``, ``eqnarray``, ``multline``, ``flalign``,
  ``alignat`` (starred or not), ``$$ ... $$``, ``\[ ... \]``, Distill's ``<dt-math block>``,
  reStructuredText's ``.. math::`` (its indented paragraphs);
- inline math, ``$ ... $``, ``\( ... \)``, ``<dt-math>``, ``:math:`...```, when it states a
  relation (a derivation written inline); inline math alone on its line is a display.

``\\[0.4em]`` is a row break, never a ``\[`` display; HTML escapes (``&amp;``, ``&lt;``) are
read as their characters (:func:`document_text`, which keeps every offset); a notebook
(``.ipynb`` JSON) is read as its Markdown cells, each on the line of the file that holds it.
Text outside the math is prose; the prose just before a block is kept with it
(:attr:`Block.prose`: the judge reads "setting ... to zero", "with ...", "which can be
written as" there).

A block is split into lines at ``\\``, ``\cr`` and ``\newline`` (outside braces and
inner environments; ``aligned``, ``split``, an ``align`` nested in ``$$``, ``\eqalign{...}``
split lines too; a ``multline`` is one line; rows whose ``\left`` closes on a later row are
joined). In each line

- ``&`` alignment marks are dropped (an ``&`` inside an inner environment, a ``pmatrix``,
  separates its entries and is kept);
- ``\tag``, ``\label``, ``\nonumber``, a ``\text{...}`` remark, and everything after a
  ``\quad``/``\qquad`` or a ``\text`` that follows the math are *comments*: kept for the
  report, never read as math -- unless a relation follows them (``a = b \quad c = d``,
  ``\text{with } \mu = 0``): then they join clauses and stay in the line;
- a trailing ``,``, ``.`` or ``;`` is punctuation.

>>> src = Source(r"\begin{align*} a &= b \\ &= c \quad\text{done} \label{x} \end{align*}")
>>> [([t.text for t in l.tokens], l.comments) for l in lines_of(src)]
[(['a', '=', 'b'], []), (['=', 'c'], ['\\quad\\text{done}', '\\label{x}'])]
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

from check.conventions import log_base
from check.lexer import Macro, ReadError, Source, Token, tokenize

__all__ = ["Block", "Line", "blocks_of", "lines_of", "token_end", "document_text", "ENVIRONMENTS",
           "RELATION_CMDS", "CONNECTIVES"]

ENVIRONMENTS = ("align", "align*", "equation", "equation*", "gather", "gather*", "eqnarray", "eqnarray*",
                "multline", "multline*", "flalign", "flalign*", "alignat", "alignat*", "displaymath")
# environments whose rows are lines of the block they are in (an align nested in $$, MathJax style)
_TRANSPARENT = ("aligned", "split", "gathered", "alignedat", "multlined") + ENVIRONMENTS
_TRANSPARENT_GROUPS = ("eqalign", "eqalignno", "displaylines", "displaystyle")   # \eqalign{ ... \cr ... }
_ROW_BREAKS = ("\\", "cr", "newline")
_REMARK_SPACES = ("quad", "qquad")
RELATION_CMDS = frozenset({"le", "leq", "ge", "geq", "ne", "neq", "approx", "equiv", "propto", "coloneqq",
                           "triangleq", "doteq", "sim", "leqslant", "geqslant", "defas"})
# what joins two clauses of a line: a consequence, or another clause
CONNECTIVES = frozenset({"Rightarrow", "implies", "Longrightarrow", "iff", "Leftrightarrow", "Longleftrightarrow",
                         "therefore", "Longleftarrow"})
_ENV = "|".join(re.escape(e) for e in ENVIRONMENTS)
_OPEN = re.compile(
    r"(?P<env>\\begin\s*\{(?P<name>" + _ENV + r")\})"
    r"|(?P<dd>\$\$)"
    r"|(?P<br>(?<!\\)\\\[)"
    r"|(?P<pa>(?<!\\)\\\()"
    r"|(?P<dt><dt-math\s+block\s*>|<dt-math\s*>)"
    r"|(?P<rst>^[ \t]*\.\.[ \t]+math::[ \t]*(?P<rst_arg>[^\n]*)$)"
    r"|(?P<rsti>:math:`)"
    r"|(?P<d>(?<![\\$])\$(?!\$))", re.M)
_ENTITIES = re.compile(r"&(amp|lt|gt|nbsp|quot|#39);")


@dataclass(frozen=True)
class Block:
    """One block of math: its kind (the environment, ``$$``, ``$``, ...), the offsets of its body
    in the file, whether it is inline math inside prose, and the prose just before it."""

    env: str
    start: int
    end: int
    inline: bool = False
    prose: str = ""   # since the last display (inline math included): what leads into it
    lead: str = ""    # since the last block of any kind ("with $a = 0$, $b = 1$": ", " before b)


@dataclass
class Line:
    """One line of a block: its math tokens and its comments (source text of each)."""

    block: int
    env: str
    tokens: list[Token]
    comments: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    prose: str = ""        # the prose before the block (its first line only)
    inline: bool = False   # inline math inside prose
    lead: str = ""         # the text since the block before (inline math)


def document_text(text: str, name: str = "") -> str:
    """The text the checker reads: a notebook's Markdown cells (each source line on the line of
    the JSON file that holds it), HTML escapes as their characters padded with spaces (so that
    every offset, line and column stays where it is in the file).

    >>> document_text("a &amp;= b &lt; c")
    'a &    = b <    c'
    """
    if name.endswith(".ipynb") or (text.lstrip().startswith("{") and '"cells"' in text[:5000]):
        text = _notebook_text(text)
    return _ENTITIES.sub(lambda m: html.unescape(m.group(0)).replace("\xa0", " ").ljust(len(m.group(0))), text)


def _notebook_text(text: str) -> str:
    """The Markdown cells of a notebook, each source line on the line of the file that holds its
    JSON string (other lines blank); a notebook on fewer lines than its cells: the cells one
    after the other."""
    try:
        cells = [c for c in json.loads(text).get("cells", []) if c.get("cell_type") == "markdown"]
    except (ValueError, AttributeError):
        return text  # not a notebook after all: read as it is
    raw = text.split("\n")
    out, k = [""] * len(raw), 0
    pieces = [s for c in cells for s in ((c.get("source") or []) if isinstance(c.get("source"), list)
                                         else str(c.get("source", "")).splitlines(keepends=True))] + ["\n"]
    for s in pieces[:-1]:
        want = json.dumps(s, ensure_ascii=False)
        found = next((j for j in range(k, len(raw)) if want in raw[j] or json.dumps(s) in raw[j]), None)
        if found is None:
            return "\n\n".join("".join(c.get("source") or []) if isinstance(c.get("source"), list)
                               else str(c.get("source", "")) for c in cells)
        out[found], k = s.rstrip("\n"), found + 1
    return "\n".join(out)


def _masked(text: str) -> str:
    """``text`` with ``%`` comments blanked (offsets unchanged)."""
    return re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)


def _close(m: re.Match, text: str) -> tuple[str, re.Pattern | None, bool]:
    """The kind of the block opened by ``m``, the pattern that closes it, and whether it is inline."""
    if m.group("env"):
        return m.group("name"), re.compile(r"\\end\s*\{" + re.escape(m.group("name")) + r"\}"), False
    if m.group("dd"):
        return "$$", re.compile(r"\$\$"), False
    if m.group("br"):
        return "\\[", re.compile(r"\\\]"), False
    if m.group("pa"):
        return "\\(", re.compile(r"\\\)"), True
    if m.group("dt"):
        return "dt-math", re.compile(r"</dt-math\s*>"), "block" not in m.group("dt")
    if m.group("rsti"):
        return ":math:", re.compile(r"`"), True
    if m.group("rst"):
        return ".. math::", None, False
    return "$", re.compile(r"(?<!\\)\$|\n[ \t]*\n"), True


def _rst_blocks(text: str, m: re.Match) -> tuple[list[tuple[int, int]], int]:
    """The paragraphs of a ``.. math::`` directive (its argument, then the indented lines after
    it; option lines ``:label:`` skipped) as (start, end) offsets, and the offset after it."""
    indent = len(m.group(0)) - len(m.group(0).lstrip())
    spans = [(m.start("rst_arg"), m.end("rst_arg"))] if m.group("rst_arg").strip() else []
    i = m.end() + 1
    start = None
    while i < len(text):
        eol = text.find("\n", i)
        eol = len(text) if eol < 0 else eol
        line = text[i:eol]
        blank = not line.strip()
        if not blank and len(line) - len(line.lstrip()) <= indent:
            break
        if blank or line.strip().startswith(":"):
            if start is not None:
                spans.append((start, i - 1))
                start = None
        elif start is None:
            start = i
        i = eol + 1
    if start is not None:
        spans.append((start, min(i, len(text)) - 1))
    return spans, i


def _alone_on_line(text: str, a: int, b: int) -> bool:
    """Inline math from ``a`` to ``b`` with nothing but spaces and punctuation around it on its line."""
    left = text[text.rfind("\n", 0, a) + 1:a]
    eol = text.find("\n", b)
    right = text[b:len(text) if eol < 0 else eol]
    return not left.strip(" \t>*") and not right.strip(" \t.,;:")


def _prose(text: str, a: int, b: int) -> str:
    """The prose from ``a`` to ``b`` (the last 240 characters, HTML tags dropped, spaces collapsed)."""
    p = re.sub(r"<[^>]*>", " ", text[max(a, b - 240):b])
    return " ".join(p.split()).replace("$", "")


def blocks_of(src: Source) -> list[Block]:
    """Every block of math of the file, in order (see the module docstring)."""
    text, out, i, prose_from, lead_from = _masked(src.text), [], 0, 0, 0
    while True:
        m = _OPEN.search(text, i)
        if not m:
            return out
        env, close, inline = _close(m, text)
        if close is None:  # .. math::
            spans, i = _rst_blocks(text, m)
            for a, b in spans:
                out.append(Block(env, a, b, False, _prose(text, prose_from, m.start())))
            prose_from = lead_from = i
            continue
        c = close.search(text, m.end())
        if env == "$" and (not c or c.group(0) != "$"):
            i = m.end()  # a lone dollar (a price, an escaped one): prose
            continue
        if not c:
            if inline:
                i = m.end()
                continue
            raise ReadError(f"line {src.line_of(m.start())}: {m.group(0).strip()} is never closed")
        if inline and _alone_on_line(text, m.start(), c.end()):
            inline = False
        elif env == "$$" and not _alone_on_line(text, m.start(), c.end()) and "\n" not in text[m.start():c.end()]:
            inline = True  # kramdown: $$ inside a line of prose
        out.append(Block(env, m.end(), c.start(), inline, _prose(text, prose_from, m.start()),
                         _prose(text, lead_from, m.start())))
        i = lead_from = c.end()
        if not inline:
            prose_from = i


def _transparent_groups(tokens: list[Token]) -> list[Token]:
    """``\\eqalign{...}`` (and its kin) without the command and its braces: its rows are lines."""
    out, drop, k = [], set(), 0
    while k < len(tokens):
        t = tokens[k]
        if t.kind == "cmd" and t.text in _TRANSPARENT_GROUPS and k + 1 < len(tokens) and tokens[k + 1].is_("char", "{"):
            depth, j = 0, k + 1
            while j < len(tokens):
                depth += tokens[j].is_("char", "{") - tokens[j].is_("char", "}")
                if depth == 0:
                    drop.add(j)
                    break
                j += 1
            k += 2
            continue
        if t.kind == "cmd" and t.text in _TRANSPARENT_GROUPS:
            k += 1
            continue
        if k not in drop:
            out.append(t)
        k += 1
    return out


def _spacing(tokens: list[Token], i: int) -> int:
    """The index after a row break's optional spacing ``[0.4em]`` (``i`` itself when there is none)."""
    if i < len(tokens) and tokens[i].is_("char", "*"):
        i += 1
    if i < len(tokens) and tokens[i].is_("char", "["):
        j = i + 1
        while j < len(tokens) and j - i <= 6 and (tokens[j].kind in ("number", "letter") or tokens[j].is_("char", ".")
                                                   or tokens[j].is_("char", "-")):
            j += 1
        if j < len(tokens) and tokens[j].is_("char", "]") and j > i + 1:
            return j + 1
    return i


def _split(tokens: list[Token]) -> list[list[Token]]:
    """Split at row breaks outside braces and inner environments (except transparent ones)."""
    lines, cur, depth, envs = [], [], 0, 0
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.kind in ("begin", "end") and t.text in _TRANSPARENT:
            i += 1
            if t.kind == "begin" and t.text.startswith("alignat") and i < len(tokens) and tokens[i].is_("char", "{"):
                i += 3  # {n}
            continue
        if t.is_("char", "{"):
            depth += 1
        elif t.is_("char", "}"):
            depth -= 1
        elif t.kind == "begin":
            envs += 1
        elif t.kind == "end":
            envs -= 1
        if t.kind == "cmd" and t.text in _ROW_BREAKS and depth == 0 and envs == 0:
            lines.append(cur)
            cur = []
            i = _spacing(tokens, i + 1)
            continue
        cur.append(t)
        i += 1
    lines.append(cur)
    return _joined_delimiters(lines)


def _joined_delimiters(rows: list[list[Token]]) -> list[list[Token]]:
    """A row whose ``\\left`` closes on a later row is joined with the rows up to that one."""
    out: list[list[Token]] = []
    open_ = 0
    for row in rows:
        if out and open_ > 0:
            out[-1] = out[-1] + row
        else:
            out.append(list(row))
        open_ = sum(t.is_("cmd", "left") for t in out[-1]) - sum(t.is_("cmd", "right") for t in out[-1])
    return out


def _has_relation(tokens: list[Token]) -> bool:
    """A relation or a connective outside braces and ``\\text``."""
    depth = 0
    for t in tokens:
        depth += t.is_("char", "{") - t.is_("char", "}")
        if depth == 0 and (t.kind == "char" and t.text in "=<>" or t.kind == "cmd" and
                           (t.text in RELATION_CMDS or t.text in CONNECTIVES or t.text in ("stackrel", "overset"))):
            return True
    return False


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
        elif _has_relation([u for u in tokens[k + 1:] if u.kind not in ("tag", "nonumber")]):
            math.append(t)  # a clause follows: "a = b \quad c = d", "\text{with } mu = 0"
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
    while math and (math[-1].kind == "char" and math[-1].text in ",.;" or math[-1].kind == "cmd"
                    and math[-1].text in (",", ";", "!", " ", ":", "quad", "qquad") or math[-1].kind == "text"):
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


def lines_of(src: Source, macros: dict[str, Macro] | None = None, errors: list | None = None,
             log: int | None = None) -> list[Line]:
    """The lines of every block of the file, each with its math tokens and comments (inline math
    only when it states a relation). A block that cannot be tokenized (an unknown character, a
    macro that expands forever) raises :class:`ReadError`, or with ``errors`` given is recorded
    there as ``(pos, message)`` and skipped (inline math that cannot be tokenized is prose);
    ``log``: the base of the author's ``\\log`` (:func:`check.conventions.log_base`)."""
    out = []
    for b_idx, block in enumerate(blocks_of(src)):
        try:
            tokens = tokenize(src.text[block.start:block.end], block.start, macros)
        except ReadError as exc:
            if errors is None and not block.inline:
                raise
            if not block.inline:
                errors.append((exc.pos if exc.pos is not None else block.start, str(exc)))
            continue
        if block.inline and not _has_relation(tokens):
            continue
        if log:
            tokens = log_base(tokens, log)
        rows = _split(_transparent_groups(tokens))
        if block.env.startswith("multline"):
            rows = [[t for row in rows for t in row]]
        first = True
        for toks in rows:
            if not toks:
                continue
            math, comments = _comments(toks, src)
            if not math and not comments:
                continue
            start = math[0].pos if math else toks[0].pos
            end = math[-1].pos if math else toks[-1].pos
            out.append(Line(b_idx, block.env, math, comments, start, end, block.prose if first else "", block.inline,
                            block.lead if first else ""))
            first = False
    return out

"""The tokenizer of the checker: LaTeX math text -> a list of :class:`Token`.

A token is one of

- ``cmd``: a control sequence, ``\\frac`` (text ``"frac"``) or a control symbol ``\\,``
  (text ``","``);
- ``letter`` (one ASCII letter), ``number`` (digits, with an optional decimal part),
  ``char`` (one other character: ``+ - = ( ) ^ _ & ...``);
- ``text``: the argument of ``\\text{...}`` and its kin, kept verbatim (a remark);
- ``tag``: the argument of ``\\tag{...}``, ``\\tag*{...}`` or ``\\label{...}``; ``nonumber``
  for ``\\nonumber``/``\\notag``;
- ``begin``/``end``: ``\\begin{name}``/``\\end{name}`` with the environment's name.

Every token keeps its offset in the file, so errors name the line and the column.
``%`` comments and white space are skipped; a few Unicode characters that people paste
(``σ``, ``−``, ``≤``, ``²``) become their LaTeX tokens. Macros of a notation file are
expanded here, with caps on their number and depth. Nothing is evaluated: the text only
becomes tokens.

>>> [t.text for t in tokenize(r"\\frac{a}{2}")]
['frac', '{', 'a', '}', '{', '2', '}']
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Mapping

__all__ = ["Token", "Source", "ReadError", "Macro", "tokenize", "expand_macros", "TEXT_COMMANDS", "TAG_COMMANDS",
           "MAX_EXPANSIONS"]

TEXT_COMMANDS = frozenset({"text", "textrm", "textit", "textbf", "textsf", "texttt", "mbox", "emph",
                           "intertext", "shortintertext", "hbox"})
TAG_COMMANDS = frozenset({"tag", "label"})
MATH_WORDS = frozenset({"KL", "tr", "Tr", "Var", "diag", "det", "E", "Cov", "log", "exp", "ln", "d", "T"})
MAX_EXPANSIONS = 5000  # macro expansions per text (stops a macro that expands itself)
MAX_TEXT = 2000        # characters of one \text{...} or \tag{...} argument

_UNICODE = {
    "α": ("cmd", "alpha"), "β": ("cmd", "beta"), "γ": ("cmd", "gamma"), "δ": ("cmd", "delta"),
    "ε": ("cmd", "epsilon"), "θ": ("cmd", "theta"), "λ": ("cmd", "lambda"), "μ": ("cmd", "mu"),
    "π": ("cmd", "pi"), "σ": ("cmd", "sigma"), "φ": ("cmd", "phi"), "ϕ": ("cmd", "phi"),
    "Σ": ("cmd", "Sigma"), "ℓ": ("cmd", "ell"), "∇": ("cmd", "nabla"), "∂": ("cmd", "partial"),
    "∞": ("cmd", "infty"), "∫": ("cmd", "int"), "∑": ("cmd", "sum"), "∏": ("cmd", "prod"),
    "−": ("char", "-"), "·": ("cmd", "cdot"), "×": ("cmd", "times"), "≤": ("cmd", "le"),
    "≥": ("cmd", "ge"), "≠": ("cmd", "ne"), "≈": ("cmd", "approx"), "∘": ("cmd", "circ"),
    "⊙": ("cmd", "odot"), "∥": ("cmd", "|"), "ε̃": ("cmd", "epsilon"),
}
_SUPERSCRIPTS = {"²": "2", "³": "3"}
_DIGITS = frozenset("0123456789")


class ReadError(ValueError):
    """Input that cannot be read; ``pos`` is its offset in the file (or None)."""

    def __init__(self, message: str, pos: int | None = None):
        super().__init__(message)
        self.pos = pos


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int

    def is_(self, kind: str, text: str | None = None) -> bool:
        return self.kind == kind and (text is None or self.text == text)


class Source:
    """The file's text with offset -> (line, column) lookup, both 1-based."""

    def __init__(self, text: str, name: str = "<input>"):
        self.text, self.name = text, name
        self._starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def where(self, pos: int) -> tuple[int, int]:
        line = bisect_right(self._starts, pos)
        return line, pos - self._starts[line - 1] + 1

    def line_of(self, pos: int) -> int:
        return self.where(pos)[0]

    def at(self, pos: int | None) -> str:
        """``line L, column C`` for an offset (empty when unknown)."""
        if pos is None:
            return ""
        line, col = self.where(pos)
        return f"line {line}, column {col}"


def _braced(text: str, i: int, what: str, start: int) -> tuple[str, int]:
    """The balanced ``{...}`` argument starting at ``text[i]`` (after spaces) and the
    offset after it."""
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i >= len(text) or text[i] != "{":
        raise ReadError(f"\\{what} needs a braced argument", start)
    depth, j = 0, i
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        depth += (c == "{") - (c == "}")
        if depth == 0:
            if j - i - 1 > MAX_TEXT:
                raise ReadError(f"the argument of \\{what} is longer than {MAX_TEXT} characters", start)
            return text[i + 1:j], j + 1
        j += 1
    raise ReadError(f"the argument of \\{what} is never closed", start)


def _command(text: str, i: int, out: list, base: int) -> int:
    """Read the control sequence at ``text[i] == '\\\\'``; append its token(s)."""
    j = i + 1
    if j >= len(text):
        raise ReadError("a lone backslash at the end", base + i)
    if not text[j].isalpha():
        out.append(Token("cmd", text[j], base + i))
        return j + 1
    while j < len(text) and text[j].isalpha():
        j += 1
    name = text[i + 1:j]
    if name in ("begin", "end"):
        env, k = _braced(text, j, name, base + i)
        out.append(Token(name, env.strip(), base + i))
        return k
    star = j < len(text) and text[j] == "*" and name == "tag"
    if name in TEXT_COMMANDS or name in TAG_COMMANDS:
        arg, k = _braced(text, j + star, name, base + i)
        if name in TEXT_COMMANDS and arg.strip() in MATH_WORDS:  # \text{KL}: a word of the math
            at = base + text.index("{", j) + 1
            out += [Token("cmd", "mathrm", base + i), Token("char", "{", at - 1),
                    *(Token("letter", c, at + n) for n, c in enumerate(arg.strip())), Token("char", "}", base + k - 1)]
            return k
        out.append(Token("text" if name in TEXT_COMMANDS else "tag", arg, base + i))
        return k
    if name in ("nonumber", "notag"):
        out.append(Token("nonumber", name, base + i))
        return j
    out.append(Token("cmd", name, base + i))
    return j


def _scan(text: str, base: int) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i = _command(text, i, out, base)
        elif c == "%":
            while i < n and text[i] != "\n":
                i += 1
        elif c in " \t\r\n~":
            i += 1
        elif c in _DIGITS:
            j = i
            while j < n and text[j] in _DIGITS:
                j += 1
            if j + 1 < n and text[j] == "." and text[j + 1] in _DIGITS:
                j += 1
                while j < n and text[j] in _DIGITS:
                    j += 1
            out.append(Token("number", text[i:j], base + i))
            i = j
        elif c.isascii() and c.isalpha():
            out.append(Token("letter", c, base + i))
            i += 1
        elif c in _UNICODE:
            kind, name = _UNICODE[c]
            out.append(Token(kind, name, base + i))
            i += 1
        elif c in _SUPERSCRIPTS:
            out += [Token("char", "^", base + i), Token("number", _SUPERSCRIPTS[c], base + i)]
            i += 1
        elif c.isascii() and c.isprintable():
            out.append(Token("char", c, base + i))
            i += 1
        else:
            raise ReadError(f"unexpected character {c!r} (U+{ord(c):04X})", base + i)
    return out


@dataclass(frozen=True)
class Macro:
    """A macro of a notation file: ``body`` with ``#1 .. #n`` for its ``nargs`` arguments."""

    nargs: int
    body: str


def _argument(tokens: list[Token], i: int, name: str, pos: int) -> tuple[list[Token], int]:
    if i >= len(tokens):
        raise ReadError(f"macro \\{name} needs more arguments", pos)
    if not tokens[i].is_("char", "{"):
        return [tokens[i]], i + 1
    depth, j = 0, i
    while j < len(tokens):
        depth += tokens[j].is_("char", "{") - tokens[j].is_("char", "}")
        if depth == 0:
            return tokens[i + 1:j], j + 1
        j += 1
    raise ReadError(f"an argument of \\{name} is never closed", pos)


def tokenize(text: str, base: int = 0, macros: Mapping[str, Macro] | None = None) -> list[Token]:
    """The tokens of ``text`` (which starts at offset ``base`` of the file), macros expanded."""
    from check.aliases import rewrite  # the spellings of one construct (it reads tokens)

    tokens = _scan(text, base)
    if macros:
        tokens = expand_macros(tokens, macros)
    return rewrite(tokens)


def expand_macros(tokens: list[Token], macros: Mapping[str, Macro]) -> list[Token]:
    """Replace each use of a notation-file macro by its body (arguments filled in), again
    and again, at most :data:`MAX_EXPANSIONS` times in all."""
    work = list(reversed(tokens))  # a stack: the next token is at the end
    out: list[Token] = []
    count = 0
    while work:
        t = work.pop()
        if t.kind != "cmd" or t.text not in macros:
            out.append(t)
            continue
        count += 1
        if count > MAX_EXPANSIONS:
            raise ReadError(f"more than {MAX_EXPANSIONS} macro expansions (does \\{t.text} expand to itself?)", t.pos)
        m = macros[t.text]
        rest = list(reversed(work))
        args, i = [], 0
        for _ in range(m.nargs):
            a, i = _argument(rest, i, t.text, t.pos)
            args.append(a)
        work = list(reversed(rest[i:]))
        body = _fill([Token(b.kind, b.text, t.pos) for b in _scan(m.body, 0)], args, t.pos)
        work.extend(reversed(body))
        if len(work) + len(out) > 200_000:
            raise ReadError(f"macro \\{t.text} expands to more than 200000 tokens", t.pos)
    return out


def _fill(body: list[Token], args: list[list[Token]], pos: int) -> list[Token]:
    filled: list[Token] = []
    k = 0
    while k < len(body):
        if body[k].is_("char", "#") and k + 1 < len(body) and body[k + 1].kind == "number":
            num = body[k + 1].text
            idx = int(num[0]) - 1
            if not 0 <= idx < len(args):
                raise ReadError(f"macro argument #{num[0]} is not declared", pos)
            filled += [Token("char", "{", pos), *args[idx], Token("char", "}", pos)]
            if len(num) > 1:
                filled.append(Token("number", num[1:], pos))
            k += 2
        else:
            filled.append(body[k])
            k += 1
    return filled

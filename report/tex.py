"""LaTeX text helpers: escaping outside strings and formatting numbers.

Two kinds of text reach the document. LaTeX the project writes itself (templates,
derivation fragments from :mod:`derive`) is wrapped in :class:`Tex` and passes through
unchanged. Everything else (values read from result files, version strings, paths,
command lines, error messages) is a plain ``str`` and is escaped on its way into the
document by :func:`escape`, which uses latexcodec for accents, Unicode and the text
specials, after handling the characters latexcodec leaves alone (``\\ { } $ ^``); both live in
:mod:`common.texescape`, shared with the checker's PDF.

>>> escape("my_data 100% & {x}")
'my\\\\_data 100\\\\% \\\\& \\\\{x\\\\}'
>>> sci(0.00123)
'$1.23\\\\times 10^{-3}$'
"""
from __future__ import annotations

import math
import re

from common import numfmt
from common.texescape import Tex, escape

__all__ = ["Tex", "escape", "plain", "finalize", "num", "signed", "sci", "fixed", "integer", "pct", "seconds"]


def finalize(value) -> Tex:
    """Jinja ``finalize`` hook: every ``\\VAR{...}`` is escaped unless it is :class:`Tex`."""
    if value is None:
        return Tex("--")
    if isinstance(value, bool):
        return Tex("yes" if value else "no")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return num(value)
    return escape(value)


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


def sci(x, digits: int = 3) -> Tex:
    """``x`` in scientific notation, in math mode: ``$1.23\\times 10^{-3}$`` (:mod:`common.numfmt`)."""
    if not _finite(x):
        return Tex("--" if x is None else escape(str(x)))
    p = numfmt.parts(x, digits, "sci")
    return Tex(f"${p.mantissa}$" if p.exponent is None else numfmt.latex(x, digits, "sci"))


def fixed(x, decimals: int = 2) -> Tex:
    """``x`` with a fixed number of decimals (``--`` for missing)."""
    if not _finite(x):
        return Tex("--" if x is None else escape(str(x)))
    return Tex(f"${x:.{decimals}f}$")


def integer(x) -> Tex:
    """An integer with thin-space thousands separators: ``10\\,000``."""
    if not _finite(x):
        return Tex("--")
    return Tex(numfmt.latex(int(round(x))) if abs(x) >= 10_000 else str(int(round(x))))


def num(x, digits: int = 3, zeros: bool = False) -> Tex:
    """A number as a reader expects it (the rule of :mod:`common.numfmt`): integers exact,
    moderate values with ``digits`` significant digits, very small or large values in
    scientific notation."""
    if isinstance(x, bool) or not _finite(x):
        return Tex("--" if x is None else escape(str(x)))
    return Tex(numfmt.latex(x, digits, zeros=zeros))


def signed(x, digits: int = 3, zeros: bool = False) -> Tex:
    """:func:`num` for a number that may be negative: in math mode, so that its minus is a minus.

    >>> signed(-0.677), signed(0.369)
    ('$-0.677$', '0.369')
    """
    text = num(x, digits, zeros)
    return Tex(f"${text.strip('$')}$" if text.startswith(("-", "$-")) else text)


_SUB = re.compile(r"\b([A-Za-z]+)\\_([0-9]{1,2}|[A-Za-z]|Gen[0-9])(?![0-9A-Za-z]|\\_)")


_SUP = re.compile(r"\\textasciicircum\{\}([0-9]{1,2}|[A-Za-z])(?![0-9A-Za-z])")


def plain(text) -> Tex:
    """Plain text from a result file, escaped, with two typographic touches that change no
    content: ``<=``/``>=`` print as ``\\le``/``\\ge`` and ``Gen_2``, ``p_1`` as subscripts, ``x^2`` as a superscript."""
    if text is None:
        return Tex("")
    s = str(text).replace("<=", "\u2264").replace(">=", "\u2265")
    s = _SUB.sub(lambda m: f"{m[1]}\\textsubscript{{{m[2]}}}", escape(s))
    return Tex(_SUP.sub(lambda m: f"\\textsuperscript{{{m[1]}}}", s))


def pct(x, decimals: int = 0) -> Tex:
    """A fraction as a percentage: ``0.25 -> 25\\%``."""
    if not _finite(x):
        return Tex("--")
    return Tex(f"{100 * x:.{decimals}f}\\%")


def seconds(x) -> Tex:
    """A duration: ``0.8 s``, ``12 s``, ``3 min 5 s`` (rounded to the second first, so
    119.6 s is ``2 min 0 s``, never ``1 min 60 s``).

    >>> seconds(119.6), seconds(59.7), seconds(9.96)
    ('2\\\\,min 0\\\\,s', '1\\\\,min 0\\\\,s', '10\\\\,s')
    """
    if not _finite(x):
        return Tex("--")
    if round(x, 1) < 10:
        return Tex(f"{x:.1f}\\,s")
    if round(x) < 60:
        return Tex(f"{x:.0f}\\,s")
    m, s = divmod(int(round(x)), 60)
    return Tex(f"{m}\\,min {s}\\,s")

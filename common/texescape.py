"""Text into LaTeX: :class:`Tex` marks a string that is already LaTeX; :func:`escape` turns any
other text into LaTeX that prints it literally (latexcodec for accents, Unicode and the text
specials, after the characters latexcodec leaves alone: ``\\ { } $ ^ < > |``). Shared by the
writeup (:mod:`report.tex`) and the checker's annotated PDF (:mod:`check.output`).

>>> escape("my_data 100% & {x}")
'my\\\\_data 100\\\\% \\\\& \\\\{x\\\\}'
"""
from __future__ import annotations

import codecs
import re

import latexcodec  # noqa: F401  (registers the "ulatex" codec)

__all__ = ["Tex", "escape"]


class Tex(str):
    """A string that is already LaTeX: printed as is."""


_OWN = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$",
        "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
        "|": r"\textbar{}"}
_SPLIT = re.compile(r"([\\{}$^<>|])")


def escape(text) -> Tex:
    """``text`` as LaTeX that prints it literally (latexcodec for everything but
    ``\\ { } $ ^ < > |``, which it leaves alone and which are replaced here)."""
    if isinstance(text, Tex):
        return text
    parts = _SPLIT.split(str(text))
    out = "".join(_OWN[p] if p in _OWN else codecs.encode(p, "ulatex") for p in parts)
    return Tex(out.replace("--", "-{}-").replace("--", "-{}-"))  # no en/em-dash ligatures

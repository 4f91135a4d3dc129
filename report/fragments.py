"""Stage 2: derivations -> LaTeX fragments (one :class:`~report.tex.Tex` block per id).

A fragment is the derivation's title, its ``align*`` chain from :func:`derive.to_latex`
(every step carries ``\\verifiedmark{level}{tag}``), its notes and its references,
each reference linked to the bibliography by ``\\cite`` where the cited work is one of ours.
Titles and notes are LaTeX written by ``derive``; reference strings are plain text and are
escaped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from derive import DOCUMENT, Derivation, latex, to_latex

from report.tex import Tex, escape

LEVELS = ("symbolic", "instances", "numeric")  # how a step was verified (derive's Step.verified)

__all__ = ["CITE_KEYS", "Fragment", "render_fragments", "cite_keys", "verification_rows", "verification_total"]

# a pattern naming a work in a reference string -> its bibliography key
# (report/templates/bibliography.tex); "Bottou" alone would also match Arjovsky and Bottou
CITE_KEYS = {
    r"Kingma": "kingma2014", r"Goodfellow": "goodfellow2014", r"Arjovsky": "arjovsky2017",
    r"Polyak": "polyak1964", r"Curtis|Nocedal": "bottou2018", r"McCandlish": "mccandlish2018",
    r"Zhang": "zhang2019", r"Shumailov": "shumailov2024", r"Sutskever": "sutskever2013",
    r"Nesterov": "nesterov2004", r"Lessard": "lessard2016", r"Casella": "casella2002",
    r"Cover and Thomas": "cover2006", r"Rasmussen": "rasmussen2006", r"Bishop": "bishop2006",
    r"Gower": "gower2019", r"optax": "deepmind2020", r"torch|PyTorch": "paszke2019",
}


@dataclass(frozen=True)
class Fragment:
    id: str
    problem: str
    tex: Tex
    result: Tex      # the final formula, SymPy's canonical form
    shown: Tex       # the final formula as the chain displays it (its last right-hand side)
    steps: int
    symbolic: int
    instances: int
    numeric: int


def cite_keys(text: str) -> list[str]:
    """Bibliography keys of the works a reference string names."""
    return [key for pattern, key in CITE_KEYS.items() if re.search(pattern, text)]


def _reference(text: str) -> str:
    keys = cite_keys(text)
    return escape(text) + (f"~\\cite{{{','.join(keys)}}}" if keys else "")


_TEXT_SPECIALS = re.compile(r"(?<!\\)([_&%#])")


def text_with_math(text: str) -> str:
    """LaTeX text with inline ``$...$`` math from ``derive``, made safe for text mode:
    an unescaped ``_ & % #`` outside the math (an id such as ``gan.log_ratio``) is escaped."""
    parts = re.split(r"(?<!\\)(\$[^$]*\$)", text)
    return "".join(p if p.startswith("$") else _TEXT_SPECIALS.sub(r"\\\1", p) for p in parts)


def fragment_tex(d: Derivation) -> Tex:
    """The LaTeX block for one derivation: its chain in a ``derivation`` placed here (``[H]``: not a
    float, so it stays right after the sentence that introduces it, in the order of the argument,
    and never splits a sentence; an unbreakable box, so the chain is never split across pages), then its notes
    (the published works it was checked against are listed in the appendix, :func:`verification_rows`)."""
    parts = [f"\\begin{{derivation}}[H]\\small\\derivationtitle{{{text_with_math(d.title)}}}\\label{{drv:{d.id}}}",
             to_latex(d), "\\end{derivation}"]
    if d.notes:
        parts.append(f"\\noindent {text_with_math(d.notes)}\n")
    parts.append("\\par\\medskip")
    return Tex("\n".join(parts))


def render_fragments(derivations: list[Derivation]) -> dict[str, Fragment]:
    """Stage 2: ``{id: Fragment}`` for every derivation, in the order given."""
    out = {}
    for d in derivations:
        kinds = [s.verified for s in d.steps]
        shown = latex(d.steps[-1].rhs, DOCUMENT) if d.steps else latex(d.result, DOCUMENT)
        out[d.id] = Fragment(d.id, d.problem, fragment_tex(d), Tex(latex(d.result, DOCUMENT)), Tex(shown), len(kinds),
                             kinds.count("symbolic"), kinds.count("instances"), kinds.count("numeric"))
    return out


def _ranges(nums: list[int]) -> str:
    """``[1, 2, 3, 5] -> "1--3, 5"``."""
    out, start = [], None
    for i, n in enumerate(nums):
        if start is None:
            start = n
        if i + 1 == len(nums) or nums[i + 1] != n + 1:
            out.append(str(start) if start == n else f"{start}--{n}")
            start = None
    return ", ".join(out) or "--"


def tag_tex(tag: str) -> str:
    """A verification tag as LaTeX text: ``m <= 4 -> m $\\le$ 4``."""
    return _TEXT_SPECIALS.sub(r"\\\1", tag).replace("<=", r"$\le$")


def level_counts(ds) -> dict:
    """``{"steps": n, "symbolic": ..., "instances": ..., "numeric": ...}`` over all displayed steps."""
    steps = [s for d in ds for s in d.steps]
    return {"steps": len(steps), **{lv: sum(s.verified == lv for s in steps) for lv in LEVELS}}


def _with_tags(steps: list[tuple[int, object]]) -> str:
    """Step numbers grouped by their tag: ``1--3 (m $\\le$ 4); 5 (2 sizes)``."""
    groups: dict[str, list[int]] = {}
    for i, s in steps:
        groups.setdefault(s.tag, []).append(i)
    short = lambda tag: tag.removeprefix("numeric, ")  # the column already says "numeric"
    return "; ".join(f"{_ranges(nums)} ({tag_tex(short(tag))})" for tag, nums in groups.items()) or "--"


def verification_rows(derivations: list[Derivation], shown=None) -> list[dict]:
    """One row per derivation the writeup displays (ids in ``shown``, in that order; by default the
    slots of the templates in the order of their pages, :data:`report.sections.base.PAGE_ORDER`),
    for the appendix: its title, part and page,
    and how many of its steps were checked at each level (the level of each step is printed
    beside the step), the sizes of its ``instances`` steps and the points of its ``numeric``
    ones; the derivations the writeup does not display (``python -m derive`` prints them) are
    summed in one last row with ``id`` None."""
    if shown is None:
        from report.sections.base import PAGE_ORDER
        shown = PAGE_ORDER
    order = {i: k for k, i in enumerate(shown)}
    derivations = sorted(derivations, key=lambda d: order.get(d.id, len(order)))
    rows, rest = [], []
    for d in derivations:
        if d.id not in shown:
            rest.append(d)
            continue
        at = {lv: [(i, s) for i, s in enumerate(d.steps, 1) if s.verified == lv] for lv in LEVELS}
        rows.append({"id": d.id, "title": Tex(text_with_math(d.title)), "problem": d.problem, "steps": len(d.steps),
                     **{lv: len(at[lv]) for lv in LEVELS},
                     "instances_where": Tex(_with_tags(at["instances"])), "numeric_where": Tex(_with_tags(at["numeric"])),
                     "page": Tex(f"\\pageref{{drv:{d.id}}}"),
                     "references": Tex("; ".join(_reference(r) for r in d.references))})
    if rest:
        c = level_counts(rest)
        rows.append({"id": None, "title": Tex(f"{len(rest)} derivation{'s' * (len(rest) > 1)} not displayed"), "problem": "", "steps": c["steps"],
                     **{lv: c[lv] for lv in LEVELS}, "instances_where": Tex(""), "numeric_where": Tex(""),
                     "page": Tex("--"), "references": Tex("")})
    return rows


def verification_total(derivations: list[Derivation]) -> dict:
    """Counts over all displayed steps: ``{"steps", "symbolic", "instances", "numeric"}``
    and the share proved for every size, ``"symbolic_percent"`` (a whole number)."""
    counts = level_counts(derivations)
    share = round(100 * counts["symbolic"] / counts["steps"]) if counts["steps"] else 0
    return {**counts, "symbolic_percent": share}

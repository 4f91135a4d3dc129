r"""The real-world corpus and the verdicts decided by hand for it (issue 23).

A corpus is a folder of derivations, one per file (LaTeX, Markdown, a notebook's Markdown
cells, HTML, reStructuredText), each with a notation file next to it. Two corpora use this
format: the real one, copied as its authors wrote it, which is kept outside the repository
(third-party text; :func:`real_corpus` finds it), and ``own/``, written by the team in the
style of those sources (committed). A file's first lines are ``%`` comments:

- ``% source: ...``   where it was copied from (always the first line); in ``own/``,
  ``% style of: ...``, the source whose LaTeX habits it imitates;
- ``% planted: line N: ...``   a planted copy: the one error put in at line N;
- ``% topic: ...``    kl-univariate, kl-multivariate, kl-diagonal, kl-additivity, kl-elbo,
  vae-kl-grad, logistic-grad, logistic-loss, heavy-ball, gan-discriminator;
- ``% part: ID``      the ``--part`` its final answer answers (``-``: none);
- ``% final: V``      the expected final verdict: ``matches``, ``matches, not simplest``,
  ``differs``, or ``none`` (no part, or the last line is not the part's answer);
- ``% answer: TEX``   the final answer as written, and ``% gold: TEX`` the right answer in
  the author's symbols (both given to math-verify);
- ``% notation: F``   the notation file (next to the corpus file) that declares what the
  author's prose states;
- ``% note: ...``     the author's conventions, the real mistakes.

A math line carries, in a ``%`` comment where the relation's right side ends,

    % expect V[, V ...][ planted][: note]

one verdict per relation on that line, in order: ``correct`` (the step holds), ``wrong``
(it does not: a real mistake, or ``planted``), ``condition`` (an equation set or solved,
such as f'(y) = 0, not an identity) or ``definition`` (introduces or restates a name; not
a step). The checker never reads these comments (``%`` starts a comment).

>>> Expect.parse("correct, wrong planted: a sign").verdicts
('correct', 'wrong')
>>> Expect.parse("correct, wrong planted: a sign").planted
True
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CORPUS_VARIABLE", "DEFAULT_CORPUS", "OWN", "real_corpus", "STEP_KINDS", "VERDICTS", "FINALS", "Expect", "Case", "cases", "read_case"]

CORPUS_VARIABLE = "HW6_REALWORLD_CORPUS"
DEFAULT_CORPUS = Path("/work/realworld/corpus")
OWN = Path(__file__).with_name("own")
SUFFIXES = (".md", ".tex", ".html", ".rst")
VERDICTS = ("correct", "wrong", "condition", "definition")
STEP_KINDS = ("correct", "wrong", "condition")   # what counts as a step to read and judge
FINALS = ("matches", "matches, not simplest", "differs", "none")
_EXPECT = re.compile(r"(?<!\\)%\s*expect\s+(.*)$")
_HEAD = re.compile(r"^%\s*(source|style of|planted|topic|part|final|answer|gold|notation|note):\s*(.*?)\s*$")


class FormatError(ValueError):
    """A corpus file that does not follow the format above."""


@dataclass(frozen=True)
class Expect:
    """The hand-decided verdicts of the relations on one line."""

    verdicts: tuple
    planted: bool = False
    note: str = ""

    @classmethod
    def parse(cls, text: str) -> "Expect":
        head, _, note = text.partition(":")
        words = head.replace(",", " ").split()
        planted = "planted" in words
        verdicts = tuple(w for w in words if w != "planted")
        bad = [v for v in verdicts if v not in VERDICTS]
        if not verdicts or bad:
            raise FormatError(f"expect {text!r}: verdicts are {', '.join(VERDICTS)}")
        if planted and "wrong" not in verdicts:
            raise FormatError(f"expect {text!r}: a planted line has a wrong relation")
        return cls(verdicts, planted, note.strip())


@dataclass(frozen=True)
class Case:
    path: Path
    source: str
    topic: str
    part: str | None
    final: str
    answer: str | None
    gold: str | None
    notation: Path | None
    planted_line: int | None
    expected: dict  # line -> Expect

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def base(self) -> str:
        """The file name without ``_planted`` (a planted copy and its original share it)."""
        return self.path.stem.replace("_planted", "")


def read_case(path: Path) -> Case:
    lines = path.read_text(encoding="utf-8").split("\n")
    head = {}
    for text in lines:
        m = _HEAD.match(text)
        if m:
            head.setdefault(m[1], m[2])
    source = head.get("source", head.get("style of"))
    if not lines[0].startswith(("% source:", "% style of:")):
        raise FormatError(f"{path.name}: the first line is not '% source: ...' or '% style of: ...'")
    expected = {}
    for i, text in enumerate(lines, 1):
        m = _EXPECT.search(text)
        if m and not _HEAD.match(text):
            expected[i] = Expect.parse(m[1])
    part = head.get("part")
    final = head.get("final", "none")
    if final not in FINALS:
        raise FormatError(f"{path.name}: final {final!r} is not one of {FINALS}")
    if (part in (None, "-")) != (final == "none"):
        raise FormatError(f"{path.name}: a final verdict needs a part and a part needs a final verdict")
    planted = head.get("planted")
    planted_line = int(re.match(r"line (\d+)", planted)[1]) if planted else None
    notation = path.with_name(head["notation"]) if head.get("notation") else None
    return Case(path, source, head.get("topic", ""), None if part in (None, "-") else part, final,
                head.get("answer"), head.get("gold"), notation, planted_line, expected)


def real_corpus() -> Path:
    """Where the real corpus is: ``$HW6_REALWORLD_CORPUS``, else ``/work/realworld/corpus``.
    It may be absent (CI has no copy): callers check ``.is_dir()``."""
    return Path(os.environ.get(CORPUS_VARIABLE) or DEFAULT_CORPUS)


def cases(corpus: Path) -> list[Case]:
    """Every derivation of the folder ``corpus``, sorted by name."""
    return [read_case(p) for p in sorted(Path(corpus).iterdir()) if p.suffix in SUFFIXES]

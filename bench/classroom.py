"""A class's worth of student submissions, made from the checker's corpus (nothing is committed).

:func:`write_class` writes ``n`` files into a folder: copies of the corpus's 2.a derivations
(``tests/check/corpus/a*.tex``) as students hand them in. Each copy drops the corpus's
expectation comments, gets a header with the student's name, spacing of its own (around ``&=``
and operators, indentation, trailing blanks), written forms of the same thing (``\\frac12`` or
``\\frac{1}{2}``, ``\\left(`` or ``(``), and one in four carries a planted slip (a 2 written as 3
in one of its lines). The file names vary too (``hw6_017_garcia maria.tex``: spaces included).
Same ``n`` and ``seed``, same bytes.

``python -m bench.classroom DIR [N] [--seed S]`` writes them (default 300) and prints their paths.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from common.cli import Parser, nonneg_int, positive_int, run, writable_dir, write_stdout

__all__ = ["CORPUS", "write_class", "sources"]

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "check" / "corpus"
NAMES = ("garcia maria", "smith_j", "Nguyen", "o'brien", "kowalski-anna", "li.wei", "MÜLLER", "patel r",
         "okafor", "dubois_claire", "tanaka", "silva")
_COMMENT = re.compile(r"(?<!\\)%.*$")
_ALIASES = (((r"\frac12", r"\frac{1}{2}"),), ((r"\left(", "("), (r"\right)", ")")))  # each: all or none
_DIGIT_2 = re.compile(r"(?<![\\A-Za-z_^])(?<!\^\{)(?<!_\{)2(?![0-9])")  # not in a name, exponent or subscript
_FENCES = ("\\begin", "\\end", "$$", "\\[", "\\]")


def sources() -> list[Path]:
    """The corpus's derivations of part 2.a, in name order."""
    return sorted(CORPUS.glob("a*.tex"))


def write_class(folder: Path, n: int = 300, seed: int = 0) -> list[Path]:
    """Write ``n`` submissions into ``folder``; returns their paths in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in sources()]
    paths = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        name = NAMES[i % len(NAMES)]
        path = folder / f"hw6_{i:03d}_{name}.tex"
        path.write_text(_submission(texts[i % len(texts)], name, rng), encoding="utf-8")
        paths.append(path)
    return paths


def _submission(text: str, student: str, rng: random.Random) -> str:
    lines = [_COMMENT.sub("", line).rstrip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    for alias in _ALIASES:
        if rng.random() < 0.5:
            for plain, other in alias:
                lines = [line.replace(plain, other) for line in lines]
    if rng.random() < 0.25:
        lines = _slip(lines, rng)
    body = [_respace(line, rng) for line in lines]
    head = [f"% {student}, homework 6, problem 2.a", ""] + ([""] if rng.random() < 0.5 else [])
    return "\n".join(head + body) + "\n" * rng.randint(1, 3)


def _respace(line: str, rng: random.Random) -> str:
    """The same line with a student's own spacing."""
    if line.startswith(_FENCES):
        return line
    line = re.sub(r"\s*&\s*=\s*", lambda m: rng.choice(("&=", " &= ", "&= ", "  & =  ")), line)
    line = re.sub(r" ([+-]) ", lambda m: rng.choice((m[1], f" {m[1]} ", f"  {m[1]} ")), line)
    return rng.choice(("", "  ", "\t")) + line + rng.choice(("", " ", "   "))


def _slip(lines: list[str], rng: random.Random) -> list[str]:
    """One 2 written as 3 in one line of a block (not in a macro name or a subscript)."""
    rows = [k for k, line in enumerate(lines) if not line.startswith(_FENCES) and _DIGIT_2.search(line)]
    if not rows:
        return lines
    k = rng.choice(rows)
    hits = list(_DIGIT_2.finditer(lines[k]))
    m = rng.choice(hits)
    out = list(lines)
    out[k] = lines[k][:m.start()] + "3" + lines[k][m.end():]
    return out


def main(argv=None) -> int:
    p = Parser(prog="python -m bench.classroom", description="Write a class's worth of 2.a submissions.")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("n", metavar="N", nargs="?", type=positive_int, default=300)
    p.add_argument("--seed", type=nonneg_int, default=0)
    args = p.parse_args(argv)
    write_stdout("".join(f"{path}\n" for path in write_class(writable_dir(args.folder), args.n, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(run(main))

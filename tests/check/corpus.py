"""The test corpus: LaTeX derivations with the expected verdict of every line.

Each file of ``corpus/`` names its part (``% part: 2.a``), the expected final verdict
(``% final: matches``) and, in a LaTeX comment on the line where a step's right side ends,
that step's expected verdict (``% expect wrong``; ``definition`` for a line that introduces
notation). The checker never sees these comments (``%`` comments are not read).

``python tests/check/measure.py`` prints the measures of the issue from
:func:`measures`: every planted error found at its line, no correct step called wrong, the
share of inconclusive steps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from check.checker import FileResult, check_file, load_notation

__all__ = ["CORPUS", "Case", "cases", "run", "measures", "Measures"]

CORPUS = Path(__file__).with_name("corpus")
_EXPECT = re.compile(r"%\s*expect\s+(proved|numeric|wrong|domain|inconclusive|definition)\b")
_HEAD = re.compile(r"^%\s*(part|final):\s*(.+?)\s*$", re.M)
PLANTED = ("wrong", "domain")
CORRECT = ("proved", "numeric")


@dataclass(frozen=True)
class Case:
    path: Path
    part: str | None
    final: str | None
    expected: dict  # line -> verdict ("definition" for a definition)


def cases() -> list[Case]:
    out = []
    for path in sorted(CORPUS.glob("*.tex")):
        text = path.read_text()
        head = dict(_HEAD.findall(text))
        expected = {i + 1: m[1] for i, line in enumerate(text.splitlines()) if (m := _EXPECT.search(line))}
        out.append(Case(path, head.get("part"), head.get("final"), expected))
    return out


def run(case: Case, sandbox: bool = False) -> FileResult:
    """The checker's result on the case (judged in this process unless ``sandbox``)."""
    notation, part = load_notation(case.part, None)
    return check_file(str(case.path), notation, part, sandbox=sandbox)


def got(result: FileResult) -> dict:
    """line -> verdict ("definition" for definitions) of a result."""
    return {s.line: (s.verdict or "definition") for s in result.items}


@dataclass(frozen=True)
class Measures:
    files: int
    steps: int
    planted: int
    planted_found: int
    correct: int
    correct_called_wrong: int
    inconclusive: int
    exact: int
    finals: int
    finals_right: int

    @property
    def inconclusive_share(self) -> float:
        return self.inconclusive / self.steps if self.steps else 0.0


def measures(results: list[tuple[Case, FileResult]]) -> Measures:
    planted = found = correct = called_wrong = steps = inconclusive = exact = finals = finals_right = 0
    for case, r in results:
        g = got(r)
        steps += len(r.steps)
        inconclusive += sum(s.verdict == "inconclusive" for s in r.steps)
        for line, want in case.expected.items():
            have = g.get(line)
            exact += have == want
            if want in PLANTED:
                planted += 1
                found += have == want
            elif want in CORRECT:
                correct += 1
                called_wrong += have in PLANTED
        if case.final:
            finals += 1
            finals_right += r.final.get("verdict") == case.final
    return Measures(len(results), steps, planted, found, correct, called_wrong, inconclusive, exact, finals,
                    finals_right)

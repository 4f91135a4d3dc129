"""``python tests/check/realworld/measure.py [--corpus DIR] [--corpora both|real|own] [--command CMD] [--only NAME ...]``

Runs a checker on every file of two corpora (read with :mod:`expectations`) and prints, for
each, the measures of issue 23 against the verdicts decided by hand:

- the real corpus, derivations copied as their authors wrote them: third-party text, kept
  outside the repository, in ``--corpus DIR`` (default ``$HW6_REALWORLD_CORPUS``, else
  ``/work/realworld/corpus``); skipped with a note when it is absent;
- ``own/``, the team's derivations written in the style of those sources (committed).

The checker is a command line (default ``python -m derive check``; a later checker:
``--command "python -m check"``) called once per file as

    CMD FILE --format json [--part ID] [--notation FILE.toml]

and read through its JSON: ``[{"steps": [{"line", "verdict", "detail"}, ...],
"final": {"verdict"}}]``. A file the command refuses (exit status 2, no JSON) counts as
nothing read.

Measures (a *step* is a relation marked correct, wrong or condition; see expectations.py):

- steps read: steps that got any verdict other than "not read";
- false alarms: correct steps, conditions and definitions called wrong or domain; steps
  called wrong on lines marked nothing are counted apart ("unmarked lines called wrong");
- planted errors found at their line (wrong or domain there); real mistakes found likewise;
- inconclusive: steps that got no proved / numeric / wrong / domain verdict;
- final verdicts right (files with a part), and math-verify's verdict on the same final
  answers (``--no-peer`` skips it);
- seconds per file (wall clock of the command; noisy on a shared machine), median and max.

A step's verdict is found on its line or up to two lines below it (a ``\\end{...}`` or
``\\tag`` may move the checker's line). When a line holds as many checker steps as marked
relations, they are paired in order; otherwise every relation of the line gets the line's
worst verdict (wrong before proved before inconclusive before not read).
"""
from __future__ import annotations

import json
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import cli  # noqa: E402
from expectations import CORPUS_VARIABLE, DEFAULT_CORPUS, OWN, STEP_KINDS, Case, cases, real_corpus  # noqa: E402

DEFAULT_COMMAND = "python -m derive check"
JUDGED = ("proved", "numeric", "wrong", "domain")
FLAGGED = ("wrong", "domain")
NOT_READ = "not read"
SLACK_LINES = 2
ERROR_REACH = 25  # lines: an error at a display's first line hides its later lines
RANK = {"wrong": 0, "domain": 0, "proved": 1, "numeric": 1, "inconclusive": 2, NOT_READ: 3}


@dataclass
class Run:
    """One file through the command: its steps (line, verdict, detail), final verdict, time."""

    case: Case
    steps: list = field(default_factory=list)
    final: str | None = None
    seconds: float = 0.0
    error: str = ""
    errors: list = field(default_factory=list)   # (line, message): what the checker could not read


def run(case: Case, command: str, timeout: float, keep: Path | None = None) -> Run:
    """Run the command on one file; with ``keep``, reuse (or store) its output there as
    ``NAME.json`` (the command's stdout) and ``NAME.err``, so a change of this script's
    scoring does not need the checker again."""
    if keep and (keep / f"{case.name}.json").exists():
        meta = json.loads((keep / f"{case.name}.meta").read_text())
        return _parse(case, (keep / f"{case.name}.json").read_text(), meta["stderr"], meta["seconds"])
    argv = shlex.split(command) + [str(case.path), "--format", "json"]
    if case.part:
        argv += ["--part", case.part]
    if case.notation:
        argv += ["--notation", str(case.notation)]
    t = time.perf_counter()
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Run(case, seconds=time.perf_counter() - t, error=f"timed out after {timeout:.0f} s")
    seconds = time.perf_counter() - t
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{case.name}.json").write_text(p.stdout)
        (keep / f"{case.name}.meta").write_text(json.dumps({"stderr": p.stderr or f"exit {p.returncode}", "seconds": seconds}))
    return _parse(case, p.stdout, p.stderr or f"exit {p.returncode}", seconds)


def _parse(case: Case, stdout: str, stderr: str, seconds: float) -> Run:
    try:
        (obj,) = json.loads(stdout)
    except (ValueError, TypeError):
        return Run(case, seconds=seconds, error=(stderr.strip().splitlines() or ["no output"])[-1])
    steps = [(s["line"], s["verdict"], s.get("detail") or "") for s in obj.get("steps", [])]
    errors = [(int(m[1]), m[2]) for e in obj.get("errors", []) if (m := re.match(r"line (\d+), column \d+: (.*)", e))]
    errors += [(0, e) for e in obj.get("errors", []) if not re.match(r"line \d+,", e)]
    return Run(case, steps, (obj.get("final") or {}).get("verdict"), seconds, errors=errors)


def _verdict(verdict: str, detail: str) -> str:
    """The checker's verdict, with "inconclusive: not read ..." told apart as NOT_READ."""
    return NOT_READ if verdict == "inconclusive" and detail.startswith("not read") else verdict


def assign(run: Run) -> tuple[dict, list]:
    """``(line -> [(verdict, detail)], unmarked)``: the checker's steps on each marked line
    (or up to SLACK_LINES below it), and the steps on no marked line."""
    marked = sorted(run.case.expected)
    by_line, unmarked = {}, []
    for line, verdict, detail in run.steps:
        verdict = _verdict(verdict, detail)
        home = next((m for m in reversed(marked) if m <= line <= m + SLACK_LINES), None)
        if home is None:
            unmarked.append((line, verdict, detail))
        else:
            by_line.setdefault(home, []).append((verdict, detail))
    return by_line, unmarked


def paired(expect, got: list) -> list:
    """The checker's verdict for each marked relation of a line."""
    if len(got) == len(expect.verdicts):
        return [v for v, _ in got]
    worst = min((v for v, _ in got), key=RANK.get, default=NOT_READ)
    return [worst] * len(expect.verdicts)


@dataclass
class Tally:
    steps: int = 0
    read: int = 0
    judged: int = 0
    correct: int = 0
    false_alarms: int = 0
    definitions_flagged: int = 0
    unmarked_flagged: int = 0
    planted: int = 0
    planted_found: int = 0
    real: int = 0
    real_found: int = 0
    finals: int = 0
    finals_right: int = 0
    unread: list = field(default_factory=list)   # (case, line, detail)
    alarms: list = field(default_factory=list)   # (file, line, expected, detail)


def score(runs: list[Run]) -> Tally:
    t = Tally()
    for r in runs:
        by_line, unmarked = assign(r)
        t.unmarked_flagged += sum(v in FLAGGED for _, v, _ in unmarked)
        t.alarms += [(r.case.name, line, "unmarked", d) for line, v, d in unmarked if v in FLAGGED]
        for line, expect in r.case.expected.items():
            got = by_line.get(line, [])
            for want, have in zip(expect.verdicts, paired(expect, got)):
                if want not in STEP_KINDS:  # a definition
                    if have in FLAGGED:
                        t.definitions_flagged += 1
                        t.alarms.append((r.case.name, line, want, _detail(got)))
                    continue
                t.steps += 1
                t.read += have != NOT_READ
                t.judged += have in JUDGED
                if have == NOT_READ:
                    t.unread.append((r.case, line, r.error or _detail(got) or _error_above(r, line)))
                if want in ("correct", "condition"):
                    t.correct += 1
                    if have in FLAGGED:
                        t.false_alarms += 1
                        t.alarms.append((r.case.name, line, want, _detail(got)))
                elif expect.planted:
                    t.planted += 1
                    t.planted_found += have in FLAGGED
                else:
                    t.real += 1
                    t.real_found += have in FLAGGED
        if r.case.part:
            t.finals += 1
            t.finals_right += r.final == r.case.final
    return t


def _error_above(r: Run, line: int) -> str:
    """The checker's error inside the display that holds a marked line which got no step (the
    construct that hid it), or "no step on this line"."""
    first = display_start(r.case.path.read_text(encoding="utf-8").split("\n"), line)
    near = [(n, m) for n, m in r.errors if first <= n <= line] + [(n, m) for n, m in r.errors if n == 0]
    return f"not read: {max(near)[1]}" if near else "no step on this line"


_OPENERS = re.compile(r"\$\$|\\\[|\\begin\{|<dt-math|^\.\. math::")


def display_start(lines: list, line: int) -> int:
    """The first line of the display that ends at ``line`` (1-based): the line itself when it
    holds a whole ``$$...$$``, else the nearest line above that opens a display.

    >>> display_start(["a", "$$", "x &= y \\\\", "&= z", "$$"], 4)
    2
    >>> display_start(["$$a = b$$ and $$c = d$$"], 1)
    1
    """
    here = lines[line - 1].split("  % expect")[0]
    if here.count("$$") >= 2 or _OPENERS.search(here) and not here.lstrip().startswith("&"):
        return line
    for n in range(line - 1, max(0, line - ERROR_REACH), -1):
        if _OPENERS.search(lines[n - 1]):
            return n
    return line


def _detail(got: list) -> str:
    return "; ".join(d for _, d in got)[:160]


REFERENCES = Path(__file__).with_name("references.toml")


def peer(all_cases: list[Case], gold=None) -> tuple[int, int, int, int]:
    """math-verify on the final answers: (right, of, correct answers accepted, correct answers).
    ``gold(case)`` is the answer it compares with: by default the right answer in the author's
    symbols (``% gold:``)."""
    from math_verify import parse, verify
    gold = gold or (lambda c: c.gold)
    right = total = accepted = correct = 0
    for c in all_cases:
        if not c.part:
            continue
        ok = bool(verify(parse(f"${gold(c)}$"), parse(f"${c.answer}$")))
        want = c.final.startswith("matches")
        total += 1
        right += ok == want
        correct += want
        accepted += ok and want
    return right, total, accepted, correct


def source_key(case: Case) -> str:
    """The source a file was copied from: a repository (``github:owner/name``) or a page.

    >>> from pathlib import Path
    >>> c = Case(Path("x.md"), "github:a/b/P/x.md@123 (https://b)", "", None, "none", None, None, None, None, {})
    >>> source_key(c)
    'github:a/b'
    """
    first = case.source.split()[0]
    return "/".join(first.split("/")[:2]) if first.startswith("github:") else first


def pct(a: int, b: int) -> str:
    return f"{a} of {b} ({100 * a / b:.0f} %)" if b else f"{a} of 0"


def homework_reference(case: Case) -> str:
    """The part's answer in the homework's notation (references.toml)."""
    import tomllib
    return tomllib.loads(REFERENCES.read_text(encoding="utf-8"))[case.part]


def report(runs: list[Run], peer_result=None, peer_homework=None) -> str:
    t = score(runs)
    secs = [r.seconds for r in runs]
    lines = [
        f"{len(runs)} files ({sum(r.case.planted_line is not None for r in runs)} planted), "
        f"{len({source_key(r.case) for r in runs})} sources, {t.steps} marked steps",
        f"steps read: {pct(t.read, t.steps)}",
        f"false alarms (correct steps or conditions called wrong/domain): {t.false_alarms} of {t.correct}; "
        f"definitions called wrong: {t.definitions_flagged}; unmarked lines called wrong: {t.unmarked_flagged}",
        f"planted errors found at their line: {pct(t.planted_found, t.planted)}",
        f"real mistakes found at their line: {pct(t.real_found, t.real)}",
        f"inconclusive (no proved/numeric/wrong/domain verdict): {pct(t.steps - t.judged, t.steps)}",
        f"final verdicts right: {pct(t.finals_right, t.finals)}",
        f"seconds per file: median {statistics.median(secs):.1f}, max {max(secs):.1f}" if secs else "no files",
    ]
    if peer_result:
        right, total, accepted, correct = peer_result
        lines.append(f"math-verify, gold in the author's symbols: {pct(right, total)} right; "
                     f"accepts {accepted} of {correct} correct answers")
    if peer_homework:
        right, total, accepted, correct = peer_homework
        lines.append(f"math-verify, gold the homework's answer (references.toml): {pct(right, total)} right; "
                     f"accepts {accepted} of {correct} correct answers")
    return "\n".join(lines)


def details(runs: list[Run]) -> str:
    """Per file: time, final, errors; then the unread steps grouped by reason, and the alarms."""
    t = score(runs)
    out = []
    for r in runs:
        by_line, _ = assign(r)
        counts = Counter(v for vs in by_line.values() for v, _ in vs)
        final = f"final={r.final} (want {r.case.final})" if r.case.part else ""
        out.append(f"{r.case.name:38s} {r.seconds:6.1f} s  {dict(counts)} {final} {r.error}")
    cats = Counter(category(d, _text(c, line)) for c, line, d in t.unread)
    out.append("\nsteps not read, by what hid them (the work list):")
    out += [f"{n:4d}  {why}" for why, n in cats.most_common()]
    out.append("\nsteps not read:")
    out += [f"  {c.name}:{line}: [{category(d, _text(c, line))}] {d[:140]}" for c, line, d in t.unread]
    out.append("\nwrong/domain on lines marked correct, condition, definition or nothing:")
    out += [f"  {f}:{line} ({want}): {d}" for f, line, want, d in t.alarms]
    return "\n".join(out)


def _text(case: Case, line: int) -> str:
    return case.path.read_text(encoding="utf-8").split("\n")[line - 1]


# What kept a marked step from being read: (pattern on the checker's "not read" detail, or on the
# line's own text when the checker gave no step and no error there, category). First match wins.
DETAIL_CATEGORIES = (
    (r"no align, equation, gather", "math only in single-$ or \\(...\\) (no display block)"),
    (r"\\\[ is never closed", "\\\\[0.4em] row spacing taken for a \\[ display"),
    (r"environment \{(align\*?|aligned|split)\} is not supported here", "align/align* inside $$ (MathJax style)"),
    (r"KL needs its arguments|KL\(q \\\| p\): two arguments|KL", "KL notation: KL[P||Q], KL(p, q), D_KL(p||q), \\mathcal{D}"),
    (r"\\langle|\\left\\langle", "\\langle x \\rangle as an expectation"),
    (r"integral with a lower limit only", "\\int_{\\mathcal X} / \\int_x: integral over a named domain"),
    (r"cannot read ':' here", "a label before the relation (P: X ~ N) or a Frobenius ':'"),
    (r"cannot read ',' here", "several relations or definitions in one line, separated by commas"),
    (r"unknown macro \\(Rightarrow|implies|iff)", "\\Rightarrow / \\implies chains"),
    (r"unknown macro \\(eqalign|cr)", "\\eqalign{... \\cr ...}"),
    (r"unknown macro \\newline", "\\newline as a row separator"),
    (r"unknown macro \\(rm|small|boxed|underbrace|prime|in|tfrac|dfrac|operatorname|text)\b", "everyday macros: \\rm, \\small, \\boxed, \\underbrace, \\prime, \\in, ..."),
    (r"unknown macro", "other unknown macros"),
    (r"cannot read '&|&amp;|cannot read ';' here", "HTML-escaped alignment &amp;"),
    (r"\\\| is never closed|\\\\\|", "Markdown-escaped norms \\\\| ... \\\\|"),
    (r"subscript on an expression that is not a name", "{\\sigma_2}^2, \\sigma^2_2: a sub- or superscript on a braced group"),
    (r"scalar .* and a matrix|division by a matrix|noncommutative|shape|input to Trace", "scalars and 1 x 1 matrices, matrix shapes, the trace of a scalar"),
    (r"second derivative with respect to a vector", "a Hessian (second derivative in a vector)"),
    (r"\\partial needs a subscript", "a derivative in an expression (\\partial / \\partial \\log\\sigma)"),
    (r"'\(' is never closed|'\)' is never closed|cannot read '\)' here", "the author's unbalanced bracket (a typo)"),
    (r"needs its distribution", "E[...] whose distribution the prose names"),
    (r"ends too early", "E_{X \\sim P(x)} in braces, {\\mathbb{E}_{...}}[...]"),
    (r"\\left without \\right|\\right without", "\\left ... \\right split over rows"),
    (r"continues a chain, but no line before it was read", "a chain whose first line was not read"),
    (r"derivative wrt|internal error", "internal error (derivative of an undeclared composition)"),
    (r"cannot read '", "other tokens the parser rejects"),
)
TEXT_CATEGORIES = (
    (r"\\cr\b|\\eqalign", "\\eqalign{... \\cr ...}"),
    (r"\\implies|\\Rightarrow", "\\Rightarrow / \\implies chains"),
    (r"&amp;", "HTML-escaped alignment &amp;"),
    (r"^\s*\$\$[^=]*\$\$|^\s*\$\$\s*[^=$]*$", "a bare display continuing the chain in prose (implicit step)"),
    (r"\\tag", "\\tag after the display"),
    (r":=|\\defas", "definition-like lines"),
)


SINGLE_DOLLAR = re.compile(r"(^|[^$\\])\$[^$]+\$([^$]|$)")


def category(detail: str, text: str) -> str:
    """What hid a marked step from the checker (see DETAIL_CATEGORIES, TEXT_CATEGORIES).

    >>> category("not read: line 3, column 1: unknown macro \\\\newline", "")
    '\\\\newline as a row separator'
    >>> category("no step on this line", "  A:B &= B:A \\\\cr")
    '\\\\eqalign{... \\\\cr ...}'
    """
    math = text.split("  % expect")[0]
    if "$$" not in math and SINGLE_DOLLAR.search(math):
        return "math only in single-$ or \\(...\\) (no display block)"
    for pattern, name in DETAIL_CATEGORIES:
        if detail != "no step on this line" and re.search(pattern, detail):
            return name
    for pattern, name in TEXT_CATEGORIES:
        if re.search(pattern, text.split("  % expect")[0]):
            return name
    return "no step and no error (taken as a definition, or dropped)"


# LaTeX constructs a corpus exercises: (name, pattern on the display that holds a marked line, from
# its first line to the line itself; or, with "note", on the hand-written note of the line's verdicts).
# ``--constructs`` counts the marked steps under each: the reading work list for the checker, with what
# each construct weighs.
CONSTRUCTS = (
    ("$$\\begin{align|aligned|split}...$$ (MathJax)", r"\$\$\s*\\begin\{(align|aligned|split)|\\\[\s*\\begin\{aligned"),
    ("\\begin{align}/align* without $$", r"^\s*\\begin\{align\*?\}"),
    ("split", r"\\begin\{split\}"),
    ("aligned", r"\\begin\{aligned\}"),
    ("\\eqalign{... \\cr ...}", r"\\eqalign|\\cr\b"),
    ("\\newline rows", r"\\newline"),
    ("\\\\\\\\ rows (Markdown-escaped)", r"\\\\\\\\"),
    ("\\\\[0.4em] row spacing", r"\\\\\[[0-9.]+em\]"),
    ("=& at the start of a row", r"^\s*=&"),
    ("HTML-escaped &amp;", r"&amp;"),
    ("HTML <dt-math block> / <font>", r"<dt-math|<font"),
    ("reStructuredText .. math::", r"^\s*\.\. math::"),
    ("\\[ ... \\] and \\( ... \\)", r"\\\[|\\\("),
    ("single-$ math (no display)", r"(^|[^$\\])\$[^$]+\$([^$]|$)"),
    ("$$ inline in prose (kramdown)", r"[A-Za-z,.] \$\$[^$]+\$\$ [A-Za-z]"),
    ("a display beginning with =", r"^\s*\$*\s*=[^=]"),
    ("\\tag / \\label", r"\\tag\{|\\label\{"),
    ("KL: \\mathrm{KL}[P\\,||\\,Q]", r"\\mathrm\{KL\}\["),
    ("KL: KL(p, q) / KL(P \\| Q) / KL(q || p)", r"(?<![_{a-zA-Z])KL\("),
    ("KL: D_{KL}(P\\|Q), D_{KL}(P||Q), D_{KL}(P,Q)", r"D_\{KL\}"),
    ("KL: D_{\\mathrm{KL}} / D_{\\text{KL}}", r"D_\{\\(mathrm|text)\{KL\}\}"),
    ("KL: \\mathcal{D}_{KL}[q \\| p]", r"\\mathcal\{D\}_\{KL\}"),
    ("KL: \\mathfrak{D}_\\text{KL}[q\\mid\\mid p]", r"\\mathfrak\{D\}"),
    ("KL: \\operatorname{KL}", r"\\operatorname\{KL\}"),
    ("KL: KLD(P_1 || P_2)", r"KLD\("),
    ("P(x), Q(x) densities called", r"\b[PQ]\(x\)"),
    ("p_\\theta(x|z), q_\\phi(z|x)", r"p_\\theta\(|q_\\phi"),
    ("\\langle x^2 \\rangle expectations", r"\\langle"),
    ("E_{x \\sim p} / \\mathbb{E}_{x \\sim p}", r"E_\{[a-zA-Z\\{}]+ ?\\sim"),
    ("\\int_{\\mathcal X} / \\int_x / \\int_{x \\in \\chi}", r"\\int_\{?(\\mathcal|\\boldsymbol|x)"),
    ("\\int_{-\\infty}^{\\infty}", r"\\int_\{-\\infty\}"),
    ("\\mathrm{d}x, \\mathrm{d}z", r"\\mathrm\{d\}"),
    ("\\nabla f(x) (no subscript)", r"\\nabla f\("),
    ("\\nabla_w / \\nabla_\\phi", r"\\nabla_"),
    ("\\min_G \\max_D", r"\\min_"),
    ("\\Rightarrow / \\implies / \\iff", r"\\Rightarrow|\\implies|\\iff"),
    ("\\underbrace{...}_{...}", r"\\underbrace"),
    ("\\overset{(a)}{=} / \\stackrel", r"\\overset|\\stackrel|\\defas"),
    ("\\tfrac / \\dfrac", r"\\[td]frac"),
    ("f', f'', f^{\\prime}", r"[a-zA-Z}]'(?=[(\s=']|$)|\\prime"),
    ("\\sigma_j^{(i)2}, \\mu^2_i, {\\sigma_{1}}^{2}", r"\^\{\(i\)2\}|\^2_i|\}\}\^\{2\}"),
    ("\\|w\\|_2^2", r"\\\|_2\^2"),
    ("\\cal / \\vec / \\boldsymbol / \\mathbf", r"\\cal\b|\\vec|\\boldsymbol|\\mathbf|\\pmb|\\xx"),
    ("author's macros (\\mom, \\step, \\xx)", r"\\mom|\\step|\\xx|\\HH"),
    ("log without a backslash", r"(?<![\\a-z])log"),
    ("\\log 2\\pi\\sigma^2 (log of a product, no parentheses)", r"\\log 2 ?\\pi"),
    ("\\boxed", r"\\boxed"),
    ("Frobenius A:B and Hadamard \\circ", r"\)\s*:\s*|[A-Za-z]:d[A-Za-z]|:1\b|[A-Z]:[A-Z]|\\circ"),
    ("{\\rm tr} / tr / Tr / \\operatorname{tr} / \\text{tr}", r"\\rm tr|\\operatorname\{tr|\\text\{tr|(?<![a-z\\])[Tt]r[({\\]"),
    ("\\det / |\\Sigma| determinants", r"\\det|\|\\Sigma"),
    ("bmatrix / array matrices", r"bmatrix|\\begin\{array"),
    ("<x, w> inner products", r"<[a-z^{}]+, ?\\omega>"),
    ("* and \\cdot and \\times products", r"[a-z]\*[a-z]|\\cdot|\\times"),
    ("words as variables (Hours, logloss, NLL)", r"Hours|logloss|NLL"),
    ("an assumption stated in prose (with $\\mu_2 = 0$, if y = 1)", r"prose|the case y", "note"),
)


def constructs(all_cases: list[Case]) -> list[tuple[str, int, int, int]]:
    """``(construct, marked steps, marked definitions, files)`` for each of :data:`CONSTRUCTS` that the corpus uses,
    most steps first: a step counts under a construct when the display holding it (its first
    line to the step's line; the line alone when it holds its own inline math) matches the
    construct's pattern."""
    out = []
    for name, pattern, *scope in CONSTRUCTS:
        steps, defs, files = 0, 0, set()
        for c in all_cases:
            lines = c.path.read_text(encoding="utf-8").split("\n")
            for line, expect in c.expected.items():
                text = (expect.note if scope == ["note"] else
                        "\n".join(l.split("  % expect")[0] for l in lines[_span_start(lines, line) - 1:line]))
                if re.search(pattern, text, re.M):
                    steps += sum(v in STEP_KINDS for v in expect.verdicts)
                    defs += expect.verdicts.count("definition")
                    files.add(c.base)
        if files:
            out.append((name, steps, defs, len(files)))
    return sorted(out, key=lambda t: -t[1])


def _span_start(lines: list, line: int) -> int:
    """The first line of the math that ends at ``line``: the line itself when it holds its own
    inline math (single ``$``, ``\\(``), else :func:`display_start`."""
    here = lines[line - 1].split("  % expect")[0]
    if "$$" not in here and (SINGLE_DOLLAR.search(here) or "\\(" in here):
        return line
    return display_start(lines, line)


def measure(title: str, chosen: list[Case], args) -> str:
    """The report of one corpus (and its details, its constructs when asked)."""
    runs = []
    keep = args.keep / title if args.keep else None
    for c in chosen:
        r = run(c, args.command, args.timeout, keep)
        runs.append(r)
        print(f"{title}/{c.name:38s} {r.seconds:6.1f} s {r.error}", file=sys.stderr, flush=True)
    out = []
    if args.details:
        out.append(details(runs) + "\n")
    if args.constructs:
        rows = [f"{n:5d} {d:5d} {f:5d}  {name}" for name, n, d, f in constructs(chosen)]
        out.append("constructs: marked steps, definitions, files (originals and planted copies)\n" + "\n".join(rows) + "\n")
    peers = (None, None) if args.no_peer else (peer(chosen), peer(chosen, homework_reference))
    out.append(report(runs, *peers))
    return "\n".join(out)


def main(argv=None) -> int:
    ap = cli.Parser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                    help=f"the real corpus (default: ${CORPUS_VARIABLE}, else {DEFAULT_CORPUS})")
    ap.add_argument("--corpora", choices=("both", "real", "own"), default="both",
                    help="which corpora to measure (default both; the real one is skipped with a note when absent)")
    ap.add_argument("--command", default=DEFAULT_COMMAND, help=f"the checker's command line (default: {DEFAULT_COMMAND})")
    ap.add_argument("--only", nargs="*", default=None, metavar="NAME", help="only these corpus files")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per file (default 900)")
    ap.add_argument("--no-peer", action="store_true", help="skip math-verify")
    ap.add_argument("--details", action="store_true", help="also print per-file rows, unread steps and alarms")
    ap.add_argument("--constructs", action="store_true", help="also print the LaTeX constructs each corpus exercises, with their marked steps")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="store each file's output in DIR/real, DIR/own and reuse it when there")
    ap.add_argument("--output", type=Path, metavar="FILE",
                    help="also write what is printed to FILE (written whole when complete), headed by the command and the commit")
    args = ap.parse_args(argv)
    printed = [f"# {' '.join(['measure.py'] + list(argv if argv is not None else sys.argv[1:]))}\n"
               f"# checker: {args.command}; repository at {_commit()}\n\n"]
    corpus = args.corpus or real_corpus()
    folders = {"real": corpus, "own": OWN}
    for title in ("real", "own"):
        if args.corpora not in ("both", title):
            continue
        folder = folders[title]
        if not folder.is_dir():
            if args.corpora == title:
                raise cli.UserError(f"no corpus at {folder} (give --corpus DIR or set {CORPUS_VARIABLE})")
            printed.append(f"== real corpus: not at {folder}, skipped (third-party text kept outside the repository; "
                           f"--corpus DIR or ${CORPUS_VARIABLE})\n\n")
            cli.write_stdout(printed[-1])
            continue
        chosen = [c for c in cases(folder) if args.only is None or c.name in args.only or c.base in args.only]
        printed.append(f"== {title} corpus ({_shown(folder)})\n{measure(title, chosen, args)}\n\n")
        cli.write_stdout(printed[-1])
    if args.output:
        cli.atomic_write(args.output, "".join(printed))
    return 0


def _shown(folder: Path) -> str:
    """A corpus folder as printed: relative to the repository when inside it."""
    try:
        return str(folder.resolve().relative_to(Path(__file__).resolve().parents[3]))
    except ValueError:
        return str(folder)


def _commit() -> str:
    """The repository's commit (with "+changes" when its work tree differs), or "unknown"."""
    root = Path(__file__).resolve().parents[3]
    git = lambda *a: subprocess.run(["git", "-C", str(root), *a], capture_output=True, text=True)
    head = git("rev-parse", "--short", "HEAD")
    if head.returncode:
        return "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip()
    return head.stdout.strip() + ("+changes" if dirty else "")


if __name__ == "__main__":
    sys.exit(cli.run(main))

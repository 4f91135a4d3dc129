"""Check one file: read it (:mod:`check.steps`), judge every step in a sandboxed
worker (:mod:`check.judge`, :mod:`check.sandbox`), compare the last line
with the part's reference (``--part``), and collect the result in the shape of the
command-line contract.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import sympy as sp

from check import judge as J
from check.relations import Relations, entry_definitions
from check.tables import validate
from check.latex_blocks import document_text
from check.lexer import ReadError, Source
from check.notation import DEFAULT, Notation, NotationError, load_toml
from check.parser import Scope, canonical_name
from check.parts import Part, part as get_part, reference
from check.sandbox import FILE_SECONDS, STEP_SECONDS, Sandbox
from check.claims import judge_step
from check.conventions import assumption_lines, renamed, renamed_expr
from check.steps import Definition, Document, Step, read_document
from derive.ops import Expect, Grad, KL
from derive.printing import latex

__all__ = ["StepResult", "FileResult", "Unreadable", "MAX_BYTES", "load_notation", "check_file", "check_text",
           "read_as"]

MAX_BYTES = 200_000   # size of one input file


class Unreadable(Exception):
    """A file that cannot be read at all: one line ``error: ...``, exit status 2."""


@dataclass
class StepResult:
    line: int
    latex: str
    read_as: str | None
    verdict: str | None            # None: a definition
    detail: str
    counterexample: dict | None = None
    comments: list[str] = field(default_factory=list)


@dataclass
class FileResult:
    """One file's result; ``internal``: the lines where the checker met a bug of its own (an
    exception in the judge), also listed in ``errors``."""

    file: str
    part: str | None
    items: list[StepResult]
    final: dict
    errors: list[str]
    internal: list[int] = field(default_factory=list)

    @property
    def steps(self) -> list[StepResult]:
        return [s for s in self.items if s.verdict is not None]


def _canon(scope: Scope):
    def canon(name: str) -> str:
        try:
            return canonical_name(name, scope)
        except ReadError as exc:
            raise NotationError(f"notation file: {exc}") from None
    return canon


def load_notation(part_id: str | None, notation_file: str | None, assume=()) -> tuple[Notation, Part | None]:
    """The notation in force: the part's (or the defaults; its letters renamed as the user's
    file says), then the user's file on top, then the ``--assume`` lines."""
    p = get_part(part_id) if part_id else None
    base = p.notation if p else DEFAULT
    if notation_file:
        try:
            user = load_toml(notation_file, _canon(Scope(base)))
            base = renamed(base, dict(user.rename))
            clash = sorted((user.functions | user.densities) & _defined_functions(base, Scope(base)))
            if p and clash:
                raise NotationError(f"it declares {', '.join(clash)}, which part {p.id} defines; "
                                    "drop the declaration or the --part")
            base = base.merged(user)
            validate(base, Scope(base).symbol, NotationError)
        except NotationError as exc:
            raise NotationError(_naming_file(str(exc), notation_file)) from None
    if assume:
        definitions, inequalities = assumption_lines(assume)
        base = replace(base, definitions=base.definitions + definitions, assumptions=base.assumptions + inequalities)
        try:  # read once here: a malformed --assume is the user's error, before any file
            read_document(Source("", "<--assume>"), base)
        except ReadError as exc:
            raise NotationError(f"--assume: {exc}") from None
    return base, p


def _defined_functions(n: Notation, scope: Scope) -> set[str]:
    """Names the notation's definition lines define as functions (``q(z) := ...``)."""
    out = set()
    for text in n.definitions:
        head = text.split(":=", 1)[0]
        if "(" in head:
            try:
                out.add(canonical_name(head.split("(", 1)[0].strip(), scope))
            except ReadError:
                continue
    return out


def _naming_file(msg: str, path: str) -> str:
    """A notation file's error with the file named once.

    >>> _naming_file("[symbols] x: unknown domain 'postive'", "n.toml")
    "notation file 'n.toml': [symbols] x: unknown domain 'postive'"
    """
    if repr(path) in msg:
        return msg
    return f"notation file {path!r}: " + (msg[len("notation file: "):] if msg.startswith("notation file: ") else msg)


def read_as(lhs, rhs, relation: str = "=") -> str:
    """The parsed step printed back as LaTeX (SymPy's printer, the project's notation)."""
    rel = {"=": "=", ":=": ":=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "!=": r"\ne",
           "approx": r"\approx", "~": r"\sim", "propto": r"\propto", "if": "="}[relation]
    return f"{_tex(lhs)} {rel} {_tex(rhs)}"


def _tex(e) -> str:
    return latex(e)  # every object the reader builds has a rule: a failure is a bug, and surfaces


def _context(doc: Document, notation: Notation, p: Part | None) -> J.Context:
    ctx = J.Context(definitions=list(doc.definitions), densities=frozenset(notation.densities),
                    explicit=p.explicit if p else None, base=doc.scope.base, sizes=frozenset(notation.sizes),
                    distributions=dict(doc.scope.distributions))
    if notation.depends or notation.jacobians or notation.families:
        defined = entry_definitions(ctx.definitions, notation.depends, lambda e: J.substitute(e, ctx), NotationError)
        ctx.relations = Relations(notation.depends, notation.jacobians, doc.scope.symbol, doc.scope.base, defined)
    ctx.assumptions = [(J.meaning(J.prepare(a, ctx), ctx), rel, J.meaning(J.prepare(b, ctx), ctx))
                       for a, rel, b in doc.assumptions]
    return ctx


def _read(path: str) -> str:
    from common.userfile import Refused, read_user_file
    try:
        data = read_user_file(path, "the LaTeX file", MAX_BYTES)
    except Refused as exc:
        raise Unreadable(str(exc)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"{path}: not UTF-8 text (byte {exc.start})") from None


def check_file(path: str, notation: Notation, p: Part | None, **kw) -> FileResult:
    """Check the derivation in ``path``; raises :class:`Unreadable` when it cannot be read.
    Keywords go to :func:`check_text`."""
    return check_text(_read(path), notation, p, name=path, **kw)


def _reference(p: Part, scope: Scope):
    rename = dict(scope.notation.rename)
    return tuple(_adapt(renamed_expr(e, rename), scope) for e in reference(p))


def _adapt(e, scope: Scope):
    """The reference's symbols ``z_1`` read as the parser reads ``z_1`` (the entry z[1])."""
    rep = {}
    for s in e.free_symbols if isinstance(e, sp.Basic) else ():
        m = re.fullmatch(r"([A-Za-z]+)_(\d)", getattr(s, "name", ""))
        if isinstance(s, sp.Symbol) and m:
            rep[s] = scope.base(m[1])[int(m[2])]
    return e.xreplace(rep) if rep else e


def check_text(text: str, notation: Notation, p: Part | None, name: str = "<input>",
               sandbox: bool = True, seconds: int = STEP_SECONDS, file_seconds: int = FILE_SECONDS) -> FileResult:
    """Check the LaTeX ``text`` (see :func:`check_file`): each step judged in the sandbox
    with ``seconds`` of CPU time, all of them with ``file_seconds`` (``sandbox=False``: in this
    process, no limits)."""
    src = Source(document_text(text, name), name)
    try:
        doc = read_document(src, notation)
    except ReadError as exc:
        raise Unreadable(f"{name}: {exc}") from None
    ctx = _context(doc, notation, p)
    steps = [it for it in doc.items if isinstance(it, Step) and not it.error]
    jobs = [lambda s=s: judge_step(s, ctx) for s in steps]
    last = _last(doc)
    ref = None
    if p is not None and last is not None:
        ref = _reference(p, doc.scope)
        jobs.append(lambda: _final(last, ref, ctx))
    outs = Sandbox(jobs, seconds=seconds, file_seconds=file_seconds).run_all() if sandbox else [_inline(j) for j in jobs]
    verdicts = dict(zip(map(id, steps), _conditions_judged(steps, outs)))
    items = [_item(it, verdicts.get(id(it))) for it in doc.items]
    final = {"verdict": None, "reference_id": p.reference_id if p else None, "counterexample": None}
    if p is not None:
        if last is None:
            final.update(verdict=J.INCONCLUSIVE, detail="the last line was not read")
        else:
            final.update(outs[-1])
    internal = [(s.line if s is not None else None, out["detail"])
                for s, out in zip([*steps, None], outs) if out.get("internal")]
    errors = list(doc.errors) + [f"{f'line {line}' if line else 'the final answer'}: {detail} (a bug in the checker)"
                                 for line, detail in internal]
    return FileResult(name, p.id if p else None, items, final, errors, [line or 0 for line, _ in internal])


def _conditions_judged(steps: list[Step], outs: list[dict]) -> list[dict]:
    """A condition left unjudged takes the verdict of the first later step that follows from it
    or solves it (:mod:`check.claims`): what it claims is that the next lines solve it."""
    outs = list(outs)
    for i, s in enumerate(steps):
        if not outs[i].get("condition"):
            continue
        for t, out in zip(steps[i + 1:], outs[i + 1:]):
            if out.get("reading") == "follows" and out["verdict"] in ("proved", "numeric") and \
                    any(a is s.lhs and b is s.rhs for a, b, _ in t.premise):
                how = "solves it" if t.premise_kind == "solves" else "follows from it"
                outs[i] = {**outs[i], "verdict": out["verdict"], "condition": False,
                           "detail": f"a condition, not an identity ({s.condition}): line {t.line} {how}"}
                break
    return outs


def _inline(job):
    """A job in this process: a bug in the judge raises, as it should (no limits, no net)."""
    return job()


def _last(doc: Document):
    """The expression of the file's last line (None when that line was not read)."""
    for it in reversed(doc.items):
        if isinstance(it, Step):
            return None if it.error or it.rhs is None else it.rhs
        if isinstance(it, Definition):
            return it.rhs
    return None


def _final(expr, ref, ctx: J.Context) -> dict:
    """The final answer against the reference: matches / matches, not simplest / differs."""
    result, written = ref
    v = J.compare(expr, result, ctx)
    out = {"verdict": J.INCONCLUSIVE, "counterexample": None, "detail": J.text(v)}
    if v.holds:
        reason = not_simplest(expr, min(J.count_ops(result), J.count_ops(written)), result)
        out["verdict"] = "matches, not simplest" if reason else "matches"
        out["detail"] = f"{J.as_dict(v)['verdict']}: {J.text(v)}; " + (reason or "simplest by count_ops")
    elif v.level in (J.WRONG, J.DOMAIN):
        out.update(verdict="differs", counterexample=v.counterexample, detail=J.text(v))
    return out


SLACK = 2  # count_ops an answer may exceed the reference's by and still be simplest
# what is left unevaluated in an answer not in closed form, in kinds: an answer may keep a kind its
# reference keeps (Fact 2's KL of generic densities, an integral there)
_NOT_CLOSED = (((sp.Integral, Expect, KL), "an integral, expectation or KL divergence"),
               ((sp.Derivative, Grad), "a derivative or gradient"))


def not_simplest(expr, reference_ops: int, reference=None) -> str:
    """Why the answer as written is not in its simplest form ("" when it is). The measure is
    SymPy's ``count_ops`` of the expression as written: it is not simplest when SymPy's
    automatic evaluation alone removes operations (terms or factors that cancel, such as
    ``sigma^2 / (2 sigma^2)``), or when it exceeds the reference's count (the smaller of the
    reference result and its displayed last line) by more than :data:`SLACK`; an answer that
    still holds an integral, expectation, KL, derivative or gradient that the reference has not
    is not in closed form."""
    has = lambda e, kinds: isinstance(e, sp.Basic) and e.has(*kinds)
    left = [name for kinds, name in _NOT_CLOSED if has(expr, kinds) and not has(reference, kinds)]
    if left:
        return f"not in closed form: {' and '.join(left)} left"
    ours = J.count_ops(expr)
    evaluated = min(J.count_ops(J.evaluated(expr)), J.count_ops(_sums_collected(expr)))
    if evaluated < ours:
        return f"count_ops {ours} as written, {evaluated} once terms that cancel are cancelled"
    if ours > reference_ops + SLACK:
        return f"count_ops {ours} > {reference_ops} of the reference + {SLACK}"
    return ""


def _sums_collected(e):
    """``e`` with only its sums evaluated (like terms collected: ``mu - mu`` is 0), every other
    node kept as written, so that a coefficient is not multiplied out over a sum.

    >>> x = sp.Symbol("x")
    >>> _sums_collected(sp.Mul(sp.Rational(1, 2), sp.Add(x, 1, x, -x, evaluate=False), evaluate=False))
    (x + 1)/2
    """
    if not isinstance(e, sp.Basic) or not e.args or isinstance(e, (sp.MatrixExpr, sp.Tuple)):
        return e
    args = [_sums_collected(a) for a in e.args]
    if e.is_Add:
        return sp.Add(*args)
    try:
        return e.func(*args, evaluate=False)
    except TypeError:
        return e.func(*args)


def _item(it, verdict: dict | None) -> StepResult:
    if isinstance(it, Definition):
        shown = read_as(it.lhs, it.rhs, it.relation) if it.lhs is not None and it.rhs is not None else None
        return StepResult(it.line, it.latex, shown, None, "definition", None, it.comments)
    if it.error:
        return StepResult(it.line, it.latex, None, J.INCONCLUSIVE, f"not read: {it.error}", None, it.comments)
    detail = verdict["detail"] + (f" ({it.note})" if it.note else "")
    return StepResult(it.line, it.latex, read_as(it.lhs, it.rhs, it.relation), verdict["verdict"], detail,
                      verdict.get("counterexample"), it.comments)

r"""What a step claims, judged under every plausible reading: the first rule of the checker is
that a correct step is never called wrong (issue 23).

A step (:class:`check.steps.Step`) is judged (:func:`judge_step`)

1. as an identity, under each of its readings (the written one first, then the product of its
   sides' other readings: ``P(x)`` a call or a product, how far ``\log`` reaches, ...);
2. with a premise, as a consequence: after ``\Rightarrow`` it claims to follow from the
   relation before it; after a system of conditions (``f'(y) = 0``, two equations for ``m`` and
   ``h``) it may follow from them (a second reading); a starred name after them
   (``D^*(x) = ...``) claims to solve them (:func:`follows`).

Then: ``proved``/``numeric`` when some reading holds (the detail says which, when it is not the
written one); ``wrong``/``domain`` only when every reading was judged and fails; else
``inconclusive`` with the reasons. A relation that may state a condition (``... = 0``, prose
that says "setting", "when", ...) and fails as an identity is a condition, never ``wrong``: it
is ``inconclusive`` with the flag ``condition``, and the checker gives it the verdict of a later
step that follows from it or solves it (:func:`check.checker.check_text`).

>>> import sympy as sp
>>> a, b, y = sp.symbols("a b y", positive=True)
>>> text(follows([(a * (1 - y) - b * y, sp.Integer(0), 3)], y, a / (a + b), Context(), "solves"))
'solves line 3: with y = \\frac{a}{a + b} it holds (SymPy shows the difference is 0 (cancel))'
"""
from __future__ import annotations

import itertools
import random
from dataclasses import replace

import sympy as sp
from sympy.core.function import AppliedUndef

from check import judge as J
from check.context import Context
from check.numeric_check import N_RANDOM, SEED, numeric, points
from check.verdicts import DOMAIN, INCONCLUSIVE, NUMERIC, PROVED, WRONG, Unsupported, Verdict, text, verdict
from derive.engine.points import frozen, holds, number
from derive.engine.verify import UNDECIDED
from derive.printing import latex

__all__ = ["judge_step", "follows", "NotApplicable", "MAX_UNKNOWN_CHOICES"]

MAX_UNKNOWN_CHOICES = 4   # choices of the unknowns a system of conditions is solved for, at most
_FAILED = (WRONG, DOMAIN)


class NotApplicable(Exception):
    """A second reading that says nothing about the step (it uses names the premise does not hold)."""


def judge_step(step, ctx: Context) -> dict:
    """The contract's dict of ``step`` (see the module docstring), with ``reading`` (which
    reading held: "" for the written one) and ``condition`` (a condition left unjudged)."""
    assume = [(a, b) for a, b in step.assume if not (a is step.lhs and b is step.rhs)]  # (not its own relation)
    if assume:  # "\text{if } y = 1", "when $p_g = p_r$": its line's assumptions, as definitions of its own
        ctx = replace(ctx, definitions=ctx.definitions + assume, memo={})
    outcomes = []
    identities = [] if step.premise_kind == "solves" else [(step.lhs, step.rhs, "")] + list(step.readings)
    for k, (lhs, rhs, note) in enumerate(identities):  # (a starred name is defined by its own line: no identity)
        v = _unknown_value(J.judge(lhs, rhs, step.relation, ctx), lhs, rhs, ctx)
        outcomes.append((note or "as written", v, "" if k == 0 else "side"))
        if v.holds:
            break
    if step.premise_kind and not (outcomes and outcomes[-1][1].holds) and step.relation == "=":
        try:
            outcomes.append((step.premise_kind, _follows_or_not(step, ctx), step.premise_kind))
        except NotApplicable as exc:
            if step.premise_kind == "implies":  # claimed, but about names the relation before does not hold
                outcomes.append(("implies", verdict(INCONCLUSIVE, f"whether it follows: {exc}"), "implies"))
    return _combined(step, outcomes)


def _unknown_value(v: Verdict, lhs, rhs, ctx: Context) -> Verdict:
    """A failed identity that states the value of a function nothing defines (a call on one
    side only: ``2(1 + m) = h(L + u)``) says what that value is; it cannot be refuted."""
    if v.level not in _FAILED:
        return v
    known = {k for k in ctx.functions() if isinstance(k, str)} | set(ctx.densities)
    sides = [{c for c in x.atoms(AppliedUndef) if c.func.__name__ not in known} if isinstance(x, sp.Basic) else set()
             for x in (lhs, rhs)]
    alone = sorted(sides[0] ^ sides[1], key=str)
    if not alone or {c.func for c in sides[0]} & {c.func for c in sides[1]}:
        alone = _unknown_iterates(lhs, rhs, ctx)
    if not alone:
        return v
    return verdict(INCONCLUSIVE, f"it states a value of {latex(alone[0])}, which nothing defines ({text(v)})")


def _unknown_iterates(lhs, rhs, ctx: Context) -> list:
    """Subscripted names (``x_t``, ``x_{t+1}``) that nothing defines, on the left side only: the
    line states the iterate's value (``x_t - x^* = P_t(H)(x_0 - x^*)``), a claim about an
    algorithm that the math alone cannot refute."""
    defined = {getattr(d, "name", None) for d, _ in ctx.definitions} | set(ctx.densities) | {
        k for k in ctx.functions() if isinstance(k, str)}   # (p_G in f|_{p_G = q} is a density, not a value)
    names = [{s for s in x.free_symbols if isinstance(s, sp.Symbol) and "_" in s.name and s.name not in defined}
             if isinstance(x, sp.Basic) else set() for x in (lhs, rhs)]
    return sorted(names[0] - names[1], key=str)


def _follows_or_not(step, ctx: Context) -> Verdict:
    if not step.premise:
        return verdict(INCONCLUSIVE, "it follows from a relation the checker cannot solve (not read, or not an equation)")
    try:
        return follows(step.premise, step.lhs, step.rhs, ctx, step.premise_kind)
    except Unsupported as exc:
        return verdict(INCONCLUSIVE, f"not supported: {exc}")


def _combined(step, outcomes) -> dict:
    """One verdict from the readings' outcomes ``(label, verdict, kind)``."""
    if not outcomes:
        return _out(verdict(INCONCLUSIVE, "nothing to judge"))
    held = [o for o in outcomes if o[1].holds]
    if held:
        label, v, kind = held[0]
        if kind == "":
            return _out(v)
        said = label if label.startswith("reading ") else f"reading {label}"  # (the reader's notes say "reading ...")
        shown = text(v) if kind in ("implies", "system", "solves") else f"holds {said}: {text(v)}"
        return _out(verdict(v.level, shown, v.counterexample), "follows" if kind in ("implies", "system", "solves") else label)
    first = outcomes[0][1]
    if step.note.startswith("compared with line") and first.level in _FAILED:  # the line between may hold the slip
        return _out(verdict(INCONCLUSIVE, f"it differs from the line it is compared with, but {step.note.split(': ', 1)[1]}: "
                                          f"the difference may be there ({text(first)})"))
    unjudged_premise = not step.premise or (step.premise_kind == "system" and all(k != "system" for *_, k in outcomes))
    if step.assigns and unjudged_premise and first.level in _FAILED:  # (conditions it may solve, not applicable)
        return _out(verdict(INCONCLUSIVE, f"it gives {latex(step.lhs)}, which nothing defines before, a value (or claims "
                                          f"one the text does not show): as an identity {text(first)}"))
    if step.opaque and first.level in _FAILED:
        return _out(verdict(INCONCLUSIVE, f"it differentiates {step.opaque}, which nothing defines (how it depends on "
                                          f"the variable is unknown): taken as a constant, {text(first)}"))
    if step.restates and not step.premise and first.level in _FAILED:
        return _out(verdict(INCONCLUSIVE, f"{step.restates} may be the quantity the file states, written in new variables "
                                          f"(a name authors overload): as its definition applied, {text(first)}"))
    if step.condition and step.premise_kind != "implies":
        return {**_out(verdict(INCONCLUSIVE, f"a condition, not an identity ({step.condition}); "
                                             f"no later line was found to follow from it")), "condition": True}
    if all(v.level in _FAILED for _, v, _ in outcomes):
        if len(outcomes) == 1:
            return _out(first)
        if all(_shape_only(v) for _, v, _ in outcomes):  # no reading fits the author's objects: a reading missing
            return _out(verdict(INCONCLUSIVE, f"no reading makes the shapes fit ({text(first)}): the text's objects "
                                              f"are not the ones the checker read"))
        rest = "; ".join(f"{label}: {text(v)}" for label, v, kind in outcomes[1:])
        return _out(verdict(first.level, f"{text(first)}; every reading fails ({rest})"[:600], first.counterexample))
    reasons = "; ".join(f"{label}: {text(v)}" for label, v, _ in outcomes)
    if len(outcomes) == 1:
        return _out(first)
    return _out(verdict(INCONCLUSIVE, f"no reading holds and not every reading could be judged ({reasons})"[:600]))


def _shape_only(v: Verdict) -> bool:
    """The verdict is a mismatch of shapes (a matrix against a number), not of values."""
    return text(v).startswith(("the left side is a", "the shapes do not match"))


def _out(v: Verdict, reading: str = "") -> dict:
    return {**J.as_dict(v), "reading": reading}


# -- a consequence of the relations before ------------------------------------------------------

def _unstarred(name: str) -> str:
    return name.replace("^{*}", "").replace("^{\\star}", "")


def _head_name(e) -> str | None:
    """The name a left side is (a symbol, a matrix symbol, a call ``D^*(x)``), None when it is not."""
    if isinstance(e, AppliedUndef):
        return e.func.__name__
    if isinstance(e, (sp.Symbol, sp.MatrixSymbol)):
        return e.name
    return None


def _names_in(e) -> set[str]:
    if not isinstance(e, sp.Basic):
        return set()
    out = {s.name for s in e.atoms(sp.Symbol, sp.MatrixSymbol)}
    return out | {f.func.__name__ for f in e.atoms(AppliedUndef)}


def _put(e, names: set[str], lhs, rhs):
    """``e`` with the name ``lhs`` (starred or not) replaced by ``rhs`` (a call ``D(t)`` by
    ``rhs`` at ``t``); a derivative in that name is carried out first."""
    if not isinstance(e, sp.Basic):
        return e
    is_name = lambda x: getattr(x, "name", None) in names
    e = e.replace(lambda d: isinstance(d, sp.Derivative) and any(is_name(v) for v in d.variables), lambda d: d.doit())
    if isinstance(lhs, AppliedUndef):
        params = lhs.args
        return e.replace(lambda c: isinstance(c, AppliedUndef) and c.func.__name__ in names and len(c.args) == len(params),
                         lambda c: rhs.xreplace(dict(zip(params, c.args))))
    return e.replace(lambda x: isinstance(x, (sp.Symbol, sp.MatrixSymbol)) and is_name(x), lambda x: rhs)


def follows(premise: list, lhs, rhs, ctx: Context, kind: str) -> Verdict:
    """Whether ``lhs = rhs`` follows from the relations ``premise`` ``[(a, b, line)]``.

    When ``lhs`` is a name the premise holds (``y``, ``D^*(x)`` for ``D(x)``): each premise
    relation judged as an identity with ``rhs`` put for that name (it *solves* the premise).
    Otherwise the premise (scalar equations) is solved for some of its names (SymPy's
    ``solve``, at most :data:`MAX_UNKNOWN_CHOICES` choices of unknowns) and ``lhs - rhs`` is
    checked at each solution: it follows when it vanishes at one of them, and does not when it
    is decided at all of them and vanishes at none. Raises :class:`~check.verdicts.Unsupported`
    when it cannot decide, :class:`NotApplicable` when ``lhs - rhs`` uses names the premise
    does not hold (nothing can follow about them)."""
    lines = sorted({ln for *_, ln in premise})
    where = f"line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}"
    head = _head_name(lhs)
    held = set().union(*(_names_in(a) | _names_in(b) for a, b, _ in premise))
    names = {head, _unstarred(head)} if head is not None else set()
    if len(premise) == 1 and names & held and not names & _names_in(rhs):  # "y = a/(a+b)": a value for y
        return _solves(premise, lhs, rhs, names, ctx, where)
    return _solved(premise, lhs, rhs, ctx, where, held)


def _solves(premise, lhs, rhs, names, ctx, where) -> Verdict:
    """Each premise relation with ``rhs`` put for the name (the name's own definition, if any,
    is not substituted first: ``\\tilde x := D(x)`` solved for ``\\tilde x``)."""
    own = replace(ctx, definitions=[d for d in ctx.definitions if _head_name(d[0]) not in names], memo={})
    outs = []
    for a, b, _ in premise:
        a, b = (_put(J.prepare(x, own), names, lhs, rhs) for x in (a, b))
        outs.append(J.judge(a, b, "=", ctx))
    shown = f"with {latex(lhs)} = {latex(rhs)}"
    if all(v.holds for v in outs):
        level = NUMERIC if any(v.level == NUMERIC for v in outs) else PROVED
        return verdict(level, f"solves {where}: {shown} it holds ({'; '.join(text(v) for v in outs)})")
    bad = next((v for v in outs if v.level in _FAILED), None)
    if bad is not None:
        return verdict(WRONG, f"does not solve {where}: {shown} it fails ({text(bad)})", bad.counterexample)
    raise Unsupported(f"whether it solves {where}: {'; '.join(text(v) for v in outs)}")


def _frozen(exprs: list, densities=frozenset()) -> list:
    """Calls (and their derivatives) as symbols (the engine's
    :func:`derive.engine.points.frozen`), the same call the same symbol in every expression; a bare name of a density (``p_g`` beside ``p_g(x)``) as its call."""
    calls = set().union(*(e.atoms(AppliedUndef) for e in exprs))
    by_name = {}
    for c in sorted(calls, key=str):
        if c.func.__name__ in densities:
            by_name.setdefault(c.func.__name__, c)
    bare = {s: by_name[s.name] for e in exprs for s in e.atoms(sp.Symbol) if s.name in by_name}
    return [frozen(e.xreplace(bare), latex) for e in exprs]  # (a symbol is its name: the same in every one)


def _scalar_meaning(e, ctx):
    m = J.meaning(J.prepare(e, ctx), ctx)
    if isinstance(m, (sp.MatrixBase, sp.MatrixExpr)):
        if isinstance(m, sp.MatrixBase) and m.shape == (1, 1):
            return m[0, 0]
        raise Unsupported("a consequence of matrix equations is checked only when it solves them")
    return m


def _unstar(e):
    """Starred names as the names they solve for (``D^*(x)`` is ``D(x)``, ``\\theta^*`` is ``\\theta``)."""
    e = e.replace(lambda x: isinstance(x, AppliedUndef) and _unstarred(x.func.__name__) != x.func.__name__,
                  lambda x: sp.Function(_unstarred(x.func.__name__))(*x.args))
    return e.replace(lambda x: isinstance(x, sp.Symbol) and _unstarred(x.name) != x.name,
                     lambda x: sp.Symbol(_unstarred(x.name), **x.assumptions0))


def _solved(premise, lhs, rhs, ctx, where, held) -> Verdict:
    eqs = [_scalar_meaning(a, ctx) - _scalar_meaning(b, ctx) for a, b, _ in premise]
    target = _unstar(_scalar_meaning(lhs, ctx) - _scalar_meaning(rhs, ctx))
    *eqs, target = _frozen(eqs + [target], ctx.densities)
    free = set().union(*(e.free_symbols for e in eqs))
    if not target.free_symbols <= free:
        extra = ", ".join(latex(s) for s in sorted(target.free_symbols - free, key=str))
        raise NotApplicable(f"it uses {extra}, which {where} does not hold")
    tried = []
    for unknowns in _unknown_choices(eqs, target):
        sols = _solutions(eqs, unknowns, ctx)
        results = [(sol, _vanishes(target.xreplace(sol), ctx)) for sol in sols]
        for sol, v in results:
            if v.holds:
                return verdict(v.level, f"follows from {where}: solved for {_names(unknowns)}, {_shown(sol)} ({text(v)})")
        if results:
            tried.append((unknowns, results))
    for unknowns, results in tried:
        if all(v.level in _FAILED for _, v in results):
            sol, v = results[0]
            return verdict(WRONG, f"does not follow from {where}: solved for {_names(unknowns)}, {_shown(sol)}, it "
                                  f"fails ({text(v)})", v.counterexample)
    raise Unsupported(f"{where} could not be solved for its unknowns" if not tried else
                      f"at the solutions of {where} it holds only in part ({text(tried[0][1][0][1])})")


def _names(unknowns) -> str:
    return ", ".join(latex(u) for u in unknowns)


def _shown(sol: dict) -> str:
    return ", ".join(f"{latex(k)} = {latex(x)}" for k, x in sol.items())


def _solutions(eqs, unknowns, ctx: Context) -> list[dict]:
    """SymPy's solutions of ``eqs`` for ``unknowns`` (none when it cannot solve), once per file."""
    key = ("solve", tuple(eqs), tuple(unknowns))
    if key not in ctx.memo:
        try:
            ctx.memo[key] = sp.solve(eqs, unknowns, dict=True, check=False, simplify=False)
        except (*UNDECIDED, ValueError, TypeError):  # SymPy cannot solve for these: other unknowns are tried
            ctx.memo[key] = []
    return ctx.memo[key]


def _unknown_choices(eqs, target) -> list[tuple]:
    """Sets of ``len(eqs)`` unknowns to solve the premise for: names of the target first."""
    free = set().union(*(e.free_symbols for e in eqs))
    order = sorted(free, key=lambda s: (s not in target.free_symbols, -sum(s in e.free_symbols for e in eqs), str(s)))
    return list(itertools.islice(itertools.combinations(order, len(eqs)), MAX_UNKNOWN_CHOICES))


def _vanishes(d, ctx: Context) -> Verdict:
    """``d = 0``: proved, numeric at every sampled point where it is defined, wrong when it
    vanishes at none of them, inconclusive when only at some (a branch or a domain the text
    does not state)."""
    if J.zero(d):
        return verdict(PROVED, "the difference expands to 0")
    v = numeric(d, sp.Integer(0), "=", assumptions=ctx.assumptions)
    if v.level not in _FAILED:
        return v
    pts = points(sorted(d.free_symbols, key=str), random.Random(SEED))[-N_RANDOM:]  # random: not 0, 1, -1
    vals = [x for x in (number(d, p) for p in pts) if x is not None]
    zeros = sum(holds(x, 0.0, "=") for x in vals)
    if zeros:
        return verdict(INCONCLUSIVE, f"it holds at {zeros} of {len(vals)} random points only")
    return v

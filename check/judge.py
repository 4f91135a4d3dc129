r"""The verdict on one step ``lhs = rhs`` of someone else's derivation.

A step is first given its meaning: the document's definitions are substituted
(``q(z) := N(z; mu, sigma^2)``), expectations ``E_q[f]`` and ``KL(q || p)`` become integrals
against their densities, and integrals over the real line are reduced by the engine's rules
(:func:`derive.engine.integrals.gaussian_normal_form`: linearity, ``int q = 1``, Fubini,
the Gaussian moments; an explicitly written Gaussian density is recognised first). A step
in a generic size (a sum to ``m``, a matrix of ``m`` rows) is also instantiated at sizes
1, 2, 3, 4, 5, 7 (:data:`~check.instances.SIZES`) with explicit matrices.

Then, in this order:

- ``proved``: the difference expands to zero, or the engine's
  :func:`derive.engine.verify.symbolic_zero` (``cancel``, ``expand``, ``simplify``) shows it,
  under the declared domains and for every size (a generic sum is proved by linearity of
  sums, or by the engine's sum algebra :func:`derive.engine.sums.sums_equal`);
- ``numeric``: both sides agree at every sampled point where both are defined (30-digit
  arithmetic, relative tolerance :data:`~check.numeric_check.RTOL`), with at least
  :data:`~check.numeric_check.MIN_VALID` such points; the points always include the
  special values 0, 1, -1 (as the domain allows) of all atoms at once, and of each atom in
  turn (at most :data:`~check.numeric_check.MAX_SINGLE` of these, the atoms drawn at
  random when there are more, as at a large explicit size), and a step shown only at the
  listed sizes is ``numeric`` too, never ``proved``;
- ``wrong``: a point where both sides are defined and differ, with both values;
- ``domain``: the step fails in the declared domain but holds where every real symbol is
  positive, or the right side is undefined at a point where the left side is defined
  (``ln x^2 = 2 ln x`` at ``x = -1``);
- ``inconclusive``: the sides could not be evaluated, or too few points were valid, or
  (set by :mod:`check.sandbox`) the time or memory limit was reached.

Densities of a column ``z`` (``N(z; mu, Sigma)``, and ``N(mu, Sigma)`` written without a
variable; ``E_q``, ``KL`` over ``R^m``) are integrals over its entries at each size
(:mod:`check.mvn`: Gaussian integrals by Isserlis' theorem; linearity and
``int N = 1`` for every size); a matrix symbol used as a covariance
takes :data:`~check.mvn.N_SPD` symmetric positive definite values at each size up to
:data:`~check.instances.SPD_MAX_SIZE` (``I``, then random ``L L^T``), never independent entries, and the
step is then ``numeric`` at most.

An expectation over a random subset (``B \sim \mathrm{Subset}(n, b)``,
:mod:`check.subsets`) is judged at explicit sizes ``1 <= b <= n`` by enumerating the
subsets: ``numeric`` naming the sizes (or ``proved`` when no size is a symbol).
``\operatorname{Var} f`` means ``E[(f - E f)^2]`` under the same distribution.

Undefined functions (the networks of Problem 3) are checked as independent values with
independent partial derivatives; generic densities (Fact 2) are checked through the
normalisation rules, and numerically by instantiating each as a normal density with
random parameters.

The stages live in their own modules: the meaning of a side (:mod:`check.meaning`),
the instances at explicit sizes (:mod:`check.instances`), the symbolic checks
(:mod:`check.symbolic`), the numeric check at points (:mod:`check.numeric_check`),
the verdicts and the "cannot judge" exception (:mod:`check.verdicts`); this module
orders them (:func:`judge`) and re-exports the names the checker uses.
"""
from __future__ import annotations

import random
from dataclasses import replace

import sympy as sp
from sympy.core.function import AppliedUndef

from check import extrema, subsets
from check.context import Context
from check.instances import (MAX_OPS_AT_SIZE, SIZES, SPD_MAX_SIZE, assignments, instantiate,
                                    sampled_covariances, size_symbols, with_matrices)
from check.arithmetic import basic
from check.meaning import (defined_variables_first, evaluated, integrals, meaning, prepare, resolve,
                                  substitute, translate)
from check.numeric_check import (DPS, MAX_SINGLE, MIN_VALID, N_RANDOM, RTOL, SEED, constant_difference, holds,
                                 number, numeric)
from check.mvn import (ColumnIntegral, column_linearity, CoordinateIntegral, left_out_values,
                              spd_instances, N_SPD)
from derive.ops import Argmax
from check.symbolic import (matrices_symbolic, proved_inequality, split_sums, sums_symbolic, zero,
                                   zero_method)
from derive.engine.verify import MAX_EXPANDED_TERMS, UNDECIDED
from check.verdicts import (DOMAIN, INCONCLUSIVE, NUMERIC, PROVED, VERDICTS, WRONG, Unsupported, Verdict, as_dict,
                            text, verdict)
from derive.ops import NormalPDF
from derive.printing import latex

__all__ = ["Verdict", "verdict", "as_dict", "text", "Context", "Unsupported", "judge", "compare", "count_ops", "evaluated", "prepare", "meaning",
           "substitute", "resolve", "translate", "instantiate", "PROVED", "NUMERIC", "WRONG", "DOMAIN",
           "INCONCLUSIVE", "VERDICTS", "SIZES", "SPD_MAX_SIZE", "RTOL", "MIN_VALID", "N_RANDOM", "MAX_SINGLE", "DPS"]


def _once(ctx: Context, key, make):
    """``make()``, computed once per file for ``key`` (``ctx.memo``): the steps of a chain share
    their sides, so each side is instantiated and given its meaning once."""
    if key not in ctx.memo:
        ctx.memo[key] = make()
    return ctx.memo[key]


def _matrix_value(e):
    """Explicit matrix expressions evaluated (MatMul of explicit matrices, transposes)."""
    if isinstance(e, sp.MatrixExpr) and not isinstance(e, sp.MatrixBase):
        return sp.ImmutableMatrix(e.doit())
    return e


def _shaped(e):
    """A 1 x 1 matrix as its entry (``x^T y`` is the number it holds; a 1 x 1 matrix of a 1 x 1
    matrix, the gradient of a 1 x 1 product at d = 1, too)."""
    while isinstance(e, sp.MatrixBase) and e.shape == (1, 1):
        e = e[0, 0]
    return e


def _same_shape(a, b):
    """``v = 0`` with a column ``v``: the 0 is the zero column (of the other side's shape)."""
    if isinstance(a, sp.MatrixBase) and not isinstance(b, sp.MatrixBase) and b == 0:
        return a, sp.zeros(*a.shape)
    if isinstance(b, sp.MatrixBase) and not isinstance(a, sp.MatrixBase) and a == 0:
        return sp.zeros(*b.shape), b
    return a, b


def _shape_error(a, b):
    sa = a.shape if isinstance(a, sp.MatrixBase) else None
    sb = b.shape if isinstance(b, sp.MatrixBase) else None
    if sa == sb:
        return None
    show = lambda s: "a number" if s is None else f"a {s[0]}x{s[1]} matrix"
    return f"the left side is {show(sa)}, the right side {show(sb)}"


def _opaque_integral(e, ctx: Context) -> bool:
    """An integral left over an undefined function that is not a declared density."""
    return any(f.func.__name__ not in ctx.densities for i in basic(e).atoms(sp.Integral)
               for f in i.atoms(AppliedUndef))


def _fixed(lhs, rhs, relation: str, ctx: Context, extra=None, label="", symbolic: bool = True,
           max_ops: int | None = None) -> Verdict:
    """The verdict at fixed sizes (no generic size left); ``symbolic=False``: at points only
    (a step at sampled matrix values is numeric whatever SymPy shows there); with ``max_ops``,
    the symbolic checks (``expand``, ``cancel``, ``simplify``) are skipped when the difference has
    more operations (an instance of a generic step, which is ``numeric`` whatever each size gives)."""
    try:
        a, b = (_matrix_value(_once(ctx, ("meaning", x), lambda x=x: meaning(x, ctx))) for x in (lhs, rhs))
    except sp.ShapeError as exc:
        return verdict(WRONG, f"the shapes do not match{label}: {exc}",
                       {"point": dict(extra or {}), "lhs": "shape error", "rhs": "shape error"})
    a, b = _shaped(a), _shaped(b)
    if relation == "=":
        a, b = _same_shape(a, b)
        shape = _shape_error(a, b)
        if shape:
            return verdict(WRONG, shape + label, {"point": dict(extra or {}), "lhs": shape.split(",")[0],
                                                  "rhs": shape.split(",")[1].strip()})
        large = max_ops is not None and count_ops(a - b) > max_ops
        if not large and zero(a - b, ctx.densities):
            return verdict(PROVED, "the difference expands to 0" + label)
        d = None if (not symbolic or large or basic(a).has(sp.Integral) or basic(b).has(sp.Integral)) \
            else zero_method(a, b)
        if d and d.method:
            return verdict(PROVED, f"SymPy shows the difference is 0 ({d.method}){label}")
        wrong = constant_difference(a, b, d.constant, extra, label) if d and d.constant is not None else None
        if wrong:
            return wrong
        if d and d.too_large:
            label += f" (not expanded symbolically: more than {MAX_EXPANDED_TERMS} terms)"
    elif proved_inequality(a, b, relation):
        return verdict(PROVED, f"SymPy shows the difference has the sign of {relation}{label}")
    if _has_generic_density(a, b, ctx):
        a, b, chosen = _gaussian_instances(a, b, ctx)
        extra = {**(extra or {}), **chosen}
    if _opaque_integral(a, ctx) or _opaque_integral(b, ctx):
        raise Unsupported("an integral of a function that is neither defined nor a declared density")
    if any(isinstance(x, sp.Basic) and x.atoms(sp.MatrixSymbol) for x in (a, b)):
        raise Unsupported("a matrix whose entries are not known at this size")
    return numeric(a, b, relation, extra, label, ctx.assumptions)


def _has_generic_density(a, b, ctx) -> bool:
    return any(f.func.__name__ in ctx.densities for x in (a, b) for f in basic(x).atoms(AppliedUndef))


def _gaussian_instances(a, b, ctx: Context):
    """Each generic density as N(c_k, s_k^2), c_k and s_k fixed random numbers."""
    rng = random.Random(SEED)
    params = {name: (sp.Rational(rng.randint(-10, 10), 10), sp.Rational(rng.randint(5, 20), 10))
              for name in sorted(ctx.densities)}

    def sub(e):
        if any(_is_matrix_arg(f) for f in basic(e).atoms(AppliedUndef) if f.func.__name__ in params):
            raise Unsupported("a generic density of a column (declare it, e.g. q(z) := \\mathcal{N}(z; \\mu, \\Sigma))")
        e = e.replace(lambda x: isinstance(x, AppliedUndef) and x.func.__name__ in params and len(x.args) == 1,
                      lambda x: NormalPDF(x.args[0], *params[x.func.__name__]))
        return integrals(e, Context(densities=frozenset()))
    used = {f.func.__name__ for x in (a, b) for f in basic(x).atoms(AppliedUndef)}
    chosen = {latex(sp.Symbol(n)): f"N({float(params[n][0]):g}, {float(params[n][1]):g}^2)" for n in sorted(used & set(params))}
    return sub(a), sub(b), chosen


def _is_matrix_arg(call) -> bool:
    return any(isinstance(a, (sp.MatrixBase, sp.MatrixExpr)) for a in call.args)


def judge(lhs, rhs, relation: str, ctx: Context) -> Verdict:
    """The verdict on ``lhs relation rhs`` (see the module docstring)."""
    if relation in ("approx", "!=", "propto"):
        return verdict(INCONCLUSIVE, f"a step with {relation} is not checked")
    try:
        v = _judge(lhs, rhs, relation, ctx)
    except Unsupported as exc:
        return verdict(INCONCLUSIVE, f"not supported: {exc}")
    if v.level in (PROVED, NUMERIC) and any(_names_extremum(x, ctx) for x in (lhs, rhs)):
        return verdict(v.level, text(v) + f"; {extrema.HOW}", v.counterexample)
    return v


def _names_extremum(e, ctx: Context) -> bool:
    """Whether ``e`` means an arg max or arg min, once the definitions are substituted."""
    return substitute(defined_variables_first(e, ctx), ctx).has(Argmax)


def _judge(lhs, rhs, relation: str, ctx: Context) -> Verdict:
    lhs, rhs = prepare(lhs, ctx), prepare(rhs, ctx)
    if subsets.involved(lhs, ctx.distributions) or subsets.involved(rhs, ctx.distributions):
        return _enumerated(lhs, rhs, relation, ctx)
    sizes = sorted(set(size_symbols(lhs, ctx)) | set(size_symbols(rhs, ctx)), key=lambda s: s.name)
    if not sizes:
        if ctx.relations:  # declared objects of numeric sizes: made explicit as at a size
            try:
                lhs, rhs = (instantiate(x, {}, ctx) for x in (lhs, rhs))
            except sp.ShapeError as exc:
                return verdict(WRONG, f"the shapes do not match: {exc}", {"point": {}, "lhs": "shape error",
                                                                         "rhs": "shape error"})
        return _fixed(lhs, rhs, relation, ctx)
    if relation == "=":
        try:
            a, b = (column_linearity(meaning(x, ctx)) for x in (lhs, rhs))
            scalar = not isinstance(a, sp.MatrixExpr) and not isinstance(b, sp.MatrixExpr)
            if scalar and zero(split_sums(a) - split_sums(b)):
                how = "linearity of sums: " if (a.has(sp.Sum) or b.has(sp.Sum)) else ""
                how += "linearity of the integral over z: " if (lhs.has(ColumnIntegral) or rhs.has(ColumnIntegral)) else ""
                return verdict(PROVED, f"{how}the difference expands to 0 for every size")
            # (the sum algebra ends in SymPy's simplify, which does not return on matrix
            # objects such as exp(-x^T S^{-1} x / 2) beside a sum: those go to the sizes)
            if scalar and (a.has(sp.Sum) or b.has(sp.Sum)) and not _has_matrix_symbols(a, b) and sums_symbolic(a, b):
                return verdict(PROVED, "sum algebra (linearity, renamed indices): equal for every size")
            if matrices_symbolic(a, b):
                return verdict(PROVED, "entry by entry in index form (sum algebra): equal for every size")
        except (Unsupported, sp.ShapeError, *UNDECIDED):  # not shown for every size: the sizes decide
            pass
    outcomes = []
    covs = sampled_covariances(lhs, rhs, ctx)
    configs = assignments(sizes)
    if covs:  # explicit Gaussian integrals grow fast with the size: sampled covariances up to SPD_MAX_SIZE
        configs = [c for c in configs if max(c.values()) <= SPD_MAX_SIZE] or configs[:1]
    for config in configs:
        label = " at " + ", ".join(f"{latex(k)} = {v}" for k, v in config.items())
        insts = (spd_instances(covs, config) or [{}]) if covs else [{}]
        for inst, pick in ((i, p) for i in insts for p in (left_out_values((lhs, rhs), config) or [{}])):
            at = with_matrices(ctx, inst)
            extra = {latex(k): val for k, val in config.items()}
            extra.update({latex(S): [list(map(_number_text, M.row(r))) for r in range(M.rows)] for S, M in inst.items()})
            extra.update({latex(j): int(v) for j, v in pick.items()})
            key = (tuple(config.items()), tuple(sorted(inst.items(), key=str)), tuple(pick.items()))
            try:
                a, b = (_once(ctx, ("instance", x, key), lambda x=x: instantiate(x.xreplace(pick), config, at))
                        for x in (lhs, rhs))
            except sp.ShapeError as exc:
                if outcomes:  # it held at the smaller sizes: the text's products fit only there
                    return verdict(INCONCLUSIVE, f"holds reading the columns as numbers (at the sizes before); "
                                   f"the shapes do not match{label}: {exc}")
                return verdict(WRONG, f"the shapes do not match{label}: {exc}",
                               {"point": extra, "lhs": "shape error", "rhs": "shape error"})
            v = _fixed(a, b, relation, at, extra=extra, label=label, symbolic=not inst,
                       max_ops=MAX_OPS_AT_SIZE)
            if v.level in (WRONG, DOMAIN, INCONCLUSIVE):
                return v
            outcomes.append(v.level if not inst else NUMERIC)
    shown = "; ".join(", ".join(f"{latex(k)} = {c[k]}" for k in sizes) for c in configs) if len(sizes) > 1 \
        else ", ".join(str(c[sizes[0]]) for c in configs)
    how = "symbolically" if all(o == PROVED for o in outcomes) else "at points" if covs else "symbolically or at points"
    what = f"{latex(sizes[0])} = {shown}" if len(sizes) == 1 else shown
    spd = (f"; the covariance{'s' if len(covs) > 1 else ''} {', '.join(latex(S) for S in sorted(covs, key=str))} "
           f"at {N_SPD} symmetric positive definite values at each size (I, then random L L^T)") if covs else ""
    every = "".join(f"; every {latex(j)} from 1 to the size" for j in
                    {j for c in (lhs, rhs) for x in c.atoms(CoordinateIntegral) for j in [x.args[5]] if isinstance(j, sp.Symbol)})
    return verdict(NUMERIC, f"holds at {what} ({how} at each size{spd}{every}); not proved for every size")


def _has_matrix_symbols(*es) -> bool:
    return any(isinstance(e, sp.Basic) and e.atoms(sp.MatrixSymbol) for e in es)


def _number_text(x):
    return int(x) if x.is_Integer else float(x)


def _enumerated(lhs, rhs, relation: str, ctx: Context) -> Verdict:
    """A step with an expectation over a random subset, at the sizes of
    :func:`check.subsets.size_configs` (those where the size-only assumptions hold):
    every subset enumerated, then :func:`_fixed` at each size (and at each value of a subset
    summed over outside an expectation, :func:`check.subsets.realisations`); with no
    size left as a symbol, every case is enumerated and an exact match is ``proved``."""
    dists = ctx.distributions
    found = subsets.distributions_in(lhs, dists) + subsets.distributions_in(rhs, dists)
    sizes = list(dict.fromkeys(s for d in found for a in d.args for s in sorted(a.free_symbols, key=str)))
    sizes += sorted((set(size_symbols(lhs, ctx)) | set(size_symbols(rhs, ctx))) - set(sizes), key=lambda s: s.name)
    on_sizes = [a for a in ctx.assumptions if (a[0] - a[2]).free_symbols <= set(sizes)]
    configs = subsets.size_configs(sizes, found,
                                   keep=(lambda c: _sizes_hold(on_sizes, c)) if on_sizes else None)
    ctx_at = replace(ctx, assumptions=[a for a in ctx.assumptions if a not in on_sizes])
    shown, results = [], []
    for config in configs:
        sides = tuple(subsets.enumerated(instantiate(x, config, ctx), dists, config) for x in (lhs, rhs))
        checked = False
        for members, (a, b) in subsets.realisations(sides, dists, config):
            where = ", ".join([f"{latex(k)} = {v}" for k, v in config.items()] +
                              [f"{k} = {{{', '.join(map(str, m))}}}" for k, m in members.items()])
            extra = {**{latex(k): int(v) for k, v in config.items()}, **{k: list(m) for k, m in members.items()}}
            if _undefined(a):
                continue  # the left side is undefined here: nothing to check
            if _undefined(b):
                return verdict(DOMAIN, f"the right side is undefined at {where}, where the left side is defined",
                               {"point": extra, "lhs": "defined", "rhs": "undefined"})
            v = _fixed(a, b, relation, ctx_at, extra=extra, label=f" at {where}" if where else "")
            if v.level in (WRONG, DOMAIN, INCONCLUSIVE):
                return v
            checked = True
            results.append(v.level)
        if checked:
            shown.append("(" + ", ".join(str(config[s]) for s in sizes) + ")")
    if not sizes and shown:
        return verdict(PROVED if all(r == PROVED for r in results) else NUMERIC,
                       f"every subset enumerated, {'exactly' if all(r == PROVED for r in results) else 'at points'}")
    if not shown:
        raise Unsupported("the left side is undefined at every size enumerated")
    names = ", ".join(latex(s) for s in sizes)
    how = "exactly, every subset enumerated" if all(r == PROVED for r in results) else "every subset enumerated, at points"
    return verdict(NUMERIC, f"holds at ({names}) = {', '.join(shown)} ({how}); not proved for every size")


def _sizes_hold(assumptions, config) -> bool:
    """Every assumption on sizes alone (``n \\ge 2``) holds at ``config``."""
    for lhs, rel, rhs in assumptions:
        x, y = number(lhs.xreplace(config), {}), number(rhs.xreplace(config), {})
        if x is None or y is None or not holds(x, y, rel, 0.0):
            return False
    return True


def _undefined(e) -> bool:
    return isinstance(e, sp.Basic) and evaluated(e).has(sp.nan, sp.zoo, sp.oo, -sp.oo)


def compare(expr, reference, ctx: Context) -> Verdict:
    """``expr = reference`` judged like a step (for the final answer)."""
    return judge(expr, reference, "=", ctx)


def count_ops(e) -> int:
    """The measure of "simplest": SymPy's ``count_ops`` of the expression as written."""
    return int(sp.count_ops(e, visual=False))

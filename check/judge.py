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
the instances at explicit sizes (:mod:`check.instances`), the verdict at fixed sizes
(:mod:`check.fixed`), the symbolic checks
(:mod:`check.symbolic`), the numeric check at points (:mod:`check.numeric_check`),
the verdicts and the "cannot judge" exception (:mod:`check.verdicts`); this module
orders them (:func:`judge`) and re-exports the names the checker uses.
"""
from __future__ import annotations

from dataclasses import replace

import sympy as sp

from check import extrema, subsets
from check.context import Context
from check.fixed import count_ops, fixed, once
from check.instances import (MAX_OPS_AT_SIZE, SIZES, SPD_MAX_SIZE, assignments, instantiate,
                             sampled_covariances, size_symbols, with_matrices)
from check.meaning import (defined_variables_first, evaluated, meaning, prepare, resolve, substitute,
                           translate)
from check.mvn import (ColumnIntegral, column_linearity, CoordinateIntegral, left_out_values, spd_instances,
                       N_SPD)
from check.numeric_check import DPS, MAX_SINGLE, MIN_VALID, N_RANDOM, RTOL, assumptions_hold
from check.symbolic import matrices_symbolic, split_sums, sums_symbolic, zero
from check.verdicts import (DOMAIN, INCONCLUSIVE, NUMERIC, PROVED, VERDICTS, WRONG, Unsupported, Verdict, as_dict,
                            text, verdict)
from derive.engine.verify import UNDECIDED
from derive.ops import Argmax
from derive.printing import latex

__all__ = ["Verdict", "verdict", "as_dict", "text", "Context", "Unsupported", "judge", "compare", "count_ops", "evaluated", "prepare", "meaning",
           "substitute", "resolve", "translate", "instantiate", "PROVED", "NUMERIC", "WRONG", "DOMAIN",
           "INCONCLUSIVE", "VERDICTS", "SIZES", "SPD_MAX_SIZE", "RTOL", "MIN_VALID", "N_RANDOM", "MAX_SINGLE", "DPS"]


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
        return fixed(lhs, rhs, relation, ctx)
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
                a, b = (once(ctx, ("instance", x, key), lambda x=x: instantiate(x.xreplace(pick), config, at))
                        for x in (lhs, rhs))
            except sp.ShapeError as exc:
                return verdict(WRONG, f"the shapes do not match{label}: {exc}",
                               {"point": extra, "lhs": "shape error", "rhs": "shape error"})
            v = fixed(a, b, relation, at, extra=extra, label=label, symbolic=not inst,
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
    every subset enumerated, then :func:`check.fixed.fixed` at each size (and at each value of a subset
    summed over outside an expectation, :func:`check.subsets.realisations`); with no
    size left as a symbol, every case is enumerated and an exact match is ``proved``."""
    dists = ctx.distributions
    found = subsets.distributions_in(lhs, dists) + subsets.distributions_in(rhs, dists)
    sizes = list(dict.fromkeys(s for d in found for a in d.args for s in sorted(a.free_symbols, key=str)))
    sizes += sorted((set(size_symbols(lhs, ctx)) | set(size_symbols(rhs, ctx))) - set(sizes), key=lambda s: s.name)
    on_sizes = [a for a in ctx.assumptions if (a[0] - a[2]).free_symbols <= set(sizes)]
    configs = subsets.size_configs(sizes, found, keep=assumptions_hold(on_sizes))
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
            v = fixed(a, b, relation, ctx_at, extra=extra, label=f" at {where}" if where else "")
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


def _undefined(e) -> bool:
    return isinstance(e, sp.Basic) and evaluated(e).has(sp.nan, sp.zoo, sp.oo, -sp.oo)


def compare(expr, reference, ctx: Context) -> Verdict:
    """``expr = reference`` judged like a step (for the final answer)."""
    return judge(expr, reference, "=", ctx)



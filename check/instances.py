r"""A step of generic size at explicit sizes: which sizes, and the step written out there.

The sizes of a step (:func:`size_symbols`): the declared size names in the limits of its sums
and products and of its integrals over ``z_1..z_m``, the dimensions of its matrix symbols,
and those of the columns its declared relations build on. One size takes each of
:data:`SIZES`; several are first all 2, then cycle through :data:`SIZES_MULTI` shifted against
each other (:func:`assignments`).

At a size assignment (:func:`instantiate`): sizes substituted, sums and products with numeric
limits written out term by term, each matrix symbol an explicit matrix (the part's rule, else
the declared relations, else ``x_1..x_m`` or ``X_{ab}``, the same objects as written entries),
matrix products multiplied out, 1 x 1 products, norms, ``diag`` and gradients made explicit.
A matrix the document uses as a covariance (:func:`sampled_covariances`) instead takes
symmetric positive definite values (:func:`with_matrices`), at sizes up to
:data:`SPD_MAX_SIZE`.

>>> m = sp.Symbol("m", integer=True, positive=True)
>>> x = sp.MatrixSymbol("x", m, 1)
>>> instantiate(x.T * x, {m: 2}, Context())
Matrix([[x[1]**2 + x[2]**2]])
"""
from __future__ import annotations

from dataclasses import replace

import sympy as sp

from check.context import Context
from derive.engine.checks import canonical_calls
from check.jacobians import ColumnOf, Member
from check.arithmetic import basic
from check.meaning import explicit_objects, written_out
from check.mvn import CoordinateIntegral, covariances, sizes_of
from derive.engine.explicit import Explicit
from derive.ops import Grad

__all__ = ["instantiate", "size_symbols", "assignments", "sampled_covariances", "with_matrices", "SIZES",
           "SIZES_MULTI", "SPD_MAX_SIZE", "MAX_OPS_AT_SIZE"]

SIZES = (1, 2, 3, 4, 5, 7)      # sizes at which a generic-size step is instantiated
SIZES_MULTI = (1, 2, 3, 5)      # the same when several sizes appear (cycled, see assignments)
SPD_MAX_SIZE = 4                # largest size of a step whose covariances are sampled (mvn.spd_instances)
MAX_OPS_AT_SIZE = 300           # an instance larger than this skips SymPy's cancel/simplify (numeric check)


def size_symbols(e, ctx: Context) -> list[sp.Symbol]:
    found = set()
    for s in e.atoms(sp.Sum, sp.Product):
        for lim in s.limits:
            found |= {x for x in (lim[1].free_symbols | lim[2].free_symbols) if x.name in ctx.sizes}
    for c in e.atoms(CoordinateIntegral):  # \prod_{k=1}^{m} dz_k: m is a size
        found |= {x for x in c.args[3].free_symbols | c.args[4].free_symbols if x.name in ctx.sizes}
    for M in e.atoms(sp.MatrixSymbol):
        for d in M.shape:
            found |= {x for x in basic(d).free_symbols}
    if e.has(Grad):
        for g in e.atoms(Grad):
            if isinstance(g.args[1], sp.MatrixSymbol):
                found |= set().union(*(basic(d).free_symbols for d in g.args[1].shape))
    for x in e.atoms(Member, ColumnOf):
        found |= set().union(*(basic(d).free_symbols for d in x.shape))
    if ctx.relations:
        names = {M.name for M in e.atoms(sp.MatrixSymbol)} | {x.base.label.name for x in e.atoms(sp.Indexed)}
        found |= ctx.relations.sizes(names)
    return sorted(found, key=lambda s: s.name)


def assignments(sizes: list) -> list[dict]:
    """Size assignments: each size alone takes :data:`SIZES`; several sizes are first all 2,
    then cycle through :data:`SIZES_MULTI` shifted against each other (so they differ)."""
    if len(sizes) == 1:
        return [{sizes[0]: v} for v in SIZES]
    base = SIZES_MULTI
    equal = {s: 2 for s in sizes}  # first: every product of the declared shapes is defined
    return [equal] + [{s: base[(i + k) % len(base)] for k, s in enumerate(sizes)} for i in range(len(base))]


def _default_explicit(M: sp.MatrixSymbol, ctx: Context):
    """A column's entries are ``x_1, ..., x_m`` (the same objects as a written ``x_j``)."""
    rows, cols = (int(d) for d in M.shape)
    if M.name in ("\\mathbf{1}", "\\mathbf{0}"):
        return sp.ones(rows, cols) if "1" in M.name else sp.zeros(rows, cols)
    base = ctx.base(M.name)
    if cols == 1:
        return sp.ImmutableMatrix(rows, 1, lambda a, b: base[a + 1])
    return sp.ImmutableMatrix(rows, cols, lambda a, b: base[a + 1, b + 1])


def instantiate(e, config: dict, ctx: Context):
    """``e`` at sizes ``config``: sizes substituted, sums written out, then the engine's walker
    (:func:`check.meaning.explicit_objects`) with the leaves' rules: each matrix symbol of
    numeric size an explicit matrix (the part's rule, else a matrix of real symbols), each entry
    with numeric indices its declared value; matrix products multiplied out."""
    e = written_out(e.xreplace(config))
    if ctx.relations:
        e = ctx.relations.objects(e, config, lambda a: instantiate(a, config, ctx))

    def matrix(M, walk):
        if not all(basic(d).is_number for d in M.shape):
            return M
        got = _declared(M, config, ctx)
        return got if got is not None else _default_explicit(M, ctx)

    def entry(x, walk):
        got = _declared(x, config, ctx) if all(i.is_number for i in x.indices) else None
        return x if got is None else got
    e = explicit_objects(e, {sp.MatrixSymbol: matrix, **({sp.Indexed: entry} if ctx.explicit or ctx.relations else {})})
    if isinstance(e, sp.MatrixExpr):
        e = sp.ImmutableMatrix(Explicit()(e))
    return canonical_calls(e) if ctx.relations else e


def _declared(x, config: dict, ctx: Context):
    """The explicit value of a matrix symbol or an entry by the part's rule, else by the
    declared dependencies and Jacobians (None: neither says)."""
    got = ctx.explicit(x, config) if ctx.explicit else None
    if got is None and ctx.relations:
        got = ctx.relations.explicit(x, config)
    return got


def sampled_covariances(lhs, rhs, ctx: Context) -> set:
    """The matrix symbols of the step that the document uses as covariances (:func:`mvn.covariances`)
    and the part gives no explicit form: they take symmetric positive definite values."""
    used = set().union(*(x.atoms(sp.MatrixSymbol) for x in (lhs, rhs) if isinstance(x, sp.Basic)))
    covs = covariances([lhs, rhs, *(r for _, r in ctx.definitions)]) & used
    return {S for S in covs if not (ctx.explicit and ctx.explicit(S, {d: 1 for d in sizes_of(S)}) is not None)}


def with_matrices(ctx: Context, inst: dict) -> Context:
    """``ctx`` whose explicit rule gives the matrices of ``inst`` first."""
    if not inst:
        return ctx
    by_name, base = {S.name: M for S, M in inst.items()}, ctx.explicit

    def rule(obj, config):
        if isinstance(obj, sp.MatrixSymbol) and obj.name in by_name:
            return by_name[obj.name]
        return base(obj, config) if base else None
    return replace(ctx, explicit=rule)

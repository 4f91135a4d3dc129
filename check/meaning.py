r"""The meaning of one side of a step, the judge's first stage.

:func:`prepare` (sizes still generic): the document's definitions substituted
(:func:`substitute`, again until nothing changes: ``q(z) := N(z; mu, sigma^2)``, families
``q_j(z_j) := ...``, entries ``z_i := ...``; ``d/dm f`` with ``m := ...`` differentiated
first), ``f\big|_{p=q}`` carried out, then :func:`resolve`: ``E_q[f] = int f q(z) dz`` over the
real line (over ``R^m`` for a column, :mod:`check.mvn`), ``Var f = E[(f - E f)^2]``,
``KL(q || p)`` with explicit densities, ``arg max`` as its maximiser
(:func:`check.extrema.maximiser`).

:func:`meaning` (at fixed sizes): KL as ``int q ln(q/p)``, norms ``||v|| = sqrt(v^T v)``,
explicit matrix objects (1 x 1 products, ``diag``, ``det``, ``tr``, gradients as the matrix of
partial derivatives), derivatives and sums with numeric limits carried out, and integrals over
the real line reduced by the engine's rules
(:func:`derive.engine.integrals.gaussian_normal_form`; a written-out Gaussian
``exp(-(z - a)^2 / (2 b^2)) / (sqrt(2 pi) b)`` recognised first as ``N(z; a, b^2)``).

>>> x = sp.Symbol("x", real=True)
>>> substitute(sp.Function("f")(x + 1), Context(definitions=[(sp.Function("f")(x), x ** 2)]))
(x + 1)**2
"""
from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import sympy as sp
from sympy.core.function import AppliedUndef

from check import extrema, subsets
from check.context import Context
from check.evaluations import FunctionSubs, function_substitutions
from derive.engine.checks import canonical_calls
from check.jacobians import At, ColumnOf, GradientAt, Jacobian, Member
from check.mvn import (MVN, ColumnIntegral, column_density, column_integral, column_integrals, column_kl,
                              is_column)
from check.verdicts import Unsupported
from derive.engine.explicit import Explicit, evaluated
from derive.engine.integrals import gaussian_normal_form, recognise_gaussians
from derive.engine.verify import UNDECIDED
from derive.ops import (EXPLICIT, Argmax, Diag, Elementwise, Expect, Grad, IndexedCall, KL, Norm, NormalDensity, NormalDist,
                        NormalPDF, Scalar, Variance)
from derive.printing import latex

__all__ = ["evaluated", "substitute", "resolve", "translate", "prepare", "meaning",
           "explicit_objects", "integrals", "written_out", "defined_variables_first"]


def substitute(e, ctx: Context, rounds: int = 8):
    """The definitions substituted, again until nothing changes (at most ``rounds``)."""
    funcs = ctx.functions()
    for _ in range(rounds):
        new = e
        for key, (params, lam) in funcs.items():
            if isinstance(key, tuple) and key[0] == "at":
                new = new.replace(lambda x, f=key[1], n=len(params): isinstance(x, At) and x.args[0].name == f
                                  and len(x.args) == n + 1, lambda x, lam=lam: lam(*x.args[1:]))
            elif isinstance(key, tuple):
                new = new.replace(lambda x, f=key[1], n=len(params): isinstance(x, IndexedCall) and x.family == f
                                  and len(x.args) == n + 1, lambda x, lam=lam: lam(*x.args[1:]))
            else:
                new = new.replace(lambda x, f=key, n=len(params): isinstance(x, AppliedUndef) and x.func.__name__ == f
                                  and len(x.args) == n, lambda x, lam=lam: lam(*x.args))
        for lhs, rhs in ctx.definitions:
            if isinstance(lhs, (AppliedUndef, IndexedCall, At)):
                continue
            if isinstance(lhs, Member) and isinstance(lhs.args[1], sp.Symbol):  # z_i := ...: every member z_c
                new = new.replace(lambda x, f=lhs.family: isinstance(x, Member) and x.family == f,
                                  lambda x, r=rhs, i=lhs.args[1]: r.xreplace({i: x.args[1]}))
            elif isinstance(lhs, sp.Indexed) and all(isinstance(i, sp.Symbol) for i in lhs.indices):
                base, idx = lhs.base, lhs.indices
                new = new.replace(lambda x, b=base: isinstance(x, sp.Indexed) and x.base == b,
                                  lambda x, r=rhs, i=idx: r.xreplace(dict(zip(i, x.indices))))
            elif isinstance(lhs, sp.MatrixSymbol):  # by name: its sizes may be substituted already (n := m);
                new = new.replace(lambda x, n=lhs.name: isinstance(x, sp.MatrixSymbol) and x.name == n,
                                  lambda x, r=rhs: sp.ZeroMatrix(*x.shape) if r == 0 else r)  # \mu_2 := 0 a zero column
            else:
                new = new.xreplace({lhs: rhs})
                if isinstance(lhs, sp.Symbol) and isinstance(rhs, sp.Symbol):  # "when p_g = p_r": the densities
                    new = new.replace(lambda x, f=lhs.name: isinstance(x, AppliedUndef) and x.func.__name__ == f,
                                      lambda x, g=rhs.name: sp.Function(g)(*x.args))  # are equal, their calls too
        if new == e:
            return e
        e = new
    return e


def _density(d, var, ctx: Context):
    """A KL argument or an expectation's distribution as ``(density, variable)``; ``var``
    is the variable to use (None: the density's own)."""
    funcs = ctx.functions()
    if isinstance(d, NormalDist):
        mean, v = d.args
        if isinstance(v, (sp.MatrixExpr, sp.MatrixBase)) and v.shape[0] == v.shape[1]:
            # N(mu, Sigma) written without its variable: the density of the column z (ctx.variable)
            z = var if is_column(var) else sp.MatrixSymbol(ctx.variable.name, v.shape[0], 1)
            return NormalDensity(z, mean, v), z
        if isinstance(mean, (sp.MatrixExpr, sp.MatrixBase)) or isinstance(v, (sp.MatrixExpr, sp.MatrixBase)):
            return MVN(mean, v), None
        var = ctx.variable if var is None else var
        return NormalPDF(var, mean, sp.sqrt(v)), var
    if isinstance(d, sp.Symbol) and d.name in funcs:
        params, lam = funcs[d.name]
        if len(params) == 1:
            var = params[0] if var is None else var
            return lam(var), var
        return lam(*params), None
    if isinstance(d, sp.Indexed) and ("[]", d.base.label.name) in funcs:
        (j, v0), lam = funcs[("[]", d.base.label.name)]
        idx = d.indices[0]
        v = v0.xreplace({j: idx}) if var is None else var
        return lam(idx, v), v
    if isinstance(d, sp.Indexed) and len(d.indices) == 1 and d.indices[0].is_Integer:
        return _density(sp.Symbol(f"{d.base.label.name}_{d.indices[0]}"), var, ctx)
    if isinstance(d, sp.Symbol) and d.name in ctx.densities:
        if var is None:
            base, _, k = d.name.partition("_")
            var = ctx.base(ctx.variable.name)[int(k)] if k.isdigit() else ctx.variable
        return sp.Function(d.name)(var), var
    if isinstance(d, sp.Symbol):
        low = d.name[:1].lower() + d.name[1:]  # KL[P || Q] with densities p, q: P is the law of density p
        if d.name[:1].isupper() and (d.name[1:2] in ("", "_")) and (low in funcs or low in ctx.densities):
            return _density(sp.Symbol(low), var, ctx)
        raise Unsupported(f"no density {latex(d)} is defined")
    return d, var


def resolve(e, ctx: Context):
    """KL arguments and expectations' distributions replaced by their densities:
    ``E_q[f]`` becomes ``int f q(z) dz``; ``KL(q || p)`` keeps its form with explicit densities
    (densities defined by a formula: ``int q ln(q/p) dx`` over their variable, :func:`_scalar_kl`);
    ``arg max_y f`` becomes the maximiser (:func:`check.extrema.maximiser`)."""
    def expectation(x):
        f, dist, var = x.args
        dens, var = _density(dist, None if var is sp.S.EmptySet else var, ctx)
        if is_column(var):
            return column_integral(f, dens, var)
        if var is None:
            raise Unsupported(f"the random variable of E_{latex(dist)} is not known")
        return sp.Integral(f * dens, (var, -sp.oo, sp.oo))

    def kl(x):
        a, b = x.args
        da, va = _density(a, None, ctx)
        if is_column(va):
            db = column_density(b, va) if isinstance(b, NormalDist) else _density(b, va, ctx)[0]
            return ColumnIntegral(da * sp.log(da / db), va)
        db, _ = _density(b, va, ctx)
        return _scalar_kl(da, db, va)
    e = e.replace(lambda x: isinstance(x, Variance), lambda x: x.as_expectation())
    e = e.replace(lambda x: isinstance(x, Expect) and not subsets.subset_of(x, ctx.distributions), expectation)
    e = e.replace(lambda x: isinstance(x, Argmax), lambda x: extrema.maximiser(x, ctx.densities))
    return e.replace(lambda x: isinstance(x, KL) and not _resolved(x), kl)


def _scalar_kl(da, db, var):
    """``KL(q || p)`` of two densities of the scalar ``var``: kept as ``KL`` while some call in
    ``q`` has a variable as first argument (``N(x; mu, s^2)``, ``q(x)``, ``q_j(z_j)``), which
    names the variables of its integral (:meth:`derive.ops.KL.as_integral`); a density written
    out in ``var`` alone (``q(x) := ...`` substituted) names none, and becomes
    ``int q(x) ln(q(x)/p(x)) dx`` over ``var`` at once."""
    named = any(c.args and (c.args[0].is_Symbol or isinstance(c.args[0], sp.Indexed)) for c in da.atoms(sp.Function))
    if var is None or named or var not in da.free_symbols:
        return KL(da, db)
    return sp.Integral(da * sp.log(da / db), (var, -sp.oo, sp.oo))


def _resolved(x) -> bool:
    return all(isinstance(a, (NormalPDF, MVN, sp.Mul, sp.Product, AppliedUndef, sp.Pow)) for a in x.args)


def _lower(e):
    """Members of a family with a numeric index as ordinary calls (``q_1(z_1)``)."""
    return e.replace(lambda x: isinstance(x, IndexedCall) and x.args[1].is_number, lambda x: x.lowered())


def translate(e, ctx: Context):
    """Display objects given their meaning at fixed sizes: KL as its integral, norms."""
    cs = _classes(e)
    if _has(cs, MVN):
        e = e.replace(lambda x: isinstance(x, MVN), lambda x: x.explicit(ctx.base(ctx.variable.name)))
        if e.has(MVN):
            raise Unsupported("a multivariate normal density at a generic size")
    e = _lower(e) if _has(cs, IndexedCall) else e
    if _has(cs, KL):
        e = e.replace(lambda x: isinstance(x, KL), lambda x: KL(*x.args).as_integral())
    return e.replace(lambda x: isinstance(x, Norm), lambda x: x.as_value()) if _has(cs, Norm) else e


def _as_matrix(M):
    return M if isinstance(M, sp.MatrixBase) else sp.ImmutableMatrix(M.doit())


def _classes(e):
    """The classes of the nodes of ``e``, in one walk (so that a pass over a kind of node that is
    absent is skipped: each ``replace`` walks the whole expression); None when not known."""
    return {type(x) for x in sp.preorder_traversal(e)} if isinstance(e, sp.Basic) else None


def _has(classes, *kinds) -> bool:
    return classes is None or any(issubclass(c, kinds) for c in classes)


def _kept(x, walk):
    """A matrix object of :mod:`check.jacobians` or a display object not to be carried out yet:
    its arguments walked, itself kept (SymPy's ``doit``, the walker's default, does not know it)."""
    return x.func(*[walk(a) for a in x.args])


_KEPT = MappingProxyType({k: _kept for k in (Member, At, ColumnOf, Jacobian, GradientAt, Diag, Elementwise)})
# the engine's rules for the matrix display objects (derive.ops.EXPLICIT: 1 x 1 products, norms,
# diag, elementwise functions, normal densities of a column), a gradient after its column integrals
OBJECTS = MappingProxyType({**_KEPT, **{k: EXPLICIT[k] for k in (Scalar, Norm, Diag, Elementwise, NormalDensity)},
                            Grad: lambda g, walk: _gradient(Grad(*[walk(a) for a in g.args]))})


def explicit_objects(e, rules=OBJECTS):
    """The matrix display objects made explicit once their matrices are explicit, by the engine's
    walker (:class:`derive.engine.explicit.Explicit`) with :data:`OBJECTS` (and ``rules``:
    the leaves at a size, :func:`check.instances.instantiate`); matrix products of explicit
    matrices multiplied out."""
    if rules is OBJECTS and not _has(_classes(e), Scalar, Norm, Diag, sp.Determinant, sp.Trace, Elementwise,
                                     NormalDensity, Grad):
        return e
    return Explicit(rules={**OBJECTS, **rules})(e)


def _gradient(g):
    """nabla_W f: the matrix of partial derivatives, in the shape of W (a column for a column);
    an integral over the entries of a column in ``f`` is taken first (one Gaussian integral,
    then its derivatives, not an integral for each partial derivative)."""
    if not isinstance(g.args[1], sp.MatrixBase) and (not isinstance(g.args[1], sp.MatrixExpr)
                                                     or g.args[1].atoms(sp.MatrixSymbol)):
        return g  # not an explicit matrix (yet)
    f, W = column_integrals(g.args[0]), _as_matrix(g.args[1])
    return sp.ImmutableMatrix(W.shape[0], W.shape[1], lambda a, b: sp.diff(f, W[a, b]))


def integrals(e, ctx: Context):
    if not e.has(sp.Integral):
        return e
    e = recognise_gaussians(e)
    dens = {sp.Function(n) for n in ctx.densities}
    try:
        return gaussian_normal_form(e, dens)
    except (ValueError, *UNDECIDED):  # a form the rules do not take (engine.integrals says why): kept
        return e


def written_out(e):
    """Sums and products with numeric limits written out term by term, by the engine's walker
    (:data:`derive.engine.explicit.RULES`; the display objects kept for later)."""
    if not isinstance(e, sp.Basic) or not e.has(sp.Sum, sp.Product):
        return e
    return e.replace(lambda x: isinstance(x, (sp.Sum, sp.Product)), Explicit(rules=_KEPT))


def _doit(e):
    """Derivatives, substitutions and sums with numeric limits carried out (not integrals)."""
    kinds = (sp.Derivative, sp.Subs)
    e = e.replace(lambda x: isinstance(x, kinds), lambda x: x.doit(deep=False))
    return written_out(e)


def prepare(e, ctx: Context):
    """Definitions substituted, evaluated, densities resolved (sizes still generic)."""
    e = column_kl(defined_variables_first(e, ctx))
    e = resolve(evaluated(_at_functions(substitute(e, ctx), ctx)), ctx)
    return evaluated(substitute(e, ctx))


def _at_functions(e, ctx: Context):
    """``f\\big|_{p=q}`` (:mod:`check.evaluations`) carried out once the definitions are
    in ``f``, and ``q``'s definition substituted after."""
    if not e.has(FunctionSubs):
        return e
    defined = {k for k in ctx.functions() if isinstance(k, str)}
    return substitute(function_substitutions(e, defined), ctx)


def defined_variables_first(e, ctx: Context):
    """``d/dm f`` where ``m := ...`` is defined: the other definitions substituted in ``f``, then
    differentiated, before ``m`` is replaced (``z := ln(1 + u)`` and ``u := e^{-t}`` make
    ``dz/du = 1/(1 + u)``, a chain of named intermediate values)."""
    defined = {lhs for lhs, _ in ctx.definitions if isinstance(lhs, (sp.Symbol, sp.Indexed))}

    def first(x):
        others = replace(ctx, definitions=[d for d in ctx.definitions if d[0] not in x.variables], memo={})
        return sp.Derivative(substitute(x.expr, others), *x.variable_count).doit(deep=False)
    return e.replace(lambda x: isinstance(x, sp.Derivative) and any(v in defined for v in x.variables), first)


def meaning(e, ctx: Context):
    """``e`` (prepared, at fixed sizes) with KL, integrals and derivatives given their values."""
    e = evaluated(substitute(translate(e, ctx), ctx))
    e = column_integrals(explicit_objects(e))
    e = _doit(e)
    e = integrals(e, ctx)
    if e.has(sp.Derivative, sp.Subs):
        e = integrals(_doit(e), ctx)
    return evaluated(canonical_calls(e))

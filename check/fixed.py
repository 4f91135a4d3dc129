r"""The verdict on a step at fixed sizes (no generic size left), the judge's last stage
(:func:`fixed`): each side given its meaning (:func:`check.meaning.meaning`), then

- ``proved``: the difference expands to 0, or the engine's decision on it
  (:func:`derive.engine.verify.difference`: ``cancel``, ``expand``, ``simplify``) shows it; an
  inequality whose difference SymPy shows has the sign;
- ``wrong``: sides of different shapes, or a difference SymPy shows is a nonzero constant
  (:func:`check.numeric_check.constant_difference`);
- else the numeric check at points (:func:`check.numeric_check.numeric`), each generic density
  first a normal density with fixed random parameters (:func:`_gaussian_instances`).
"""
from __future__ import annotations

import random

import sympy as sp
from sympy.core.function import AppliedUndef

from check.arithmetic import basic
from check.context import Context
from check.meaning import integrals, meaning
from check.numeric_check import SEED, constant_difference, numeric
from check.symbolic import proved_inequality, zero, zero_method
from check.verdicts import PROVED, WRONG, Unsupported, Verdict, verdict
from derive.engine.verify import MAX_EXPANDED_TERMS
from derive.ops import NormalPDF
from derive.printing import latex

__all__ = ["fixed", "once", "count_ops"]


def once(ctx: Context, key, make):
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


def fixed(lhs, rhs, relation: str, ctx: Context, extra=None, label="", symbolic: bool = True,
           max_ops: int | None = None) -> Verdict:
    """The verdict at fixed sizes (no generic size left); ``symbolic=False``: at points only
    (a step at sampled matrix values is numeric whatever SymPy shows there); with ``max_ops``,
    the symbolic checks (``expand``, ``cancel``, ``simplify``) are skipped when the difference has
    more operations (an instance of a generic step, which is ``numeric`` whatever each size gives)."""
    try:
        a, b = (_matrix_value(once(ctx, ("meaning", x), lambda x=x: meaning(x, ctx))) for x in (lhs, rhs))
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


def count_ops(e) -> int:
    """The measure of "simplest": SymPy's ``count_ops`` of the expression as written."""
    return int(sp.count_ops(e, visual=False))

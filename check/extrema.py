r"""The maximiser (minimiser) a step names: ``\operatorname*{arg\,max}_{y \in (a, b)} f(y)``.

Its value is the one stationary point of ``f`` in the open interval, when SymPy shows all of:

- ``f`` is continuous on the interval (:func:`sympy.calculus.util.continuous_domain`) and
  ``f'`` too, so ``f`` is differentiable there;
- ``f'(y) = 0`` has exactly one solution ``c`` in the interval (:func:`sympy.solveset`, which
  returns every solution or says that it cannot);
- ``f''(c) < 0`` for arg max (``> 0`` for arg min).

Then ``c`` is the maximiser: a differentiable function on an interval whose only stationary
point is a strict local maximum has its global maximum there (a higher point elsewhere would
put a second stationary point between the two). The signs are decided with every generic
density positive (a density's value). Anything short of this is :class:`Unsupported`, so the
step is ``inconclusive``, never taken as right.

>>> y, a = sp.Symbol("y", real=True), sp.Symbol("a", positive=True)
>>> maximiser(Argmax(a * sp.log(y) + sp.log(1 - y), y, sp.Interval.open(0, 1), 1), frozenset())
a/(a + 1)
"""
from __future__ import annotations

import sympy as sp
from sympy.calculus.util import continuous_domain
from sympy.core.function import AppliedUndef

from check.verdicts import Unsupported
from derive.ops import Argmax

__all__ = ["maximiser", "HOW"]

HOW = "arg max (min) taken as the one stationary point in the interval, with f'' < 0 (> 0) there"


def _positive_densities(f, densities: frozenset):
    """``f`` with each generic density's value ``q(x)`` a positive symbol, and the way back."""
    calls = sorted((c for c in f.atoms(AppliedUndef) if c.func.__name__ in densities), key=str)
    there = {c: sp.Dummy(c.func.__name__, positive=True) for c in calls}
    return f.xreplace(there), {v: k for k, v in there.items()}


def _side(d, strict: bool):
    """Whether ``d > 0`` (``d >= 0`` if not ``strict``) is shown: True, False or None."""
    d = sp.factor(sp.together(d))
    return d.is_positive if strict else d.is_nonnegative


def _inside(c, interval) -> bool | None:
    """Whether the interval holds ``c``, decided by the signs of ``c - a`` and ``b - c``."""
    checks = []
    if interval.inf != -sp.oo:
        checks.append(_side(c - interval.inf, interval.left_open))
    if interval.sup != sp.oo:
        checks.append(_side(interval.sup - c, interval.right_open))
    if False in checks:
        return False
    return None if None in checks else True


def maximiser(x: Argmax, densities: frozenset):
    """The value of ``arg max`` / ``arg min`` ``x`` (see the module docstring)."""
    f, y, interval, sign = x.args
    word = "arg max" if sign > 0 else "arg min"
    try:
        return _maximiser(f, y, interval, sign, word, densities)
    except Unsupported as exc:
        unknown = sorted({c.func.__name__ for c in f.atoms(AppliedUndef)} - set(densities))
        hint = (f" ({', '.join(unknown)}: no sign is known; declare densities under [functions] densities)"
                if unknown else "")
        raise Unsupported(f"{exc}{hint}") from None


def _maximiser(f, y, interval, sign, word: str, densities: frozenset):
    f, back = _positive_densities(f, densities)
    df = sp.diff(f, y)
    if continuous_domain(f, y, interval) != interval or continuous_domain(df, y, interval) != interval:
        raise Unsupported(f"{word}: the function is not shown differentiable on {sp.latex(interval)}")
    roots = sp.solveset(df, y, sp.S.Reals)
    if not isinstance(roots, sp.FiniteSet):
        raise Unsupported(f"{word}: the stationary points are not found in closed form")
    where = [_inside(c, interval) for c in roots]
    inside = [c for c, w in zip(roots, where) if w]
    if len(inside) != 1 or None in where:
        raise Unsupported(f"{word}: {len(inside)} stationary points shown in {sp.latex(interval)}, not exactly one")
    c = inside[0]
    curvature = sp.simplify(sp.diff(f, y, 2).subs(y, c)) * sign
    if not curvature.is_negative:
        raise Unsupported(f"{word}: the second derivative is not shown {'negative' if sign > 0 else 'positive'} "
                          "at the stationary point")
    return c.xreplace(back)

"""Marginals of a product of ``m`` densities, for every ``m``.

For ``P_m = prod_{k=1}^m f_k(z_k)``, each factor a density in its own coordinate (free of the
others, and ``int f_k dz_k = 1``), the marginal of ``z_j`` is its factor:

    M_m(j) := int_{R^{m-1}} P_m prod_{k != j} dz_k = f_j(z_j)    for every m >= 1, 1 <= j <= m.

:func:`marginal_is` proves a claimed marginal by induction on ``m``, peeling off the last
coordinate, with the integral rules of :mod:`derive.engine.integrals` (Fubini, normalisation):

- ``m = 1``: nothing is integrated, ``M_1(1) = f_1``;
- ``m -> m + 1``, ``j <= m``: ``P_{m+1} = P_m f_{m+1}(z_{m+1})`` and ``f_{m+1}`` is free of
  ``z_1..z_m``, so ``M_{m+1}(j) = M_m(j) int f_{m+1} dz_{m+1} = M_m(j)``;
- ``m -> m + 1``, ``j = m + 1``: ``M_{m+1}(m+1) = f_{m+1} int M_m(1) dz_1`` (integrate
  ``z_2..z_m`` first), and ``M_m(1)`` integrates to 1.

A claim that is not the factor, or factors that are not densities (for some ``k`` only), fail.

>>> import sympy as sp
>>> m, j, k = sp.symbols("m j k", integer=True, positive=True)
>>> z, f = sp.IndexedBase("z"), sp.Function("f")  # f(z_k, k): a density in z_k for each k
>>> marginal_is(sp.Product(f(z[k], k), (k, 1, m)), f(z[j], j), j, z, densities={f}).detail["method"]
'induction on m: Fubini, each factor a density'
>>> marginal_is(sp.Product(2 * f(z[k], k), (k, 1, m)), 2 * f(z[j], j), j, z, densities={f})
Traceback (most recent call last):
...
derive.engine.verify.VerificationError: marginal of a product of densities: a factor does not integrate to 1
"""
from __future__ import annotations

import sympy as sp

from derive.engine.integrals import reduce_integrals
from derive.engine.verify import SYMBOLIC, Verdict, VerificationError, verify

__all__ = ["marginal_is"]


def _equal(a, b, what: str) -> None:
    try:
        verify(a, b, how=SYMBOLIC)
    except VerificationError:
        raise VerificationError(f"marginal of a product of densities: {what}") from None


def _integral(f, v, densities):
    """``int f dv`` over the real line by the integral rules (normalisation for densities)."""
    return reduce_integrals(sp.Integral(f, (v, -sp.oo, sp.oo)), densities)


def _own_coordinate(f, z, k) -> None:
    """``f`` depends on the coordinates ``z[.]`` through ``z[k]`` only."""
    others = {a for a in f.atoms(sp.Indexed) if a.base == z and a != z[k]}
    if others:
        raise VerificationError(f"marginal of a product of densities: factor {k} depends on {sorted(map(str, others))}")


def marginal_is(product: sp.Product, claim, j, z: sp.IndexedBase, densities=()) -> Verdict:
    """Prove ``int_{R^{m-1}} product prod_{k != j} dz_k = claim`` for every ``m >= 1`` and
    ``1 <= j <= m``, where ``product = Product(f(k), (k, 1, m))``, ``z[k]`` the coordinates and
    ``claim`` an expression in ``j`` (see the module docstring)."""
    (k, lo, m), = product.limits
    if lo != 1:
        raise VerificationError("marginal of a product of densities: the product must start at 1")
    factor = lambda i: product.function.xreplace({k: i})
    _own_coordinate(product.function, z, k)
    _equal(_integral(product.function, z[k], densities), 1, "a factor does not integrate to 1")
    _equal(factor(1), claim.subs(j, 1), "m = 1")
    _equal(claim * _integral(factor(m + 1), z[m + 1], densities), claim, "the step m -> m + 1 for j <= m")
    _equal(factor(m + 1) * _integral(claim.subs(j, 1), z[1], densities), claim.subs(j, m + 1),
           "the step m -> m + 1 for j = m + 1")
    return Verdict(SYMBOLIC, {"method": f"induction on {m}: Fubini, each factor a density",
                              "base": f"{m} = 1", "step": f"{m} -> {m} + 1: peel the last coordinate off",
                              "sizes": f"every {m}"})

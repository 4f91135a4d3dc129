"""A uniformly random b-subset ``B`` of ``{1, ..., n}``, for symbolic ``n`` and ``b``.

A sum over ``B`` is the sum over ``i = 1..n`` of the indicator ``1[i in B]``
(:class:`InSubset`) times the term, and ``E_B`` is linear (a finite average over the subsets,
whose order of summation may be exchanged). The expectation of a product of indicators of ``r``
distinct indices is the number of b-subsets that contain ``r`` given elements over the number
of all b-subsets, ``N_r(n, b) / N_0(n, b)``:

    E 1[i in B] = N_1 / N_0,    E 1[i in B] 1[j in B] = delta_ij N_1 / N_0 + (1 - delta_ij) N_2 / N_0.

The counts are ``N_r(n, b) = C(n - r, b - r)``, proved for every ``n >= r`` and every integer ``b``
by induction on ``n`` (:func:`count_is`): for ``n = r`` the only subset that contains the ``r``
elements is the whole set, ``N_r(r, b) = [b = r]``; for ``n > r`` an element ``x`` outside them
splits the subsets that contain them into those without ``x`` (b-subsets of the other ``n - 1``
elements) and those with ``x`` (``x`` and a (b-1)-subset of the other ``n - 1``), so
``N_r(n, b) = N_r(n-1, b) + N_r(n-1, b-1)``: Pascal's rule, which the claimed closed form must
satisfy for every ``b`` (checked symbolically, case by case: ``b - r <= 0``, ``b - r = n - r``,
beyond, and in between with the binomials as Gamma functions and ``gammasimp``).

>>> import sympy as sp
>>> n, b = sp.symbols("n b", integer=True, positive=True)
>>> count_is(sp.Lambda((n, b), sp.binomial(n - 1, b - 1)), 1).detail["method"]
"induction on n, Pascal's rule"
>>> count_is(sp.Lambda((n, b), sp.binomial(n - 1, b - 1) + sp.binomial(n - 1, 5)), 1)
Traceback (most recent call last):
...
derive.engine.verify.VerificationError: b-subsets of {1..n} containing 1 given element(s): Pascal's rule fails for b < 1
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derive.engine.sums import sum_normal_form, sums_equal
from derive.engine.verify import SYMBOLIC, Verdict, VerificationError, verify

__all__ = ["InSubset", "count_is", "subset_expectation", "binomial_simplify", "subsets_equal", "METHOD"]

METHOD = "indicators of B: linearity, counts C(n - r, b - r) by induction on n (Pascal's rule)"


class InSubset(sp.Function):
    """``1[i in B]``: 1 when ``i`` lies in the random subset ``B`` (printed S: the minibatch; B_simple, B_eff are numbers), else 0."""

    nargs = 1

    def _latex(self, printer):
        return rf"\mathbf{{1}}[{printer._print(self.args[0])} \in S]"


def _zero(e) -> bool:
    try:
        verify(e, 0, how=SYMBOLIC)
        return True
    except VerificationError:
        return False


def binomial_simplify(e):
    """Binomial coefficients as Gamma functions, then ``gammasimp``."""
    return sp.gammasimp(sp.expand_func(e).rewrite(sp.gamma))


def _cases(N, K, r):
    """``{name: substitution}``: with ``K = b - r`` and ``N = n - r >= 0``, every integer ``K``
    but those of ``0 < K < N`` (and ``K = N``, once more)."""
    s = sp.Dummy("s", integer=True, positive=True)
    return {f"b < {r}": {K: -s}, f"b = {r}": {K: 0}, "b = n": {K: N}, "b = n + 1": {K: N + 1},
            "b > n + 1": {K: N + 1 + s}}


def count_is(claim: sp.Lambda, r: int) -> Verdict:
    """Prove that ``claim(n, b)`` is the number of b-subsets of ``{1..n}`` that contain ``r``
    given elements, for every ``n >= r`` and every integer ``b`` (see the module docstring)."""
    what = f"b-subsets of {{1..n}} containing {r} given element(s)"
    N = sp.Dummy("N", integer=True, nonnegative=True)   # n - r
    K = sp.Dummy("K", integer=True)                     # b - r
    for name, sub in _cases(sp.Integer(0), K, r).items():  # n = r: only the r elements themselves
        want = 1 if sub[K] == 0 else 0
        if not _zero(claim(r, r + K).subs(sub) - want):
            raise VerificationError(f"{what}: wrong for n = r at {name}")
    pascal = claim(r + N + 1, r + K) - claim(r + N, r + K) - claim(r + N, r + K - 1)
    for name, sub in _cases(N, K, r).items():
        if not _zero(pascal.subs(sub)):
            raise VerificationError(f"{what}: Pascal's rule fails for {name}")
    if binomial_simplify(pascal) != 0:  # r < b < n: every Gamma function finite
        raise VerificationError(f"{what}: Pascal's rule fails for {r} < b < n")
    return Verdict(SYMBOLIC, {"method": "induction on n, Pascal's rule", "base": "n = r",
                              "step": "n -> n + 1 by an element outside the r given ones"})


@lru_cache(maxsize=None)
def _counts(n, b) -> dict:
    """``{r: N_r(n, b)}`` for r = 0, 1, 2, each proved by :func:`count_is`."""
    nn, bb = sp.Dummy("n", integer=True), sp.Dummy("b", integer=True)
    out = {}
    for r in (0, 1, 2):
        form = sp.Lambda((nn, bb), sp.binomial(nn - r, bb - r))
        count_is(form, r)
        out[r] = form(n, b)
    return out


def _monomial(term, counts):
    """E_B of one product: its indicators (``1[i in B]^k = 1[i in B]``) by the counts."""
    ind = [f for f in sp.Mul.make_args(term) for f in [f.base if f.is_Pow else f] if isinstance(f, InSubset)]
    rest = term.xreplace({f: 1 for f in ind})
    idx = list(dict.fromkeys(f.args[0] for f in ind))
    total = counts[0]
    if len(idx) == 0:
        return rest
    if len(idx) == 1:
        return rest * counts[1] / total
    if len(idx) == 2:
        delta = sp.KroneckerDelta(*idx)
        return rest * (delta * counts[1] + (1 - delta) * counts[2]) / total
    raise VerificationError("a product of more than two indicators")


def subset_expectation(expr, n, b):
    """``E_B[expr]`` for ``expr`` a polynomial in the indicators ``1[i in B]``, each inside a
    sum over ``i = 1..n`` (see the module docstring); sums in index form."""
    counts = _counts(n, b)
    out = []
    for sig, c in sum_normal_form(expr).items():
        for f in sp.sympify(c).atoms(InSubset):
            if not any(f.args[0] == v and hi == n for v, hi in sig):
                raise VerificationError(f"{f}: its index does not run over 1..{n}")
        c = sp.Add(*[_monomial(t, counts) for t in sp.Add.make_args(sp.expand(c))])
        out.append(sp.Sum(c, *[(v, 1, hi) for v, hi in sig]) if sig else c)
    return sp.Add(*out)


def subsets_equal(a, b_) -> Verdict:
    """Sum algebra with symbolic bounds, the coefficients compared with the binomial
    coefficients as Gamma functions (valid where ``1 <= b <= n``)."""
    return sums_equal(a, b_, simplify=binomial_simplify)

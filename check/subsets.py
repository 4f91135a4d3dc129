r"""Random subsets: ``B \sim \mathrm{Subset}(n, b)`` says that ``B`` is uniform over the
``binom(n, b)`` subsets of ``{1, ..., n}`` of size ``b`` (a minibatch drawn without
replacement). The parser reads the distribution, sums over a subset and ``\operatorname{Var}``
into the display objects below; this module gives them meaning at explicit sizes.

- ``SubsetDist(n, b)``   the distribution ``\mathrm{Subset}(n, b)``;
- ``SetSum(f, i, B)``    ``\sum_{i \in B} f``: ``f`` summed over the members ``i`` of ``B``;
- an expectation ``E_B[f]`` over a declared subset (``B \sim \mathrm{Subset}(n, b)`` in the
  file or in the notation's ``[definitions] lines``, or ``E_{B \sim \mathrm{Subset}(n, b)}[f]``)
  is, at explicit sizes, the mean of ``f`` over every subset of size ``b``
  (:func:`itertools.combinations`), each ``\sum_{i \in B}`` written out for that subset:
  ``E_B[f] = binom(n, b)^{-1} sum_{S} f|_{B = S}``;
- a sum over a declared subset outside an expectation makes the step a claim for every value
  of the subset: it is checked at each subset (:func:`realisations`).

A step with such an expectation is judged at the sizes of :func:`size_configs` (every
assignment of its sizes to ``1..MAX_N`` with ``1 <= b <= n``): exact equality at each size is
``numeric`` naming the sizes, never ``proved``. Caps: a size written as a symbol is enumerated
up to :data:`MAX_N` (at most :data:`MAX_SIZES` of them); one expectation enumerates at most
:data:`MAX_SUBSETS` subsets of at most :data:`MAX_POPULATION` members
(``\mathrm{Subset}(1000, 3)`` is inconclusive, never a hang); at most :data:`MAX_CONFIGS` sizes
per step and :data:`MAX_REALISATIONS` values of the free subsets per size.

>>> n, b = sp.symbols("n b", integer=True, positive=True)
>>> g = sp.IndexedBase("g")
>>> i, B = sp.Symbol("i", integer=True, positive=True), sp.Symbol("B")
>>> from derive.ops import Expect
>>> e = Expect(SetSum(g[i], i, B), B, sp.S.EmptySet)
>>> enumerated(e.xreplace({n: 3, b: 2}), {"B": SubsetDist(n, b)}, {n: 3, b: 2})
2*g[1]/3 + 2*g[2]/3 + 2*g[3]/3
"""
from __future__ import annotations

import itertools
import math

import sympy as sp

from check.verdicts import Unsupported
from derive.ops import Expect

__all__ = ["SubsetDist", "SetSum", "subset_of", "involved", "distributions_in", "size_configs",
           "enumerated", "realisations", "MAX_N", "MAX_SUBSETS", "MAX_CONFIGS",
           "MAX_SIZES", "MAX_POPULATION", "MAX_REALISATIONS"]

MAX_N = 5            # a size written as a symbol is enumerated at 1..MAX_N
MAX_SUBSETS = 252    # subsets enumerated for one expectation (binom(10, 5))
MAX_CONFIGS = 15     # sizes at which one step is checked
MAX_SIZES = 3        # size symbols in one step
MAX_POPULATION = 100  # n of a subset written out (Subset(10^20, 10^20) is one subset, too long to write)
MAX_REALISATIONS = 64  # values of the subsets summed over outside an expectation, per size


class SubsetDist(sp.Function):
    """``Subset(n, b)``: uniform over the subsets of ``{1..n}`` of size ``b``."""

    nargs = 2

    def _latex(self, printer, exp=None):
        n, b = (printer._print(a) for a in self.args)
        tex = rf"\mathrm{{Subset}}\left({n}, {b}\right)"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"


class SetSum(sp.Function):
    """``\\sum_{i \\in B} f``: ``f`` (in the index ``i``) summed over the members of ``B``."""

    nargs = 3

    def _latex(self, printer, exp=None):
        f, i, B = (printer._print(a) for a in self.args)
        tex = rf"\sum_{{{i} \in {B}}} {f}"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"


def subset_of(x, distributions) -> tuple[str, SubsetDist] | None:
    """``(name of B, Subset(n, b))`` when ``x`` is an expectation over a random subset."""
    if not isinstance(x, Expect):
        return None
    _, dist, var = x.args
    if isinstance(dist, SubsetDist):
        if not isinstance(var, sp.Symbol):
            raise Unsupported(r"name the subset: \mathbb{E}_{B \sim \mathrm{Subset}(n, b)}[...]")
        return var.name, dist
    found = distributions.get(getattr(dist, "name", None))
    return (dist.name, found) if isinstance(found, SubsetDist) else None


def involved(e, distributions) -> bool:
    """``e`` holds a sum over a subset or an expectation over a random subset."""
    return isinstance(e, sp.Basic) and (e.has(SetSum) or any(subset_of(x, distributions)
                                                             for x in e.atoms(Expect)))


def distributions_in(e, distributions) -> list[SubsetDist]:
    """The subset distributions of the expectations in ``e`` and of the sets its sums run over."""
    found = [f[1] for f in (subset_of(x, distributions) for x in e.atoms(Expect)) if f]
    sets = [distributions.get(getattr(x.args[2], "name", None)) for x in e.atoms(SetSum)]
    return found + [d for d in sets if isinstance(d, SubsetDist)]


def _parameters(dist: SubsetDist, config: dict) -> tuple[int, int] | None:
    """``(n, b)`` at ``config`` when both are integers with ``1 <= b <= n``, else None."""
    n, b = (a.xreplace({k: sp.Integer(v) for k, v in config.items()}) for a in dist.args)
    if not (n.is_Integer and b.is_Integer and 1 <= b <= n):
        return None
    return int(n), int(b)


def _too_many(params: tuple[int, int]) -> str:
    """Why ``Subset(n, b)`` is too large to enumerate ("" when it is not)."""
    n, b = params
    if n > MAX_POPULATION:
        return f"Subset({n}, {b}): a population of {n} exceeds the limit of {MAX_POPULATION}"
    if math.comb(n, b) > MAX_SUBSETS:
        return f"Subset({n}, {b}): {math.comb(n, b)} subsets exceed the limit of {MAX_SUBSETS}"
    return ""


def size_configs(sizes: list, dists: list[SubsetDist], keep=None) -> list[dict]:
    """Every assignment of ``sizes`` to ``1..MAX_N`` at which each distribution has
    ``1 <= b <= n`` and at most :data:`MAX_SUBSETS` subsets (and ``keep(config)`` holds),
    evenly thinned to :data:`MAX_CONFIGS`; raises :class:`~check.verdicts.Unsupported` when none is left."""
    if len(sizes) > MAX_SIZES:
        raise Unsupported(f"{len(sizes)} sizes exceed the limit of {MAX_SIZES} for enumerating subsets")
    out = []
    for values in itertools.product(range(1, MAX_N + 1), repeat=len(sizes)):
        config = {s: sp.Integer(v) for s, v in zip(sizes, values)}
        params = [_parameters(d, config) for d in dists]
        if any(p is None for p in params):
            continue
        too_many = [why for why in map(_too_many, params) if why]
        if too_many and not sizes:
            raise Unsupported(too_many[0])
        if too_many or (keep is not None and not keep(config)):
            continue
        out.append(config)
    if not out:
        raise Unsupported(f"no sizes with 1 <= b <= n <= {MAX_N} to enumerate the subsets at")
    if len(out) > MAX_CONFIGS:
        step = (len(out) - 1) / (MAX_CONFIGS - 1)
        out = [out[round(k * step)] for k in range(MAX_CONFIGS)]
    return out


def _written(f, name: str, members: tuple[int, ...]):
    """``f`` with each ``\\sum_{i in B}`` over the subset ``name`` written out for ``members``."""
    return f.replace(lambda x: isinstance(x, SetSum) and getattr(x.args[2], "name", None) == name,
                     lambda x: sp.Add(*[x.args[0].xreplace({x.args[1]: sp.Integer(k)}) for k in members]))


def _subsets(dist: SubsetDist, config: dict) -> list[tuple[int, ...]]:
    """Every subset of ``Subset(n, b)`` at ``config`` (capped, see the module docstring)."""
    params = _parameters(dist, config)
    if params is None:
        raise Unsupported(f"the sizes of {sp.latex(dist)} are not 1 <= b <= n integers here")
    if _too_many(params):
        raise Unsupported(_too_many(params))
    return list(itertools.combinations(range(1, params[0] + 1), params[1]))


def enumerated(e, distributions, config: dict):
    """``e`` at sizes ``config`` with every expectation over a random subset written as the
    mean over all the subsets (innermost first); sums over a subset outside such an
    expectation are left (see :func:`realisations`)."""
    def mean(x):
        found = subset_of(x, distributions)
        if found is None:
            return x
        name, dist = found
        subsets = _subsets(dist, config)
        return sp.Add(*[_written(x.args[0], name, S) for S in subsets]) / len(subsets)
    return e.replace(lambda x: isinstance(x, Expect), mean)


def realisations(sides: tuple, distributions, config: dict) -> list[tuple[dict, tuple]]:
    """A relation between ``sides`` with sums over random subsets left outside expectations
    holds for every value of those subsets: each assignment ``{B: members}`` (every subset of
    each declared size, at most :data:`MAX_REALISATIONS` in all) with the sides written out for it;
    ``[({}, sides)]`` when no such sum is left."""
    names = sorted({getattr(x.args[2], "name", None) for e in sides for x in e.atoms(SetSum)}, key=str)
    choices = []
    for name in names:
        if not isinstance(distributions.get(name), SubsetDist):
            raise Unsupported(rf"a sum \sum_{{i \in {name}}} over a set that is not a declared random subset "
                                rf"({name} \sim \mathrm{{Subset}}(n, b))")
        choices.append(_subsets(distributions[name], config))
    if math.prod(len(c) for c in choices) > MAX_REALISATIONS:
        raise Unsupported(f"more than {MAX_REALISATIONS} values of the subsets {', '.join(names)} to enumerate")
    out = []
    for pick in itertools.product(*choices):
        written = sides
        for name, members in zip(names, pick):
            written = tuple(_written(e, name, members) for e in written)
        out.append((dict(zip(names, pick)), written))
    return out

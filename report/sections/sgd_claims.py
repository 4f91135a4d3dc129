"""The findings the prose of Problem 1 can state, each a named predicate over the typed results
(:mod:`report.sections.sgd_results`).

A sentence of 1.a or 1.b that states a finding is printed only when its predicate holds;
otherwise the sentence the data do support is printed. One rule decides every comparison of two
configurations (the writeup states it once, in its conventions): the seeds resolve a difference
only when their ranges separate, every seed of one below every seed of the other
(:func:`compare`); "converged" is confirmed over a window (numeric/, ``settings.tuning``).

- :func:`compare`: "below", "above" or "unresolved" for two levels that converged on every
  seed; None if one did not.
- :func:`stalls`: a method converged on every seed at the tuning tolerance and on no seed at the
  smallest one (its gap levels off between the two: the noise floor of a constant step).
- :func:`floor_above` / :func:`floor_below`: a method that :func:`stalls` has every seed's
  median gap over the last 20 % of the run above / below the smallest tolerance (a floor above
  it; or a tail that dips below it without staying there for the confirmation window).
- :func:`reaches_lowest`: a method converged on every seed at the smallest tolerance.
- :func:`resolved_below`: the rows whose SGD epochs at the tuning tolerance are below this
  row's on every seed.
- :func:`other_step_lower`: on the evaluation seeds, SGD at another step of the grid (the tuned
  heavy ball's effective step) had a lower median than the tuned step (the tuning's resolution).
- :func:`edges`: the tuned parameters of a method that sit on the edge of their grid with no
  setting inside the grid as good (a tie with an inner value is no edge).
- :func:`hb_floor_higher`: heavy ball's tail (median gap of the last 20 % of the run) lies above
  SGD's on every seed (the ranges separate), its median at least ``FLOOR_RATIO`` times SGD's.
- :func:`noise_dominates`: at the tolerance, the minibatch gradient's noise exceeds the squared
  gradient, B_simple / B_eff > 1 (B_eff the effective batch n'(n - 1)/(n - n')).
- :func:`bsimple_varies`: B_simple grows at least ``SPAN`` fold (two orders of magnitude) along a run.
- :func:`tuned_beats_polyak`: for GD the tuned heavy ball needed fewer iterations than Polyak's.
- :func:`rate_matches`: a GD run's fitted tail rate agrees with the predicted rho^2 (ln rates
  within ``RATE_TOLERANCE``, relative).
- :func:`momentum_at_same_step`: heavy ball at SGD's own effective step (best beta) beat SGD on
  every seed: momentum helps without a larger step.
- :func:`needs_momentum`: SGD run at the tuned heavy ball's effective step alpha/(1 - beta), on the
  same seeds, did not converge on every seed, or every heavy-ball seed beat every SGD seed.
- :func:`within_resolution`: two rows' SGD medians at the tuning tolerance differ by less than the
  tuning's resolution (:func:`tuning_gap`): a difference the tuning grid alone may account for.
- :func:`bump` / :func:`bump_at`: a median learning curve (as Figure 1 draws it), while above
  ``10 tol``, climbs to at least ``RISE`` times its lowest value so far (``bump_at``: the epochs
  of that lowest value and of the climb).
- :func:`hb_step_above_gd_limit`: for GD, the tuned heavy ball's effective step exceeds 2/L_local.
- :func:`lessard_cycles`: heavy ball at Polyak's parameters on the counterexample of Lessard,
  Recht and Packard ends in a cycle, while it contracts at sqrt(beta*) on the quadratic.

>>> RATE_TOLERANCE, RISE, SPAN, FLOOR_RATIO
(0.2, 1.5, 100.0, 1.5)
"""
from __future__ import annotations

import math

from report.sections.sgd_results import Cell, Level, Results, Row

__all__ = ["RATE_TOLERANCE", "RISE", "SPAN", "FLOOR_RATIO", "compare", "stalls", "reaches_lowest",
           "resolved_below", "other_step_lower", "edges", "hb_floor_higher", "floor_above", "floor_below", "noise_dominates", "bsimple_varies",
           "tuned_beats_polyak", "rate_matches", "momentum_at_same_step", "needs_momentum", "bump",
           "hb_step_above_gd_limit", "lessard_cycles", "b_simple_at", "tuning_gap",
           "within_resolution", "bump_at"]

RATE_TOLERANCE = 0.2
RISE = 1.5
SPAN = 100.0
FLOOR_RATIO = 1.5


def compare(a: Level | None, b: Level | None) -> str | None:
    """How ``a`` compares with ``b`` by the rule of the writeup: "below" (every seed of ``a``
    needed fewer epochs than every seed of ``b``), "above", or "unresolved" (the ranges overlap);
    None if either did not converge on every seed."""
    if a is None or b is None or not (a.all_converged and b.all_converged):
        return None
    if a.disjoint_below(b):
        return "below"
    if b.disjoint_below(a):
        return "above"
    return "unresolved"


def _lowest(res: Results) -> float:
    return min(res.settings.tolerances)


def stalls(res: Results, cell: Cell) -> bool:
    low = cell.at(_lowest(res))
    return cell.main.all_converged and low is not None and low.converged == 0


def floor_above(res: Results, cell: Cell) -> bool:
    """Stalls, and every seed's tail (median gap of the last 20 %) lies above the smallest tolerance."""
    return stalls(res, cell) and bool(cell.floor_range) and cell.floor_range[0] > _lowest(res)


def floor_below(res: Results, cell: Cell) -> bool:
    """Stalls, yet every seed's tail lies below the smallest tolerance: the gap fluctuates across
    it and never stays below it for the confirmation window."""
    return stalls(res, cell) and bool(cell.floor_range) and cell.floor_range[1] < _lowest(res)


def small_wins_loose(res: Results) -> list[Row]:
    """Minibatch rows whose constant-step SGD reached the largest tolerance in fewer epochs than GD
    on every seed (:func:`compare` "below"); empty unless the smallest batch size is among them:
    small batches win at a loose tolerance."""
    gd, top, mb = res.gd, max(res.settings.tolerances), res.minibatches
    won = [r for r in mb if gd and compare(r.sgd.at(top), gd.sgd.at(top)) == "below"]
    return won if won and won[0].batch == min(r.batch for r in mb) else []


def floor_at_tight(res: Results) -> bool:
    """No constant-step SGD reached the smallest tolerance on any seed (every minibatch row
    :func:`stalls`), while GD reached it on every seed: a noise floor at a tight tolerance."""
    mb, gd = res.minibatches, res.gd
    return bool(mb and gd) and all(stalls(res, r.sgd) for r in mb) and reaches_lowest(res, gd.sgd)


def reaches_lowest(res: Results, cell: Cell) -> bool:
    low = cell.at(_lowest(res))
    return low is not None and low.all_converged


def resolved_below(res: Results, row: Row) -> list[Row]:
    return [r for r in res.rows if r is not row and compare(r.sgd.main, row.sgd.main) == "below"]


def other_step_lower(row: Row) -> bool:
    s = row.sgdhb
    return bool(s and s.main.all_converged and row.sgd.main.all_converged
                and not math.isclose(s.alpha, row.sgd.alpha, rel_tol=1e-3) and s.main.median < row.sgd.main.median)


def tuning_gap(res: Results) -> float | None:
    """The largest amount (median epochs at the tuning tolerance) by which another step of the
    grid beat the tuned step on the evaluation seeds (:func:`other_step_lower`); None if nowhere."""
    gaps = [r.sgd.main.median - r.sgdhb.main.median for r in res.rows if other_step_lower(r)]
    return max(gaps) if gaps else None


def within_resolution(res: Results, a: Row, b: Row) -> bool:
    """|median_a - median_b| < tuning_gap (SGD epochs at the tuning tolerance): the difference is
    smaller than the amount by which the tuning can miss the grid's best step."""
    gap, x, y = tuning_gap(res), a.sgd.main, b.sgd.main
    return bool(gap is not None and x.median is not None and y.median is not None and abs(x.median - y.median) < gap)


def _k(x: float, base: float) -> int:
    """The half-octave offset of ``x`` from ``base``: x = base 2^(k/2)."""
    return int(round(2 * math.log2(x / base)))


def _positions(res: Results, row: Row, method: str) -> dict:
    """Each tuned parameter of ``method`` at ``row``: (its grid, a function giving a tried
    setting's value of it, the tuned value)."""
    st, c = res.settings, getattr(row, method)
    if method == "sgd":
        grid = tuple(_k(a, 1.0) for a in st.alpha_grid)
        at = lambda t: _k(t.alpha * res.problem.L, 1.0)
        return {"step": (grid, at, at(c))}
    base = row.sgd.alpha
    if method == "hb":
        ks = tuple(range(st.hb_offsets[0], st.hb_offsets[1] + 1))
        at = lambda t: _k(t.alpha / (1 - t.beta), base)
        return {"step": (ks, at, at(c)), "momentum": (st.beta_grid, lambda t: t.beta, c.beta)}
    ks = tuple(range(st.dec_offsets[0], st.dec_offsets[1] + 1))
    at = lambda t: _k(t.alpha, base)
    return {"step": (ks, at, at(c)), "decay": (st.t0_epochs, lambda t: t.t0, c.t0_epochs)}


def edges(res: Results, row: Row, method: str) -> list[str]:
    """The parameters ("step", "momentum", "decay") of the tuned ``method`` at ``row`` whose value
    is the smallest or the largest of its grid while no tried setting with a value inside the
    grid did as well (worst tuning epochs); [] where the sweep has no record."""
    tried = res.tuning.get((method, row.batch), ())
    if not tried or not res.problem:
        return []
    best = min((t.epochs for t in tried if t.epochs is not None), default=None)
    out = []
    for name, (grid, value, tuned) in _positions(res, row, method).items():
        if not grid or tuned not in (min(grid), max(grid)):
            continue
        inner = [t for t in tried if min(grid) < value(t) < max(grid)]
        if best is None or not any(t.epochs is not None and t.epochs <= best for t in inner):
            out.append(name)
    return out


def hb_floor_higher(row: Row) -> bool:
    """Every seed's tail of heavy ball lies above every seed's tail of SGD (the ranges of the
    median gap over the last 20 % separate), and the medians differ by ``FLOOR_RATIO`` at least."""
    a, b = row.hb.floor, row.sgd.floor
    ra, rb = row.hb.floor_range, row.sgd.floor_range
    return bool(a and b and ra and rb and a >= FLOOR_RATIO * b and ra[0] > rb[1])


def b_simple_at(res: Results, gap: float) -> float | None:
    return next((q.b_simple for q in res.noise if abs(q.gap / gap - 1) < 1e-9), None)


def noise_dominates(res: Results, row: Row) -> bool:
    bs = b_simple_at(res, res.settings.tol)
    return bs is not None and (row.batch_eff is not None and bs > row.batch_eff)


def bsimple_varies(res: Results) -> bool:
    vals = [q.b_simple for q in res.noise]
    return len(vals) > 1 and min(vals) > 0 and max(vals) >= SPAN * min(vals)


def tuned_beats_polyak(res: Results) -> bool:
    g = res.gd
    return bool(g and g.polyak and compare(g.hb.main, g.polyak.main) == "below")


def rate_matches(res: Results, method: str) -> bool:
    p, f = res.rates.get(method, (None, None))
    if not (p and f and 0 < p < 1 and 0 < f < 1):
        return False
    return abs(math.log(f) / math.log(p) - 1) <= RATE_TOLERANCE


def momentum_at_same_step(row: Row) -> bool:
    e = row.hbeff
    return e is not None and compare(e.main, row.sgd.main) == "below"


def needs_momentum(row: Row) -> bool:
    s = row.sgdhb
    if s is None or not row.hb.main.all_converged or not row.hb.effective_step:
        return False
    if not math.isclose(s.alpha, row.hb.effective_step, rel_tol=1e-3) or s.alpha <= row.sgd.alpha * (1 + 1e-3):
        return False
    return not s.main.all_converged or compare(row.hb.main, s.main) == "below"


def bump_at(res: Results, method: str, b: int) -> tuple[float, float] | None:
    """The first climb of the median curve, while above ``10 tol``, to ``RISE`` times its lowest
    value so far: (epoch of that lowest value, epoch of the climb); None if it never climbs."""
    epochs, med = res.curves.get((method, b), ((), ()))
    lowest, at = math.inf, None
    for e, v in zip(epochs, med):
        if not math.isfinite(v) or v <= 10 * res.settings.tol:
            break
        if v >= RISE * lowest:
            return at, e
        if v < lowest:
            lowest, at = v, e
    return None


def bump(res: Results, method: str, b: int) -> bool:
    return bump_at(res, method, b) is not None


def hb_step_above_gd_limit(res: Results) -> bool:
    g, lim = res.gd, res.gd_limit
    return bool(g and lim and g.hb.main.all_converged and g.hb.effective_step and g.hb.effective_step > lim)


def lessard_cycles(res: Results) -> bool:
    lr = res.lessard
    return bool(lr and lr.period and lr.period > 1 and lr.quadratic_rate <= lr.rate_bound * (1 + 1e-9))

"""The findings the prose of Problem 1 can state, each a named predicate over the typed results
(:mod:`report.sections.sgd_results`).

A sentence of 1.a or 1.b that states a finding is printed only when its predicate holds;
otherwise the sentence the data do support is printed. One rule decides every comparison of two
configurations (the writeup states it once, in its conventions): the seeds resolve a difference
only when their ranges separate, every seed of one below every seed of the other
(:func:`compare`); "converged" is confirmed over a window (numeric/, ``settings.tuning``).

- :func:`compare`: "below", "above" or "unresolved" for two levels that converged on every
  seed; None if one did not.
- :func:`compare_in`: :func:`compare` within a row; for GD (deterministic, one run) a difference
  counts only where it is at least the tuning's observed miss (:func:`tuning_gap`).
- :func:`stalls`: a method converged on every seed at the tuning tolerance and on no seed at the
  smallest one (its gap levels off between the two: the noise floor of a constant step).
- :func:`floor_above` / :func:`floor_below`: a method that :func:`stalls` has every seed's
  median gap over the last 20 % of the run above / below the smallest tolerance (a floor above
  it; or a tail that dips below it without staying there for the confirmation window).
- :func:`vs_gd`: each minibatch size against GD at a tolerance (fewer / more epochs on every
  seed, unresolved, not converged); :func:`small_wins`: the winners are exactly the smallest n'
  and every larger n' lost (monotone in n'), the only case where "small batches win" is said.
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

__all__ = ["gd_one_run", "effective_step_converges", "compare_in", "vs_gd", "small_wins", "small_wins_loose", "RATE_TOLERANCE", "RISE", "SPAN", "FLOOR_RATIO", "compare", "stalls", "reaches_lowest",
           "resolved_below", "other_step_lower", "edges", "hb_floor_higher", "floor_above", "floor_below", "noise_dominates", "bsimple_varies",
           "tuned_beats_polyak", "rate_matches", "momentum_at_same_step", "needs_momentum", "bump",
           "hb_step_above_gd_limit", "lessard_cycles", "b_simple_at", "tuning_gap",
           "within_resolution", "all_within_resolution", "tuning_miss", "bump_at"]

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


def compare_in(res: Results, row: Row, a: Level | None, b: Level | None) -> str | None:
    """:func:`compare` for two levels of ``row``; for GD, which is deterministic (w0 = 0 and the
    full gradient: its seeds are one run, so "every seed" says nothing), a difference counts only
    where it is at least the tuning's observed miss (:func:`tuning_gap`), the yardstick the
    minibatch rows' differences are held to; below it "unresolved"."""
    c = compare(a, b)
    gap = tuning_gap(res)
    if row.is_gd and c in ("below", "above") and gap is not None and abs(a.median - b.median) < gap:
        return "unresolved"
    return c


def gd_one_run(res: Results) -> bool:
    """Every seed of GD's runs gave the same epochs at every tolerance, for every method: GD's
    seeds are one run (w0 = 0 and the full gradient leave nothing random)."""
    g = res.gd
    cells = [c for c in (g.sgd, g.hb, g.dec, g.polyak, g.hbdec) if c] if g else []
    return bool(cells) and all(lv.lo == lv.hi for c in cells for lv in c.by_tol if lv.median is not None)


def effective_step_converges(row: Row) -> bool:
    """SGD run at the tuned heavy ball's effective step alpha/(1 - beta) (a larger step than
    SGD's own), on the same seeds, converged on every seed: what "heavy ball behaves like SGD at
    its effective step" (Zhang et al., small steps) predicts where heavy ball converges."""
    s = row.sgdhb
    return bool(s and row.hb.effective_step and math.isclose(s.alpha, row.hb.effective_step, rel_tol=1e-3)
                and s.main.all_converged)


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


def vs_gd(res: Results, t: float) -> dict[str, list[Row]]:
    """Each minibatch row's constant-step SGD against GD at tolerance ``t`` by :func:`compare_in`
    with GD's row (GD is one deterministic run, so a difference counts only where it is at least
    the tuning's observed miss): {"below": fewer epochs than GD's iterations on every seed,
    "above": more on every seed, "unresolved": the ranges overlap or the gap is below the miss,
    "none": not every seed of one of them converged}."""
    out: dict = {"below": [], "above": [], "unresolved": [], "none": []}
    gd = res.gd
    for r in res.minibatches:
        c = compare_in(res, gd, r.sgd.at(t), gd.sgd.at(t)) if gd else None
        out[c or "none"].append(r)
    return out


def small_wins(res: Results, t: float) -> list[Row]:
    """The rows that beat GD at ``t`` (:func:`vs_gd` "below") where they are exactly the smallest
    batch sizes and every larger one lost ("above"): SGD's advantage is monotone in n' there, and
    "small batches win" holds. Empty otherwise (winners not the smallest n', or a mix above them)."""
    v, mb = vs_gd(res, t), sorted(res.minibatches, key=lambda r: r.batch)
    k = len(v["below"])
    win = [r.batch for r in v["below"]]
    ok = 0 < k < len(mb) and sorted(win) == [r.batch for r in mb[:k]] and all(r in v["above"] for r in mb[k:])
    return sorted(v["below"], key=lambda r: r.batch) if ok else []


def small_wins_loose(res: Results) -> list[Row]:
    """:func:`small_wins` at the largest tolerance."""
    return small_wins(res, max(res.settings.tolerances))


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


def tuning_miss(res: Results) -> tuple[float, Row] | None:
    """(gap, row): the largest amount (median epochs at the tuning tolerance) by which another step
    of the grid beat the tuned step on the evaluation seeds (:func:`other_step_lower`), and the row
    where it did; None if nowhere. An observed miss (one other step per row was run on the
    evaluation seeds), not a bound on how far the tuning can miss."""
    gaps = [(r.sgd.main.median - r.sgdhb.main.median, r) for r in res.rows if other_step_lower(r)]
    return max(gaps, key=lambda g: g[0]) if gaps else None


def tuning_gap(res: Results) -> float | None:
    """The gap of :func:`tuning_miss`; None if no other step did better."""
    m = tuning_miss(res)
    return m[0] if m else None


def within_resolution(res: Results, a: Row, b: Row) -> bool:
    """|median_a - median_b| < tuning_gap (SGD epochs at the tuning tolerance): the difference is
    smaller than the observed miss of the tuning (:func:`tuning_miss`)."""
    gap, x, y = tuning_gap(res), a.sgd.main, b.sgd.main
    return bool(gap is not None and x.median is not None and y.median is not None and abs(x.median - y.median) < gap)


def all_within_resolution(res: Results, above, below) -> bool:
    """Every pair (a, b) of ``above`` x ``below`` is :func:`within_resolution`: the qualifier of a
    sentence "A needed more epochs than B" holds for the whole sentence, not for one pair of it."""
    return bool(above and below) and all(within_resolution(res, a, b) for a in above for b in below)


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
    return bool(g and g.polyak and compare_in(res, g, g.hb.main, g.polyak.main) == "below")


def rate_matches(res: Results, method: str) -> bool:
    p, f = res.rates.get(method, (None, None))
    if not (p and f and 0 < p < 1 and 0 < f < 1):
        return False
    return abs(math.log(f) / math.log(p) - 1) <= RATE_TOLERANCE


def momentum_at_same_step(res: Results, row: Row) -> bool:
    e = row.hbeff
    return e is not None and compare_in(res, row, e.main, row.sgd.main) == "below"


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

"""The findings the prose of Problem 1 can state, each a named predicate over the typed results
(:mod:`report.sections.sgd_results`).

A sentence of 1.a or 1.b that states a finding is printed only when its predicate holds;
otherwise the sentence the data do support is printed (``report/templates/sgd_*.tex``). A
difference between two methods is claimed only when the seeds' ranges do not overlap
(:meth:`~report.sections.sgd_results.Level.disjoint_below`); "about the same" needs the medians within
a factor ``MARGIN``. The thresholds are named here, once.

- :func:`sgd_like_gd`: at a tolerance, constant-step SGD at the smallest n' and GD converged on
  every seed, their medians within a factor MARGIN of each other.
- :func:`largest_rises`: at tol, every seed at the largest minibatch needed more epochs than
  every seed at every smaller one (all converged).
- :func:`noise_dominates`: at the tolerance, the minibatch gradient's noise exceeds the squared
  gradient, B_simple / B_eff > 1 (B_eff the effective batch b(n - 1)/(n - b)).
- :func:`bsimple_varies`: B_simple grows at least ``SPAN`` fold along a run (no single critical
  batch size describes it).
- :func:`bcn_holds`, :func:`bcn_holds_local`: the tuned decreasing step satisfies Bottou, Curtis
  and Nocedal's condition alpha_0 t0 mu > 1 (Thm. 4.7), with the global mu / the local one.
- :func:`dec_faster`: at n', every seed of the decreasing step was faster than every seed of the
  constant step (at tol).
- :func:`floor_below_tol`: at n', the constant step did not converge on every seed at tol/10
  (its gap levels off between tol/10 and tol).
- :func:`tuned_beats_polyak`: for GD the tuned heavy ball needed fewer iterations than Polyak's.
- :func:`rate_matches`: a GD run's fitted tail rate agrees with the predicted rho^2 (ln rates
  within ``RATE_TOLERANCE``, relative).
- :func:`curves_coincide`: at n', heavy ball and SGD converged on every seed with overlapping
  ranges and medians within a factor MARGIN: their learning curves lie on each other.
- :func:`hb_faster`: every seed of the tuned heavy ball beat every seed of SGD at n', and its
  median is at most MARGIN times SGD's (a "faster" is never a few per cent).
- :func:`momentum_at_same_step`: heavy ball at SGD's own effective step (best beta) beat SGD on
  every seed: momentum helps without a larger step.
- :func:`needs_momentum`: SGD run at the tuned heavy ball's effective step alpha/(1 - beta), on the
  same seeds, did not converge on every seed, or every heavy-ball seed beat every SGD seed:
  the larger step works only with momentum.
- :func:`hb_is_hbeff`: the tuned heavy ball is heavy ball at SGD's effective step (the same
  alpha and beta): their comparison holds by construction.
- :func:`momentum_hurts`: at n', some beta at SGD's effective step was slower than SGD on every
  seed (or did not converge on every seed where SGD did).
- :func:`bump`: a median learning curve, while above ``10 tol``, climbs to at least ``RISE`` times
  its lowest value so far.
- :func:`hb_step_above_gd_limit`: for GD, the tuned heavy ball's effective step exceeds 2/L_local,
  the largest step with which plain GD converges near w*.
- :func:`lessard_cycles`: heavy ball at Polyak's parameters on the counterexample of Lessard,
  Recht and Packard ends in a cycle (a period), while it contracts at sqrt(beta*) on the quadratic.

>>> MARGIN, RATE_TOLERANCE, RISE, SPAN
(0.9, 0.2, 1.5, 100.0)
"""
from __future__ import annotations

import math

from report.sections.sgd_results import Cell, Level, Results, Row

__all__ = ["MARGIN", "RATE_TOLERANCE", "RISE", "SPAN", "sgd_like_gd", "largest_rises", "noise_dominates",
           "bsimple_varies", "bcn_holds", "bcn_holds_local", "dec_faster", "floor_below_tol", "tuned_beats_polyak",
           "rate_matches", "curves_coincide", "hb_faster", "momentum_at_same_step", "needs_momentum", "hb_is_hbeff",
           "momentum_hurts", "hurting", "bump", "hb_step_above_gd_limit", "lessard_cycles", "close", "b_simple_at"]

MARGIN = 0.9
RATE_TOLERANCE = 0.2
RISE = 1.5
SPAN = 100.0


def close(x: float | None, y: float | None) -> bool:
    """Two medians within a factor MARGIN of each other."""
    return x is not None and y is not None and MARGIN * max(x, y) <= min(x, y)


def sgd_like_gd(res: Results, tol: float) -> bool:
    if not (res.minibatches and res.gd):
        return False
    a, g = res.minibatches[0].sgd.at(tol), res.gd.sgd.at(tol)
    return bool(a and g and a.all_converged and g.all_converged and close(a.median, g.median))


def largest_rises(res: Results) -> bool:
    mb = res.minibatches
    if len(mb) < 2 or not all(r.sgd.main.all_converged for r in mb):
        return False
    return all(r.sgd.main.disjoint_below(mb[-1].sgd.main) for r in mb[:-1])


def b_simple_at(res: Results, gap: float) -> float | None:
    return next((q.b_simple for q in res.noise if abs(q.gap / gap - 1) < 1e-9), None)


def noise_dominates(res: Results, row: Row) -> bool:
    bs = b_simple_at(res, res.settings.tol)
    return bs is not None and (row.batch_eff is not None and bs > row.batch_eff)


def bsimple_varies(res: Results) -> bool:
    vals = [q.b_simple for q in res.noise]
    return len(vals) > 1 and min(vals) > 0 and max(vals) >= SPAN * min(vals)


def bcn_holds(row: Row) -> bool:
    return row.bcn_product > 1


def bcn_holds_local(row: Row) -> bool:
    return row.bcn_product_local > 1


def dec_faster(row: Row) -> bool:
    return _faster(row.dec.main, row.sgd.main)


def floor_below_tol(res: Results, row: Row) -> bool:
    low = row.sgd.at(min(res.settings.tolerances))
    return row.sgd.main.all_converged and low is not None and not low.all_converged


def tuned_beats_polyak(res: Results) -> bool:
    g = res.gd
    return bool(g and g.polyak and g.hb.main.all_converged and g.polyak.main.all_converged
                and g.hb.main.median < g.polyak.main.median)


def rate_matches(res: Results, method: str) -> bool:
    p, f = res.rates.get(method, (None, None))
    if not (p and f and 0 < p < 1 and 0 < f < 1):
        return False
    return abs(math.log(f) / math.log(p) - 1) <= RATE_TOLERANCE


def curves_coincide(row: Row) -> bool:
    s, h = row.sgd.main, row.hb.main
    return (s.all_converged and h.all_converged and close(s.median, h.median)
            and not s.disjoint_below(h) and not h.disjoint_below(s))


def _faster(a: Level, b: Level) -> bool:
    """Every seed of ``a`` beat every seed of ``b``, and the median by more than the margin."""
    return a.disjoint_below(b) and a.median <= MARGIN * b.median


def hb_faster(row: Row) -> bool:
    return _faster(row.hb.main, row.sgd.main)


def momentum_at_same_step(row: Row) -> bool:
    e = row.best_hbeff
    return e is not None and _faster(e.main, row.sgd.main)


def needs_momentum(row: Row) -> bool:
    s = row.sgdhb
    if s is None or not row.hb.main.all_converged or not row.hb.effective_step:
        return False
    if not math.isclose(s.alpha, row.hb.effective_step, rel_tol=1e-3) or s.alpha <= row.sgd.alpha * (1 + 1e-3):
        return False
    return not s.main.all_converged or _faster(row.hb.main, s.main)


def _same(a: Cell, b: Cell) -> bool:
    return math.isclose(a.alpha, b.alpha, rel_tol=1e-3) and math.isclose(a.beta, b.beta, rel_tol=1e-9)


def hb_is_hbeff(row: Row) -> bool:
    return any(_same(row.hb, c) for c in row.hbeff)


def hurting(row: Row) -> list[Cell]:
    """The betas at SGD's effective step that were slower than SGD on every seed, or did not
    converge on every seed where SGD did."""
    s = row.sgd.main
    if not s.all_converged:
        return []
    return [c for c in row.hbeff if not c.main.all_converged or s.disjoint_below(c.main)]


def momentum_hurts(row: Row) -> bool:
    return bool(hurting(row))


def bump(res: Results, method: str, b: int) -> bool:
    _, med = res.curves.get((method, b), ((), ()))
    lowest = math.inf
    for v in med:
        if not math.isfinite(v) or v <= 10 * res.settings.tol:
            break
        if v >= RISE * lowest:
            return True
        lowest = min(lowest, v)
    return False


def hb_step_above_gd_limit(res: Results) -> bool:
    g, lim = res.gd, res.gd_limit
    return bool(g and lim and g.hb.main.all_converged and g.hb.effective_step and g.hb.effective_step > lim)


def lessard_cycles(res: Results) -> bool:
    lr = res.lessard
    return bool(lr and lr.period and lr.period > 1 and lr.quadratic_rate <= lr.rate_bound * (1 + 1e-9))

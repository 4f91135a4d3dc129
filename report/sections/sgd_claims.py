"""The claims the prose of Problem 1 can make, each a named predicate over results.json.

A sentence of 1.a or 1.b that states a finding is printed only when its predicate holds;
otherwise the template prints what the data do support (``report/templates/sgd_*.tex``). Every
predicate takes the results dict (schema ``hw6.sgd.results/3``) and, where it is about one
batch size, the batch size n'. The thresholds are named here, once.

- :func:`floor_above_tol`: the constant step leaves a floor above tol at n' (a seed reached
  tol and came back above it, or the gap levelled off above tol).
- :func:`decreasing_beats_floor`: at such an n', the decreasing step converged on every seed.
- :func:`decreasing_faster`: both converged on every seed at n' and the decreasing step
  needed at most ``MARGIN`` times the constant step's epochs.
- :func:`momentum_beyond_step`: heavy ball at SGD's own effective step alpha_sgd (1 - beta)
  (the best beta) needs at most ``MARGIN`` times SGD's epochs: momentum helps beyond the step.
- :func:`gain_is_step`: the tuned heavy ball beats SGD by that margin, but heavy ball at SGD's
  effective step does not: the gain is the larger effective step.
- :func:`epochs_grow_past_bnoise`: at least two batch sizes lie above the fitted B_noise and
  the epochs at the largest are at least ``GROWTH`` times E_min.
- :func:`levels_off_higher`: a method's gap levels off at least ``FLOOR_RATIO`` times higher
  than another's at n' (both ran their whole budget without converging).
- :func:`same_speed`: two methods converged on every seed at n' within a factor 1/``MARGIN``
  of each other's epochs (their curves are hard to tell apart).
- :func:`rate_matches`: the fitted tail rate of a GD run agrees with the predicted rate
  (ln rates within ``RATE_TOLERANCE``, relative).
- :func:`tuned_beats_polyak`: tuned heavy-ball GD needs fewer iterations than Polyak's.
- :func:`bsimple_grows`: B_simple grows along the run.
- :func:`epochs_rise`: constant-step SGD at the largest minibatch needs at least ``GROWTH``
  times the fewest epochs over the minibatch sizes (all converged on every seed).
- :func:`bnoise_beyond_range`: the fitted B_noise lies above the largest minibatch size.
- :func:`bnoise_beyond_n`: the fitted B_noise of constant-step SGD lies beyond the data set (> n);
- :func:`bnoise_near_bsimple`: the fitted B_noise and B_simple at the tolerance are within a
  factor ``BNOISE_FACTOR`` of each other.
- :func:`dec_faster_gd`: for GD too (no gradient noise) the decreasing step needed at most
  ``MARGIN`` times the constant step's iterations.
- :func:`dec_starts_above_limit`: the decreasing step for GD starts above 2/L_local, the
  largest constant step with which GD converges near w*.
- :func:`dec_at_edge`: the tuned alpha_0 is the largest offset the tuning tried.
- :func:`overshoots`: a median learning curve, while still above ``10 tol``, climbs to at least
  ``RISE`` times its lowest value so far (it is not monotone).
- :func:`hb_faster`, :func:`hb_not_faster`: the tuned heavy ball needed at most ``MARGIN``
  times SGD's epochs; at least as many as SGD.
- :func:`sgd_rejected_hb_step`: the tuned heavy ball (converged on every seed) has an effective
  step alpha/(1 - beta) larger than SGD's tuned step, and SGD's tuning tried that very step and
  kept a smaller one; :func:`sgd_rejected_dec_step`: the same for the decreasing step's alpha_0.
- :func:`hb_step_above_gd_limit`: for GD the tuned heavy ball's effective step is above 2/L_local.
- :func:`momentum_hurts`: at SGD's effective step some beta needs at least 1/``MARGIN`` times
  SGD's epochs (or does not converge on every seed where SGD did).
- :func:`step_outcome`: what SGD's tuning recorded for one constant step at n' (the worst
  tuning seed): "converged" (every tuning seed), "partly" (some seeds, not the worst),
  "floor" (stalled with its lowest gap just above tol, at most ``STALL`` tol), "reached" (stalled
  after its gap reached tol), "no-progress" (its lowest gap stayed above ``STALL`` tol), "pruned".
- :func:`larger_step_stalled`: a constant step larger than SGD's tuned one stalled at a floor just
  above the tolerance at n' (:func:`stalled_steps` lists them).
- :func:`gd_stability_limited`: for GD, every larger constant step tried is above 2/L_local and
  made no progress to the tolerance, while the tuned step is at most 2/L_local.
- :func:`hb_at_edge`: the tuned heavy ball's alpha is the largest offset its tuning tried.
- :func:`growth_unresolved`: a method's fitted B_noise lies above n and its epochs do not rise
  by ``GROWTH`` over the minibatch sizes: the fit resolves no growth.

>>> MARGIN, GROWTH, FLOOR_RATIO, RATE_TOLERANCE, BNOISE_FACTOR, RISE, STALL
(0.9, 1.5, 1.25, 0.2, 2.0, 1.5, 3.0)
"""
from __future__ import annotations

import math

__all__ = ["all_converged", "MARGIN", "GROWTH", "FLOOR_RATIO", "RATE_TOLERANCE", "cell", "run", "floor_above_tol",
           "decreasing_beats_floor", "decreasing_faster", "momentum_beyond_step", "gain_is_step", "epochs_grow_past_bnoise",
           "levels_off_higher", "same_speed", "rate_matches", "best_effective", "tuned_beats_polyak", "bsimple_grows", "minibatches", "all_claims",
           "BNOISE_FACTOR", "RISE", "gd_batch", "gd_limit", "epochs_rise", "bnoise_beyond_range", "bnoise_near_bsimple", "bnoise_beyond_n",
           "dec_faster_gd", "dec_starts_above_limit", "dec_at_edge", "overshoots", "hb_faster", "hb_not_faster",
           "effective_step", "sgd_rejected_hb_step", "sgd_rejected_dec_step", "hb_step_above_gd_limit", "hurting_betas", "momentum_hurts",
           "momentum_share", "STALL", "tried_steps", "step_outcome", "stalled_steps", "larger_step_stalled",
           "gd_stability_limited", "hb_at_edge", "growth_unresolved"]

MARGIN = 0.9
GROWTH = 1.5
FLOOR_RATIO = 1.25
RATE_TOLERANCE = 0.2
BNOISE_FACTOR = 2.0
RISE = 1.5
STALL = 3.0


def _row(res: dict, b) -> dict:
    return next((r for r in res.get("table") or [] if r["batch"] == b), {})


def cell(res: dict, method: str, b) -> dict:
    """The table cell of ``method`` ("sgd", "hb", "dec", "polyak") at batch size b ({} if none)."""
    return _row(res, b).get(method) or {}


def run(res: dict, key: str) -> dict:
    return next((r for r in res.get("runs") or [] if r["key"] == key), {})


def all_converged(c: dict) -> bool:
    """Every seed of the cell converged."""
    return bool(c) and c.get("seeds") is not None and c.get("converged") == c.get("seeds")


def minibatches(res: dict) -> list:
    return [r["batch"] for r in res.get("table") or [] if not r["is_gd"]]


def floor_above_tol(res: dict, b) -> bool:
    c = cell(res, "sgd", b)
    r = run(res, f"sgd-{b}")
    return bool(c) and ((c.get("dipped") or 0) > 0 or r.get("reason") == "noise-floor")


def decreasing_beats_floor(res: dict, b) -> bool:
    return floor_above_tol(res, b) and all_converged(cell(res, "dec", b))


def best_effective(res: dict, b) -> dict:
    """The cell of heavy ball at SGD's effective step with the fewest epochs among the betas
    where every seed converged ({} if none)."""
    done = [c for c in _row(res, b).get("hbeff") or [] if all_converged(c)]
    return min(done, key=lambda c: c["epochs_median"]) if done else {}


def decreasing_faster(res: dict, b) -> bool:
    s, d = cell(res, "sgd", b), cell(res, "dec", b)
    return all_converged(s) and all_converged(d) and d["epochs_median"] <= MARGIN * s["epochs_median"]


def momentum_beyond_step(res: dict, b) -> bool:
    s, e = cell(res, "sgd", b), best_effective(res, b)
    return all_converged(s) and bool(e) and e["epochs_median"] <= MARGIN * s["epochs_median"]


def gain_is_step(res: dict, b) -> bool:
    s, h = cell(res, "sgd", b), cell(res, "hb", b)
    return (all_converged(s) and all_converged(h) and h["epochs_median"] <= MARGIN * s["epochs_median"]
            and not momentum_beyond_step(res, b))


def epochs_grow_past_bnoise(res: dict) -> bool:
    f = ((res.get("noise") or {}).get("fit") or {}).get("sgd") or {}
    if not f.get("ok"):
        return False
    past = [(r["batch"], r["sgd"]["epochs_median"]) for r in res.get("table") or []
            if r["batch"] > f["B_noise"] and r["sgd"].get("epochs_median") is not None]
    return len(past) >= 2 and max(past)[1] >= GROWTH * f["E_min"]


def levels_off_higher(res: dict, higher: str, lower: str, b) -> bool:
    a, c = cell(res, higher, b), cell(res, lower, b)
    return (bool(a) and bool(c) and a.get("converged") == 0 and c.get("converged") == 0
            and a.get("floor") is not None and c.get("floor") is not None
            and a["floor"] >= FLOOR_RATIO * c["floor"])


def same_speed(res: dict, a: str, c: str, b) -> bool:
    """Both converged on every seed at n' and their median epochs differ by less than a factor
    1/MARGIN: their learning curves are hard to tell apart."""
    x, y = cell(res, a, b), cell(res, c, b)
    return (all_converged(x) and all_converged(y)
            and max(x["epochs_median"], y["epochs_median"]) < min(x["epochs_median"], y["epochs_median"]) / MARGIN)


def rate_matches(res: dict, key: str) -> bool:
    rate = run(res, key).get("rate") or {}
    p, f = rate.get("predicted"), rate.get("fitted")
    if not (p and f and 0 < p < 1 and 0 < f < 1):
        return False
    return abs(math.log(f) / math.log(p) - 1) <= RATE_TOLERANCE


def tuned_beats_polyak(res: dict) -> bool:
    gd = [r["batch"] for r in res.get("table") or [] if r["is_gd"]]
    if not gd:
        return False
    h, p = cell(res, "hb", gd[0]), cell(res, "polyak", gd[0])
    return all_converged(h) and all_converged(p) and h["epochs_median"] < p["epochs_median"]


def bsimple_grows(res: dict) -> bool:
    vals = [q["b_simple"] for q in (res.get("noise") or {}).get("b_simple") or [] if q.get("b_simple") is not None]
    return len(vals) > 1 and all(b > a for a, b in zip(vals, vals[1:]))


def gd_batch(res: dict):
    """The batch size of the GD row (n), or None."""
    return next((r["batch"] for r in res.get("table") or [] if r["is_gd"]), None)


def gd_limit(res: dict) -> float | None:
    """2 / L_local: the largest constant step with which GD converges on the quadratic model at w*."""
    L = (res.get("problem") or {}).get("L_local")
    return 2 / L if L else None


def _sgd_fit(res: dict) -> dict:
    return ((res.get("noise") or {}).get("fit") or {}).get("sgd") or {}


def epochs_rise(res: dict) -> bool:
    mb = minibatches(res)
    cells = [cell(res, "sgd", b) for b in mb]
    if len(mb) < 2 or not all(all_converged(c) for c in cells):
        return False
    return cells[-1]["epochs_median"] >= GROWTH * min(c["epochs_median"] for c in cells)


def bnoise_beyond_range(res: dict) -> bool:
    f = _sgd_fit(res)
    return bool(f.get("ok")) and bool(minibatches(res)) and f["B_noise"] > max(minibatches(res))


def bnoise_beyond_n(res: dict) -> bool:
    """The fit of constant-step SGD exists and its B_noise lies beyond the data set (> n)."""
    f = _sgd_fit(res)
    return bool(f.get("ok")) and f["B_noise"] > res["settings"]["n"]


def bnoise_near_bsimple(res: dict) -> bool:
    f, bs = _sgd_fit(res), (res.get("noise") or {}).get("b_simple_at_tol")
    if not (f.get("ok") and bs):
        return False
    return max(f["B_noise"], bs) <= BNOISE_FACTOR * min(f["B_noise"], bs)


def dec_faster_gd(res: dict) -> bool:
    b = gd_batch(res)
    return b is not None and decreasing_faster(res, b)


def dec_starts_above_limit(res: dict) -> bool:
    b, lim = gd_batch(res), gd_limit(res)
    return b is not None and lim is not None and bool(cell(res, "dec", b)) and cell(res, "dec", b)["alpha"] > lim


def dec_at_edge(res: dict, b) -> bool:
    """alpha_0 = alpha_sgd 2^(k/2) with k the largest offset of the tuning rule."""
    s, d = cell(res, "sgd", b), cell(res, "dec", b)
    top = (((res.get("settings") or {}).get("tuning") or {}).get("dec_offsets_half_octaves") or [None])[0]
    if not (s and d and s.get("alpha") and top is not None):
        return False
    return abs(d["alpha"] / (s["alpha"] * 2.0 ** (top / 2)) - 1) < 1e-3


def overshoots(res: dict, key: str) -> bool:
    """The median curve of run ``key``, while above 10 tol, climbs to at least RISE times its
    lowest value so far."""
    c, tol = run(res, key).get("curve") or {}, res["settings"]["tol"]
    lowest = math.inf
    for v in c.get("median") or []:
        if v is None or not math.isfinite(v) or v <= 10 * tol:
            break
        if v >= RISE * lowest:
            return True
        lowest = min(lowest, v)
    return False


def hb_faster(res: dict, b) -> bool:
    s, h = cell(res, "sgd", b), cell(res, "hb", b)
    return all_converged(s) and all_converged(h) and h["epochs_median"] <= MARGIN * s["epochs_median"]


def hb_not_faster(res: dict, b) -> bool:
    s, h = cell(res, "sgd", b), cell(res, "hb", b)
    return all_converged(s) and all_converged(h) and h["epochs_median"] >= s["epochs_median"]


def effective_step(res: dict, b) -> float | None:
    """alpha / (1 - beta) of the tuned heavy ball at n'."""
    h = cell(res, "hb", b)
    return h["alpha"] / (1 - h["beta"]) if h and h.get("beta") is not None and h["beta"] < 1 else None


def _sgd_rejected(res: dict, b, step) -> bool:
    """``step`` is larger than SGD's tuned step at n', and SGD's tuning tried it as a constant
    step and kept a smaller one."""
    s = cell(res, "sgd", b)
    key = f"sgd-{'gd' if b == gd_batch(res) else b}"
    tried = [t["alpha"] for t in run(res, key).get("tuning") or []]
    return (step is not None and bool(s) and step > s["alpha"] * (1 + 1e-3)
            and any(abs(a / step - 1) < 1e-3 for a in tried))


def sgd_rejected_hb_step(res: dict, b) -> bool:
    return all_converged(cell(res, "hb", b)) and _sgd_rejected(res, b, effective_step(res, b))


def sgd_rejected_dec_step(res: dict, b) -> bool:
    """The decreasing step's alpha_0 was tried by SGD's tuning as a constant step and rejected
    (and the decreasing step converged on every seed)."""
    d = cell(res, "dec", b)
    return all_converged(d) and _sgd_rejected(res, b, d.get("alpha"))


def hb_step_above_gd_limit(res: dict) -> bool:
    b, lim = gd_batch(res), gd_limit(res)
    return b is not None and lim is not None and all_converged(cell(res, "hb", b)) and effective_step(res, b) > lim


def hurting_betas(res: dict, b) -> list:
    """The cells of heavy ball at SGD's step that needed at least 1/MARGIN times SGD's epochs,
    or did not converge on every seed (SGD did)."""
    s = cell(res, "sgd", b)
    if not all_converged(s):
        return []
    return [c for c in _row(res, b).get("hbeff") or []
            if not all_converged(c) or c["epochs_median"] * MARGIN >= s["epochs_median"]]


def momentum_hurts(res: dict, b) -> bool:
    return bool(hurting_betas(res, b))


def momentum_share(res: dict, b) -> float | None:
    """The share of the tuned heavy ball's speed-up over SGD, counted in ln epochs, that heavy
    ball at SGD's effective step (the best beta) already has: ln(E_sgd/E_eff) / ln(E_sgd/E_hb);
    None where the tuned heavy ball is not faster."""
    s, h, e = cell(res, "sgd", b), cell(res, "hb", b), best_effective(res, b)
    if not (all_converged(s) and all_converged(h) and e) or h["epochs_median"] >= s["epochs_median"]:
        return None
    return math.log(s["epochs_median"] / e["epochs_median"]) / math.log(s["epochs_median"] / h["epochs_median"])


def _sgd_key(res: dict, b) -> str:
    return f"sgd-{'gd' if b == gd_batch(res) else b}"


def tried_steps(res: dict, b) -> list:
    """The tuning records of constant-step SGD at n' larger than its tuned step, largest first."""
    s = cell(res, "sgd", b)
    if not s.get("alpha"):
        return []
    recs = [t for t in run(res, _sgd_key(res, b)).get("tuning") or [] if t["alpha"] > s["alpha"] * (1 + 1e-3)]
    return sorted(recs, key=lambda t: -t["alpha"])


def step_outcome(res: dict, b, step) -> str | None:
    """What SGD's tuning recorded for the constant step ``step`` at n' (None if not tried).

    "converged": on every tuning seed; "partly": on some, not the worst; "floor": stalled (or
    ran out) with the worst seed's lowest gap in (tol, STALL tol]; "reached": stalled after that
    gap reached tol; "no-progress": the lowest gap stayed above STALL tol; "pruned": stopped
    once it could not beat the best step so far."""
    tol = res["settings"]["tol"]
    rec = next((t for t in run(res, _sgd_key(res, b)).get("tuning") or []
                if step and abs(t["alpha"] / step - 1) < 1e-3), None)
    if rec is None:
        return None
    low = rec.get("lowest_gap")
    if rec.get("outcome") == "converged":
        return "converged" if rec.get("epochs") is not None else "partly"
    if rec.get("outcome") == "pruned":
        return "pruned"
    if low is None or low > STALL * tol:
        return "no-progress"
    return "floor" if low > tol else "reached"


def stalled_steps(res: dict, b) -> list:
    """The records of :func:`tried_steps` at n' whose outcome is "floor"."""
    return [t for t in tried_steps(res, b) if step_outcome(res, b, t["alpha"]) == "floor"]


def larger_step_stalled(res: dict, b) -> bool:
    return bool(stalled_steps(res, b))


def gd_stability_limited(res: dict) -> bool:
    b, lim = gd_batch(res), gd_limit(res)
    if b is None or lim is None or not cell(res, "sgd", b).get("alpha"):
        return False
    larger = [t for t in tried_steps(res, b) if step_outcome(res, b, t["alpha"]) != "pruned"]
    return (cell(res, "sgd", b)["alpha"] <= lim and bool(larger)
            and all(t["alpha"] > lim and step_outcome(res, b, t["alpha"]) == "no-progress" for t in larger))


def hb_at_edge(res: dict, b) -> bool:
    """The tuned heavy ball's alpha = alpha_sgd (1 - beta) 2^(k/2) with k the largest offset tried."""
    s, h = cell(res, "sgd", b), cell(res, "hb", b)
    top = max((((res.get("settings") or {}).get("tuning") or {}).get("hb_offsets_half_octaves") or [None]),
              key=lambda k: -math.inf if k is None else k)
    if not (s.get("alpha") and h.get("alpha") and h.get("beta") is not None and top is not None):
        return False
    return abs(h["alpha"] / (s["alpha"] * (1 - h["beta"]) * 2.0 ** (top / 2)) - 1) < 1e-3


def growth_unresolved(res: dict, method: str) -> bool:
    """The fit of ``method`` exists, its B_noise is above n, and its median epochs over the
    minibatch sizes stay within a factor GROWTH of each other."""
    f = ((res.get("noise") or {}).get("fit") or {}).get(method) or {}
    eps = [cell(res, method, b).get("epochs_median") for b in minibatches(res)]
    if not (f.get("ok") and f.get("B_noise") and eps and all(e is not None for e in eps)):
        return False
    return f["B_noise"] > res["settings"]["n"] and max(eps) < GROWTH * min(eps)


def all_claims(res: dict) -> dict:
    """Every predicate evaluated on ``res``: {name: bool} and {name: [n' where it holds]}."""
    mb = minibatches(res)
    per_b = {"floor_above_tol": floor_above_tol, "decreasing_beats_floor": decreasing_beats_floor, "decreasing_faster": decreasing_faster,
             "momentum_beyond_step": momentum_beyond_step, "gain_is_step": gain_is_step,
             "hb_levels_off_higher": lambda r, b: levels_off_higher(r, "hb", "sgd", b),
             "hb_same_speed": lambda r, b: same_speed(r, "hb", "sgd", b), "dec_at_edge": dec_at_edge,
             "hb_faster": hb_faster, "hb_not_faster": hb_not_faster, "sgd_rejected_hb_step": sgd_rejected_hb_step,
             "larger_step_stalled": larger_step_stalled, "hb_at_edge": hb_at_edge}
    out = {name: [b for b in mb if f(res, b)] for name, f in per_b.items()}
    every = mb + ([gd_batch(res)] if gd_batch(res) is not None else [])
    out["sgd_rejected_dec_step"] = [b for b in every if sgd_rejected_dec_step(res, b)]
    out["momentum_hurts"] = [b for b in every if momentum_hurts(res, b)]
    out["overshoots"] = [(r["method"], r["batch"]) for r in res.get("runs") or []
                         if r["method"] in ("sgd", "hb", "dec", "polyak") and overshoots(res, r["key"])]
    out.update({"epochs_grow_past_bnoise": epochs_grow_past_bnoise(res), "tuned_beats_polyak": tuned_beats_polyak(res),
                "bsimple_grows": bsimple_grows(res), "epochs_rise": epochs_rise(res),
                "bnoise_beyond_range": bnoise_beyond_range(res), "bnoise_near_bsimple": bnoise_near_bsimple(res),
                "bnoise_beyond_n": bnoise_beyond_n(res),
                "dec_faster_gd": dec_faster_gd(res), "dec_starts_above_limit": dec_starts_above_limit(res),
                "hb_step_above_gd_limit": hb_step_above_gd_limit(res),
                "gd_stability_limited": gd_stability_limited(res),
                "growth_unresolved": [m for m in ("sgd", "hb", "dec") if growth_unresolved(res, m)],
                "rate_matches": {m: rate_matches(res, f"{m}-gd") for m in ("sgd", "hb", "polyak")}})
    return out

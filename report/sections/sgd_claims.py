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

>>> MARGIN, GROWTH, FLOOR_RATIO, RATE_TOLERANCE
(0.9, 1.5, 1.25, 0.2)
"""
from __future__ import annotations

import math

__all__ = ["MARGIN", "GROWTH", "FLOOR_RATIO", "RATE_TOLERANCE", "cell", "run", "floor_above_tol",
           "decreasing_beats_floor", "decreasing_faster", "momentum_beyond_step", "gain_is_step", "epochs_grow_past_bnoise",
           "levels_off_higher", "same_speed", "rate_matches", "best_effective", "tuned_beats_polyak", "bsimple_grows", "minibatches", "all_claims"]

MARGIN = 0.9
GROWTH = 1.5
FLOOR_RATIO = 1.25
RATE_TOLERANCE = 0.2


def _row(res: dict, b) -> dict:
    return next((r for r in res.get("table") or [] if r["batch"] == b), {})


def cell(res: dict, method: str, b) -> dict:
    """The table cell of ``method`` ("sgd", "hb", "dec", "polyak") at batch size b ({} if none)."""
    return _row(res, b).get(method) or {}


def run(res: dict, key: str) -> dict:
    return next((r for r in res.get("runs") or [] if r["key"] == key), {})


def _all_converged(c: dict) -> bool:
    return bool(c) and c.get("seeds") is not None and c.get("converged") == c.get("seeds")


def minibatches(res: dict) -> list:
    return [r["batch"] for r in res.get("table") or [] if not r["is_gd"]]


def floor_above_tol(res: dict, b) -> bool:
    c = cell(res, "sgd", b)
    r = run(res, f"sgd-{b}")
    return bool(c) and ((c.get("dipped") or 0) > 0 or r.get("reason") == "noise-floor")


def decreasing_beats_floor(res: dict, b) -> bool:
    return floor_above_tol(res, b) and _all_converged(cell(res, "dec", b))


def best_effective(res: dict, b) -> dict:
    """The cell of heavy ball at SGD's effective step with the fewest epochs among the betas
    where every seed converged ({} if none)."""
    done = [c for c in _row(res, b).get("hbeff") or [] if _all_converged(c)]
    return min(done, key=lambda c: c["epochs_median"]) if done else {}


def decreasing_faster(res: dict, b) -> bool:
    s, d = cell(res, "sgd", b), cell(res, "dec", b)
    return _all_converged(s) and _all_converged(d) and d["epochs_median"] <= MARGIN * s["epochs_median"]


def momentum_beyond_step(res: dict, b) -> bool:
    s, e = cell(res, "sgd", b), best_effective(res, b)
    return _all_converged(s) and bool(e) and e["epochs_median"] <= MARGIN * s["epochs_median"]


def gain_is_step(res: dict, b) -> bool:
    s, h = cell(res, "sgd", b), cell(res, "hb", b)
    return (_all_converged(s) and _all_converged(h) and h["epochs_median"] <= MARGIN * s["epochs_median"]
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
    return (_all_converged(x) and _all_converged(y)
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
    return _all_converged(h) and _all_converged(p) and h["epochs_median"] < p["epochs_median"]


def bsimple_grows(res: dict) -> bool:
    vals = [q["b_simple"] for q in (res.get("noise") or {}).get("b_simple") or [] if q.get("b_simple") is not None]
    return len(vals) > 1 and all(b > a for a, b in zip(vals, vals[1:]))


def all_claims(res: dict) -> dict:
    """Every predicate evaluated on ``res``: {name: bool} and {name: [n' where it holds]}."""
    mb = minibatches(res)
    per_b = {"floor_above_tol": floor_above_tol, "decreasing_beats_floor": decreasing_beats_floor, "decreasing_faster": decreasing_faster,
             "momentum_beyond_step": momentum_beyond_step, "gain_is_step": gain_is_step,
             "hb_levels_off_higher": lambda r, b: levels_off_higher(r, "hb", "sgd", b),
             "hb_same_speed": lambda r, b: same_speed(r, "hb", "sgd", b)}
    out = {name: [b for b in mb if f(res, b)] for name, f in per_b.items()}
    out.update({"epochs_grow_past_bnoise": epochs_grow_past_bnoise(res), "tuned_beats_polyak": tuned_beats_polyak(res),
                "bsimple_grows": bsimple_grows(res),
                "rate_matches": {m: rate_matches(res, f"{m}-gd") for m in ("sgd", "hb", "polyak")}})
    return out

"""Problem 1 prose: every finding is a predicate of report.sections.sgd_claims over the typed facts
of results.json (report.sections.sgd_results); the sentence appears only when its predicate holds,
and flips with it."""
import copy

import pytest

from report.experiments import Outcome
from report.pipeline import Figure, environment
from report.sections import sgd_claims as claims
from report.sections.sgd import sgd_section
from report.sections.sgd_results import read
from report.tex import Tex

N = 10_000
BATCHES = (1, 100, 1000, 5000)
TOLS = (1e-2, 1e-3, 1e-4)


def _level(tol, med, conv=5, spread=0.05):
    return {"tol": tol, "epochs_median": med, "epochs_min": med and med * (1 - spread),
            "epochs_max": med and med * (1 + spread), "converged": conv if med else 0}


def _cell(med, alpha=0.1, beta=0.0, t0=0.0, conv=5, low=None):
    """A table cell whose epochs at tol are ``med``; at 10 tol half, at tol/10 ``low`` (default 2 med)."""
    low = 2 * med if low is None and med else low
    by_tol = [_level(1e-2, med and med / 2), _level(1e-3, med, conv), _level(1e-4, low, 5 if low else 0)]
    return {"alpha": alpha, "beta": beta, "t0_epochs": t0, "epochs_median": med,
            "epochs_min": med and med * 0.95, "epochs_max": med and med * 1.05, "steps_median": med and med * 100,
            "first_hit_median": med, "converged": conv if med else 0, "dipped": 0, "seeds": 5, "floor": 1e-4,
            "status": "converged", "by_tol": by_tol}


def _results():
    """A constructed results.json (schema /4) in which heavy ball and SGD coincide everywhere."""
    table, runs = [], []
    for b in BATCHES + (N,):
        gd = b == N
        sgd, hb = _cell(30.0), _cell(30.0, alpha=0.1 * (1 - 0.9), beta=0.9)
        dec = _cell(28.0, alpha=0.3, t0=4.0)
        eff = [_cell(30.0, alpha=0.1 * (1 - be), beta=be) for be in (0.5, 0.7, 0.9)]
        table.append({"batch": b, "is_gd": gd, "batch_eff": None if gd else b * (N - 1) / (N - b), "sgd": sgd,
                      "hb": hb, "dec": dec, "polyak": _cell(18.0, beta=0.57) if gd else None, "hbeff": eff,
                      "sgdhb": _cell(30.0, alpha=1.0), "hbeff_best_beta": 0.5,
                      "bcn": {"t0_steps": 4.0 * (1 if gd else N // b), "product": 0.5, "product_local": 0.9},
                      "speedup": 1.0, "speedup_dec": 30 / 28, "speedup_hbeff": 1.0})
        for m in ("sgd", "hb", "dec") + (("polyak",) if gd else ()):
            rate = {"predicted": 0.9, "fitted": 0.9} if gd and m != "dec" else None
            runs.append({"key": f"{m}-{'gd' if gd else b}", "method": m, "batch": b, "rate": rate,
                         "curve": {"epoch": [0, 1, 2, 3], "median": [1.0, 0.5, 0.1, 5e-4], "lo": [], "hi": []}})
    return {"schema": "hw6.sgd.results/4", "degenerate": None,
            "settings": {"objective": "logistic", "data": "synthetic", "n": N, "d": 20, "cond": 100.0, "l2": 1e-3,
                         "tol": 1e-3, "tolerances": list(TOLS), "seeds": 5, "seed": 0, "quick": False, "sampling": "shuffle-each-epoch",
                         "checks_per_epoch": 5, "max_epochs": 200, "alpha_grid": [0.25, 0.5, 1, 2],
                         "beta_grid": [0.5, 0.7, 0.9], "tune_seeds": [1, 3, 5],
                         "tuning": {"t0_epochs": [1.0, 4.0, 16.0], "window_epochs": 2.0, "window_fraction": 0.2,
                                    "hb_offsets_half_octaves": [4, -4], "dec_offsets_half_octaves": [6, -2],
                                    "plateau_improvement": 0.1, "plateau_epochs": 3}},
            "problem": {"f_star": 0.36976800998756923, "L": 0.25, "mu": 1e-3, "kappa": 250.0, "kappa_local": 52.0,
                        "L_local": 0.115, "mu_local": 0.0022, "polyak_alpha": 26.8, "polyak_beta": 0.57},
            "table": table, "runs": runs,
            "noise": {"b_simple": [{"gap": 1.0, "b_simple": 14.5}, {"gap": 1e-3, "b_simple": 13355.0}],
                      "b_simple_at_tol": 13355.0, "b_crit_at_tol": 5719.0, "fit": {}},
            "lessard": {"mu": 1.0, "L": 25.0, "alpha": 1 / 9, "beta": 4 / 9, "steps": 300,
                        "starts": [{"x0": 1.0, "iterates": [], "final_distance": 0.6465},
                                   {"x0": 0.5, "iterates": [], "final_distance": 1e-50}],
                        "period": 3, "cycle": [-1.8024, 0.6465, 2.1159], "cycle_values": [],
                        "quadratic_rate": 2 / 3, "rate_bound": 2 / 3, "velocity_form_agrees": True},
            "figures": ["sgd_curves", "sgd_vs_batch", "sgd_lessard"]}


def _section(res, tmp_path):
    figs = [Figure("sgd", s, Tex(f"figures/sgd-{s}.pdf")) for s in res["figures"]]
    return sgd_section(Outcome("sgd", "ok", "cmd", tmp_path, data=res), figs)


def _prose(res, tmp_path) -> str:
    sec = _section(res, tmp_path)
    env = environment()
    text = "".join(env.get_template(t).render(sgd=sec, result=lambda i, shown=False: Tex("x"))
                   for t in ("sgd_a.tex", "sgd_b.tex"))
    return " ".join((text + " " + sec.answer_a + " " + sec.answer_b + " " + sec.lessard_text).split())


def _row(res, b):
    return next(r for r in res["table"] if r["batch"] == b)


def _set(res, b, method, med, **kw):
    """Give ``method`` at n' = b the median ``med`` at tol (its range +-5 %)."""
    c = _row(res, b)[method]
    c.update(epochs_median=med, epochs_min=med and med * 0.95, epochs_max=med and med * 1.05, **kw)
    c["by_tol"][1] = _level(1e-3, med)


def _by_tol(res, b, method, k, med, conv=5):
    _row(res, b)[method]["by_tol"][k] = _level(TOLS[k], med, conv)


FLIPS = {
    # name: (predicate on the typed results, how to turn it on, the sentence it prints)
    "largest_rises": (lambda r: claims.largest_rises(r),
                      lambda r: _set(r, 5000, "sgd", 48.0), "needed more epochs than every seed at every smaller"),
    "hb_faster": (lambda r: claims.hb_faster(r.row(1000)),
                  lambda r: _set(r, 1000, "hb", 12.0), "heavy ball reached the tolerance sooner on every seed"),
    "momentum_at_same_step": (lambda r: claims.momentum_at_same_step(r.row(1000)),
                              lambda r: _row(r, 1000)["hbeff"][2].update(epochs_median=20.0, epochs_min=19.0,
                                                                         epochs_max=21.0)
                              or _row(r, 1000)["hbeff"][2]["by_tol"].__setitem__(1, _level(1e-3, 20.0)),
                              "momentum alone was faster on every seed at $n'=1000$"),
    "needs_momentum": (lambda r: claims.needs_momentum(r.row(1000)),
                       lambda r: _set(r, 1000, "hb", 12.0, alpha=0.1) or _row(r, 1000)["sgdhb"].update(
                           epochs_median=None, converged=2) or _row(r, 1000)["sgdhb"]["by_tol"].__setitem__(
                           1, _level(1e-3, None)),
                       "the larger step works only with momentum"),
    "bump": (lambda r: claims.bump(r, "dec", 100),
             lambda r: next(x for x in r["runs"] if x["key"] == "dec-100")["curve"].update(
                 median=[1.0, 0.2, 0.5, 5e-4]), "climbs, before it converges"),
    "bcn_holds": (lambda r: claims.bcn_holds(r.row(1)),
                  lambda r: [row["bcn"].update(product=1.5) for row in r["table"]],
                  "The condition holds for every tuned run"),
    "dec_faster": (lambda r: claims.dec_faster(r.row(1)),
                   lambda r: [_set(r, b, "dec", 12.0) for b in BATCHES + (N,)], "fewer on every seed everywhere"),
    "floor_below_tol": (lambda r: claims.floor_below_tol(r, r.row(1)),
                        lambda r: _by_tol(r, 1, "sgd", 2, None, 0), "does not reach $10^{-4}$ on every seed"),
    "tuned_beats_polyak": (lambda r: claims.tuned_beats_polyak(r),
                           lambda r: _set(r, N, "hb", 13.0), "The tuned parameters beat Polyak's"),
    "hb_step_above_gd_limit": (lambda r: claims.hb_step_above_gd_limit(r),
                               lambda r: _row(r, N)["hb"].update(alpha=3.0), "the largest step with which GD converges"),
    "momentum_hurts": (lambda r: claims.momentum_hurts(r.row(N)),
                       lambda r: _row(r, N)["hbeff"][2].update(epochs_median=61.0, epochs_min=60.0, epochs_max=62.0)
                       or _row(r, N)["hbeff"][2]["by_tol"].__setitem__(1, _level(1e-3, 61.0)),
                       "Momentum can also hurt: for GD"),
}


def _check_flip(holds, flip, sentence, tmp_path, on_in_base: bool):
    """The predicate and its sentence hold in one of two results that differ by ``flip``."""
    base, flipped = _results(), _results()
    flip(flipped)
    on, off = (base, flipped) if on_in_base else (flipped, base)
    assert holds(read(on)) and not holds(read(off))
    assert sentence in _prose(on, tmp_path) and sentence not in _prose(off, tmp_path)


@pytest.mark.parametrize("name", list(FLIPS))
def test_each_claim_is_printed_exactly_when_its_predicate_holds(name, tmp_path):
    _check_flip(*FLIPS[name], tmp_path, on_in_base=False)


HOLD_IN_BASE = {
    # name: (predicate, how to turn it off, the sentence it prints)
    "curves_coincide": (lambda r: claims.curves_coincide(r.row(100)),
                        lambda r: _set(r, 100, "hb", 12.0), "At $n'=1$, $100$, $1000$, $5000$, and $n$ the heavy-ball curve lies on SGD's"),
    "sgd_like_gd": (lambda r: claims.sgd_like_gd(r, 1e-3),
                    lambda r: _set(r, 1, "sgd", 40.0), "needed about as many epochs as GD"),
    "hb_is_hbeff": (lambda r: claims.hb_is_hbeff(r.row(100)),
                    lambda r: [_row(r, b)["hb"].update(alpha=0.5) for b in BATCHES + (N,)],
                    "agree by construction"),
    "bsimple_varies": (lambda r: claims.bsimple_varies(r),
                       lambda r: r["noise"]["b_simple"][-1].update(b_simple=140.0), "no single critical batch size"),
    "noise_dominates": (lambda r: claims.noise_dominates(r, r.row(1)),
                        lambda r: r["noise"]["b_simple"][-1].update(b_simple=0.5), "exceeded its squared mean"),
    "lessard_cycles": (lambda r: claims.lessard_cycles(r),
                       lambda r: r["lessard"].update(period=None), "settles into a cycle of period 3"),
    "rate_matches": (lambda r: claims.rate_matches(r, "sgd"),
                     lambda r: next(x for x in r["runs"] if x["key"] == "sgd-gd")["rate"].update(fitted=0.5),
                     "GD 0.9 and 0.9 (they agree)"),
}


@pytest.mark.parametrize("name", list(HOLD_IN_BASE))
def test_each_claim_that_holds_in_the_base_goes_with_its_predicate(name, tmp_path):
    _check_flip(*HOLD_IN_BASE[name], tmp_path, on_in_base=True)


def test_the_speed_up_is_a_dash_where_the_seeds_ranges_overlap(tmp_path):
    res = _results()
    _set(res, 1000, "sgd", 31.0)            # 29.45-32.55 against 28.5-31.5: overlapping
    rows = {r.label: r for r in _section(res, tmp_path).hb_rows}
    assert rows["1000"].speedup == "--"
    _set(res, 1000, "hb", 12.0)
    rows = {r.label: r for r in _section(res, tmp_path).hb_rows}
    assert rows["1000"].speedup == "2.58"


def test_the_tolerance_table_and_its_sentence_come_from_by_tol(tmp_path):
    res = _results()
    _by_tol(res, 1, "sgd", 2, None, 0)
    sec = _section(res, tmp_path)
    first = sec.tol_rows[0]
    assert [str(c) for c in first.sgd][2] == "none (0/5)"
    assert "at $\\varepsilon=10^{-4}$ SGD converged on 0 of 5 seeds within 200 epochs and GD after" in sec.tol_text


def test_the_theorem_is_said_not_to_cover_runs_below_its_condition(tmp_path):
    text = _section(_results(), tmp_path).dec_text
    assert "$\\alpha_0t_0\\mu=0.5, 0.5" in text and "the theorem gives no rate for these runs" in text
    res = _results()
    _row(res, 1)["bcn"]["product"] = 2.0
    assert "The condition holds only at $n'=1$" in _section(res, tmp_path).dec_text


def test_prose_has_no_nested_math_and_no_typed_numbers(tmp_path):
    text = _prose(_results(), tmp_path)
    assert "$$" not in text and "e-0" not in text and "seed(s)" not in text
    assert "0.369768" in text and "0.3697680" not in text  # F* to 6 significant digits


def test_a_degenerate_problem_reads_as_an_outcome(tmp_path):
    res = _results()
    res.update(degenerate="w0-optimal", table=[], runs=[], figures=[])
    assert "nothing to optimise" in _prose(res, tmp_path)


def test_the_typed_facts_read_the_cells_at_each_tolerance():
    r = read(_results())
    row = r.row(1)
    assert row.sgd.main.tol == 1e-3 and row.sgd.at(1e-4).median == 60.0 and row.best_hbeff.beta == 0.5
    assert r.gd.is_gd and r.gd_limit == pytest.approx(2 / 0.115) and r.lessard.period == 3
    res = copy.deepcopy(_results())
    _by_tol(res, 1, "sgd", 1, None, 0)
    assert not read(res).row(1).sgd.main.all_converged

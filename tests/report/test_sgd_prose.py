"""Problem 1 prose: every finding is a predicate of report.sections.sgd_claims over results.json;
the sentence appears only when its predicate holds, and flips with it."""
import copy

import pytest

from report.experiments import Outcome
from report.pipeline import Figure, environment
from report.sections import sgd_claims as claims
from report.sections.sgd import sgd_section
from report.tex import Tex

N = 10_000
BATCHES = (1, 100, 1000, 5000)


def _cell(med, conv=5, alpha=0.1, beta=0.0, t0=0.0, dipped=0, floor=1e-4):
    return {"alpha": alpha, "beta": beta, "t0_epochs": t0, "epochs_median": med,
            "epochs_min": med and med * 0.9, "epochs_max": med and med * 1.1, "steps_median": med and med * 100,
            "first_hit_median": med, "converged": conv, "dipped": dipped, "seeds": 5, "floor": floor,
            "status": "converged" if conv == 5 else "partial" if conv else "floor-above-tol"}


def _results():
    """A constructed results.json (schema /3): every predicate holds somewhere or nowhere as noted."""
    table, runs = [], []
    for b in BATCHES + (N,):
        gd = b == N
        sgd, hb, dec = _cell(30.0), _cell(28.5, beta=0.9), _cell(28.0, t0=4.0)
        eff = [_cell(30.0, beta=be) for be in (0.5, 0.7, 0.9)]
        row = {"batch": b, "is_gd": gd, "sgd": sgd, "hb": hb, "dec": dec, "hbeff": eff, "hbeff_best_beta": 0.5,
               "polyak": _cell(18.0, beta=0.57) if gd else None, "speedup": 30 / 28.5, "speedup_dec": 30 / 28,
               "speedup_hbeff": 1.0}
        table.append(row)
        key = "gd" if gd else b
        for m in ("sgd", "hb", "dec") + (("polyak",) if gd else ()):
            rate = {"predicted": 0.9, "fitted": 0.9} if gd else None
            runs.append({"key": f"{m}-{key}", "method": m, "batch": b, "reason": None, "converged": 5, "rate": rate})
    return {"schema": "hw6.sgd.results/3", "degenerate": None,
            "settings": {"objective": "logistic", "data": "synthetic", "n": N, "d": 20, "cond": 100.0, "l2": 1e-3,
                         "tol": 1e-3, "seeds": 5, "seed": 0, "quick": False, "sampling": "shuffle-each-epoch",
                         "checks_per_epoch": 10, "max_epochs": 200, "alpha_grid": [0.25, 0.5, 1, 2],
                         "beta_grid": [0.5, 0.7, 0.9], "tune_seeds": [1, 3, 5],
                         "tuning": {"t0_epochs": [1.0, 4.0, 16.0], "window_epochs": 2.0, "window_fraction": 0.2,
                                    "hb_offsets_half_octaves": [4, -4]}},
            "problem": {"f_star": 0.36976800998756923, "L": 0.25, "mu": 1e-3, "kappa": 250.0, "kappa_local": 52.0,
                        "L_local": 0.115, "mu_local": 0.0022, "polyak_alpha": 26.8, "polyak_beta": 0.57},
            "table": table, "runs": runs,
            "noise": {"fit": {"sgd": {"ok": True, "E_min": 30.0, "B_noise": 9000.0, "B_noise_range": [6000.0, 1e5],
                                      "verdict": "ok"}},
                      "b_simple": [{"gap": 1.0, "b_simple": 14.5, "b_crit": 14.5},
                                   {"gap": 1e-3, "b_simple": 13355.0, "b_crit": 5719.0}], "b_crit_at_tol": 5719.0},
            "figures": ["sgd_curves", "sgd_vs_batch"]}


def _prose(res, tmp_path) -> str:
    figs = [Figure("sgd", s, Tex(f"figures/sgd-{s}.pdf")) for s in res["figures"]]
    sec = sgd_section(Outcome("sgd", "ok", "cmd", tmp_path, data=res), figs)
    env = environment()
    text = "".join(env.get_template(t).render(sgd=sec, result=lambda i, shown=False: Tex("x"))
                   for t in ("sgd_a.tex", "sgd_b.tex"))
    return " ".join(text.split())


def _set(res, b, method, **kw):
    row = next(r for r in res["table"] if r["batch"] == b)
    row[method].update(kw)


def _floor(res, b=100):
    _set(res, b, "sgd", epochs_median=None, converged=0, dipped=3, status="floor-above-tol")
    next(r for r in res["runs"] if r["key"] == f"sgd-{b}").update(reason="floor-above-tol", converged=0)


def _momentum(res, b=1000):
    row = next(r for r in res["table"] if r["batch"] == b)
    row["hbeff"][2].update(epochs_median=20.0)


def _run(res, key):
    return next(r for r in res["runs"] if r["key"] == key)


def _dec_at_edge(res):
    res["settings"]["tuning"]["dec_offsets_half_octaves"] = [6, -2]
    _set(res, 1, "dec", alpha=0.8)


def _rec(alpha, outcome="plateau", gap=0.5, epochs=None):
    """One tuning record of results.json (runs[].tuning)."""
    return {"alpha": alpha, "beta": 0.0, "t0": 0.0, "epochs": epochs, "outcome": outcome, "lowest_gap": gap}


def _sgd_rejects_hb_step(res, gap=0.5):
    _run(res, "sgd-1000")["tuning"] = [_rec(1.0, gap=gap), _rec(0.1, "converged", 5e-4, 30.0)]  # hb: 0.1/(1-0.9)


def _sgd_rejects_dec_step(res):
    _set(res, 100, "dec", alpha=0.5)
    _run(res, "sgd-100")["tuning"] = [_rec(0.5), _rec(0.1, "converged", 5e-4, 30.0)]


def _stall(res, b=1000, gap=1.3e-3):
    """A constant step twice SGD's tuned one (0.1) stalled with its lowest gap at ``gap``."""
    _run(res, f"sgd-{b}")["tuning"] = [_rec(0.2, gap=gap), _rec(0.1, "converged", 5e-4, 30.0)]


def _gd_unstable(res, gap=0.08):
    """GD's tuned step 0.1 is below 2/L_local = 17.4 here; make it 10 and the rejected 20 unstable."""
    _set(res, N, "sgd", alpha=10.0)
    _run(res, "sgd-gd")["tuning"] = [_rec(20.0, gap=gap), _rec(10.0, "converged", 5e-4, 30.0)]


def _hb_edge(res, b=5000):
    _set(res, b, "hb", alpha=0.1 * (1 - 0.9) * 2.0 ** 2)  # alpha_sgd (1 - beta) 2^(4/2)


def _overshoot(res):
    _run(res, "dec-100")["curve"] = {"epoch": [0, 1, 2, 3], "median": [1.0, 0.5, 0.9, 5e-4]}


FLIPS = {
    "floor_above_tol": (lambda r: _floor(r), "the constant step leaves a floor above the tolerance"),
    "decreasing_beats_floor": (lambda r: _floor(r), "The decreasing step gets past that floor"),
    "decreasing_faster": (lambda r: _set(r, 1, "dec", epochs_median=15.0), "(at most 0.9~times at $n'=1$)"),
    "momentum_beyond_step": (_momentum, "At SGD's own step, heavy ball (best $\\beta$) needed"),
    "gain_is_step": (lambda r: _set(r, 1000, "hb", epochs_median=12.0),
                     "so the tuned heavy ball's gain there came with its larger effective step"),
    "epochs_grow_past_bnoise": (lambda r: [_set(r, b, "sgd", epochs_median=100.0) for b in (5000, N)]
                                and r["noise"]["fit"]["sgd"].update(B_noise=900.0),
                                "The epochs do grow past"),
    "tuned_beats_polyak": (lambda r: _set(r, N, "hb", epochs_median=13.0), "The tuned parameters beat Polyak's"),
    "bsimple_grows": (None, "The noise scale grows as the optimum nears"),
    "hb_same_speed": (None, "the two are close"),
    "epochs_rise": (lambda r: _set(r, 5000, "sgd", epochs_median=50.0), "The epochs rise at the largest minibatch"),
    "bnoise_beyond_range": (None, "lies above the largest minibatch"),
    "bnoise_near_bsimple": (lambda r: r["noise"].update(b_simple_at_tol=15000.0),
                            "the two estimates of the critical batch size are close"),
    "bnoise_beyond_n": (lambda r: r["noise"]["fit"]["sgd"].update(B_noise=1.05 * N)
                        or r["noise"].update(b_simple_at_tol=15000.0),
                        "an extrapolation beyond the data set"),
    "dec_faster_gd": (lambda r: _set(r, N, "dec", epochs_median=20.0), "The decreasing step is faster for GD too"),
    "dec_starts_above_limit": (lambda r: _set(r, N, "dec", alpha=30.0), "the decreasing step can start there"),
    "dec_at_edge": (_dec_at_edge, "the tuned $\\alpha_0$ is the largest one tried"),
    "overshoots": (_overshoot, "The decreasing step's median learning curve at $n'=100$ climbs"),
    "hb_faster": (lambda r: _set(r, 1000, "hb", epochs_median=12.0), "The tuned heavy ball needed 0.40 times"),
    "hb_not_faster": (lambda r: _set(r, 1, "hb", epochs_median=31.0), "At $n'=1$ it was not faster than SGD"),
    "sgd_rejected_hb_step": (_sgd_rejects_hb_step, "That larger effective step is itself what momentum buys"),
    "hb_step_above_gd_limit": (lambda r: _set(r, N, "hb", alpha=3.0), "For GD the tuned heavy ball's"),
    "momentum_hurts": (lambda r: r["table"][-1]["hbeff"][2].update(epochs_median=61.0), "Momentum can also hurt"),
    "sgd_rejected_dec_step": (_sgd_rejects_dec_step, "SGD's own tuning tried that $\\alpha_0$"),
    "larger_step_stalled": (_stall, "at $n'=1000$, $\\alpha=0.200$ (1.30~times it)"),
    "gd_stability_limited": (_gd_unstable, "For GD the limit is stability instead"),
    "hb_at_edge": (_hb_edge, "the tuned heavy ball's $\\alpha$ is the largest one tried"),
    "growth_unresolved": (lambda r: r["noise"]["fit"].update(dec={"ok": True, "E_min": 28.0, "B_noise": 6e4,
                                                                   "B_noise_range": [2.5e4, 1.4e6], "fits": 885,
                                                                   "replicates": 1000}),
                          "so it is no measurement of a critical batch size"),
}


@pytest.mark.parametrize("name", list(FLIPS))
def test_each_claim_is_printed_exactly_when_its_predicate_holds(name, tmp_path):
    flip, sentence = FLIPS[name]
    base = _results()
    if name == "bsimple_grows":  # holds in the base; flip it off
        off = copy.deepcopy(base)
        off["noise"]["b_simple"].reverse()
        on = base
    elif name == "hb_same_speed":  # holds at every n' in the base; flip it off by a faster heavy ball
        off = copy.deepcopy(base)
        for b in BATCHES:
            _set(off, b, "hb", epochs_median=20.0)
        on = base
    elif name == "bnoise_beyond_range":  # B_noise = 9000 > 5000 in the base
        off = copy.deepcopy(base)
        off["noise"]["fit"]["sgd"].update(B_noise=900.0)
        on = base
    else:
        off, on = base, copy.deepcopy(base)
        flip(on)

    def holds(res):
        c = claims.all_claims(res)[name]
        return bool(c)
    assert not holds(off) and holds(on), name
    assert sentence not in _prose(off, tmp_path) and sentence in _prose(on, tmp_path), name


def test_the_supported_sentence_replaces_a_claim_that_does_not_hold(tmp_path):
    base = _results()
    assert "no seed of the tuned constant step showed a floor" not in _prose(base, tmp_path)
    assert "At no minibatch size did the tuned heavy ball" in _prose(base, tmp_path)
    off = copy.deepcopy(base)
    off["noise"]["fit"]["sgd"] = {"ok": False, "verdict": "no-growth"}
    assert "No fit of $E(B)$" in _prose(off, tmp_path)


def test_rate_predicate_and_equal_numbers_read_as_prose(tmp_path):
    res = _results()
    text = _prose(res, tmp_path)
    assert "the two needed the same number of epochs" in text  # GD 30 = SGD at n'=1, 30
    assert "(they agree)" in text and claims.rate_matches(res, "sgd-gd")
    next(r for r in res["runs"] if r["key"] == "sgd-gd")["rate"]["fitted"] = 0.5
    assert not claims.rate_matches(res, "sgd-gd") and "(they do not agree)" in _prose(res, tmp_path)


def test_prose_has_no_typewriter_numbers_or_plural_hedges(tmp_path):
    text = _prose(_results(), tmp_path)
    assert "seed(s)" not in text and "times fewer" not in text and "e-0" not in text
    assert "0.369768" in text and "0.3697680" not in text  # F* to 6 significant digits


def test_a_degenerate_problem_reads_as_an_outcome(tmp_path):
    res = _results()
    res.update(degenerate="w0-optimal", table=[], runs=[], figures=[])
    assert "nothing to optimise" in _prose(res, tmp_path)


def test_the_gd_argument_about_floors_follows_the_floor_predicate(tmp_path):
    """"not that it gets below a floor" only where no minibatch size showed a floor."""
    res = _results()
    _set(res, N, "dec", epochs_median=20.0)
    assert "its advantage here is not that it gets below a floor" in _prose(res, tmp_path)
    _floor(res)
    text = _prose(res, tmp_path)
    assert "not that it gets below a floor" not in text and "part of its advantage" in text


def test_a_constant_step_is_floor_limited_where_a_larger_step_stalled_just_above_the_tolerance(tmp_path):
    """N1: the larger constant step's recorded outcome chooses the sentence, per n'."""
    res = _results()
    _run(res, "sgd-5000")["tuning"] = [_rec(0.4, gap=0.07), _rec(0.2, gap=4e-4), _rec(0.1, "converged", 5e-4, 30.0)]
    _stall(res, 1000)
    text = _prose(res, tmp_path)
    assert "What limits the constant step at these minibatch sizes is a floor just above the tolerance" in text
    assert "At $n'=5000$ no larger constant step stalled just above the tolerance: $\\alpha=0.400$ made no progress" in text
    assert "$\\alpha=0.200$ reached the tolerance but did not stay below it" in text
    assert claims.all_claims(res)["larger_step_stalled"] == [1000]
    _stall(res, 1000, gap=4e-3)  # 4 tol: beyond STALL, no floor just above the tolerance
    assert not claims.larger_step_stalled(res, 1000)
    assert "What limits the constant step" not in _prose(res, tmp_path)


def test_the_gd_argument_about_floors_follows_the_stall_predicate(tmp_path):
    res = _results()
    _set(res, N, "dec", epochs_median=20.0)
    assert "its advantage here is not that it gets below a floor" in _prose(res, tmp_path)
    _stall(res, 1000)
    text = _prose(res, tmp_path)
    assert "not that it gets below a floor" not in text and "part of its advantage" in text


def test_momentum_makes_a_step_stable_only_where_the_constant_step_made_no_progress(tmp_path):
    """N2: the rejected effective step's outcome as a constant step is printed, and "stable" only
    where SGD made no progress with it."""
    res = _results()
    _sgd_rejects_hb_step(res, gap=1.3e-3)
    text = _prose(res, tmp_path)
    assert "$\\alpha=1.00$ at $n'=1000$ stalled at a floor just above the tolerance (lowest gap" in text
    assert "momentum makes stable" not in text and "momentum did not make it stable there" in text
    _sgd_rejects_hb_step(res, gap=0.2)
    text = _prose(res, tmp_path)
    assert "made no progress to the tolerance (lowest gap of the worst tuning seed 200~times" in text
    assert "At $n'=1000$ momentum makes stable an effective step" in text


def test_step_outcome_reads_the_tuning_record():
    res = _results()
    _run(res, "sgd-1000")["tuning"] = [_rec(1.0, "converged", 5e-4, 40.0), _rec(0.8, "converged", 5e-4),
                                       _rec(0.6, gap=2e-3), _rec(0.4, gap=5e-4), _rec(0.3, gap=0.01),
                                       _rec(0.2, "pruned", 2e-3)]
    got = [claims.step_outcome(res, 1000, a) for a in (1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 5.0)]
    assert got == ["converged", "partly", "floor", "reached", "no-progress", "pruned", None]


def test_checks_per_epoch_state_the_rule_for_short_epochs(tmp_path):
    """N21: at n' = 5000 an epoch has 2 steps, so F is checked at every step, not 10 times."""
    res = _results()
    res["settings"]["batch_sizes"] = list(BATCHES)
    text = _prose(res, tmp_path)
    assert "at every step at $n'=5000$ and $n$, where an epoch has fewer than 10 steps" in text
    res["settings"]["checks_per_epoch"] = 1
    assert "at every step at" not in _prose(res, tmp_path)


def test_noise_scales_have_two_significant_digits(tmp_path):
    """Fitted scales to 2 digits, a bootstrap range in one notation; b* to 3 and B_simple to 4, so that
    b* = n B_simple / (n - 1 + B_simple) can be recomputed from the printed value."""
    text = _prose(_results(), tmp_path)
    assert "$B_{\\mathrm{noise}}=9000$ (bootstrap over the seeds: $6.0\\times 10^{3}$ to $1.0\\times 10^{5}$)" in text
    assert "$B_{\\mathrm{simple}}=1.336\\times 10^{4}$, $b^\\star=5720$" in text


def test_local_constants_are_named_local(tmp_path):
    text = _prose(_results(), tmp_path)
    assert "$L_{\\mathrm{local}}=0.115$ and $\\mu_{\\mathrm{local}}=0.0022$ ($\\kappa_{\\mathrm{local}}=52$" in text


def test_an_sgd_fit_beyond_n_without_a_rise_resolves_no_growth(tmp_path):
    """N7 for constant-step SGD: B_noise > n and epochs within GROWTH of each other."""
    res = _results()
    assert "sgd" not in claims.all_claims(res)["growth_unresolved"]
    assert "so the data resolve no growth of the epochs" not in _prose(res, tmp_path)
    res["noise"]["fit"]["sgd"].update(B_noise=2e4)
    assert "sgd" in claims.all_claims(res)["growth_unresolved"]
    assert "so the data resolve no growth of the epochs" in _prose(res, tmp_path)
    _set(res, 5000, "sgd", epochs_median=50.0)  # a rise of 50/30 >= GROWTH: growth is resolved
    assert "sgd" not in claims.all_claims(res)["growth_unresolved"]

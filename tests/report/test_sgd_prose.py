"""Problem 1 prose: the sentences follow the facts in results.json (numeric writes no sentence)."""
from report.experiments import Outcome
from report.sections.sgd import sgd_section


def _sgd_results():
    def cell(med, conv=5, alpha=0.1, beta=0.0):
        return {"alpha": alpha, "beta": beta, "epochs_median": med, "epochs_min": med and med * 0.8,
                "epochs_max": med and med * 1.2, "steps_median": med and med * 100, "converged": conv,
                "seeds": 5, "status": "converged" if conv == 5 else "partial"}
    table = [{"batch": b, "is_gd": False, "sgd": cell(e, conv), "hb": cell(h, beta=0.5),
              "speedup": e / h} for b, e, h, conv in [(1, 10.0, 10.0, 4), (100, 10.0, 5.0, 5)]]
    table.append({"batch": 1000, "is_gd": True, "sgd": cell(100.0), "hb": cell(20.0, beta=0.8), "speedup": 5.0})
    return {"settings": {"data": "Data_set.csv", "n": 1000, "d": 3, "l2": 1e-3, "tol": 1e-3, "seeds": 5, "seed": 0,
                         "alpha_grid": [0.25, 0.5, 1, 2], "beta_grid": [0.5, 0.9], "tune_seeds": [9],
                         "sampling": "shuffle-each-epoch"},
            "problem": {"f_star": 0.3, "L": 1.0, "mu": 0.01, "kappa": 100.0, "kappa_local": 100.0,
                        "polyak_beta": 0.67},
            "runs": [{"key": "sgd-1", "reason": "noise-floor"}], "table": table,
            "noise": {"fit": {"sgd": {"ok": True, "E_min": 9.0, "B_noise": 300.0}}, "b_simple_at_tol": 250.0},
            "figures": []}


def test_problem_1_prose_follows_the_numbers(tmp_path):
    sec = sgd_section(Outcome("sgd", "ok", "cmd", tmp_path, data=_sgd_results()), [])
    f = sec["f"]
    assert f["sgd1"] == 10.0 and f["gd"] == 100.0 and f["ratio_gd_sgd1"] == 10.0
    assert f["grows"] and "noise floor of a constant step" in f["nonconv"] and "4 of 5" in f["nonconv"]
    assert "(4/5)" in sec["rows"][0]["sgd_epochs"]
    assert sec["p"]["data_sentence"] == r"The data are the 1000 rows and 3 features of \texttt{Data\_set.csv}."
    assert abs(f["predicted_speed_gd"] - 10.03) < 0.01  # ln(9/11)/ln(99/101) ~ sqrt(kappa) for kappa = 100
    assert "4 values from 0.25 to 2, a factor 2 apart" == sec["p"]["alpha_grid"]
    assert sec["p"]["sampling"] == "without replacement, with a fresh shuffle every epoch"

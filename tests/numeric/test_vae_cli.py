"""``python -m numeric vae``: results, reproducibility, speed, bad input, the data fallback, and
the derivations it relies on."""
import json

import pytest
import sympy as sp

from support import run_main, run_module

SCHEMA_KEYS = {"schema", "settings", "gradient_check", "curve", "final", "variance", "diverged", "figures"}
STEMS = ["vae_learning_curve", "vae_gradient_variance"]


@pytest.fixture(scope="module")
def quick_run(quick_runs):
    return quick_runs["vae"]  # tests/numeric/conftest.py: one quick run per session


def test_quick_run_writes_results_and_figures(quick_run):
    r, out = quick_run
    assert r.returncode == 0, r.stderr
    assert "in " in r.stdout.splitlines()[-1] and r.stdout.splitlines()[-1].endswith(" s")
    res = json.loads((out / "vae" / "results.json").read_text())
    assert set(res) == SCHEMA_KEYS and res["schema"] == "hw6.vae.results/3"
    assert res["figures"] == STEMS
    for stem in STEMS:
        assert (out / "vae" / f"{stem}.pdf").stat().st_size > 0
        assert (out / "vae" / f"{stem}.png").stat().st_size > 0
    assert res["gradient_check"]["rel_err"] < 1e-6
    curve = res["curve"]
    assert len(curve["epoch"]) == res["settings"]["epochs"] + 1
    assert curve["test_elbo"][-1] > curve["test_elbo"][0] + 2  # it learns
    fit = res["variance"]["at"]["trained"]["fit"]["total"]
    assert fit["slope"] == pytest.approx(-1.0, abs=0.15)
    assert "seconds" not in json.dumps(res) and "elapsed" not in json.dumps(res)


def test_same_seed_byte_identical_other_seed_differs(quick_run, tmp_path):
    _, out = quick_run
    from numeric.__main__ import main  # in this process: the quick run was made in another one
    r = run_main(main, "vae", "--quick", "--quiet", "--out", str(tmp_path / "a"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "a" / "vae" / "results.json").read_bytes() == (out / "vae" / "results.json").read_bytes()
    r = run_main(main, "vae", "--quick", "--quiet", "--seed", "1", "--out", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "b" / "vae" / "results.json").read_bytes() != (out / "vae" / "results.json").read_bytes()


@pytest.mark.parametrize("args", [
    ["--batch", "0"], ["--batch", "100000"], ["--seed", "-1"], ["--epochs", "x"], ["--data", "mnist"],
    ["--lr", "-1"], ["--lr", "nan"], ["--n-eps", "0"], ["--var-repeats", "1"], ["--out", "/proc/forbidden"],
    ["--frobnicate"],
])
def test_bad_input_exit_2_one_line(args):
    from numeric.__main__ import main  # in this process: refused before anything runs
    r = run_main(main, "vae", "--quick", "--quiet", *args)
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr


def test_help():
    r = run_module("numeric", "vae", "--help")
    assert r.returncode == 0 and "--n-eps" in r.stdout and "--quick" in r.stdout


def _without_sklearn(tmp_path):
    """An environment where ``import sklearn`` fails."""
    import os
    from support import ROOT
    fake = tmp_path / "nosk" / "sklearn"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('scikit-learn hidden for this test')\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path / "nosk"), str(ROOT)])
    return env


def test_without_sklearn_digits_is_a_clear_error_and_auto_falls_back(tmp_path):
    env = _without_sklearn(tmp_path)
    r = run_module("numeric", "vae", "--quick", "--quiet", "--data", "digits", "--out", str(tmp_path), env=env)
    assert r.returncode == 2 and "scikit-learn" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run_module("numeric", "vae", "--quick", "--quiet", "--epochs", "2", "--var-repeats", "5",
                   "--out", str(tmp_path), env=env)
    assert r.returncode == 0, r.stderr
    res = json.loads((tmp_path / "vae" / "results.json").read_text())
    assert res["settings"]["data"]["name"] == "shapes"


def test_generated_shapes_data():
    from numeric.vae import data as vae_data
    d = vae_data.load("shapes")
    assert d.train.shape[1] == 64 and len(d.train) + len(d.test) == 1800
    assert set(d.train.ravel().tolist()) == {0.0, 1.0}
    assert (vae_data.load("shapes").train == d.train).all()


def test_layer_derivations_are_in_the_elbo_topic_and_verified():
    from derive import load
    from derive.engine.render import srepr
    ds = {d.id: d for d in load(["elbo"])}
    for i in ("elbo.vjp_chain", "elbo.dense_vjp", "elbo.tanh_vjp", "elbo.mlp_vjp"):
        assert ds[i].steps and all(s.verified == "symbolic" for s in ds[i].steps)
        assert sp.parse_expr(srepr(ds[i].result)) == ds[i].result


def test_layer_check_rejects_wrong_rules():
    from derive.elbo import layers as L
    from derive.engine.chain import VerificationError
    from derive.ops import Grad, Tanh
    vty = L.mat_mul(L.V_P.T, sp.MatAdd(L.mat_mul(L.W_D, L.H_Q), L.B_P))
    check = L.layer_check(L.SIZES["dense"])
    assert check(Grad(vty, L.W_D), L.V_P * L.H_Q.T).level == "instances"
    with pytest.raises(VerificationError):
        check(Grad(vty, L.H_Q), L.W_D.T * L.V_P * 2)
    tcheck = L.layer_check(L.SIZES["tanh"])
    with pytest.raises(VerificationError):  # forgot the tanh derivative
        tcheck(Grad(L.mat_mul(L.V_P.T, Tanh(L.U_P)), L.U_P), L.V_P)
    ccheck = L.layer_check(L.SIZES["chain"], L.chain_env)
    grad = Grad(L.mat_mul(L.V_P.T, L.Y_W), L.W_VEC)
    assert ccheck(grad, L.mat_mul(L.G_HW.T, L.G_YH.T, L.V_P)).level == "instances"
    with pytest.raises(VerificationError):  # a factor of the chain rule dropped
        ccheck(grad, L.mat_mul(L.G_HW.T, L.G_HW, L.G_HW.T, L.G_YH.T, L.V_P))


@pytest.mark.slow
def test_default_run_trains_and_variance_falls_as_one_over_n_eps(tmp_path):
    # its run time is measured by `python -m bench budgets`, not asserted here
    r = run_module("numeric", "vae", "--quiet", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    res = json.loads((tmp_path / "vae" / "results.json").read_text())
    assert res["final"]["test_elbo"] > -20
    for at in res["variance"]["at"].values():
        assert at["fit"]["total"]["slope"] == pytest.approx(-1.0, abs=0.05)


def test_a_diverging_run_is_marked_and_goes_on(tmp_path):
    """Issue 13: ``--lr 100`` diverges; that is an outcome, not a crash."""
    r = run_module("numeric", "vae", "--quick", "--quiet", "--lr", "100", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    res = json.loads((tmp_path / "vae" / "results.json").read_text())
    d = res["diverged"]
    assert d["epoch"] >= 1 and d["step"] >= 1
    assert res["curve"]["epoch"][-1] == d["epoch"] - 1  # the curve ends at the last finite epoch
    assert all(v is not None for v in res["curve"]["test_elbo"])
    assert res["figures"] == STEMS
    warnings = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(warnings) == 1 and warnings[0].startswith("warning: training diverged"), r.stderr


def test_a_normal_run_is_not_marked_diverged(quick_run):
    _, out = quick_run
    assert json.loads((out / "vae" / "results.json").read_text())["diverged"] is None


def test_an_empty_out_is_refused():
    from numeric.__main__ import main
    r = run_main(main, "vae", "--quick", "--quiet", "--out", "")
    assert r.returncode == 2 and r.stderr.strip() == "error: --out is empty: name an output folder", r.stderr


@pytest.mark.parametrize("args", [["--hidden", "100000000"], ["--latent", "100000000"],
                                  ["--n-eps", "1000000000"]])
def test_a_run_too_large_for_the_memory_is_one_line_before_anything_runs(tmp_path, args):
    """21.12: these were numpy's ``_ArrayMemoryError`` (--latent 100000000 asked for 19.4 GiB)."""
    import resource
    cap = lambda: resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # a regression fails fast
    r = run_module("numeric", "vae", "--quick", "--quiet", *args, "--out", str(tmp_path), preexec_fn=cap)
    assert r.returncode == 2 and r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r.stderr
    assert f"{args[0]} {args[1]}" in r.stderr and "of memory, above the limit" in r.stderr
    assert not list(tmp_path.iterdir())


def test_the_memory_estimate_admits_the_defaults_and_counts_what_grows():
    from argparse import Namespace
    from numeric.memory import memory_limit
    from numeric.vae.experiment import MAX_IMAGES, memory_needed, settings_from_args
    base = dict(seed=0, epochs=None, batch=64, n_eps=1, hidden=64, latent=4, lr=2e-3, var_repeats=None, quick=False)
    st, _ = settings_from_args(Namespace(**base))
    assert memory_needed(st, MAX_IMAGES) < memory_limit()
    for key, factor in (("hidden", 10), ("latent", 10), ("n_eps", 1000)):  # n_eps x batch beyond the evaluation's rows
        bigger, _ = settings_from_args(Namespace(**{**base, key: base[key] * factor}))
        assert memory_needed(bigger, MAX_IMAGES) > memory_needed(st, MAX_IMAGES)

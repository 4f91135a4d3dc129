"""``python -m numeric gan``: output, reproducibility, bad input, a diverging run."""
import json

import pytest

from support import run_main, run_module
from common.cli import Parser, UserError
from numeric.gan import experiment as ge
from numeric.gan.scenarios import Settings
from numeric.gan.verdicts import VERDICTS


@pytest.fixture(scope="module")
def quick_run(quick_runs):
    proc, out = quick_runs["gan"]  # tests/numeric/conftest.py: one quick run per session
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_quick_run_writes_results_and_figures(quick_run):
    out, proc = quick_run
    res = json.loads((out / "gan" / "results.json").read_text())
    assert res["schema"] == "hw6.gan.results/5"
    assert set(res["scenarios"]) == {"a", "b", "c"}
    for sc, r in res["scenarios"].items():
        assert r["verdict"] in VERDICTS[sc]
        assert set(r["cases"]) == {"gaussian", "mixture"}
        for stem in r["figures"]:
            assert stem in res["figures"]
        for c in r["cases"].values():
            groups = [c] if sc == "a" else [c["gen1"]["trained"], c["gen1"]["shifted"]]
            assert all(isinstance(v, bool) for g in groups for v in g["conditions"].values())
    for stem in res["figures"]:
        for ext in ("pdf", "png"):
            assert (out / "gan" / f"{stem}.{ext}").stat().st_size > 1000
    runs = res["scenarios"]["c"]["cases"]["mixture"]["gen1"]["shifted"]["runs"]
    assert set(runs) == {"shared_noise_gan", "gan_on_gen1", "regression"}
    assert len(runs["regression"]["final_to_p1"]) == res["settings"]["seeds"] == 2
    assert "s" in proc.stdout.splitlines()[-1]            # elapsed time printed, not stored
    assert "elapsed" not in json.dumps(res) and "time" not in res["settings"]


def test_bands_are_the_range_over_the_seeds(quick_run):
    """E7: the shaded bands are min-max over the seeds (not 10-90 % quantiles of 5 values), and
    the counts of seeds closer to q than Gen_1 are the per-seed comparison."""
    out, _ = quick_run
    res = json.loads((out / "gan" / "results.json").read_text())
    for c in res["scenarios"]["b"]["cases"].values():
        for g in c["gen1"].values():
            run = g["runs"]["gan_on_gen1"]
            assert run["to_q"]["lo"][-1] == pytest.approx(min(run["final_to_q"]), rel=1e-5)
            assert run["to_q"]["hi"][-1] == pytest.approx(max(run["final_to_q"]), rel=1e-5)
            closer = sum(v < g["dist_p1_q"] for v in run["final_to_q"])
            assert g["numbers"]["seeds_closer_to_q"]["gan_on_gen1"] == closer


def test_results_hold_facts_not_sentences(quick_run):
    """numeric/ writes facts only: no string value longer than an identifier (issue 9)."""
    out, _ = quick_run
    res = json.loads((out / "gan" / "results.json").read_text())

    def strings(x):
        if isinstance(x, dict):
            for v in x.values():
                yield from strings(v)
        elif isinstance(x, list):
            for v in x:
                yield from strings(v)
        elif isinstance(x, str):
            yield x
    long = [s for s in strings(res) if " " in s]
    assert not long, long[:5]


def test_same_seed_gives_byte_identical_results_whatever_the_jobs(quick_run, tmp_path):
    out, _ = quick_run  # made with --jobs of every core: its tasks ran in joblib's worker processes
    from numeric.__main__ import main
    proc = run_main(main, "gan", "--quick", "--quiet", "--jobs", "1", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "gan" / "results.json").read_bytes() == (out / "gan" / "results.json").read_bytes()


def _parse(argv):
    p = Parser(prog="gan")
    ge.add_arguments(p)
    return p.parse_args(argv)


@pytest.mark.parametrize("argv", [["--steps", "0"], ["--steps", "-5"], ["--seeds", "0"], ["--seeds", "two"],
                                  ["--seed", "-1"], ["--steps", "1.5"]])
def test_bad_numbers_are_one_line_errors(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        _parse(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:")


def test_unknown_scenario_is_a_user_error():
    with pytest.raises(UserError, match="unknown scenario 'd'"):
        ge.settings_from_args(_parse(["--scenario", "d"]))


def test_unknown_scenario_through_the_command_line(tmp_path):
    proc = run_module("numeric", "gan", "--scenario", "d", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error:") and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr
    proc = run_module("numeric", "gan", "--steps", "0", "--out", str(tmp_path))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_a_diverging_seed_is_marked_and_the_others_go_on(tmp_path):
    st = Settings(seeds=3, steps=60, pre_steps=60, polish_steps=10, record_every=10,
                  fault=("gaussian", "warm", 20, 1))
    res = ge.run_experiment(st, ("a",), tmp_path)
    warm = res["scenarios"]["a"]["cases"]["gaussian"]["runs"]["warm"]
    assert warm["diverged"] == [{"seed": 1, "step": 20}]
    assert warm["final_to_q"][1] is None
    assert warm["final_to_q"][0] is not None and warm["final_to_q"][2] is not None
    assert res["scenarios"]["a"]["cases"]["gaussian"]["runs"]["fresh"]["diverged"] == []
    assert (tmp_path / "results.json").exists()


@pytest.mark.slow
def test_default_run_gives_enumerated_verdicts(tmp_path):
    # its run time is measured by `python -m bench budgets`, not asserted here; the verdicts
    # themselves are whatever the run measured (their rules are tested in test_gan_verdicts)
    proc = run_module("numeric", "gan", "--quiet", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    res = json.loads((tmp_path / "gan" / "results.json").read_text())
    assert all(r["verdict"] in VERDICTS[sc] for sc, r in res["scenarios"].items())


def test_too_many_seeds_for_the_memory_is_one_line_before_anything_runs(tmp_path):
    """21.12: ``--seeds 100000000000`` was numpy's ``_ArrayMemoryError`` (a traceback)."""
    import resource
    cap = lambda: resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # a regression fails fast
    proc = run_module("numeric", "gan", "--seeds", "100000000000", "--out", str(tmp_path), preexec_fn=cap)
    assert proc.returncode == 2 and proc.stderr.startswith("error: --seeds 100000000000 needs about "), proc.stderr
    assert proc.stderr.count("\n") == 1 and "memory" in proc.stderr and not list(tmp_path.iterdir())


def test_the_memory_estimate_grows_with_the_seeds_and_admits_the_defaults():
    from numeric.memory import memory_limit
    assert ge.memory_needed(5) < ge.memory_needed(50) < memory_limit()
    assert ge.memory_needed(10 ** 11) > 2 ** 50

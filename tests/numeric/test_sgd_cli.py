"""``python -m numeric sgd``: results, reproducibility, bad input (one line, exit 2, nothing written)."""
import json

import pytest

from common.cli import run
from numeric.__main__ import main
from support import once, run_module

SMALL = ["--quick", "--quiet", "--n", "400", "--d", "4", "--seeds", "2", "--max-epochs", "15",
         "--batch-sizes", "1", "10", "100", "--jobs", "1"]


def _cli(argv, capsys):
    try:
        rc = run(main, ["sgd", *argv])
    except SystemExit as exc:  # argparse errors exit 2 from the parser itself
        rc = exc.code
    out, err = capsys.readouterr()
    return rc, out, err


def _small_run(out):
    assert run(main, ["sgd", *SMALL, "--out", str(out)]) == 0


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """The SMALL run, made once per test run whichever pytest-xdist worker asks first."""
    return once(tmp_path_factory, "sgd-cli-small", _small_run)


def test_results_follow_the_schema(quick_run):
    res = json.loads((quick_run / "sgd" / "results.json").read_text())
    assert res["schema"] == "hw6.sgd.results/6" and res["degenerate"] is None
    assert {"f_star", "L", "mu", "kappa", "polyak_alpha", "polyak_beta", "w_star", "hess_eigenvalues"} <= set(res["problem"])
    assert res["settings"]["batch_sizes"] == [1, 10, 100] and res["settings"]["n"] == 400
    keys = [r["key"] for r in res["runs"]]
    assert keys[:3] == ["sgd-1", "hb-1", "dec-1"] and len(set(keys)) == len(keys)
    assert {"sgd-gd", "hb-gd", "dec-gd", "polyak-gd"} <= set(keys)
    assert {"hbdec-1", "hbdec-gd"} <= set(keys)   # heavy ball with the decreasing step (1.b)
    for r in res["runs"]:
        assert len(r["epochs"]) == 2 and len(r["first_hit_epochs"]) == 2 and r["alpha"] > 0
        assert len(r["curve"]["epoch"]) == len(r["curve"]["median"])
        assert (r["status"] == "converged") == (r["reason"] is None)
        assert r["reason"] in (None, "all-diverged", "floor-above-tol", "noise-floor", "budget")
        for e, f in zip(r["epochs"], r["first_hit_epochs"]):
            assert e is None or (f is not None and f <= e)  # the first hit comes no later than convergence
        assert (r["rate"] is not None) == (r["is_gd"] and r["method"] not in ("dec", "hbdec"))   # no rate: t0 > 0
        # hbeff and sgdhb are compared at tol only: their runs stop there, their by_tol ends at tol
        ends = 2 if r["method"] in ("hbeff", "sgdhb") else 3
        assert [t["tol"] for t in r["by_tol"]] == res["settings"]["tolerances"][:ends]
    assert [row["is_gd"] for row in res["table"]] == [False, False, False, True]
    assert "fit" not in res["noise"] and "bcn" not in res["table"][0]
    assert all(q["b_crit"] is None or q["b_crit"] < 400 for q in res["noise"]["b_simple"])
    assert set(res["settings"]["eval_seeds"]).isdisjoint(res["settings"]["tune_seeds"])
    for stem in res["figures"]:
        assert (quick_run / "sgd" / f"{stem}.pdf").stat().st_size > 1000
        assert (quick_run / "sgd" / f"{stem}.png").stat().st_size > 1000
    assert "seconds" in json.loads((quick_run / "sgd" / "timing.json").read_text())


def test_heavy_ball_at_sgds_step_is_evaluated_only_at_the_beta_the_tuning_seeds_chose(quick_run):
    """One hbeff run per batch size, at the beta of its tuning record with the fewest worst-case epochs
    (ties: the smaller step), at SGD's effective step alpha_sgd (1 - beta)."""
    res = json.loads((quick_run / "sgd" / "results.json").read_text())
    runs = {(r["method"], r["batch"]): r for r in res["runs"]}
    eff = [r for r in res["runs"] if r["method"] == "hbeff"]
    assert eff and len({r["batch"] for r in eff}) == len(eff)
    for r in eff:
        done = [t for t in r["tuning"] if t["epochs"] is not None]
        best = min(done, key=lambda t: (t["epochs"], t["alpha"]))
        assert r["beta"] == best["beta"] and r["source"] == "effective-step-tuned"
        sgd_alpha = runs[("sgd", r["batch"])]["alpha"]
        assert abs(r["alpha"] / (sgd_alpha * (1 - r["beta"])) - 1) < 1e-5
        row = next(x for x in res["table"] if x["batch"] == r["batch"])
        assert row["hbeff"]["beta"] == r["beta"]


def test_f_star_is_kept_at_full_precision_and_matches_an_independent_solve(quick_run):
    import numpy as np
    import scipy.optimize
    from numeric.sgd.data import synthetic
    res = json.loads((quick_run / "sgd" / "results.json").read_text())
    X, y = synthetic(400, 4, 100.0, "logistic", 0)
    lam = res["settings"]["l2"]
    f = lambda w: float(np.mean(np.logaddexp(0, -y * (X @ w))) + 0.5 * lam * w @ w)
    g = lambda w: X.T @ (-y / (1 + np.exp(y * (X @ w)))) / len(y) + lam * w
    ref = scipy.optimize.minimize(f, np.zeros(4), jac=g, method="BFGS", options={"gtol": 1e-12})
    assert abs(res["problem"]["f_star"] - ref.fun) <= 1e-9 * abs(ref.fun)
    assert res["problem"]["f_star"] != float(f"{res['problem']['f_star']:.6g}")  # not rounded to 6 digits


@pytest.mark.parametrize("backend", ["threading", "loky"])
def test_results_do_not_depend_on_jobs_or_backend(quick_run, tmp_path, backend):
    from joblib import parallel_config
    with parallel_config(backend=backend):
        assert run(main, ["sgd", *SMALL, "--jobs", "2", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "sgd" / "results.json").read_bytes() == (quick_run / "sgd" / "results.json").read_bytes()


def test_same_seed_gives_identical_results(quick_run, tmp_path):
    assert run(main, ["sgd", *SMALL, "--out", str(tmp_path)]) == 0
    assert (tmp_path / "sgd" / "results.json").read_bytes() == (quick_run / "sgd" / "results.json").read_bytes()


def test_csv_input(tmp_path, capsys):
    import numpy as np
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 3))
    y = (X @ [1.0, -2.0, 0.5] + rng.standard_normal(120) > 0).astype(int)
    f = tmp_path / "d.csv"
    f.write_text("a,b,c,label\n" + "\n".join(",".join(f"{v:.6f}" for v in row) + f",{t}" for row, t in zip(X, y)))
    rc, out, err = _cli(["--data", str(f), "--quick", "--quiet", "--seeds", "2", "--max-epochs", "10",
                         "--batch-sizes", "1", "10", "--out", str(tmp_path / "o")], capsys)
    assert rc == 0, err
    res = json.loads((tmp_path / "o" / "sgd" / "results.json").read_text())
    assert res["settings"]["data"] == "d.csv" and res["settings"]["n"] == 120


def _fifo(tmp_path):
    import os
    f = tmp_path / "fifo.csv"
    os.mkfifo(f)
    return str(f)


def _csv(tmp_path, text, name="bad.csv"):
    f = tmp_path / name
    f.write_text(text)
    return str(f)


BAD = {
    "batch zero": lambda t: ["--batch-sizes", "0"],
    "batch above n": lambda t: ["--n", "50", "--batch-sizes", "51"],
    "tol zero": lambda t: ["--tol", "0"],
    "tol negative": lambda t: ["--tol", "-1e-3"],
    "missing csv": lambda t: ["--data", str(t / "nope.csv")],
    "unreadable csv": lambda t: ["--data", str(t)],  # a folder
    "non-numeric cell": lambda t: ["--data", _csv(t, "a,y\n1,0\nfoo,1\n2,1\n")],
    "nan cell": lambda t: ["--data", _csv(t, "a,y\n1,0\nnan,1\n2,1\n")],
    "inf cell": lambda t: ["--data", _csv(t, "a,y\n1,0\ninf,1\n2,1\n")],
    "labels not binary": lambda t: ["--data", _csv(t, "a,y\n1,0\n2,2\n3,1\n")],
    "one row": lambda t: ["--data", _csv(t, "a,y\n1,0\n")],
    "ragged row": lambda t: ["--data", _csv(t, "a,y\n1,0\n2\n3,1\n")],
    "negative l2": lambda t: ["--l2", "-1"],
    "bad momentum": lambda t: ["--momentum", "1.5"],
    "bad objective": lambda t: ["--objective", "hinge"],
    "n and data": lambda t: ["--n", "10", "--data", _csv(t, "a,y\n1,0\n2,1\n")],
    "cond and data": lambda t: ["--cond", "10", "--data", _csv(t, "a,y\n1,0\n2,1\n3,0\n")],
    "single class": lambda t: ["--data", _csv(t, "a,y\n1,1\n2,1\n3,1\n")],
    "quoted newline": lambda t: ["--data", _csv(t, 'a,y\n"1\n2",1\n2,0\n3,1\n')],
    "fifo": lambda t: ["--data", _fifo(t)],
    "dev zero": lambda t: ["--data", "/dev/zero"],
    "huge n": lambda t: ["--n", "100000000000"],
    "huge d": lambda t: ["--d", "100000"],
    "huge seeds": lambda t: ["--seeds", "10000000000"],
    "jobs zero": lambda t: ["--jobs", "0"],
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_one_line_exit_2_nothing_written(case, tmp_path, capsys):
    out = tmp_path / "out"
    rc, stdout, err = _cli([*BAD[case](tmp_path), "--quiet", "--out", str(out)], capsys)
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert not out.exists()


def test_the_messages_name_the_line_and_the_limit(tmp_path, capsys):
    bad = _csv(tmp_path, "a,y\n\n1,0\n\n\n2,1\nfoo,0\n")  # blank lines before the bad cell on line 7
    rc, _, err = _cli(["--data", bad, "--quiet", "--out", str(tmp_path / "o")], capsys)
    assert rc == 2 and "line 7, column 1" in err
    rc, _, err = _cli(["--n", "100000000000", "--quiet", "--out", str(tmp_path / "o")], capsys)
    assert rc == 2 and "memory" in err and "limit" in err
    rc, _, err = _cli(["--data", _fifo(tmp_path), "--quiet", "--out", str(tmp_path / "o")], capsys)
    assert rc == 2 and "not a regular file" in err


DEGENERATE = {
    "all-zero features": ("logistic", "a,b,y\n0,0,1\n0,0,0\n0,0,1\n0,0,0\n", [], "w0-optimal"),
    "least squares with y = 0": ("least-squares", "a,y\n1,0\n2,0\n3,0\n-1,0\n", [], "w0-optimal"),
    "l2 1e308": ("logistic", None, ["--l2", "1e308"], "w0-optimal"),
    "features of 1e300": ("logistic", "a,y\n1e300,1\n-2e300,0\n3e300,1\n1,0\n", [], "overflow"),
    "one 1e308 cell": ("logistic", "a,y\n1e308,1\n-2,0\n3,1\n1,0\n", [], "overflow"),
}


@pytest.mark.parametrize("case", list(DEGENERATE))
def test_degenerate_problems_are_outcomes_not_tracebacks(case, tmp_path, capsys):
    objective, text, extra, why = DEGENERATE[case]
    data = ["--data", _csv(tmp_path, text)] if text else ["--n", "200", "--d", "3"]
    rc, out, err = _cli([*data, *extra, "--objective", objective, "--quick", "--quiet", "--seeds", "2",
                         "--max-epochs", "5", "--jobs", "1", "--out", str(tmp_path / "o")], capsys)
    assert rc == 0, err
    res = json.loads((tmp_path / "o" / "sgd" / "results.json").read_text())
    assert res["degenerate"] == why and res["runs"] == [] and "nothing to optimise" in out
    assert all((tmp_path / "o" / "sgd" / f"{s}.pdf").exists() for s in res["figures"])


@pytest.mark.parametrize("extra,text", [(["--max-epochs", "1", "--tol", "1e-9"], None),
                                        ([], "a,b,y\n1,2,1\n2,1,0\n3,3,1\n")])
def test_nothing_converging_still_draws_its_figures(extra, text, tmp_path, capsys):
    data = ["--data", _csv(tmp_path, text)] if text else ["--n", "300", "--d", "3"]
    rc, out, err = _cli([*data, *extra, "--quick", "--quiet", "--seeds", "2", "--max-epochs", "1", "--jobs", "1",
                         "--out", str(tmp_path / "o")], capsys)
    assert rc == 0, err
    res = json.loads((tmp_path / "o" / "sgd" / "results.json").read_text())
    assert res["figures"] and all((tmp_path / "o" / "sgd" / f"{s}.png").exists() for s in res["figures"])


def test_many_seeds_never_overlap_the_tuning_seeds():
    from numeric.sgd.tuning import Settings
    st = Settings(seeds=3000, tune_seeds=3000, seed=7)
    assert set(st.eval_seeds).isdisjoint(st.tuning_seeds) and len(set(st.eval_seeds)) == 3000


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    rc, _, err = _cli([*SMALL, "--out", str(blocker)], capsys)
    assert rc == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_help_and_bad_input_through_the_real_command():
    r = run_module("numeric", "sgd", "--help")
    assert r.returncode == 0 and "--batch-sizes" in r.stdout
    r = run_module("numeric", "sgd", "--batch-sizes", "0")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1


def test_quick_sweep_momentum_beats_gd(quick_runs):
    """Fast sibling of test_default_sweep_converges, at the --quick size: tuned heavy ball needs
    fewer epochs than GD (Polyak's alpha*, beta* from the global bounds need not, at this size)."""
    proc, out = quick_runs["sgd"]  # tests/numeric/conftest.py: one quick run per test run
    assert proc.returncode == 0, proc.stderr
    res = json.loads((out / "sgd" / "results.json").read_text())
    gd = {r["method"]: r["epochs_median"] for r in res["runs"] if r["key"].endswith("-gd")}
    assert gd["hb"] < gd["sgd"]


@pytest.mark.slow
def test_default_sweep_converges(tmp_path):
    # its run time is measured by `python -m bench budgets`, not asserted here
    r = run_module("numeric", "sgd", "--quiet", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    res = json.loads((tmp_path / "sgd" / "results.json").read_text())
    assert res["settings"]["seeds"] >= 5 and res["settings"]["n"] == 10_000
    assert res["settings"]["batch_sizes"] == [1, 10, 100, 1000, 2000, 5000]
    gd = {r["method"]: r["epochs_median"] for r in res["runs"] if r["key"].endswith("-gd")}
    assert gd["hb"] < gd["sgd"] and gd["polyak"] < gd["sgd"]  # momentum beats GD on this ill-conditioned problem


def test_bench_sgd_without_scikit_learn_names_the_extra(monkeypatch, capsys):
    import sys
    from bench.__main__ import main as bench_main
    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn now raises ImportError
    rc = run(bench_main, ["sgd"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and err[0].startswith("error: ") and "[bench]" in err[0]



# --- issue 21.2: the results are committed before anything is printed ---------------------

TINY = ["--quiet", "--n", "60", "--d", "2", "--seeds", "1", "--max-epochs", "3", "--batch-sizes", "10",
        "--jobs", "1"]


class _Reader:
    """A standard output whose reader goes away after ``lines`` lines (``| head -1``: 1,
    ``| true``: 0), or that is full (``> /dev/full``: ``full``)."""

    def __init__(self, lines=0, full=False):
        self.lines, self.full, self.text = lines, full, ""

    def write(self, text):
        import errno
        if self.full:
            raise OSError(errno.ENOSPC, "No space left on device")
        if self.text.count("\n") >= self.lines:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")
        self.text += text
        return len(text)

    def flush(self):
        pass


@pytest.mark.parametrize("stdout, status, says", [
    (_Reader(lines=1), 0, ""),                    # | head -1
    (_Reader(lines=0), 0, ""),                    # | true
    (_Reader(full=True), 2, "error: cannot write to standard output: No space left on device\n"),  # > /dev/full
], ids=["head -1", "true", "/dev/full"])
def test_a_reader_that_goes_away_or_a_full_disk_keeps_the_results(tmp_path, monkeypatch, capsys, stdout, status,
                                                                   says):
    """The table was printed inside ``with staged(...)``: the broken pipe discarded the finished
    results (and exited 0); ``> /dev/full`` discarded them with a traceback."""
    monkeypatch.setattr("sys.stdout", stdout)
    assert run(main, ["sgd", *TINY, "--out", str(tmp_path)]) == status
    assert capsys.readouterr().err == says
    assert json.loads((tmp_path / "sgd" / "results.json").read_text())["settings"]["n"] == 60


# --- issue 21.4: the sweep's workers die with it, kill -9 included ---------------------------

def _children(pid: int) -> dict:
    """``{child pid: command line}`` of the processes whose parent is ``pid`` (from /proc)."""
    from pathlib import Path
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
    return out


def test_kill_9_of_the_sweep_takes_its_workers_and_trackers_with_it():
    """``kill -9`` of ``python -m numeric sgd --jobs 2`` left two loky workers and two resource
    trackers running under init (about 245 MB each) for 10 minutes or more. Here the sweep's
    own dispatcher runs two tasks that never end, and its process is killed."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from support import ROOT, running
    code = ("import time\nfrom numeric.sgd.sweep import run_tasks\n"
            "run_tasks([(time.sleep, 3600)] * 2, jobs=2, quiet=True, desc='')\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    seen = {}
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # wait until both workers are up (machine speed does not matter)
            seen.update(_children(proc.pid))
            if sum("loky" in cmd and "resource_tracker" not in cmd for cmd in seen.values()) >= 2:
                break
            time.sleep(0.2)
        assert sum("loky" in cmd for cmd in seen.values()) >= 2, seen
        time.sleep(1)
        seen.update(_children(proc.pid))  # the trackers too, if they started late
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 120
        while any(running(p) for p in seen) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [cmd for p, cmd in seen.items() if running(p)]
    finally:
        proc.kill()
        for p in seen:  # whatever is left of what this test started
            if running(p):
                os.kill(p, signal.SIGKILL)


def test_jobs_are_capped_at_the_cores_unless_the_backend_is_distributed(monkeypatch):
    """``--jobs 32`` on a 2-core machine started 34 processes (1.1 GB)."""
    import joblib
    from joblib import parallel_config, register_parallel_backend
    from joblib._parallel_backends import ThreadingBackend
    from numeric.sgd.sweep import run_tasks
    asked = []
    real = joblib.Parallel

    def recording(n_jobs, **kw):
        asked.append(n_jobs)
        return real(n_jobs=1, **kw)

    class Cluster(ThreadingBackend):
        """Stands for Dask or Ray: not a backend of this machine."""

    register_parallel_backend("cluster-for-the-test", Cluster)
    monkeypatch.setattr(joblib, "Parallel", recording)
    monkeypatch.setattr(joblib, "cpu_count", lambda *a, **k: 2)
    assert run_tasks([(abs, -3), (abs, -4)], jobs=32) == [3, 4]
    with parallel_config(backend="threading"):
        run_tasks([(abs, -3)], jobs=32)
    with parallel_config(backend="cluster-for-the-test"):
        run_tasks([(abs, -3)], jobs=32)
    assert asked == [2, 2, 32]

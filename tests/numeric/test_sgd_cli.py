"""``python -m numeric sgd``: results, reproducibility, bad input (one line, exit 2, nothing written)."""
import json

import pytest

from common.cli import run
from numeric.__main__ import main
from support import run_module

SMALL = ["--quick", "--quiet", "--n", "400", "--d", "4", "--seeds", "2", "--max-epochs", "15",
         "--batch-sizes", "1", "10", "100"]


def _cli(argv, capsys):
    try:
        rc = run(main, ["sgd", *argv])
    except SystemExit as exc:  # argparse errors exit 2 from the parser itself
        rc = exc.code
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sgd-a")
    assert run(main, ["sgd", *SMALL, "--out", str(out)]) == 0
    return out


def test_results_follow_the_schema(quick_run):
    res = json.loads((quick_run / "sgd" / "results.json").read_text())
    assert res["schema"] == "hw6.sgd.results/2"
    assert {"f_star", "L", "mu", "kappa", "polyak_alpha", "polyak_beta"} <= set(res["problem"])
    assert res["settings"]["batch_sizes"] == [1, 10, 100] and res["settings"]["n"] == 400
    keys = [r["key"] for r in res["runs"]]
    assert keys == ["sgd-1", "hb-1", "sgd-10", "hb-10", "sgd-100", "hb-100", "sgd-gd", "hb-gd"]
    for r in res["runs"]:
        assert len(r["epochs"]) == 2 and len(r["steps"]) == 2 and r["alpha"] > 0
        assert len(r["curve"]["epoch"]) == len(r["curve"]["median"])
        assert (r["status"] == "converged") == (r["reason"] is None)
        assert r["reason"] in (None, "all-diverged", "budget", "noise-floor", "hovers-at-floor")
    assert [row["is_gd"] for row in res["table"]] == [False, False, False, True]
    assert set(res["noise"]["fit"]) == {"sgd", "hb"}
    for stem in res["figures"]:
        assert (quick_run / "sgd" / f"{stem}.pdf").stat().st_size > 1000
        assert (quick_run / "sgd" / f"{stem}.png").stat().st_size > 1000
    assert "seconds" in json.loads((quick_run / "sgd" / "timing.json").read_text())


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
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_one_line_exit_2_nothing_written(case, tmp_path, capsys):
    out = tmp_path / "out"
    rc, stdout, err = _cli([*BAD[case](tmp_path), "--quiet", "--out", str(out)], capsys)
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert not out.exists()


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    rc, _, err = _cli([*SMALL, "--out", str(blocker)], capsys)
    assert rc == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_help_and_bad_input_through_the_real_command():
    r = run_module("numeric", "sgd", "--help", timeout=120)
    assert r.returncode == 0 and "--batch-sizes" in r.stdout
    r = run_module("numeric", "sgd", "--batch-sizes", "0", timeout=120)
    assert r.returncode == 2 and r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_default_sweep_converges(tmp_path):
    # its run time is measured by `python -m bench budgets`, not asserted here
    r = run_module("numeric", "sgd", "--quiet", "--out", str(tmp_path), timeout=600)
    assert r.returncode == 0, r.stderr
    res = json.loads((tmp_path / "sgd" / "results.json").read_text())
    assert res["settings"]["seeds"] >= 5 and res["settings"]["n"] == 10_000
    assert all(r["status"] == "converged" for r in res["runs"])
    gd = {r["method"]: r["epochs_median"] for r in res["runs"] if r["key"].endswith("-gd")}
    assert gd["hb"] < gd["sgd"]  # Polyak's heavy ball beats GD on this ill-conditioned problem

"""``python -m derive``: the command-line contract."""
import json
import subprocess

import pytest
import sympy as sp

from support import HANG, have_tex, run_module


def test_json_round_trips_through_parse_expr():
    r = run_module("derive", "--format", "json")
    assert r.returncode == 0, r.stderr
    objs = json.loads(r.stdout)
    assert objs, "no derivations"
    for o in objs:
        assert set(o) >= {"id", "problem", "title", "latex", "sympy", "symbols", "steps"}
        assert sp.parse_expr(o["sympy"]) is not None
        for s in o["steps"]:
            assert s["verified"] in ("symbolic", "instances", "numeric") and isinstance(s["detail"], dict)
            assert s["verified"] == "symbolic" or ({"tag", "why"} <= set(s["detail"]))
    from derive import load
    by_id = {d.id: d for d in load()}
    for o in objs:
        assert sp.parse_expr(o["sympy"]) == by_id[o["id"]].result


@pytest.mark.parametrize("args", [["nosuchtopic"], ["--format", "yaml"], ["--bogus"],
                                  ["--format", "json", "--standalone"]])
def test_bad_input_exit_2_one_line(args):
    r = run_module("derive", *args)
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1
    assert r.stdout == ""


def test_help():
    r = run_module("derive", "--help")
    assert r.returncode == 0 and "--standalone" in r.stdout


@pytest.mark.skipif(not have_tex(), reason="no TeX engine installed (CI installs TeX Live)")
def test_standalone_compiles_with_pdflatex(tmp_path):
    r = run_module("derive", "--standalone")
    assert r.returncode == 0, r.stderr
    (tmp_path / "d.tex").write_text(r.stdout)
    c = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=HANG)
    assert c.returncode == 0, c.stdout[-2000:]
    assert (tmp_path / "d.pdf").stat().st_size > 1000

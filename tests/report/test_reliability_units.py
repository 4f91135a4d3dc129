"""Fast siblings of the slow tests of ``test_reliability.py`` (each of those runs the VAE again
through a real build): the same property, checked in this process on the decision that makes
it, with a recorded result file (``data/vae_results.json``) instead of a run."""
import json
import subprocess
import sys
from pathlib import Path

from report.experiments import Plan, _reused_or_missing, end_orphans, invalid_results, plan, reusable
from report.pipeline import notes_of
from support import running

DATA = json.loads((Path(__file__).parent / "data" / "vae_results.json").read_text())


def _folder(tmp_path, record: dict, data=DATA) -> Path:
    folder = tmp_path / "vae"
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps(record))
    (folder / "results.json").write_text(json.dumps(data))
    for stem in DATA["figures"]:
        (folder / f"{stem}.pdf").write_bytes(b"%PDF")
    return folder


def test_results_of_another_command_are_not_reused(tmp_path):
    """Sibling of test_results_of_another_command_are_run_again: ``--epochs 2`` has another key."""
    mine, other = plan("vae", (), quick=True), plan("vae", ("--epochs", "2"), quick=True)
    assert mine.key != other.key
    folder = _folder(tmp_path, {"key": other.key, "argv": ["vae", "--epochs", "2"], "by": "hand"})
    assert reusable(folder, mine) is None and reusable(folder, other) is not None


def test_results_the_report_did_not_make_are_reused_and_said_so_units(tmp_path):
    """Sibling of test_results_the_report_did_not_make_are_reused_and_said_so."""
    p = plan("vae", (), quick=True)
    argv = ["vae", "--quick", "--out", "D"]
    _folder(tmp_path, {"key": p.key, "argv": argv, "seconds": 1.0})
    o = _reused_or_missing("vae", p, tmp_path / "vae")
    assert o.ok and o.reused and o.outside and o.made_by == "python -m numeric vae --quick --out D"
    assert notes_of({"vae": o}) == ("vae results reused from an earlier run not made by a report: "
                                    "python -m numeric vae --quick --out D",)


def test_results_that_do_not_match_their_schema_are_not_reused(tmp_path):
    """Sibling of test_results_that_do_not_match_their_schema_are_run_again."""
    p = Plan("vae", (), "k")
    folder = _folder(tmp_path, {"key": "k", "argv": ["vae"], "by": "report"},
                     {"schema": "hw6.vae.results/3", "settings": {}, "figures": []})
    assert reusable(folder, p) is None
    assert invalid_results(folder, "vae") == "top level: 'gradient_check' is a required property"


def test_the_command_of_an_experiment_keeps_an_out_that_starts_with_a_dash(tmp_path, monkeypatch):
    """Sibling of test_an_out_that_starts_with_a_dash_reaches_the_experiments: the child gets
    ``--out=PATH`` (one token), which its parser reads as a value, not an option."""
    from report.experiments import _start
    seen = {}

    class Popen:
        def __init__(self, argv, **kw):
            seen["argv"] = argv
    monkeypatch.setattr(subprocess, "Popen", Popen)
    _start(plan("vae", (), quick=True), tmp_path / "-dash", tmp_path / "log")
    assert seen["argv"][-2:] == [f"--out={tmp_path / '-dash'}", "--quiet"]
    from report.experiments import experiment_parser
    assert experiment_parser("vae").parse_args(["--out=-dash"]).out == "-dash"


def test_the_orphans_of_a_killed_build_are_ended(tmp_path):
    """Sibling of test_after_kill_9_the_next_build_ends_the_orphans_and_recovers: a process group
    recorded in the lock, still an experiment writing into DIR, is ended; another is left alone."""
    out = tmp_path / "D"
    code = "import time; time.sleep(3600)"
    ours = subprocess.Popen([sys.executable, "-c", code, "numeric", f"--out={out}"], start_new_session=True)
    other = subprocess.Popen([sys.executable, "-c", code, "numeric", "--out=elsewhere"], start_new_session=True)
    try:
        assert end_orphans({"groups": {"vae": ours.pid, "gan": other.pid}}, out) == ["vae"]
        ours.wait()
        assert not running(ours.pid) and running(other.pid)
    finally:
        for p in (ours, other):
            p.kill()
            p.wait()


def test_a_config_changes_only_the_key_of_its_experiment():
    """Sibling of test_config_reruns_only_the_experiment_it_changes_and_is_printed."""
    before = {n: plan(n, (), quick=True).key for n in ("sgd", "gan", "vae")}
    after = {n: plan(n, ("--epochs=3", "--hidden=16") if n == "vae" else (), quick=True).key
             for n in ("sgd", "gan", "vae")}
    assert [n for n in before if before[n] != after[n]] == ["vae"]

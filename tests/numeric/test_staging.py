"""Issue 13.3: an experiment's outputs move into DIR/NAME together, only on success
(:func:`numeric.outputs.staged`), with the record of the command and inputs that made them."""
import json
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from common.cli import UserError
from numeric.outputs import OUTPUTS_MANIFEST, discard_stale_stages, staged


def _args(out, **kw):
    return Namespace(out=str(out), quiet=True, seed=0, quick=True, **kw)


def test_outputs_move_in_together_with_their_record(tmp_path):
    with staged(_args(tmp_path), "vae") as stage:
        (stage / "results.json").write_text("{}")
        (stage / "vae_curve.pdf").write_text("figure")
        assert not (tmp_path / "vae" / "results.json").exists()  # nothing in place before the end
    final = tmp_path / "vae"
    assert sorted(p.name for p in final.iterdir()) == sorted(
        [OUTPUTS_MANIFEST, "results.json", "run.json", "vae_curve.pdf"])
    record = json.loads((final / "run.json").read_text())
    assert record["options"] == {"quick": True, "seed": 0} and record["by"] == "command line"
    assert not list(tmp_path.glob(".vae.staging-*"))


def test_a_run_that_fails_after_writing_figures_changes_nothing(tmp_path, monkeypatch):
    """The issue's case: a run that writes its curves and then crashes left the old
    results.json beside the new curves."""
    from numeric.vae import experiment
    from report.experiments import experiment_parser
    final = tmp_path / "vae"
    final.mkdir()
    (final / "results.json").write_text("old results")
    (final / "vae_learning_curve.pdf").write_text("old figure")

    def crash(st, data, out, **kw):
        (out / "vae_learning_curve.pdf").write_text("new figure")
        raise RuntimeError("crashed after the first figure")
    monkeypatch.setattr(experiment, "run_experiment", crash)
    args = experiment_parser("vae", raising=False).parse_args(["--quick", "--quiet", "--out", str(tmp_path)])
    with pytest.raises(RuntimeError):
        experiment.main(args)
    assert (final / "results.json").read_text() == "old results"
    assert (final / "vae_learning_curve.pdf").read_text() == "old figure"
    assert not list(tmp_path.glob(".vae.staging-*"))


def test_files_of_the_last_run_are_replaced_and_others_kept(tmp_path):
    for figures in (["a.pdf", "b.pdf"], ["a.pdf"]):
        with staged(_args(tmp_path), "vae") as stage:
            (stage / "results.json").write_text("{}")
            for f in figures:
                (stage / f).write_text(f)
        (tmp_path / "vae" / "notes.txt").write_text("the user's")
    names = {p.name for p in (tmp_path / "vae").iterdir()}
    assert "b.pdf" not in names and {"a.pdf", "notes.txt"} <= names


def test_a_staging_folder_left_by_a_killed_run_is_removed(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
    dead, live = tmp_path / ".vae.staging-999999999", tmp_path / f".vae.staging-{proc.pid}"
    for stage in (dead, live):
        stage.mkdir()
        (stage / "results.json").write_text("half")
    try:
        assert discard_stale_stages(tmp_path, "vae") == [dead]
        assert live.exists() and not dead.exists()
    finally:
        proc.kill()
        proc.wait()
    assert discard_stale_stages(tmp_path, "vae") == [live]


def test_an_empty_out_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError, match="--out is empty"):
        with staged(_args(""), "vae"):
            pass
    assert not list(Path(tmp_path).iterdir())


@pytest.mark.parametrize("name, tiny", [("sgd", ["--n", "50", "--d", "2", "--seeds", "1", "--max-epochs", "2",
                                                 "--batch-sizes", "10", "--jobs", "1"]),
                                        ("gan", ["--scenario", "a", "--seeds", "1", "--steps", "2"]),
                                        ("vae", ["--epochs", "1", "--data", "shapes"])])
def test_an_experiment_into_a_folder_in_use_exits_2_and_changes_nothing(tmp_path, capsys, name, tiny):
    """21.5: ``python -m numeric sgd --out D`` while ``python -m report --out D`` was building took no
    lock: both exited 0, and D/sgd held results that did not match the PDF."""
    import os
    from common.cli import run
    from common.lock import hold_folder
    from numeric.__main__ import main
    with hold_folder(tmp_path):
        rc = run(main, [name, "--quick", "--quiet", *tiny, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2 and err == f"error: {tmp_path} is in use by process {os.getpid()}; wait for it to finish\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock"]

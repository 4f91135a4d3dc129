"""Issue 13: no data loss, no silent reuse, no traceback, one build at a time, and the writeup
for your own settings (``--config``). Each test copies the shared quick build (``built``) and
checks one case; where an experiment must run again it is the VAE (a few seconds; those
tests are marked slow, and each has a fast sibling in ``test_reliability_units.py``)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import HANG, ROOT, have_tex, run_module, running

pytestmark = pytest.mark.skipif(not have_tex(), reason="needs TeX Live (latexmk, pdflatex)")


def report(out, *args, env=None, cwd=None, timeout=HANG):
    """``python -m report --quick --quiet --out=DIR ...`` (from ``cwd``)."""
    full = dict(os.environ, **(env or {}))
    full["PYTHONPATH"] = os.pathsep.join([str(ROOT), full.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "report", "--quick", "--quiet", f"--out={out}", *args],
                          cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout, env=full)


def one_error_line(proc) -> str:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


def wait_for(ready, proc):
    """Poll ``ready()`` until it gives a true value, which is returned; None when ``proc`` ended
    first. No deadline but the hang guard: a busy machine may take any time to get there."""
    deadline = time.monotonic() + HANG
    while time.monotonic() < deadline:
        value = ready()
        if value:
            return value
        if proc.poll() is not None:
            return None
        time.sleep(0.05)
    return None


def mtimes(folder: Path) -> dict:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


# --- data loss ------------------------------------------------------------------------

def test_the_build_removes_only_figures_it_wrote(built):
    """13.1: a file of the user's in DIR/figures stays; a figure an earlier build copied there
    and this one does not write is removed."""
    (built / "figures" / "my_plot.pdf").write_text("mine")
    manifest = built / ".report" / "figures.json"
    (built / "figures" / "sgd-old-figure.pdf").write_text("from an earlier build")
    manifest.write_text(json.dumps(json.loads(manifest.read_text()) + ["sgd-old-figure.pdf"]))
    proc = report(built)
    assert proc.returncode == 0, proc.stderr
    assert (built / "figures" / "my_plot.pdf").read_text() == "mine"
    assert not (built / "figures" / "sgd-old-figure.pdf").exists()
    assert (built / "figures" / "sgd-curves.pdf").exists()


def test_a_figure_manifest_cannot_reach_outside_the_folder(built):
    victim = built / "keep.txt"
    victim.write_text("keep")
    (built / ".report" / "figures.json").write_text(json.dumps(["../keep.txt", "/etc/passwd"]))
    assert report(built).returncode == 0
    assert victim.read_text() == "keep"


def test_a_symlink_at_the_lock_path_is_refused_and_its_target_kept(tmp_path):
    """21.1: ``ln -s /tmp/v DIR/<lock>`` made the build truncate /tmp/v and write its record there."""
    from common.lock import LOCK_NAME
    victim, out = tmp_path / "v", tmp_path / "D"
    victim.write_text("precious\n")
    out.mkdir()
    (out / LOCK_NAME).symlink_to(victim)
    line = one_error_line(report(out))
    assert "not a regular file" in line and str(out / LOCK_NAME) in line
    assert victim.read_text() == "precious\n"


# --- silent wrong results -------------------------------------------------------------

@pytest.mark.slow  # runs the VAE again
def test_results_of_another_command_are_run_again(built):
    """13.4: after ``numeric vae --epochs 2`` into DIR, the report does not cite those results:
    it runs the VAE with its own options."""
    r = run_module("numeric", "vae", "--quick", "--quiet", "--epochs", "2", "--out", str(built))
    assert r.returncode == 0, r.stderr
    proc = report(built)
    assert proc.returncode == 0, proc.stderr
    record = json.loads((built / "vae" / "run.json").read_text())
    assert record["by"] == "report" and record["options"]["epochs"] is None
    assert json.loads((built / "vae" / "results.json").read_text())["settings"]["epochs"] == 12


@pytest.mark.slow  # runs the VAE again
def test_results_the_report_did_not_make_are_reused_and_said_so(built):
    """13.4: same options, inputs and sources but run by hand: reused, and the stderr and the
    provenance appendix name the command that made them."""
    r = run_module("numeric", "vae", "--quick", "--out", str(built))
    assert r.returncode == 0, r.stderr
    before = (built / "vae" / "results.json").stat().st_mtime_ns
    proc = report(built)
    assert proc.returncode == 0, proc.stderr
    assert (built / "vae" / "results.json").stat().st_mtime_ns == before
    made_by = f"python -m numeric vae --quick --out {built}"
    assert f"vae results reused from an earlier run not made by a report: {made_by}" in proc.stderr
    tex = (built / "hw6.tex").read_text()
    assert "were not made by this report" in tex and "numeric vae -{}-quick -{}-out" in tex


@pytest.mark.slow  # runs the VAE again
def test_results_that_do_not_match_their_schema_are_run_again(built):
    """13.5: a valid JSON of the wrong shape is never reused."""
    (built / "vae" / "results.json").write_text(json.dumps({"schema": "hw6.vae.results/3", "settings": {}}))
    proc = report(built)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((built / "vae" / "results.json").read_text())
    from report.experiments import schema_problem
    assert schema_problem("vae", data) == ""
    assert ("report: note: vae: the results in DIR/vae/results.json did not match their schema "
            "(top level: 'gradient_check' is a required property); ran the experiment again") in proc.stderr


def test_an_interrupted_run_leaves_the_last_results_and_figures_alone(built):
    """13.3: a run that does not finish (here: SIGTERM half way through training) changes
    nothing in DIR/vae and leaves no staging folder (a crash after some figures were written
    is tests/numeric/test_staging.py)."""
    before = {p.name: p.read_bytes() for p in (built / "vae").iterdir()}
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "numeric", "vae", "--quick", "--quiet", "--epochs", "400",
                             f"--out={built}"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: list(built.glob(".vae.staging-*")), proc)  # it is writing into its staging folder
    time.sleep(1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=HANG) == 143, proc.stderr.read()
    assert {p.name: p.read_bytes() for p in (built / "vae").iterdir()} == before
    assert not list(built.glob(".vae.staging-*"))


# --- tracebacks -----------------------------------------------------------------------

@pytest.mark.parametrize("entry, kind", [("figures", "file"), (".latex", "file"), (".report", "file"),
                                         ("sgd", "file"), ("hw6.tex", "folder"), ("hw6.pdf", "folder")])
def test_odd_entries_in_dir_are_a_one_line_error(built, entry, kind):
    import shutil
    path = built / entry
    shutil.rmtree(path) if path.is_dir() else path.unlink()
    path.mkdir() if kind == "folder" else path.write_text("the user's")
    line = one_error_line(report(built))
    assert str(path) in line
    assert not list(built.glob(".*.tmp")) and not (built / ".hw6.pdf.tmp").exists()


@pytest.mark.parametrize("name", ["e\u20ac", "emoji\U0001F600"])
def test_an_output_folder_latex_cannot_typeset_builds(built, tmp_path, name):
    odd = tmp_path / name
    built.rename(odd)
    proc = report(odd)
    assert proc.returncode == 0, proc.stderr
    assert (odd / "hw6.pdf").stat().st_size > 10_000


@pytest.mark.parametrize("name", ["price\u20ac.csv", "emoji\U0001F600.csv"])
def test_a_data_file_name_latex_cannot_typeset_is_a_one_line_error(tmp_path, name):
    data = tmp_path / name
    data.write_text("a,b,y\n1,2,1\n2,1,0\n3,3,1\n")
    config = tmp_path / "c.toml"
    config.write_text(f'[sgd]\ndata = "{name}"\n')
    line = one_error_line(report(tmp_path / "D", "--config", str(config)))
    assert f"{config}:2: [sgd] data:" in line and "cannot typeset" in line


def test_latexmk_with_a_bad_interpreter_is_no_tex(built, tmp_path):
    import shutil
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "latexmk").write_text("#!/nonexistent/perl\n")
    (bin_ / "latexmk").chmod(0o755)
    (bin_ / "pdflatex").symlink_to(shutil.which("pdflatex"))
    (built / "hw6.tex").write_text("changed")  # so that LaTeX has to run
    proc = report(built, env={"PATH": str(bin_)})
    assert proc.returncode == 3, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "cannot be run" in lines[0] and "Traceback" not in proc.stderr


# --- behaviour ------------------------------------------------------------------------

def test_an_empty_out_is_an_error():
    assert "must not be empty" in one_error_line(run_module("report", "--out", ""))


@pytest.mark.slow  # runs the VAE again
def test_an_out_that_starts_with_a_dash_reaches_the_experiments(built):
    """``--out=-dash``: the children get ``--out=PATH`` (the VAE runs again here)."""
    dash = built.parent / "-dash"
    built.rename(dash)
    import shutil
    shutil.rmtree(dash / "vae")
    proc = report("-dash", cwd=built.parent)
    assert proc.returncode == 0, proc.stderr
    assert (dash / "vae" / "results.json").exists()
    assert json.loads((dash / "vae" / "run.json").read_text())["argv"][-2:] == [f"--out={dash}", "--quiet"]


def test_a_second_build_into_the_same_folder_exits_2(built):
    from common.lock import hold_folder
    with hold_folder(built):
        line = one_error_line(report(built))
    assert line == f"error: {built} is in use by process {os.getpid()}; wait for it to finish"


def _start_build_with_the_vae_running(built):
    import shutil
    shutil.rmtree(built / "vae")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "report", "--quick", "--quiet", f"--out={built}"],
                            cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)

    def vae_group():
        try:
            return (json.loads((built / ".lock").read_text()).get("groups") or {}).get("vae")
        except (OSError, ValueError):
            return None
    group = wait_for(vae_group, proc)
    # and until the VAE works under the build's lock (its stage exists): on a busy machine a
    # signal sent earlier reaches a VAE still starting up, which then refuses the lock and exits
    # (tests/common/test_lock.py covers that case)
    if not group or not wait_for(lambda: list(built.glob(".vae.staging-*")), proc):
        proc.kill()
        raise AssertionError(f"the VAE did not start: {proc.stderr.read()}")
    return proc, group


def test_sigterm_ends_the_experiments_too(built):
    proc, vae = _start_build_with_the_vae_running(built)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=HANG) == 143
    assert not running(vae) and not list(built.glob(".vae.staging-*"))


@pytest.mark.slow  # runs the VAE again
def test_after_kill_9_the_next_build_ends_the_orphans_and_recovers(built):
    proc, vae = _start_build_with_the_vae_running(built)
    proc.kill()
    proc.wait(timeout=HANG)
    assert running(vae)  # kill -9 leaves it running: the next build must deal with it
    nxt = report(built)
    assert nxt.returncode == 0, nxt.stderr
    assert "ended the vae experiment(s) left running by an interrupted build" in nxt.stderr
    assert not running(vae) and not list(built.glob(".vae.staging-*"))
    assert json.loads((built / "vae" / "run.json").read_text())["by"] == "report"


# --- --config -------------------------------------------------------------------------

@pytest.mark.slow  # runs the VAE again
def test_config_reruns_only_the_experiment_it_changes_and_is_printed(built, tmp_path):
    config = tmp_path / "mine.toml"
    config.write_text("[vae]\nepochs = 3\nhidden = 16\n")
    others = {n: mtimes(built / n) for n in ("sgd", "gan")}
    proc = report(built, "--config", str(config))
    assert proc.returncode == 0, proc.stderr
    assert {n: mtimes(built / n) for n in ("sgd", "gan")} == others
    data = json.loads((built / "vae" / "results.json").read_text())
    assert (data["settings"]["epochs"], data["settings"]["hidden"]) == (3, 16)
    tex = (built / "hw6.tex").read_text()
    assert "--config mine.toml".replace("--", "-{}-") in tex
    assert r"vae.\texttt{epochs} $=$ \texttt{3}" in tex  # the appendix names the option and its value
    assert "python -m numeric vae -{}-epochs=\\allowbreak{}3 -{}-hidden=\\allowbreak{}16" in tex
    again = report(built, "--config", str(config))  # unchanged config: everything reused
    assert again.returncode == 0 and json.loads((built / "vae" / "results.json").read_text()) == data

"""Helpers the tests share: run a command of the project, find TeX."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

__all__ = ["ROOT", "HANG", "run_module", "run_main", "have_tex", "running", "run_root", "once", "module_once",
           "quick_experiments"]

ROOT = Path(__file__).resolve().parents[1]
HANG = 3600  # seconds: a guard against a hung command, never a speed check (speed lives in bench/)


def run_module(*args, timeout=HANG, **kw):
    """Run ``python -m ...`` from the repository root; returns CompletedProcess."""
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, **kw)


def run_main(main, *argv) -> subprocess.CompletedProcess:
    """``main(argv)`` of a command, in this process, through :func:`common.cli.run` as its
    ``__main__`` calls it: ``CompletedProcess(argv, exit status, stdout, stderr)``, like
    :func:`run_module` without starting Python again (for tests where the process itself is not
    what is tested; a Python warning goes to pytest here, not to the captured stderr)."""
    import contextlib
    import io
    from common.cli import run
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = run(main, list(argv))
        except SystemExit as exc:  # argparse's --help and usage errors exit from the parser
            code = exc.code
    return subprocess.CompletedProcess(list(argv), code, out.getvalue(), err.getvalue())


def have_tex() -> bool:
    return shutil.which("pdflatex") is not None and shutil.which("latexmk") is not None


def running(pid: int) -> bool:
    """Whether process ``pid`` is alive (a zombie waiting to be reaped is not), from /proc."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def run_root(tmp_path_factory) -> Path:
    """The temporary folder of this test run that every pytest-xdist worker shares: the parent
    of the worker's own base folder under xdist, the base folder itself without it (its parent
    would be shared with other runs)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """``run_root/name``, made by ``make(folder)`` once per test run, whichever worker asks first;
    the others wait for it (a file lock) and reuse it. ``make`` must leave it complete or raise."""
    from filelock import FileLock
    root = run_root(tmp_path_factory)
    folder, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def module_once(tmp_path_factory, name: str, *args, start: Path | None = None
                ) -> tuple[subprocess.CompletedProcess, Path]:
    """``(CompletedProcess, DIR)`` of ``python -m *args --out DIR``, run once per test run
    (:func:`once`); ``DIR`` starts as a copy of the folder ``start`` (without its lock file) if given."""
    def make(folder):
        if start is not None:
            shutil.copytree(start, folder / "out", symlinks=True, ignore=shutil.ignore_patterns(".lock"))
        proc = run_module(*args, "--out", str(folder / "out"))
        (folder / "proc.json").write_text(json.dumps([proc.args, proc.returncode, proc.stdout, proc.stderr]))
    folder = once(tmp_path_factory, name, make)
    argv, code, out, err = json.loads((folder / "proc.json").read_text())
    return subprocess.CompletedProcess(argv, code, out, err), folder / "out"


def quick_experiments(tmp_path_factory) -> tuple[dict[str, subprocess.CompletedProcess], Path]:
    """``({NAME: CompletedProcess}, DIR)``: the runs ``python -m report --quick --out DIR`` makes
    of every experiment (``python -m numeric NAME --quick --out=DIR --quiet``, in parallel, under
    the folder's lock, through the report's own :func:`report.experiments.run_experiments`), once
    per test run. The numeric tests read these results and the quick build of the writeup starts
    from a copy of DIR (it reuses them: same plans, same key), so each quick run is made once.
    A CompletedProcess holds the run's log (standard output and error, ``DIR/.report/NAME.log``)
    as ``stdout``; its status is 0 when the run succeeded with results valid against their
    schema, 1 otherwise (with the report's reason as ``stderr``)."""
    def make(folder):
        from common.lock import hold_folder
        from report.experiments import plan, run_experiments
        from numeric.experiment import EXPERIMENTS
        out = folder / "out"
        out.mkdir()
        with hold_folder(out):
            outcomes = run_experiments(out, {n: plan(n, (), quick=True) for n in EXPERIMENTS})
        procs = {n: [[sys.executable, "-m", "numeric", n, "--quick", f"--out={out}", "--quiet"],
                     0 if o.ok else 1, (out / ".report" / f"{n}.log").read_text(errors="replace"),
                     "" if o.ok else o.message] for n, o in outcomes.items()}
        (folder / "procs.json").write_text(json.dumps(procs))
    folder = once(tmp_path_factory, "experiments-quick", make)
    procs = json.loads((folder / "procs.json").read_text())
    return {n: subprocess.CompletedProcess(*v) for n, v in procs.items()}, folder / "out"

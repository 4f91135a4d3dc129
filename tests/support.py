"""Helpers the tests share: run a command of the project, find TeX."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

__all__ = ["ROOT", "HANG", "run_module", "have_tex", "running", "run_root", "once", "module_once"]

ROOT = Path(__file__).resolve().parents[1]
HANG = 3600  # seconds: a guard against a hung command, never a speed check (speed lives in bench/)


def run_module(*args, timeout=HANG, **kw):
    """Run ``python -m ...`` from the repository root; returns CompletedProcess."""
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, **kw)


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


def module_once(tmp_path_factory, name: str, *args) -> tuple[subprocess.CompletedProcess, Path]:
    """``(CompletedProcess, DIR)`` of ``python -m *args --out DIR``, run once per test run (:func:`once`)."""
    def make(folder):
        proc = run_module(*args, "--out", str(folder / "out"))
        (folder / "proc.json").write_text(json.dumps([proc.args, proc.returncode, proc.stdout, proc.stderr]))
    folder = once(tmp_path_factory, name, make)
    argv, code, out, err = json.loads((folder / "proc.json").read_text())
    return subprocess.CompletedProcess(argv, code, out, err), folder / "out"

"""common.cli: one-line errors for a standard output that cannot be written, an empty output
folder, and SIGTERM that runs every ``finally``."""
import os
import signal
import subprocess
import sys

import pytest

from common.cli import UserError, out_dir, run, write_stdout
from support import HANG, ROOT, run_module


def test_derive_to_a_full_disk_is_a_one_line_error():
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "derive", "kl"], cwd=ROOT, stdout=full,
                           stderr=subprocess.PIPE, text=True, timeout=HANG)
    assert r.returncode == 2 and r.stderr == "error: cannot write to standard output: No space left on device\n"


def test_derive_with_standard_output_closed_is_a_one_line_error():
    r = subprocess.run(f"{sys.executable} -m derive kl >&-", shell=True, cwd=ROOT,
                       stderr=subprocess.PIPE, text=True, timeout=HANG)
    assert r.returncode == 2 and r.stderr == "error: standard output is closed; nothing was written\n"


def test_derive_into_a_pipe_closed_early_is_quiet():
    r = subprocess.run(f"{sys.executable} -m derive | head -c 10 >/dev/null", shell=True, cwd=ROOT,
                       stderr=subprocess.PIPE, text=True, timeout=HANG)
    assert r.returncode == 0 and r.stderr == ""


def test_write_stdout_raises_user_error_when_stdout_is_gone(monkeypatch):
    monkeypatch.setattr("sys.stdout", None)
    with pytest.raises(UserError, match="closed"):
        write_stdout("x")


def test_an_empty_output_folder_is_refused():
    import argparse
    with pytest.raises(argparse.ArgumentTypeError):
        out_dir("")
    assert out_dir("-dash") == "-dash"


def test_sigterm_runs_finally_and_exits_143():
    code = ("import os, signal, sys, time\n"
            "from common.cli import run\n"
            "def main(argv):\n"
            "    try:\n"
            "        os.kill(os.getpid(), signal.SIGTERM); time.sleep(5)\n"
            "    finally:\n"
            "        print('cleaned up', flush=True)\n"
            "sys.exit(run(main))\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=HANG,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 143 and r.stdout == "cleaned up\n" and r.stderr == "terminated\n"


def test_run_restores_the_sigterm_handler():
    before = signal.getsignal(signal.SIGTERM)
    assert run(lambda argv: 0) == 0
    assert signal.getsignal(signal.SIGTERM) == before

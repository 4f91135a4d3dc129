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


# --- issue 21.2, 21.10: every command's standard output, through run() --------------------

def _run_printing(stdout_redirect: str):
    code = ("import sys\n"
            "from common.cli import run\n"
            "def main(argv):\n"
            "    print('a line of output')\n"
            "sys.exit(run(main))\n")
    return subprocess.run(f"{sys.executable} -c \"{code}\" {stdout_redirect}", shell=True, cwd=ROOT,
                          stderr=subprocess.PIPE, text=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_print_to_a_full_disk_is_one_line_under_run():
    r = _run_printing("> /dev/full")
    assert r.returncode == 2 and r.stderr == "error: cannot write to standard output: No space left on device\n"


def test_print_to_a_closed_standard_output_is_one_line_under_run():
    r = _run_printing(">&-")
    assert r.returncode == 2 and r.stderr == "error: standard output is closed; nothing was written\n"


def test_run_puts_standard_output_back(capsys):
    import sys as _sys
    before = _sys.stdout
    assert run(lambda argv: print("x")) == 0
    assert _sys.stdout is before and capsys.readouterr().out == "x\n"


# --- issue 21.3: the atomic rename replaces only a regular file --------------------------------

@pytest.mark.parametrize("kind", ["FIFO", "device", "folder", "symlink"])
def test_atomic_write_refuses_to_replace_anything_but_a_regular_file(tmp_path, kind):
    import stat
    from common.cli import atomic_write
    path = tmp_path / "out.csv"
    if kind == "FIFO":
        os.mkfifo(path)
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # /dev/full's numbers, in tmp_path
    elif kind == "folder":
        path.mkdir()
    else:
        (tmp_path / "target").write_text("kept")
        path.symlink_to(tmp_path / "target")
    before = path.lstat()
    with pytest.raises(UserError, match="not a regular file; it was not replaced"):
        atomic_write(path, "a,b\n")
    after = path.lstat()
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.csv"] + (["target"] if kind == "symlink" else []))


def test_atomic_write_replaces_a_regular_file(tmp_path):
    from common.cli import atomic_write
    (tmp_path / "a.txt").write_text("old")
    atomic_write(tmp_path / "a.txt", "new")
    assert (tmp_path / "a.txt").read_text() == "new"

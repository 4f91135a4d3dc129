"""common.lock: one holder at a time, a clear message naming the holder, and no stale lock
after a kill -9."""
import json
import os
import signal
import subprocess
import sys

import pytest

from common.cli import UserError
from common.lock import Busy, hold, pid_alive
from support import ROOT

HOLD = ("import sys, time; from pathlib import Path; from common.lock import hold\n"
        "with hold(Path(sys.argv[1]), 'the folder') as lock:\n"
        "    lock.write({'groups': {'vae': 123}}); print('held', flush=True); time.sleep(3600)\n")


def _holder(path):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_holder_is_told_who_holds_it(tmp_path):
    proc = _holder(tmp_path / "lock")
    try:
        with pytest.raises(Busy, match=f"the folder is in use by process {proc.pid}"):
            with hold(tmp_path / "lock", "the folder"):
                pass
    finally:
        proc.kill()
        proc.wait()


def test_kill_9_releases_the_lock_and_leaves_the_record(tmp_path):
    proc = _holder(tmp_path / "lock")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with hold(tmp_path / "lock", "the folder") as lock:
        assert lock.previous == {"pid": proc.pid, "groups": {"vae": 123}}
        assert lock.record == {"pid": os.getpid()}
    assert not pid_alive(proc.pid)


# --- issue 21.1: the lock path is never followed or replaced ----------------------------

def test_a_symlink_at_the_lock_path_is_refused_and_its_target_untouched(tmp_path):
    victim = tmp_path / "precious"
    victim.write_text("precious\n")
    (tmp_path / "lock").symlink_to(victim)
    with pytest.raises(UserError, match="not a regular file"):
        with hold(tmp_path / "lock", "the folder"):
            pass
    assert victim.read_text() == "precious\n"


def test_a_fifo_at_the_lock_path_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "lock")
    with pytest.raises(UserError, match="not a regular file"):
        with hold(tmp_path / "lock", "the folder"):
            pass


def test_a_folder_at_the_lock_path_is_one_line(tmp_path):
    (tmp_path / "lock").mkdir()
    with pytest.raises(UserError, match="lock"):
        with hold(tmp_path / "lock", "the folder"):
            pass


def test_a_new_lock_file_is_created_with_its_record(tmp_path):
    with hold(tmp_path / "lock", "the folder"):
        assert (tmp_path / "lock").is_file() and not (tmp_path / "lock").is_symlink()
    assert json.loads((tmp_path / "lock").read_text()) == {"pid": os.getpid()}


CHILD = ("import sys; from pathlib import Path; from common.cli import run; from common.lock import hold\n"
         "def main(argv):\n"
         "    with hold(Path(sys.argv[1]), 'the folder') as lock:\n"
         "        print('inherited' if lock.inherited else 'own', flush=True)\n"
         "sys.exit(run(main))\n")


def _child(path, env):
    return subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=dict(env, PYTHONPATH=str(ROOT)))


def test_a_lock_handed_down_to_our_child_lets_it_write(tmp_path):
    """The report holds DIR's lock while its experiments (its children) write into DIR."""
    from common.lock import handed_down
    with hold(tmp_path / "lock", "the folder") as lock:
        lock.write({"groups": {"vae": 1}})
        r = _child(tmp_path / "lock", handed_down(dict(os.environ)))
        assert r.returncode == 0 and r.stdout == "inherited\n", r.stderr
        assert json.loads((tmp_path / "lock").read_text()) == {"pid": os.getpid(), "groups": {"vae": 1}}


def test_a_lock_named_as_handed_down_by_another_process_is_busy(tmp_path):
    from common.lock import HELD_BY_ENV
    proc = _holder(tmp_path / "lock")
    try:
        r = _child(tmp_path / "lock", dict(os.environ, **{HELD_BY_ENV: str(proc.pid)}))
        assert r.returncode == 2 and f"in use by process {proc.pid}" in r.stderr
    finally:
        proc.kill()
        proc.wait()


def test_a_child_whose_parent_let_go_of_the_lock_does_not_take_it(tmp_path):
    """A report killed before its child asked for the lock: the orphan must not hold DIR (the
    next build could not end it and would find DIR in use)."""
    from common.lock import HELD_BY_ENV
    r = _child(tmp_path / "lock", dict(os.environ, **{HELD_BY_ENV: "99999999"}))
    assert r.returncode == 2 and "no longer holds its lock" in r.stderr and len(r.stderr.splitlines()) == 1
    with hold(tmp_path / "lock", "the folder") as lock:  # and it left the lock free
        assert not lock.inherited

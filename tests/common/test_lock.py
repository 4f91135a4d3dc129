"""common.lock: one holder at a time, a clear message naming the holder, and no stale lock
after a kill -9."""
import os
import signal
import subprocess
import sys

import pytest

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

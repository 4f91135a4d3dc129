"""The worker's limits: a job that runs too long or takes too much memory is
inconclusive, and the next job still runs."""
import time

from check.sandbox import Sandbox


def _forever():
    while True:
        pass


def _hog():
    blocks = []
    while True:
        blocks.append(bytearray(50 * 2 ** 20))


def _ok():
    return {"verdict": "proved", "detail": "ok", "counterexample": None}


def _boom():
    raise ZeroDivisionError("a bug")


def test_time_limit_then_next_job():
    t = time.perf_counter()
    out = Sandbox([_forever, _ok], seconds=1).run_all()
    assert out[0]["verdict"] == "inconclusive" and "time limit" in out[0]["detail"]
    assert out[1]["verdict"] == "proved"
    assert time.perf_counter() - t < 30


def test_memory_limit_then_next_job():
    out = Sandbox([_hog, _ok], memory_mb=300).run_all()
    assert out[0]["verdict"] == "inconclusive" and "memory limit (300 MB)" in out[0]["detail"]
    assert out[1]["verdict"] == "proved"


def test_an_exception_is_inconclusive_not_fatal():
    out = Sandbox([_boom, _ok]).run_all()
    assert out[0]["verdict"] == "inconclusive" and "ZeroDivisionError" in out[0]["detail"]
    assert out[1]["verdict"] == "proved"


def test_the_file_time_limit_bounds_many_slow_steps():
    """Issue 21, item 8: the file's CPU time is bounded too; once it is spent, the remaining
    steps are inconclusive and say so (without running). (The file's limit is the step's: one
    step spends it, and each CPU-second of a limit costs a CPU-second of the test.)"""
    out = Sandbox([_forever, _forever, _ok], seconds=1, file_seconds=1).run_all()
    assert [o["verdict"] for o in out] == ["inconclusive"] * 3
    # the CPU limit, or on a heavily loaded machine the wall-clock guard first: either spends the file's second
    assert "time limit (1 s) reached" in out[0]["detail"] or "s wall clock) reached" in out[0]["detail"]
    assert all("the file's time limit (1 s) was reached before this step" in o["detail"] for o in out[1:])


def test_a_bug_in_the_judge_is_reported_as_one(monkeypatch):
    """An exception in the judge is never a verdict: in the sandbox it is an internal error
    named in the file's errors (and the command's exit status 1); in this process it raises."""
    import pytest
    from check import judge
    from checkhelp import check

    def broken(*args):
        raise TypeError("a bug")
    monkeypatch.setattr(judge, "_judge", broken)
    r = check("$$ x = x $$", seconds=5)
    assert r.internal == [1] and r.errors == ["line 1: internal error: TypeError: a bug (a bug in the checker)"]
    with pytest.raises(TypeError, match="a bug"):
        check("$$ x = x $$")

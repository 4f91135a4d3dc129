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

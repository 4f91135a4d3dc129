"""A class graded at once: ``python -m check DIR/*.tex --part 2.a --csv grades.csv --jobs N`` on
300 student-style files (:mod:`bench.classroom`, written into a temporary folder).

- ``grade300_per_file_jobs1``: seconds per file of the class with ``--jobs 1`` against one file
  checked alone (``python -m check FILE --part 2.a``, the class's first file; median of 3): below 1,
  the class shares the command's start-up;
- ``grade300_per_file_jobs2``: the same with ``--jobs 2``;
- ``grade300_jobs2_vs_jobs1``: the class with ``--jobs 2`` against ``--jobs 1``; the ratio is the
  inverse speed-up (1/ratio is the speed-up of two jobs).

Each class is graded 3 times with each ``--jobs``, alternating (medians; a run takes minutes), in a
fresh process, warm (the derivation cache holds the reference), with ``--format json``. Every
run's CSV and JSON must be byte-identical, or the benchmark fails.

The speed-up needs a second core that is free: Linux's autogroup scheduler (``cat
/proc/sys/kernel/sched_autogroup_enabled``) shares the cores between sessions, not processes, so on
a machine where other sessions keep both cores busy the two jobs share this session's one share
and the ratio stays near 1.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.classroom import write_class
from bench.timing import compare

__all__ = ["comparisons", "CLASS_SIZE"]

CLASS_SIZE = 300
REPEATS = 3  # runs of each, alternating (the machine may be busy): medians


def _seconds(args: list[str], env: dict, stdout=subprocess.DEVNULL) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "check", *args, "--part", "2.a"], env=env, check=False, stdout=stdout)
    return time.perf_counter() - t


def _grade(files: list[str], jobs: int, env: dict, folder: Path) -> bytes:
    """The CSV and the JSON of the class graded with ``--jobs``."""
    csv, out = folder / f"grades-{jobs}.csv", folder / f"grades-{jobs}.json"
    with out.open("wb") as fh:
        _seconds([*files, "--csv", str(csv), "--format", "json", "--jobs", str(jobs)], env, fh)
    if len(csv.read_text(encoding="utf-8").splitlines()) != len(files) + 1:
        raise AssertionError(f"--jobs {jobs} did not write a row per file")
    return csv.read_bytes() + out.read_bytes()


def comparisons(n: int = CLASS_SIZE, repeats: int = REPEATS) -> list[tuple[str, float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HW6_CACHE_DIR=os.environ.get("HW6_CACHE_DIR", str(Path(tmp) / "cache")))
        files = [str(p) for p in write_class(Path(tmp) / "class", n)]
        alone = [_seconds([files[0]], env) for _ in range(4)][1:]  # the first fills the cache
        outputs = {1: set(), 2: set()}

        def graded(jobs):
            def run():
                outputs[jobs].add(_grade(files, jobs, env, Path(tmp)))
            return run

        j2, j1 = compare(graded(2), graded(1), repeats=repeats, warmup=0)
        if len(outputs[1] | outputs[2]) != 1:
            raise AssertionError("the class's CSV or JSON differs between runs or between --jobs 1 and --jobs 2")
    one = statistics.median(alone)
    return [(f"grade{n}_per_file_jobs1", j1 / n, one), (f"grade{n}_per_file_jobs2", j2 / n, one),
            (f"grade{n}_jobs2_vs_jobs1", j2, j1)]

"""A class graded at once: ``python -m check DIR/*.tex --part 2.a --csv grades.csv --jobs N`` on
300 student-style files (:mod:`bench.classroom`, written into a temporary folder).

- ``grade300_per_file_jobs1``: seconds per file of the class with ``--jobs 1`` against one file
  checked alone (``python -m check FILE --part 2.a``, the class's first file; median of 3): below 1,
  the class shares the command's start-up;
- ``grade300_per_file_jobs2``: the same with ``--jobs 2``;
- ``grade300_jobs2_vs_jobs1``: the class with ``--jobs 2`` against ``--jobs 1``; the ratio is the
  inverse speed-up (1/ratio is the speed-up of two jobs).

Each class run is one run (a run takes minutes), in a fresh process, warm (the derivation cache
holds the reference). The two runs' CSVs must be byte-identical, or the benchmark fails.
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

__all__ = ["comparisons", "CLASS_SIZE"]

CLASS_SIZE = 300


def _seconds(args: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "check", *args, "--part", "2.a"], env=env, check=False,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def comparisons(n: int = CLASS_SIZE) -> list[tuple[str, float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HW6_CACHE_DIR=os.environ.get("HW6_CACHE_DIR", str(Path(tmp) / "cache")))
        files = [str(p) for p in write_class(Path(tmp) / "class", n)]
        alone = [_seconds([files[0]], env) for _ in range(4)][1:]  # the first fills the cache
        csv = {jobs: Path(tmp) / f"grades-{jobs}.csv" for jobs in (1, 2)}
        took = {jobs: _seconds([*files, "--csv", str(csv[jobs]), "--jobs", str(jobs)], env) for jobs in (1, 2)}
        if csv[1].read_bytes() != csv[2].read_bytes():
            raise AssertionError("the class's CSV differs between --jobs 1 and --jobs 2")
    one = statistics.median(alone)
    return [(f"grade{n}_per_file_jobs1", took[1] / n, one), (f"grade{n}_per_file_jobs2", took[2] / n, one),
            (f"grade{n}_jobs2_vs_jobs1", took[2], took[1])]

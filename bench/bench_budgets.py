"""Wall time of the long commands against the time budgets their issues set.

These targets are absolute (a 2-core machine), so the "reference" column is the budget in
seconds and the ratio is the fraction of the budget used (<= 1 meets it). Each command
runs once, in a fresh output folder, after one warm-up of the derivation cache; the report
rebuild reuses the folder of the default build.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time

__all__ = ["comparisons"]

BUDGETS = [  # (name, arguments after python -m, budget seconds, reuse previous folder)
    ("numeric sgd (default)", ["numeric", "sgd"], 60, False),
    ("numeric gan (default)", ["numeric", "gan"], 60, False),
    ("numeric gan --quick", ["numeric", "gan", "--quick"], 10, False),
    ("numeric vae (default)", ["numeric", "vae"], 60, False),
    ("report --quick", ["report", "--quick"], 30, False),
    ("report (default, clean)", ["report"], 60, False),      # issue 20: the README's first command
    ("report rebuild (unchanged)", ["report"], 5, True),     # issue 20: a second run, nothing changed
]


def _time(args, out) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", *args, "--quiet", "--out", out], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def comparisons():
    """One row per command, yielded as soon as it is measured (the whole list takes minutes)."""
    subprocess.run([sys.executable, "-m", "derive"], check=True, stdout=subprocess.DEVNULL)
    out = None
    with tempfile.TemporaryDirectory() as root:
        for i, (name, args, budget, reuse) in enumerate(BUDGETS):
            out = out if reuse else f"{root}/{i}"
            yield name, _time(args, out), float(budget)

"""``python -m bench [NAME ...]``: one line per comparison,
``NAME  ours_seconds  reference_seconds  ratio``."""
from __future__ import annotations

import sys
from importlib import import_module

from common.cli import Parser, UserError, run

from bench.timing import line

__all__ = ["main", "BENCHES"]

# benchmark name -> module exposing ``comparisons() -> list[(name, ours_s, ref_s)]``
BENCHES = {
    "derive": "bench.bench_derive",
    "sgd": "bench.bench_sgd",
    "budgets": "bench.bench_budgets",
    "check": "bench.bench_check",
    "grade": "bench.bench_grade",
}


def main(argv=None) -> int:
    p = Parser(prog="python -m bench", description="Run benchmarks; print ratios to references.")
    p.add_argument("names", nargs="*", metavar="NAME", help=f"any of {', '.join(BENCHES)} (default: all)")
    args = p.parse_args(argv)
    for n in args.names:
        if n not in BENCHES:
            raise UserError(f"unknown benchmark {n!r}; choose from {', '.join(BENCHES)}")
    print(f"{'NAME':<32s} {'ours_s':>10s} {'ref_s':>10s} {'ratio':>8s}")
    for n in args.names or BENCHES:
        for name, ours, ref in import_module(BENCHES[n]).comparisons():
            print(line(name, ours, ref), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run(main))

"""``python -m numeric EXPERIMENT [options]``: run an experiment (see ``--help``)."""
from __future__ import annotations

import sys
from importlib import import_module

from common.cli import Parser, run

from numeric.experiment import EXPERIMENTS

__all__ = ["main"]

def main(argv=None) -> int:
    p = Parser(prog="python -m numeric", description="Run the Homework 6 experiments.")
    sub = p.add_subparsers(dest="experiment", metavar="EXPERIMENT", parser_class=Parser)
    sub.required = True
    mods = {}
    for name, e in EXPERIMENTS.items():
        try:
            mods[name] = import_module(e.module)
        except ModuleNotFoundError as exc:
            if exc.name != e.module:
                raise
            continue
        mods[name].add_arguments(sub.add_parser(name, help=e.summary, description=e.summary))
    args = p.parse_args(argv)
    return mods[args.experiment].main(args)


if __name__ == "__main__":
    sys.exit(run(main))

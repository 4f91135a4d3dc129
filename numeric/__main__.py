"""``python -m numeric EXPERIMENT [options]``: run an experiment (see ``--help``)."""
from __future__ import annotations

import sys
from importlib import import_module

from common.cli import Parser, run

# experiment name -> module exposing ``add_arguments(parser)`` and ``main(args) -> int``
EXPERIMENTS = {
    "sgd": ("numeric.sgd.experiment", "minibatch SGD and heavy ball (Problem 1)"),
    "gan": ("numeric.gan.experiment", "the GAN thought experiments (Problem 4)"),
    "vae": ("numeric.vae.experiment", "a small VAE trained with the derived gradients"),
}


def main(argv=None) -> int:
    p = Parser(prog="python -m numeric", description="Run the Homework 6 experiments.")
    sub = p.add_subparsers(dest="experiment", metavar="EXPERIMENT", parser_class=Parser)
    sub.required = True
    mods = {}
    for name, (modname, help_) in EXPERIMENTS.items():
        try:
            mods[name] = import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name != modname:
                raise
            continue
        mods[name].add_arguments(sub.add_parser(name, help=help_, description=help_))
    args = p.parse_args(argv)
    return mods[args.experiment].main(args)


if __name__ == "__main__":
    sys.exit(run(main))

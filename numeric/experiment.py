"""The experiments: what an experiment module provides, and the one registry of them.

An experiment is a module with two functions (:class:`ExperimentModule`):

- ``add_arguments(parser)``: its command-line options (``python -m numeric NAME --help``);
- ``main(args) -> int``: run it, write ``DIR/NAME/results.json`` and its figures.

:data:`EXPERIMENTS` names each one with the problem of the seed it answers. ``python -m numeric``
and ``report`` both read this registry; neither keeps a copy of it.

>>> [e.name for e in EXPERIMENTS.values()]
['sgd', 'gan', 'vae']
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["Experiment", "ExperimentModule", "EXPERIMENTS"]


class ExperimentModule(Protocol):
    def add_arguments(self, parser) -> None: ...

    def main(self, args) -> int: ...


@dataclass(frozen=True)
class Experiment:
    """name: the command's name; module: the :class:`ExperimentModule`; summary: one line for
    ``--help``; problem: the seed's problem it answers; optional: beyond the seed (the writeup
    prints no "not available" note while it does not exist)."""

    name: str
    module: str
    summary: str
    problem: str
    optional: bool = False


EXPERIMENTS = {e.name: e for e in (
    Experiment("sgd", "numeric.sgd.experiment", "minibatch SGD and heavy ball (Problem 1)", "1"),
    Experiment("gan", "numeric.gan.experiment", "the GAN thought experiments (Problem 4)", "4"),
    Experiment("vae", "numeric.vae.experiment", "a small VAE trained with the derived gradients", "3",
               optional=True),
)}

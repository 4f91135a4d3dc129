"""The experiments: what an experiment module provides, and the one registry of them.

An experiment is a module with three functions (:class:`ExperimentModule`):

- ``add_arguments(parser)``: its command-line options (``python -m numeric NAME --help``);
- ``check(args)``: refuse bad options (:class:`common.cli.UserError`) as ``main`` would before it
  runs, beyond what the parser checks (values that depend on each other, the memory the run
  needs: :mod:`numeric.memory`), without running; ``report --config`` calls it on every table;
- ``main(args) -> int``: run it, write ``DIR/NAME/results.json`` and its figures (through
  :func:`numeric.outputs.staged`, which also writes the record ``DIR/NAME/run.json``).

Each experiment package owns the JSON Schema of its results, ``numeric/NAME/schema.json``
(:meth:`Experiment.schema`); the report validates every result file against it before it
reads or reuses it.

:data:`EXPERIMENTS` names each one with the problem of the seed it answers. ``python -m numeric``
and ``report`` both read this registry; neither keeps a copy of it. A caller that reuses results
without running the experiment removes the staging folders a killed run left with
:func:`discard_stale_stages` (re-exported from :mod:`numeric.outputs`, where ``staged`` makes them).

>>> [e.name for e in EXPERIMENTS.values()]
['sgd', 'gan', 'vae']
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Protocol

from numeric.outputs import discard_stale_stages

__all__ = ["Experiment", "ExperimentModule", "EXPERIMENTS", "discard_stale_stages"]


class ExperimentModule(Protocol):
    def add_arguments(self, parser) -> None: ...

    def check(self, args) -> None: ...

    def main(self, args) -> int: ...


@dataclass(frozen=True)
class Experiment:
    """name: the command's name; module: the :class:`ExperimentModule`; summary: one line for
    ``--help``; problem: the seed's problem it answers; optional: beyond the seed (the writeup
    prints no "not available" note while it does not exist); inputs: the options whose value
    is an input file (the reuse key covers the file's bytes)."""

    name: str
    module: str
    summary: str
    problem: str
    optional: bool = False
    inputs: tuple[str, ...] = ()

    @property
    def package(self) -> str:
        return self.module.rpartition(".")[0]

    def schema(self) -> dict:
        """The JSON Schema of ``DIR/NAME/results.json`` (``numeric/NAME/schema.json``)."""
        return json.loads(resources.files(self.package).joinpath("schema.json").read_text())


EXPERIMENTS = {e.name: e for e in (
    Experiment("sgd", "numeric.sgd.experiment", "minibatch SGD and heavy ball (Problem 1)", "1",
               inputs=("data",)),
    Experiment("gan", "numeric.gan.experiment", "the GAN thought experiments (Problem 4)", "4"),
    Experiment("vae", "numeric.vae.experiment", "a small VAE trained with the derived gradients", "3",
               optional=True),
)}

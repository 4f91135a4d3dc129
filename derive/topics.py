"""The registry of topics: topic name -> module whose ``BUILDERS`` build its derivations.

Each topic module lists the functions that build its :class:`~derive.engine.chain.Derivation`
values, in the order the writeup prints them. Loading goes through the disk cache
(:mod:`derive.engine.cache`, one entry per topic); the topics missing from it are built
together, their builders spread over the machine's cores (:mod:`derive.engine.parallel`).
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Iterable

from derive.engine.cache import lookup, store

if TYPE_CHECKING:  # importing the engine imports SymPy; a cached run avoids that
    from derive.engine.chain import Derivation

__all__ = ["TOPICS", "load", "get", "ids"]

TOPICS = {
    "kl": "derive.kl",
    "elbo": "derive.elbo",
    "sgd": "derive.sgd",
    "gan": "derive.gan",
}


def _build(topics: list[str]) -> dict[str, tuple[Derivation, ...]]:
    """The derivations of ``topics``, their builders run in parallel processes."""
    from derive.engine.parallel import run_all
    builders = {t: import_module(TOPICS[t]).BUILDERS for t in topics}
    built = iter(run_all([b for t in topics for b in builders[t]]))
    return {t: tuple(next(built) for _ in builders[t]) for t in topics}


def load(topics: Iterable[str] | None = None) -> list[Derivation]:
    """The derivations of ``topics`` (default: all), built or read from the cache."""
    names = list(dict.fromkeys(topics or TOPICS))
    for t in names:
        if t not in TOPICS:
            raise KeyError(t)
    found = {t: lookup(f"topic-{t}") for t in names}
    missing = [t for t in names if found[t] is None]
    if missing:
        for t, ds in _build(missing).items():
            store(f"topic-{t}", ds)
            found[t] = ds
    return [d for t in names for d in found[t]]


def get(id: str) -> Derivation:
    """One derivation by id, e.g. ``get("kl.univariate")``."""
    topic = id.split(".", 1)[0]
    for d in load([topic]):
        if d.id == id:
            return d
    raise KeyError(id)


def ids(topics: Iterable[str] | None = None) -> list[str]:
    return [d.id for d in load(topics)]

"""The registry of topics: topic name -> module whose ``derivations()`` builds them, and the
seed's problem each topic answers (:data:`PROBLEMS`; the writeup prints topics in that order).

Each topic module returns a list of :class:`~derive.engine.chain.Derivation` in the order the
writeup prints them. Loading goes through the disk cache (:mod:`derive.engine.cache`).
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Iterable

from derive.engine.cache import cached

if TYPE_CHECKING:  # importing the engine imports SymPy; a cached run avoids that
    from derive.engine.chain import Derivation

__all__ = ["TOPICS", "PROBLEMS", "in_problem_order", "load", "get", "ids"]

TOPICS = {
    "kl": "derive.kl",
    "elbo": "derive.elbo",
    "sgd": "derive.sgd",
    "gan": "derive.gan",
}
PROBLEMS = {"sgd": "1", "kl": "2", "elbo": "3", "gan": "4"}


def in_problem_order() -> tuple[str, ...]:
    """The topics in the seed's order (Problems 1 to 4).

    >>> in_problem_order()
    ('sgd', 'kl', 'elbo', 'gan')
    """
    return tuple(sorted(TOPICS, key=PROBLEMS.__getitem__))


def _build(topic: str) -> tuple[Derivation, ...]:
    return tuple(import_module(TOPICS[topic]).derivations())


def _derivations(value) -> bool:
    """What a topic's cache entry must hold: a tuple of derivations."""
    from derive.engine.chain import Derivation
    return isinstance(value, tuple) and all(isinstance(d, Derivation) for d in value)


def load(topics: Iterable[str] | None = None) -> list[Derivation]:
    """The derivations of ``topics`` (default: all), built or read from the cache."""
    out: list[Derivation] = []
    for t in (topics or TOPICS):
        if t not in TOPICS:
            raise KeyError(t)
        out.extend(cached(f"topic-{t}", lambda t=t: _build(t), check=_derivations))
    return out


def get(id: str) -> Derivation:
    """One derivation by id, e.g. ``get("kl.univariate")``."""
    topic = id.split(".", 1)[0]
    for d in load([topic]):
        if d.id == id:
            return d
    raise KeyError(id)


def ids(topics: Iterable[str] | None = None) -> list[str]:
    return [d.id for d in load(topics)]

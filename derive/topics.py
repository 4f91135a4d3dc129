"""The registry of topics: topic name -> module whose ``BUILDERS`` build its derivations, and
the seed's problem each topic answers (:data:`PROBLEMS`; the writeup prints topics in that order).

Each topic module lists the functions that build its :class:`~derive.engine.chain.Derivation`
values, in the order the writeup prints them. Loading goes through the disk cache
(:mod:`derive.engine.cache`, one entry per topic); the topics missing from it are built
together, their builders spread over the machine's cores (:mod:`derive.engine.parallel`).
"""
from __future__ import annotations

from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING, Iterable, NamedTuple

from derive.engine.cache import loads, lookup, store

if TYPE_CHECKING:  # importing the engine imports SymPy; a cached run avoids that
    from derive.engine.chain import Derivation

__all__ = ["TOPICS", "PROBLEMS", "in_problem_order", "Built", "built", "load", "get", "ids"]


class Built(NamedTuple):
    """One derivation as it is cached: stored (``derive.engine.cache.dumps``, a format that
    cannot run code) and rendered."""

    blob: bytes    # the Derivation
    json: dict     # its object of the JSON contract
    latex: str     # its block in ``python -m derive``
    section: str   # its section of ``python -m derive --standalone``

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


def _built(builder) -> Built:
    """Build (and so verify) one derivation, then render it (in a worker process)."""
    from derive.engine.cache import dumps
    from derive.engine.render import section
    from derive.printing import DOCUMENT, to_json_obj, to_latex
    d = builder()
    tex = to_latex(d)
    return Built(dumps(d), to_json_obj(d), f"% {d.id} ({d.problem}): {d.title}\n{tex}", section(d, DOCUMENT, tex))


def _build(topics: list[str]) -> dict[str, tuple[Built, ...]]:
    """The derivations of ``topics``, their builders run in parallel processes."""
    from derive.engine.parallel import run_all
    builders = {t: import_module(TOPICS[t]).BUILDERS for t in topics}
    done = iter(run_all([partial(_built, b) for t in topics for b in builders[t]]))
    return {t: tuple(next(done) for _ in builders[t]) for t in topics}


def _records(value) -> bool:
    """What a topic's cache entry must hold: a tuple of :class:`Built` whose blobs decode to
    derivations (a value of another kind is rebuilt, not used)."""
    from derive.engine.chain import Derivation

    def derivation(blob) -> bool:
        try:
            return isinstance(loads(blob), Derivation)
        except ValueError:
            return False
    return isinstance(value, tuple) and all(
        isinstance(r, Built) and isinstance(r.blob, bytes) and isinstance(r.json, dict)
        and isinstance(r.latex, str) and isinstance(r.section, str) and derivation(r.blob) for r in value)


def built(topics: Iterable[str] | None = None) -> list[Built]:
    """The derivations of ``topics`` (default: all), built or read from the cache."""
    names = list(dict.fromkeys(topics or TOPICS))
    for t in names:
        if t not in TOPICS:
            raise KeyError(t)
    found = {t: lookup(f"topic-{t}", check=_records) for t in names}
    missing = [t for t in names if found[t] is None]
    if missing:
        for t, records in _build(missing).items():
            store(f"topic-{t}", records)
            found[t] = records
    return [r for t in names for r in found[t]]


def load(topics: Iterable[str] | None = None) -> list[Derivation]:
    """The derivations of ``topics`` (default: all), built or read from the cache."""
    return [loads(r.blob) for r in built(topics)]


def get(id: str) -> Derivation:
    """One derivation by id, e.g. ``get("kl.univariate")``."""
    topic = id.split(".", 1)[0]
    for d in load([topic]):
        if d.id == id:
            return d
    raise KeyError(id)


def ids(topics: Iterable[str] | None = None) -> list[str]:
    return [d.id for d in load(topics)]

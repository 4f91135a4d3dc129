"""Shared timing: medians of repeated runs, alternating ours and the reference."""
from __future__ import annotations

import statistics
import time
from typing import Callable

__all__ = ["compare", "line"]


def compare(ours: Callable[[], object], reference: Callable[[], object], repeats: int = 5,
            warmup: int = 1) -> tuple[float, float]:
    """Median seconds of ``ours()`` and ``reference()``, run alternately ``repeats`` times."""
    for _ in range(warmup):
        ours(), reference()
    a, b = [], []
    for _ in range(repeats):
        t = time.perf_counter(); ours(); a.append(time.perf_counter() - t)
        t = time.perf_counter(); reference(); b.append(time.perf_counter() - t)
    return statistics.median(a), statistics.median(b)


def line(name: str, ours: float, ref: float) -> str:
    """``NAME  ours_seconds  reference_seconds  ratio``."""
    return f"{name:<32s} {ours:10.4f} {ref:10.4f} {ours / ref:8.3f}"

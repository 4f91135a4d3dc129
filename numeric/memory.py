"""The memory an experiment may use, checked before it runs.

Each experiment estimates from its options an upper bound of the bytes it will hold at once
(``numeric.sgd.experiment.memory_needed``, ``numeric.gan.experiment.memory_needed``,
``numeric.vae.experiment.memory_needed``) and calls :func:`check_memory`, which refuses a run
above :func:`memory_limit` in one line (exit status 2), before anything is allocated: NumPy's
``_ArrayMemoryError`` half way through a run, or a machine driven into swap, is never the answer.

>>> check_memory(2 ** 20, "--seeds 5")
>>> try:
...     check_memory(2 ** 60, "--hidden 100000000")
... except Exception as exc:
...     print(str(exc).split(" of memory")[0])
--hidden 100000000 needs about 1.07×10⁹ GiB
"""
from __future__ import annotations

import os

from common.cli import UserError

__all__ = ["memory_limit", "check_memory", "gib"]


def memory_limit() -> int:
    """Bytes a run may use: half of this machine's physical memory."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (ValueError, OSError, AttributeError):
        return 8 * 2 ** 30


def gib(x: int) -> str:
    """``x`` bytes as GiB, for a message."""
    from common import numfmt
    return f"{numfmt.text(x / 2 ** 30)} GiB"


def check_memory(need: int, what: str) -> None:
    """Raise :class:`UserError` when ``need`` bytes (what ``what``, the options that cause
    it, needs) are above :func:`memory_limit`."""
    limit = memory_limit()
    if need > limit:
        raise UserError(f"{what} needs about {gib(need)} of memory, above the limit of {gib(limit)} "
                        "(half of this machine's memory)")

"""Fixtures the numeric tests share: one real ``python -m numeric NAME --quick`` run of each
experiment per test run (whatever the number of pytest-xdist workers), made as ``python -m report
--quick`` makes them (:func:`support.quick_experiments`: the quick build of the writeup reuses
them) when a test first asks for one (the CLI tests, the schema tests and the report read the
same results, and never change them)."""
import pytest

from support import quick_experiments


class QuickRuns:
    """``runs[NAME]``: ``(CompletedProcess, DIR)`` of ``python -m numeric NAME --quick --out=DIR --quiet``."""

    def __init__(self, factory):
        self.factory = factory

    def __getitem__(self, name: str):
        procs, out = quick_experiments(self.factory)
        return procs[name], out


@pytest.fixture(scope="session")
def quick_runs(tmp_path_factory):
    return QuickRuns(tmp_path_factory)

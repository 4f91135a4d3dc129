"""Fixtures the numeric tests share: one real ``python -m numeric NAME --quick`` run of each
experiment per test run (whatever the number of pytest-xdist workers), made when a test first
asks for it (the CLI tests and the schema tests read the same results, and never change them)."""
import pytest

from support import module_once


class QuickRuns:
    """``runs[NAME]``: ``(CompletedProcess, DIR)`` of ``python -m numeric NAME --quick --quiet --out DIR``."""

    def __init__(self, factory):
        self.factory = factory

    def __getitem__(self, name: str):
        return module_once(self.factory, f"{name}-quick", "numeric", name, "--quick", "--quiet")


@pytest.fixture(scope="session")
def quick_runs(tmp_path_factory):
    return QuickRuns(tmp_path_factory)

"""Fixtures the numeric tests share: one real ``python -m numeric NAME --quick`` run of each
experiment per session, made when a test first asks for it (the CLI tests and the schema tests
read the same results)."""
import pytest

from support import run_module


class QuickRuns:
    """``runs[NAME]``: ``(CompletedProcess, DIR)`` of ``python -m numeric NAME --quick --quiet --out DIR``."""

    def __init__(self, factory):
        self.factory, self.done = factory, {}

    def __getitem__(self, name: str):
        if name not in self.done:
            out = self.factory.mktemp(f"{name}-quick")
            self.done[name] = (run_module("numeric", name, "--quick", "--quiet", "--out", str(out)), out)
        return self.done[name]


@pytest.fixture(scope="session")
def quick_runs(tmp_path_factory):
    return QuickRuns(tmp_path_factory)

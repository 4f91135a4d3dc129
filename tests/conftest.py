"""Shared test fixtures: a private derivation cache so tests never trust a stale one (one per
test run, filled by whichever pytest-xdist worker derives first)."""
import os

import pytest

from support import run_root


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    folder = run_root(tmp_path_factory) / "derive-cache"
    folder.mkdir(mode=0o700, exist_ok=True)
    os.environ["HW6_CACHE_DIR"] = str(folder)
    yield

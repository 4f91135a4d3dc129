"""Shared test fixtures: a private derivation cache so tests never trust a stale one."""
import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    os.environ["HW6_CACHE_DIR"] = str(tmp_path_factory.mktemp("derive-cache"))
    yield

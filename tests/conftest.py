"""Shared test fixtures: a private derivation cache so tests never trust a stale one."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    os.environ["HW6_CACHE_DIR"] = str(tmp_path_factory.mktemp("derive-cache"))
    yield


def run_module(*args, timeout=600, **kw):
    """Run ``python -m ...`` from the repository root; returns CompletedProcess."""
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, **kw)


def have_tex() -> bool:
    return shutil.which("pdflatex") is not None and shutil.which("latexmk") is not None

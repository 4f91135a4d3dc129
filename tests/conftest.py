"""Shared test fixtures: a private derivation cache so tests never trust a stale one (one per
test run, filled by whichever pytest-xdist worker derives first). numba's machine code is the
exception: it is keyed on its source (:mod:`numeric.jit`: a changed source is a new file), so
the run's cache links its ``numba`` folder to the user's own (the kernels compile once per
machine, not once per test run); with the user's cache off (``HW6_CACHE_DIR=off``) the run
compiles into its own."""
import os

import pytest

from support import run_root


def _share_numba(folder) -> None:
    """``folder/numba`` -> the ``numba`` folder of the user's cache, when there is one."""
    from derive.engine.cache import private_folder
    machine = private_folder("numba")  # the user's cache (mode 0700, checked); None when off or refused
    if machine is None:
        return
    try:
        (folder / "numba").symlink_to(machine, target_is_directory=True)
    except FileExistsError:  # another pytest-xdist worker linked it first
        pass


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    folder = run_root(tmp_path_factory) / "derive-cache"
    folder.mkdir(mode=0o700, exist_ok=True)
    _share_numba(folder)
    os.environ["HW6_CACHE_DIR"] = str(folder)
    yield

"""numba code that compiles once per machine: generated source, written where numba can cache it.

numba's ``cache=True`` keeps a function's machine code on disk, keyed on the file that holds its
source (its path, size and modification time) and on numba's version. Code made at run time
(the lambdified objective, and the loops that call it) has no such file, so :func:`load` writes
the generated source into ``<cache>/numba/<name>_<sha256 of the source>.py`` and runs it as a
module: a new source is a new file, so a stale cache is never used, and an unchanged one is
never written again (its cache stays valid).

The module is executed from the source in memory, never read back from the file (the file is
there for numba's cache key). The folder is the derivation cache's (:func:`derive.engine.cache.
private_folder`: yours, mode 700, others may not write it); numba keeps its index and machine
code in its ``__pycache__``. Without a usable cache folder (``HW6_CACHE_DIR=off``) the module
is written to a temporary folder of the process and compiled in every process, as numba does
for code without a file.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import sys
import tempfile
import types
from functools import lru_cache
from pathlib import Path

__all__ = ["load"]


@lru_cache(maxsize=1)
def _folder() -> Path:
    """The cache's ``numba`` folder, else a temporary folder removed when the process exits."""
    from derive.engine.cache import private_folder
    folder = private_folder("numba")
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="hw6-numba-"))
        atexit.register(shutil.rmtree, folder, True)
    return folder


def _write_once(path: Path, source: str) -> None:
    """``path`` holds ``source``: written (atomically) only when absent or different, so the
    modification time numba keys its cache on stays that of the first writer."""
    data = source.encode()
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@lru_cache(maxsize=None)
def load(name: str, source: str) -> types.ModuleType:
    """The module ``source`` defines, its numba functions cached on disk, keyed on the source.

    >>> m = load("doc_example", "from numba import njit\\n@njit(cache=True)\\ndef twice(x):\\n    return 2 * x\\n")
    >>> m.twice(21)
    42
    """
    key = hashlib.sha256(source.encode()).hexdigest()[:20]
    modname = f"{name}_{key}"
    path = _folder() / f"{modname}.py"
    _write_once(path, source)
    module = types.ModuleType(modname)
    module.__file__ = str(path)
    sys.modules[modname] = module  # numba finds the functions' module by name
    exec(compile(source, str(path), "exec"), module.__dict__)
    return module

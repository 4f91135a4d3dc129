"""What made an experiment's results: the record ``DIR/NAME/run.json`` and its key.

An experiment writes the record beside its results (:func:`numeric.outputs.staged`); the
report computes the key of the run it would make and reuses the results only when the
recorded key is the same. The key is a SHA-256 of

- the experiment's options as parsed (:func:`options_of`: every option but the output
  folder, ``--quiet`` and ``--jobs``, defaults included, so ``--seeds 3`` and ``--seeds=3``
  agree; an input file's option holds its absolute path),
- the path and the SHA-256 of each input file named by an option (:func:`input_files`),
- the Python version and the versions of :data:`KEY_LIBRARIES`,
- the source of every project module the experiment imports (:func:`source_closure`,
  followed statically from its module).

The record also says how the results were made (``argv``, ``by``: ``"report"`` when
``python -m report`` ran the experiment, ``"command line"`` otherwise) and how long it took.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import platform
import sys
from functools import lru_cache
from pathlib import Path

__all__ = ["RECORD", "KEY_LIBRARIES", "BY_REPORT_ENV", "source_closure", "options_of", "input_files",
           "input_key", "identify", "make_record", "read_record"]

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("common", "derive", "numeric")
RECORD = "run.json"
BY_REPORT_ENV = "HW6_RUN_BY_REPORT"  # set by the report for the experiments it runs
EXCLUDED = ("out", "quiet", "jobs", "experiment")  # where results go, how noisy, how parallel: not inputs
# libraries whose version can change an experiment's output (scikit-learn: the VAE's data
# set is its bundled digits when installed, generated shapes otherwise)
KEY_LIBRARIES = ("numpy", "scipy", "sympy", "numba", "matplotlib", "scikit-learn")


def _module_file(name: str) -> Path | None:
    parts = name.split(".")
    if parts[0] not in PROJECT:
        return None
    base = ROOT.joinpath(*parts)
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _imports(path: Path, module: str) -> frozenset[str]:
    """Project modules that ``path`` imports, plus dotted strings that name one (such
    as the topic registry ``{"kl": "derive.kl"}``, loaded with ``import_module``); parsed once
    per process and version of the file (the experiments share most of their closures)."""
    st = path.stat()
    return _parsed_imports(path, module, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=None)
def _parsed_imports(path: Path, module: str, mtime_ns: int, size: int) -> frozenset[str]:
    tree = ast.parse(path.read_bytes())
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.split(".")[0] in PROJECT and node.value.replace(".", "").replace("_", "").isalnum():
                found.add(node.value)
    return frozenset(m for m in found if m.split(".")[0] in PROJECT)


def source_closure(module: str) -> list[Path]:
    """The source files of ``module`` and of every project module it imports, followed
    transitively (package ``__init__`` files included)."""
    seen: dict[str, Path] = {}
    todo = [module]
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # parent packages run on import
            sub = ".".join(parts[:i])
            if sub in seen:
                continue
            path = _module_file(sub)
            if path is None:
                continue
            seen[sub] = path
            todo.extend(_imports(path, sub))
    return sorted(set(seen.values()))


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def options_of(args) -> dict:
    """The parsed options of an experiment (an ``argparse.Namespace``) as plain JSON values,
    without the output folder and ``--quiet``."""
    return {k: _plain(v) for k, v in sorted(vars(args).items()) if k not in EXCLUDED}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_files(options: dict, names) -> dict:
    """``{option: {"path": absolute path, "sha256": ...}}`` for each option in ``names`` that
    names a regular file (anything else is left to the experiment to refuse)."""
    out = {}
    for name in names:
        value = options.get(name)
        if not isinstance(value, str):
            continue
        path = Path(value).expanduser().absolute()
        try:
            out[name] = {"path": str(path), "sha256": _sha256(path) if path.is_file() else None}
        except OSError:
            out[name] = {"path": str(path), "sha256": None}
    return out


def _version(dist: str) -> str:
    from importlib import metadata
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def input_key(module: str, options: dict, inputs: dict) -> str:
    """SHA-256 of the options, the input files, the Python and library versions and the
    sources of ``module``'s import closure."""
    versions = [platform.python_version()] + [f"{lib}={_version(lib)}" for lib in KEY_LIBRARIES]
    h = hashlib.sha256(json.dumps([module, options, inputs, versions], sort_keys=True).encode())
    for path in source_closure(module):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def identify(module: str, args, input_names) -> tuple[dict, dict, str]:
    """(options, input files, key) of a run of the experiment ``module`` with the parsed
    ``args``; ``input_names`` are the options that name input files."""
    options = options_of(args)
    inputs = input_files(options, input_names)
    options = {**options, **{k: v["path"] for k, v in inputs.items()}}
    return options, inputs, input_key(module, options, inputs)


def make_record(module: str, args, input_names) -> dict:
    """The record of this process's run of the experiment ``module`` with ``args``, made
    before it runs (so the key is that of the sources and inputs it ran on); the caller
    adds ``seconds`` when it is done."""
    options, inputs, key = identify(module, args, input_names)
    return {"schema": "hw6.run/1", "argv": sys.argv[1:], "options": options, "inputs": inputs,
            "key": key, "seconds": None,
            "by": "report" if os.environ.get(BY_REPORT_ENV) else "command line"}


def read_record(folder: Path) -> dict | None:
    """``folder/run.json`` if it is a record, else None."""
    try:
        rec = json.loads((folder / RECORD).read_text())
    except (OSError, ValueError):
        return None
    ok = isinstance(rec, dict) and isinstance(rec.get("key"), str) and isinstance(rec.get("argv"), list)
    return rec if ok else None

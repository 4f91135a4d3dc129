"""Run the experiments of :mod:`numeric`, or reuse their results when nothing changed.

An experiment is run as ``python -m numeric NAME --out DIR --quiet [--quick]``, which
writes ``DIR/NAME/results.json`` and its figures. Beside the results we store
``DIR/NAME/.report-key.json``: a SHA-256 of the experiment's arguments, the Python and
library versions (:data:`KEY_LIBRARIES`) and the source of every project module the experiment imports
(followed statically from ``numeric/NAME/experiment.py``). A later build with the same
key reuses the results instead of running again. The key file is removed before a run
and written after it succeeds, so an interrupted run is never trusted.

Experiments run in parallel (one process each); their output goes to
``DIR/.report/NAME.log``.
"""
from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from common.cli import atomic_write
from numeric.experiment import EXPERIMENTS

__all__ = ["Outcome", "OPTIONAL", "run_experiments", "source_closure", "input_key"]

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("common", "derive", "numeric")
OPTIONAL = frozenset(n for n, e in EXPERIMENTS.items() if e.optional)  # beyond the seed
KEY_FILE = ".report-key.json"


@dataclass(frozen=True)
class Outcome:
    """What one experiment gave this build.

    status: ``"ok"``, ``"missing"`` (its module does not exist yet) or ``"failed"``;
    data: the parsed ``results.json`` (``None`` unless ok); folder: ``DIR/NAME``;
    seconds: wall time of the run that made the results; reused: taken from an earlier
    build; command: the command line that makes them; message: why it is not ok.
    """

    name: str
    status: str
    command: str
    folder: Path
    data: dict | None = None
    seconds: float | None = None
    reused: bool = False
    message: str = ""
    key: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _module_file(name: str) -> Path | None:
    parts = name.split(".")
    if parts[0] not in PROJECT:
        return None
    base = ROOT.joinpath(*parts)
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _imports(path: Path, module: str) -> set[str]:
    """Project modules that ``path`` imports, plus dotted strings that name one (such
    as the topic registry ``{"kl": "derive.kl"}``, loaded with ``import_module``)."""
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
    return {m for m in found if m.split(".")[0] in PROJECT}


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


# libraries whose version can change an experiment's output (scikit-learn: the VAE's data
# set is its bundled digits when installed, generated shapes otherwise)
KEY_LIBRARIES = ("numpy", "scipy", "sympy", "numba", "matplotlib", "scikit-learn")


def _version(dist: str) -> str:
    from importlib import metadata
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def input_key(module: str, argv: list[str]) -> str:
    """SHA-256 of the arguments, the Python and library versions and the sources."""
    versions = [platform.python_version()] + [f"{lib}={_version(lib)}" for lib in KEY_LIBRARIES]
    h = hashlib.sha256(json.dumps([argv, versions]).encode())
    for path in source_closure(module):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _argv(name: str, out: Path, quick: bool) -> list[str]:
    return ["numeric", name, "--out", str(out), "--quiet"] + (["--quick"] if quick else [])


def _display(name: str, quick: bool) -> str:
    return f"python -m numeric {name} --out DIR" + (" --quick" if quick else "")


def _reusable(folder: Path, key: str) -> dict | None:
    """The stored key record if the results in ``folder`` were made with ``key`` and are
    complete (results.json and every figure it names, as .pdf or .png)."""
    try:
        stored = json.loads((folder / KEY_FILE).read_text())
        if stored.get("key") != key:
            return None
        stems = json.loads((folder / "results.json").read_text()).get("figures") or {}
    except (OSError, ValueError, AttributeError):
        return None
    if all(any((folder / f"{s}{ext}").is_file() for ext in (".pdf", ".png")) for s in stems):
        return stored
    return None


def _load(folder: Path) -> dict:
    return json.loads((folder / "results.json").read_text())


def _last_line(log: Path) -> str:
    try:
        lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


def _wait(procs: dict, status) -> dict[str, float]:
    """Wait for every process; returns each one's finishing time (``time.monotonic``)."""
    start, ended = time.monotonic(), {}
    while len(ended) < len(procs):
        for name, (p, *_) in procs.items():
            if name not in ended and p.poll() is not None:
                ended[name] = time.monotonic()
        running = ", ".join(n for n in procs if n not in ended)
        if running:
            status(f"running {running} ({time.monotonic() - start:.0f} s)")
            time.sleep(0.1)
    return ended


def run_experiments(out: Path, quick: bool, status=lambda text: None,
                    names=tuple(EXPERIMENTS)) -> dict[str, Outcome]:
    """Run (in parallel) or reuse each experiment; one :class:`Outcome` per name.

    ``status(text)`` is called with a one-line progress message while they run.
    """
    outcomes: dict[str, Outcome] = {}
    procs = {}
    logs = out / ".report"
    logs.mkdir(parents=True, exist_ok=True)
    for name in names:
        module, folder, command = EXPERIMENTS[name].module, out / name, _display(name, quick)
        if importlib.util.find_spec(module) is None:
            outcomes[name] = Outcome(name, "missing", command, folder,
                                     message=f"the module {module} does not exist yet")
            continue
        argv = _argv(name, out, quick)
        key = input_key(module, _argv(name, Path("DIR"), quick))
        stored = _reusable(folder, key)
        if stored is not None:
            outcomes[name] = Outcome(name, "ok", command, folder, data=_load(folder),
                                     seconds=stored.get("seconds"), reused=True, key=key)
            continue
        (folder / KEY_FILE).unlink(missing_ok=True)
        log = open(logs / f"{name}.log", "wb")
        procs[name] = (subprocess.Popen([sys.executable, "-m", *argv], stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env=_env()),
                       log, time.monotonic(), key, folder, command)
    ended = _wait(procs, status)
    for name, (proc, log, t0, key, folder, command) in procs.items():
        log.close()
        seconds = ended[name] - t0
        if proc.returncode != 0 or not (folder / "results.json").is_file():
            why = _last_line(logs / f"{name}.log") or f"exit status {proc.returncode}"
            outcomes[name] = Outcome(name, "failed", command, folder, seconds=seconds,
                                     message=f"exit status {proc.returncode}: {why}")
            continue
        try:
            data = _load(folder)
        except ValueError as exc:
            outcomes[name] = Outcome(name, "failed", command, folder, message=f"unreadable results.json: {exc}")
            continue
        atomic_write(folder / KEY_FILE, json.dumps({"key": key, "seconds": seconds}, indent=1))
        outcomes[name] = Outcome(name, "ok", command, folder, data=data, seconds=seconds, key=key)
    return {n: outcomes[n] for n in names}

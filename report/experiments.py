"""Run the experiments of :mod:`numeric`, or reuse their results when nothing changed.

A :class:`Plan` is the run the report would make for one experiment: its options (from
``--config`` and ``--quick``), parsed by the experiment's own parser, and the key of
:mod:`common.runrecord` (options, input files, versions, sources). An experiment is run as
``python -m numeric NAME [OPTIONS] --out=DIR --quiet``; it writes ``DIR/NAME/results.json``,
its figures and the record ``DIR/NAME/run.json`` together, only when it succeeds
(:func:`numeric.outputs.staged`).

Results are reused only when the record's key is the plan's key, ``results.json`` is valid
against the experiment's JSON Schema (``numeric/NAME/schema.json``) and every figure it names
is there; otherwise the experiment runs again. Results that a report did not make (someone
ran ``python -m numeric`` with the same options) are reused and say so, with the command
that made them (:attr:`Outcome.outside`, :attr:`Outcome.made_by`).

Experiments run in parallel, each in its own process group; their output goes to
``DIR/.report/NAME.log``. However the report ends (an error, Ctrl-C, SIGTERM), the groups
still running are ended; after a kill -9 the next build ends the orphans it finds in the
lock record (:func:`end_orphans`).
"""
from __future__ import annotations

import importlib.util
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from common.cli import Parser, UserError
from common.lock import handed_down
from common.runrecord import BY_REPORT_ENV, identify, read_record
from numeric.experiment import EXPERIMENTS

__all__ = ["Outcome", "Plan", "OPTIONAL", "plan", "experiment_parser", "schema_problem",
           "invalid_results", "reusable", "outcome_of_run", "run_experiments", "end_groups", "end_orphans"]

ROOT = Path(__file__).resolve().parents[1]
OPTIONAL = frozenset(n for n, e in EXPERIMENTS.items() if e.optional)  # beyond the seed
STOP_GRACE = 5.0  # seconds between SIGTERM and SIGKILL when ending an experiment


@dataclass(frozen=True)
class Outcome:
    """What one experiment gave this build.

    status: ``"ok"``, ``"missing"`` (its module does not exist yet) or ``"failed"``;
    data: the parsed ``results.json`` (``None`` unless ok); folder: ``DIR/NAME``;
    seconds: wall time of the run that made the results; reused: taken from an earlier
    run; command: the command this build runs for it (``DIR`` for the folder); made_by: the
    command that made the results it uses; outside: those results were not made by a
    report; message: why it is not ok.
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
    made_by: str = ""
    outside: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class _Raising(Parser):
    """The experiment's parser, raising :class:`UserError` instead of exiting."""

    def error(self, message: str):
        raise UserError(message)


def experiment_parser(name: str, raising: bool = True) -> Parser:
    """``python -m numeric NAME``'s own parser (options added by the experiment module)."""
    parser = (_Raising if raising else Parser)(prog=f"python -m numeric {name}", add_help=False,
                                               allow_abbrev=False)
    import_module(EXPERIMENTS[name].module).add_arguments(parser)
    return parser


@dataclass(frozen=True)
class Plan:
    """The run the report would make: ``python -m numeric NAME *options --out=DIR --quiet``."""

    name: str
    options: tuple[str, ...]
    key: str

    @property
    def command(self) -> str:
        return _shown([self.name, *self.options, "--out=DIR", "--quiet"])


def _shown(argv) -> str:
    return "python -m numeric " + shlex.join(argv)


def plan(name: str, options=(), quick: bool = False) -> Plan | None:
    """The plan for ``name`` with these option tokens (``--quick`` added when asked); None
    when the experiment's module does not exist yet. Bad options raise :class:`UserError`."""
    spec = EXPERIMENTS[name]
    if importlib.util.find_spec(spec.module) is None:
        return None
    options = list(options) + (["--quick"] if quick and "--quick" not in options else [])
    args = experiment_parser(name).parse_args(options + ["--out=DIR"])
    return Plan(name, tuple(options), identify(spec.module, args, spec.inputs)[2])


def schema_problem(name: str, data) -> str:
    """Why ``data`` is not a valid ``DIR/NAME/results.json`` ('' when it is)."""
    import jsonschema
    validator = jsonschema.Draft202012Validator(EXPERIMENTS[name].schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return ""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    return f"{where or 'top level'}: {error.message}"[:300]


def _load(folder: Path):
    return json.loads((folder / "results.json").read_text())


def _figures_present(folder: Path, data: dict) -> bool:
    return all(any((folder / f"{s}{ext}").is_file() for ext in (".pdf", ".png")) for s in data["figures"])


def reusable(folder: Path, p: Plan) -> tuple[dict, dict] | None:
    """``(record, results)`` if ``folder`` holds results made by the run ``p`` describes:
    same key, valid against the schema, every figure there. Otherwise None (run again)."""
    record = read_record(folder)
    if record is None or record.get("key") != p.key:
        return None
    try:
        data = _load(folder)
    except (OSError, ValueError):
        return None
    if schema_problem(p.name, data) or not _figures_present(folder, data):
        return None
    return record, data


def invalid_results(folder: Path, name: str) -> str:
    """Why ``folder/results.json`` is not valid against its schema ('' when it is valid or
    absent): the report says so when it runs the experiment again instead of reusing it."""
    try:
        data = _load(folder)
    except FileNotFoundError:
        return ""
    except (OSError, ValueError) as exc:
        return f"not readable JSON ({exc})"
    return schema_problem(name, data)


def _made_by(record: dict, p: Plan) -> tuple[str, bool]:
    """The command that made the results and whether it was not a report."""
    if record.get("by") == "report":
        return p.command, False
    return _shown([str(a) for a in record.get("argv", [])]), True


def _last_line(log: Path) -> str:
    try:
        lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env[BY_REPORT_ENV] = "1"
    return handed_down(env)  # they write into DIR under the build's lock


def _signal_group(pgid, sig) -> bool:
    """Send ``sig`` to the process group; False when it no longer exists."""
    try:
        os.killpg(int(pgid), sig)
    except (ProcessLookupError, PermissionError, ValueError, TypeError, OverflowError):
        return False
    return True


def end_groups(procs: dict, grace: float = STOP_GRACE) -> list[str]:
    """End our experiments ``{name: Popen}`` still running, each with its process group:
    SIGTERM, then SIGKILL after ``grace`` seconds. Returns the names that were running."""
    running = {n: p for n, p in procs.items() if p.poll() is None and _signal_group(p.pid, signal.SIGTERM)}
    deadline = time.monotonic() + grace
    for p in running.values():
        try:
            p.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(p.pid, signal.SIGKILL)
            p.wait()
    return sorted(running)


def _ours(pgid, out: Path) -> bool:
    """Whether process ``pgid`` is an experiment writing into ``out`` (checked on its
    command line, so that a reused process id is never signalled)."""
    try:
        argv = Path(f"/proc/{int(pgid)}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError, TypeError):
        return False
    return b"numeric" in argv and os.fsencode(f"--out={out}") in argv


def end_orphans(previous: dict, out: Path, grace: float = STOP_GRACE) -> list[str]:
    """End the experiments a killed build left running: the ``groups`` ``{name: pgid}`` of
    the lock record it left, if they are still experiments writing into ``out``. Returns
    their names."""
    groups = previous.get("groups") if isinstance(previous, dict) else None
    if not isinstance(groups, dict):
        return []
    alive = {n: g for n, g in groups.items() if _ours(g, out) and _signal_group(g, signal.SIGTERM)}
    found, deadline = sorted(alive), time.monotonic() + grace
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = {n: g for n, g in alive.items() if _ours(g, out)}  # a zombie has no command line
    for g in alive.values():
        _signal_group(g, signal.SIGKILL)
    return found


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


def _start(p: Plan, out: Path, log: Path) -> subprocess.Popen:
    argv = [sys.executable, "-m", "numeric", p.name, *p.options, f"--out={out}", "--quiet"]
    with open(log, "wb") as fh:
        return subprocess.Popen(argv, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=_env(), start_new_session=True)


def outcome_of_run(p: Plan, proc, out: Path, log: Path, seconds: float) -> Outcome:
    """What the finished run ``proc`` of ``p`` gave: ok, or failed with its last log line,
    or failed because its results do not match their schema (a bug of the experiment)."""
    folder = out / p.name
    if proc.returncode != 0:
        why = _last_line(log) or f"exit status {proc.returncode}"
        return Outcome(p.name, "failed", p.command, folder, seconds=seconds,
                       message=f"exit status {proc.returncode}: {why}")
    try:
        data = _load(folder)
    except (OSError, ValueError) as exc:
        return Outcome(p.name, "failed", p.command, folder, message=f"unreadable results.json: {exc}")
    problem = schema_problem(p.name, data)
    if problem:
        return Outcome(p.name, "failed", p.command, folder, seconds=seconds,
                       message=f"results do not match their schema ({problem})")
    return Outcome(p.name, "ok", p.command, folder, data=data, seconds=seconds, key=p.key, made_by=p.command)


def _reused_or_missing(name: str, p: Plan | None, folder: Path) -> Outcome | None:
    if p is None:
        return Outcome(name, "missing", _shown([name, "--out=DIR"]), folder,
                       message=f"the module {EXPERIMENTS[name].module} does not exist yet")
    found = reusable(folder, p)
    if found is None:
        return None  # run it
    record, data = found
    made_by, outside = _made_by(record, p)
    return Outcome(name, "ok", p.command, folder, data=data, seconds=record.get("seconds"),
                   reused=True, key=p.key, made_by=made_by, outside=outside)


def run_experiments(out: Path, plans: dict, status=lambda text: None, on_start=lambda groups: None
                    ) -> dict[str, Outcome]:
    """Reuse or run (in parallel) each planned experiment; one :class:`Outcome` per name.

    ``plans`` maps each name to its :class:`Plan` (None: its module does not exist yet).
    ``status(text)`` gets a one-line progress message while they run; ``on_start(groups)``
    the process groups ``{name: pgid}`` of the running experiments, to record them.
    """
    outcomes = {n: _reused_or_missing(n, p, out / n) for n, p in plans.items()}
    logs = out / ".report"
    logs.mkdir(exist_ok=True)
    invalid = {n: why for n, o in outcomes.items() if o is None and (why := invalid_results(out / n, n))}
    procs = {}
    try:
        for name in (n for n, o in outcomes.items() if o is None):
            procs[name] = (_start(plans[name], out, logs / f"{name}.log"), time.monotonic())
        on_start({n: proc.pid for n, (proc, _) in procs.items()})
        ended = _wait(procs, status)
    finally:  # an error, Ctrl-C or SIGTERM here: no experiment outlives the report
        end_groups({n: proc for n, (proc, _) in procs.items()})
    for name, (proc, t0) in procs.items():
        outcomes[name] = outcome_of_run(plans[name], proc, out, logs / f"{name}.log", ended[name] - t0)
        if name in invalid:
            outcomes[name].extra["replaced"] = invalid[name]
    return outcomes

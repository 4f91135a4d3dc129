"""``python -m report --config FILE.toml``: the options of each experiment for this writeup.

The file has one table per experiment, with the experiment's own option names as keys::

    [sgd]
    data = "my.csv"            # relative to the folder of FILE.toml
    batch-sizes = [1, 10, 100]
    [gan]
    seeds = 3

Each key becomes command-line tokens (``--data=PATH``; ``--batch-sizes 1 10 100``; a flag
such as ``quick = true`` becomes ``--quick``, ``false`` leaves it out) and is validated by the
experiment's own parser (:func:`report.experiments.experiment_parser`) and its ``check`` (the
checks ``python -m numeric NAME`` makes before it runs: ``[gan] scenario``, ``[sgd] n``, the
memory a run needs), exactly as the command line is, before anything runs. An unknown table or
key, a value no option takes (a date, a nested list, a table), a bad value, or
``out``/``quiet`` (the report sets those) exits with status 2 and names the file, the line and
the key (the table alone when only a combination of keys is refused).
"""
from __future__ import annotations

import datetime
import difflib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from common.cli import UserError
from numeric.experiment import EXPERIMENTS

__all__ = ["Config", "read_config", "toml_value"]

SET_BY_REPORT = ("out", "quiet")
MAX_BYTES = 1_000_000  # size of a config file


@dataclass(frozen=True)
class Config:
    """path: the file (None without ``--config``); tables: ``{experiment: {key: value}}`` as
    read; options: ``{experiment: [token, ...]}``, the command-line tokens they stand for."""

    path: Path | None = None
    tables: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)


def toml_value(value) -> str:
    """A value as it is written in TOML (strings quoted, lists in brackets, dates bare).

    >>> import datetime
    >>> toml_value([1, 10]), toml_value("my.csv"), toml_value(True), toml_value(datetime.date(1979, 5, 27))
    ('[1, 10]', '"my.csv"', 'true', '1979-05-27')
    """
    if isinstance(value, (datetime.date, datetime.time)):  # datetime.datetime is a date
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)


_SCALARS = (str, int, float)  # bool is an int


def _not_an_option_value(value) -> str:
    """What ``value`` is when no option takes it ('' when one may: a string, a number,
    true/false, or a list of strings and numbers)."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.datetime):
        return "a date and time"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, datetime.time):
        return "a time"
    if isinstance(value, list):
        inner = [v for v in value if not isinstance(v, _SCALARS) or isinstance(v, bool)]
        return "" if not inner else "a nested list" if isinstance(inner[0], list) else "a list of " + (
            _not_an_option_value(inner[0]) or "true/false").removeprefix("a ").removeprefix("an ") + "s"
    return ""


_TABLE = re.compile(r"""^\s*\[\s*["']?([^\]"']+?)["']?\s*\]""")
_KEY = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*=""")


def _lines(text: str) -> dict:
    """``{(table, key): line}`` and ``{(table, None): line}`` for the headers (1-based)."""
    where, table = {}, None
    for number, line in enumerate(text.splitlines(), 1):
        if m := _TABLE.match(line):
            table = m[1].strip()
            where.setdefault((table, None), number)
        elif m := _KEY.match(line):
            where.setdefault((table, m[1]), number)
    return where


def _options_of(parser) -> list[str]:
    """The long option names in the parser's usage line."""
    return re.findall(r"\[--([A-Za-z0-9-]+)", parser.format_usage())


class _At:
    """Errors that name the file, the line and the key."""

    def __init__(self, path: Path, lines: dict):
        self.path, self.lines = path, lines

    def error(self, table, key, message: str) -> UserError:
        line = self.lines.get((table, key)) or self.lines.get((table, None)) or self.lines.get((None, table))
        where = f"{self.path}:{line}" if line else str(self.path)
        what = key if table is None else f"[{table}] {key}" if key else f"[{table}]"
        return UserError(f"{where}: {what}: {message}")


def _tokens(key: str, value, base: Path, spec) -> list[str]:
    if isinstance(value, bool):
        return [f"--{key}"] if value else []
    if isinstance(value, list):
        return [f"--{key}", *(str(v) for v in value)]
    if key in spec.inputs and isinstance(value, str):
        value = str((base / Path(value).expanduser()).resolve())
    return [f"--{key}={value}"]


def _typesettable(key: str, value, spec, at: _At, table: str) -> None:
    """An input file's name appears in the writeup: refuse one LaTeX cannot typeset."""
    if key not in spec.inputs or not isinstance(value, str):
        return
    from report.tex import escape
    name = Path(value).name
    for ch in name:
        try:
            escape(ch)
        except UnicodeEncodeError:
            raise at.error(table, key, f"the file name {name!r} has a character the writeup cannot typeset "
                                       f"({ch!r}); rename the file") from None


def _table_options(table: str, values: dict, at: _At, base: Path) -> list[str]:
    from report.experiments import experiment_parser
    spec = EXPERIMENTS[table]
    try:
        parser = experiment_parser(table)
    except ImportError:
        raise at.error(table, None, f"the {table} experiment does not exist yet") from None
    known = [k for k in _options_of(parser) if k not in SET_BY_REPORT]
    mine = {}
    for key, value in values.items():
        if key in SET_BY_REPORT:
            raise at.error(table, key, "is set by the report (python -m report --out DIR), not by the config")
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; the options are {', '.join(known)}"
            raise at.error(table, key, f"unknown key{hint}")
        kind = _not_an_option_value(value)
        if kind:
            raise at.error(table, key, f"{toml_value(value)} is {kind}; an option takes a string, a number, "
                                       "true or false, or a list of strings or numbers")
        _typesettable(key, value, spec, at, table)
        mine[key] = _tokens(key, value, base, spec)
        try:
            parser.parse_args((mine[key] or [f"--{key}"]) + ["--out=DIR"])
        except UserError as exc:
            raise at.error(table, key, f"{toml_value(value)} is not accepted: {exc}") from None
    tokens = [t for ts in mine.values() for t in ts]
    try:
        _experiment_check(table, parser, tokens)
    except UserError as exc:  # name the key that is refused alone, if one is
        alone = next((k for k, ts in mine.items() if _refused(table, parser, ts)), None)
        raise at.error(table, alone, str(exc)) from None
    return tokens


def _experiment_check(table: str, parser, tokens: list[str]) -> None:
    """The experiment's own checks of these options (its parser, then its ``check``: values
    that depend on each other, the memory the run needs), as ``python -m numeric`` makes
    them before it runs."""
    from importlib import import_module
    args = parser.parse_args(tokens + ["--out=DIR"])
    import_module(EXPERIMENTS[table].module).check(args)


def _refused(table: str, parser, tokens: list[str]) -> bool:
    try:
        _experiment_check(table, parser, tokens)
    except UserError:
        return True
    return False


def read_config(path) -> Config:
    """The configuration in ``path`` (see the module docstring), validated; bad content
    raises :class:`~common.cli.UserError` naming the file, line and key."""
    if path is None:
        return Config()
    from common.userfile import read_user_file
    path = Path(path)
    raw = read_user_file(path, "the config file", MAX_BYTES)  # a FIFO or /dev/zero: refused, not read
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"{path}: not a valid TOML file: {exc}") from None
    at = _At(path, _lines(text))
    options = {}
    tables = ", ".join(f"[{n}]" for n in EXPERIMENTS)
    for table, values in data.items():
        if not isinstance(values, dict):
            raise at.error(None, table, f"a key outside any table; put the options under {tables}")
        if table not in EXPERIMENTS:
            raise at.error(table, None, f"unknown table; the experiments are {tables}")
        options[table] = _table_options(table, values, at, path.parent)
    return Config(path, data, options)

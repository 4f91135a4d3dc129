"""What the checker knows about names: the defaults for this homework, a part's objects
(:mod:`check.parts`) and a user's TOML notation file, merged into one frozen
:class:`Notation`.

Defaults: every undeclared letter is a real symbol; ``i j k l`` are indices (``x_j`` is the
j-th entry of ``x``); ``m d n`` are sizes (positive integers); ``f g h p q r F G D V`` are
functions when applied (``f(x)``); ``e`` is Euler's number and ``\\pi`` is pi; ``I_m`` (``I``
subscripted by a size) is the identity matrix.

The notation file (read with :mod:`tomllib`) has eight optional tables, each key a LaTeX
name::

    [symbols]                      # domain of each symbol
    "\\sigma" = "positive"         # real | positive | nonnegative | negative | integer |
    n = "positive integer"         # positive integer | nonnegative integer |
    "n_{b}" = "size"               # size: a positive integer that sums run to, instantiated like m
    [functions]
    names = ["\\phi"]              # read as functions when applied
    densities = ["q_1", "p_1"]     # generic probability densities (positive, integral 1)
    [matrices]
    w = ["d", 1]                   # a d x 1 column
    [macros]
    "\\KL" = "\\mathrm{KL}"        # no arguments
    "\\norm" = { args = 1, body = "\\lVert #1 \\rVert" }
    [definitions]
    lines = ["q(z) := \\mathcal{N}(z; \\mu, \\sigma^2)",
             "B \\sim \\mathrm{Subset}(n, b)"]  # B uniform over the subsets of {1..n} of size b
    assume = ["L \\ge \\mu"]          # numeric checks sample only points where these hold
    default_expectation = "q"      # E[...] without a subscript means E_q[...]
    [depends]                      # columns that are functions of other columns
    y = ["h"]                      # y = f(h) ...
    h = ["w"]                      # ... and h = h(w), so y = f(h(w))
    [jacobians]                    # declared Jacobians, [output, variable]
    "g_{y,w}" = ["y", "w"]         # g_{y,w} = dy/dw (row k: the gradient of y_k, transposed)
    [families]                     # one matrix for each value of an index
    "z_{i}" = ["m", 1]             # z_1, z_2, ...: different m x 1 columns
    [conventions]
    log = 10                       # the author's \\log is base 10 (\\ln stays natural)
    [rename]                       # the part's letters as the author writes them
    q = "P"                        # part 2.a's q is the author's P ...
    p = "Q"                        # ... and its p the author's Q

The last three tables are checked at explicit sizes only (:mod:`check.relations`): a
dependent column's entries are undefined functions of the entries it depends on, a declared
Jacobian is their matrix of partial derivatives (a dependent column with an entrywise definition
line, ``\\pi_k := \\sigma(a_k)`` of another declared column ``a``, is that definition); ``y(a)``
of a dependent column (or of a declared Jacobian) takes its first dependencies at ``a``
(``\\pi(z_i)``, ``\\pi_k(z_i)``).
A definition line ``z_{i} := \\mu + s \\circ \\epsilon_{i}`` of a family member applies to every
member (``z_1`` is then ``\\mu + s \\circ \\epsilon_1``).

A definition line ``B \\sim \\mathrm{Subset}(n, b)`` declares a random subset (a minibatch
drawn without replacement, :mod:`check.subsets`): ``\\sum_{i \\in B} g_i`` sums over it,
and ``E_B[...]``, ``\\operatorname{Var}`` (``E[(X - E X)^2]``) over it are judged by enumerating
the subsets at sizes ``1 <= b <= n <= 5`` (``numeric``, naming the sizes; a sum over ``B``
outside an expectation is checked at every subset); with
``default_expectation = "B"`` an ``E`` or ``Var`` without subscript is over ``B``.

Anything else in the file is an error (one line, exit status 2), so a misspelt table is
never ignored silently.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import sympy as sp

from check.tables import TABLES, read_tables
from check.lexer import Macro

__all__ = ["Notation", "DEFAULT", "DOMAINS", "assumptions", "load_toml", "NotationError"]

DOMAINS = {
    "real": {"real": True}, "positive": {"positive": True}, "nonnegative": {"nonnegative": True},
    "negative": {"negative": True}, "integer": {"integer": True},
    "positive integer": {"integer": True, "positive": True},
    "nonnegative integer": {"integer": True, "nonnegative": True},
    "size": {"integer": True, "positive": True},
}
MAX_MACRO_ARGS = 9
MAX_BYTES = 200_000  # size of a notation file


class NotationError(ValueError):
    """A notation file that cannot be used (its fault, not the checker's)."""


def assumptions(domain: str) -> dict:
    """SymPy assumptions for a domain word.

    >>> assumptions("positive integer")
    {'integer': True, 'positive': True}
    """
    if domain not in DOMAINS:
        raise NotationError(f"unknown domain {domain!r}; choose from {', '.join(DOMAINS)}")
    return dict(DOMAINS[domain])


def _frozen(d) -> Mapping:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class Notation:
    """Declarations the parser and the judge read (never mutated; merged with :meth:`merged`).

    domains: canonical name -> domain word; objects: canonical name -> a ready SymPy object
    (a part's symbols, so that its results compare equal); functions, densities: names read
    as functions / generic densities; matrices: name -> (rows, cols) as size names or ints;
    macros: LaTeX command name -> :class:`~check.lexer.Macro`; definitions: LaTeX
    lines ``lhs := rhs`` read before the file; index_letters, sizes: see the module
    docstring; default_expectation: the distribution of an ``E`` without subscript; depends,
    jacobians, families: the tables of :mod:`check.relations`.
    """

    domains: Mapping[str, str] = field(default_factory=lambda: _frozen({}))
    objects: Mapping[str, sp.Basic] = field(default_factory=lambda: _frozen({}))
    functions: frozenset = frozenset("fghpqrFGDV")
    densities: frozenset = frozenset()
    matrices: Mapping[str, tuple] = field(default_factory=lambda: _frozen({}))
    macros: Mapping[str, Macro] = field(default_factory=lambda: _frozen({}))
    definitions: tuple = ()
    index_letters: frozenset = frozenset("ijkl")
    sizes: frozenset = frozenset("mdn")
    ranges: Mapping[str, str] = field(default_factory=lambda: _frozen({"i": "n", "j": "m", "k": "d", "l": "m"}))
    applied: frozenset = frozenset()
    default_expectation: str | None = None
    assumptions: tuple = ()
    depends: Mapping[str, tuple] = field(default_factory=lambda: _frozen({}))
    jacobians: Mapping[str, tuple] = field(default_factory=lambda: _frozen({}))
    families: Mapping[str, tuple] = field(default_factory=lambda: _frozen({}))
    log_base: int | None = None
    rename: Mapping[str, str] = field(default_factory=lambda: _frozen({}))

    def merged(self, other: "Notation") -> "Notation":
        """``self`` with ``other``'s declarations added (``other`` wins on a clash)."""
        return replace(
            self, domains=_frozen({**self.domains, **other.domains}),
            objects=_frozen({**self.objects, **other.objects}),
            functions=self.functions | other.functions, densities=self.densities | other.densities,
            matrices=_frozen({**self.matrices, **other.matrices}),
            macros=_frozen({**self.macros, **other.macros}),
            definitions=self.definitions + other.definitions, assumptions=self.assumptions + other.assumptions,
            index_letters=self.index_letters | other.index_letters, sizes=self.sizes | other.sizes,
            ranges=_frozen({**self.ranges, **other.ranges}), applied=self.applied | other.applied,
            default_expectation=other.default_expectation or self.default_expectation,
            depends=_frozen({**self.depends, **other.depends}), jacobians=_frozen({**self.jacobians, **other.jacobians}),
            families=_frozen({**self.families, **other.families}), log_base=other.log_base or self.log_base,
            rename=_frozen({**self.rename, **other.rename}))

    def domain(self, name: str) -> str:
        """The domain of ``name``; a subscripted or decorated name inherits its base's."""
        if name in self.domains:
            return self.domains[name]
        if name in self.sizes or name in self.index_letters:
            return "positive integer"
        base = name.split("_", 1)[0].split("^", 1)[0]
        return self.domains.get(base, "real")


DEFAULT = Notation()
DEFAULT_SIZES = DEFAULT.sizes


def _names(value, where: str, canon) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise NotationError(f"{where} must be a list of names")
    return [canon(v) for v in value]


def _macro(name: str, value) -> tuple[str, Macro]:
    if not name.startswith("\\") or not name[1:].isalpha():
        raise NotationError(f"macro name {name!r} must be a backslash and letters")
    if isinstance(value, str):
        return name[1:], Macro(0, value)
    if isinstance(value, dict) and set(value) <= {"args", "body"} and isinstance(value.get("body"), str):
        n = value.get("args", 0)
        if not isinstance(n, int) or not 0 <= n <= MAX_MACRO_ARGS:
            raise NotationError(f"macro {name}: args must be an integer 0..{MAX_MACRO_ARGS}")
        return name[1:], Macro(n, value["body"])
    raise NotationError(f"macro {name}: give a string, or a table with args and body")


def _size(v, where):
    if isinstance(v, int) and v >= 1:
        return v
    if isinstance(v, str):
        return v
    raise NotationError(f"{where}: a size is a positive integer or a name")


_TABLES = {"symbols", "functions", "matrices", "macros", "definitions", "conventions", "rename", *TABLES}


def load_toml(path: str | Path, canon) -> Notation:
    """The :class:`Notation` of a TOML file; ``canon(latex_name) -> name`` reads each name
    as the parser does. Raises :class:`NotationError` with a one-line message."""
    from common.userfile import Refused, read_user_file
    try:
        data = tomllib.loads(read_user_file(path, "notation file", MAX_BYTES).decode("utf-8"))
    except Refused as exc:
        raise NotationError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise NotationError(f"cannot read notation file {str(path)!r}: {getattr(exc, 'strerror', None) or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise NotationError(f"notation file {str(path)!r} is not valid TOML: {exc}") from None
    unknown = set(data) - _TABLES
    if unknown:
        raise NotationError(f"notation file: unknown table [{sorted(unknown)[0]}]; use {', '.join(sorted(_TABLES))}")
    if not all(isinstance(data[t], dict) for t in data):
        raise NotationError("notation file: every top-level entry must be a table")
    sym, fun, mat = data.get("symbols", {}), data.get("functions", {}), data.get("matrices", {})
    domains = {}
    for k, v in sym.items():
        if not isinstance(v, str):
            raise NotationError(f"[symbols] {k}: the domain must be a string")
        try:
            assumptions(v)
        except NotationError as exc:
            raise NotationError(f"[symbols] {k}: {exc}") from None
        domains[canon(k)] = v
    if set(fun) - {"names", "densities"}:
        raise NotationError("[functions] takes names = [...] and densities = [...]")
    matrices = {}
    for k, v in mat.items():
        if not (isinstance(v, list) and len(v) == 2):
            raise NotationError(f"[matrices] {k}: give [rows, cols]")
        matrices[canon(k)] = tuple(_size(x, f"[matrices] {k}") for x in v)
    macros = dict(_macro(k, v) for k, v in data.get("macros", {}).items())
    defs = data.get("definitions", {})
    if set(defs) - {"lines", "default_expectation", "assume"}:
        raise NotationError("[definitions] takes lines = [...], assume = [...] and default_expectation = \"...\"")
    assume = defs.get("assume", [])
    if not isinstance(assume, list) or not all(isinstance(x, str) for x in assume):
        raise NotationError("[definitions] assume must be a list of strings (inequalities such as \"L \\\\ge \\\\mu\")")
    lines = defs.get("lines", [])  # read by the parser with the file's own lines
    if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
        raise NotationError("[definitions] lines must be a list of strings")
    dist = defs.get("default_expectation")
    if dist is not None and not isinstance(dist, str):
        raise NotationError("[definitions] default_expectation must be a name")
    depends, jacobians, families = read_tables(data, canon, NotationError)
    log, rename = _conventions(data, canon)
    sizes = frozenset(n for n, dom in domains.items() if dom == "size")
    return Notation(domains=_frozen(domains), sizes=DEFAULT_SIZES | sizes, depends=depends, jacobians=jacobians, families=families, functions=frozenset(_names(fun.get("names", []), "[functions] names", canon)),
                    densities=frozenset(_names(fun.get("densities", []), "[functions] densities", canon)),
                    matrices=_frozen(matrices), macros=_frozen(macros), definitions=tuple(lines),
                    assumptions=tuple(assume),
                    default_expectation=canon(dist) if dist else None, log_base=log, rename=rename)


def _conventions(data: dict, canon) -> tuple[int | None, Mapping]:
    """``[conventions] log = 10`` and ``[rename] q = "P"`` (see :mod:`check.conventions`)."""
    conv, rename = data.get("conventions", {}), data.get("rename", {})
    if set(conv) - {"log"}:
        raise NotationError("[conventions] takes log = 10 (the base of the author's \\log)")
    log = conv.get("log")
    if log is not None and (not isinstance(log, int) or isinstance(log, bool) or log < 2):
        raise NotationError("[conventions] log: the base is an integer of at least 2, such as 10")
    if not all(isinstance(v, str) for v in rename.values()):
        raise NotationError("[rename]: each of the part's names maps to the author's name, a string")
    return log, _frozen({canon(k): canon(v) for k, v in rename.items()})

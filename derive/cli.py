"""The command ``python -m derive [TOPIC ...] [--format latex|json] [--standalone]``.

The printed text is cached on disk with the derivations (same key: the sources and the
SymPy version), so a repeated run neither re-verifies nor imports SymPy.
``python -m derive check ...`` (``check`` as the first word) is an alias of ``python -m check``,
the checker of someone else's derivation (:mod:`check.cli`, a package above ``derive``: the one
import from ``derive`` up to it, declared in the import-linter contracts of ``pyproject.toml``).
"""
from __future__ import annotations

import sys

from common.cli import Parser, UserError, stdout_closed, write_stdout

from .engine.cache import cached
from .topics import TOPICS

__all__ = ["main", "render"]


def _parser() -> Parser:
    p = Parser(prog="python -m derive",
               description="Print the machine-verified derivations of Homework 6 "
                           "(every step checked by SymPy, symbolically or numerically).")
    p.add_argument("topics", nargs="*", metavar="TOPIC",
                   help=f"one or more of {', '.join(TOPICS)} (default: all)")
    p.add_argument("--format", choices=("latex", "json"), default="latex",
                   help="amsmath LaTeX (default) or the JSON of the command-line contract")
    p.add_argument("--standalone", action="store_true",
                   help="wrap the LaTeX in a document that pdflatex compiles as is")
    return p


def render(topics: list[str], fmt: str, whole_document: bool) -> str:
    """The text ``python -m derive`` prints for these topics and options."""
    import json

    from .engine.render import document
    from .symbols import DOCUMENT
    from .topics import built
    records = built(topics or None)
    if fmt == "json":
        return json.dumps([r.json for r in records], indent=2, ensure_ascii=False)
    if whole_document:
        return document((r.section for r in records), preamble=DOCUMENT.preamble)
    return "\n\n".join(r.latex for r in records)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["check"]:
        from check.cli import main as check_main  # the alias (see the module docstring)
        return check_main(argv[1:])
    args = _parser().parse_args(argv)
    unknown = [t for t in args.topics if t not in TOPICS]
    if unknown:
        raise UserError(f"unknown topic {unknown[0]!r}; choose from {', '.join(TOPICS)}")
    if args.standalone and args.format == "json":
        raise UserError("--standalone applies to --format latex only")
    topics = list(dict.fromkeys(args.topics))
    name = f"out-{args.format}-{int(args.standalone)}-{'+'.join(topics) or 'all'}"
    if stdout_closed():  # closed (``>&-``): say so before the work, not after
        raise UserError("standard output is closed; nothing was written")
    out = cached(name, lambda: render(topics, args.format, args.standalone), check=lambda v: isinstance(v, str))
    write_stdout(out + "\n")
    return 0


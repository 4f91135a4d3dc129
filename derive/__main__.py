"""``python -m derive [TOPIC ...] [--format latex|json] [--standalone]``."""
from __future__ import annotations

import sys

from .cli import Parser, UserError, run
from .render import standalone, to_json, to_latex
from .topics import TOPICS, load


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


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    unknown = [t for t in args.topics if t not in TOPICS]
    if unknown:
        raise UserError(f"unknown topic {unknown[0]!r}; choose from {', '.join(TOPICS)}")
    if args.standalone and args.format == "json":
        raise UserError("--standalone applies to --format latex only")
    ds = load(list(dict.fromkeys(args.topics)) or None)
    if args.format == "json":
        out = to_json(ds)
    elif args.standalone:
        out = standalone(ds)
    else:
        out = "\n\n".join(f"% {d.id} ({d.problem}): {d.title}\n{to_latex(d)}" for d in ds)
    sys.stdout.write(out + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))

"""``python -m check FILE [FILE ...] [--part ID] [--notation FILE.toml]
[--format text|json|pdf] [--out DIR] [--csv FILE] [--jobs N]`` (``python -m derive check`` is an alias)

Checks someone else's LaTeX derivation line by line; many files ``--jobs N`` at a time
(:mod:`check.grade`), the output the same for every ``N``. Exit status 0 when every file was
read, whatever the verdicts; 1 when the checker met a bug of its own on a step (``internal
error`` in the file's errors, the step inconclusive); 2 with one line ``error: ...`` per file that could not be read
(the other files are still checked and reported) or for bad options; 3 (``--format pdf``)
when no TeX is installed, as for ``python -m report``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from common.cli import Parser, UserError, atomic_write, out_file, positive_int, stdout_closed, writable_dir

__all__ = ["main", "parser"]


def parser() -> Parser:
    from check.parts import PARTS
    p = Parser(prog="python -m check",
               description="Check a LaTeX derivation step by step: every displayed equality is proved, "
                           "checked at points, or shown wrong with a counterexample.")
    p.add_argument("files", nargs="+", metavar="FILE", help="LaTeX files (align, equation, gather, $$ blocks)")
    p.add_argument("--part", choices=sorted(PARTS), help="load the objects of a part and compare the last "
                   "line with the project's reference result")
    p.add_argument("--notation", metavar="FILE.toml", help="declare symbols, functions, densities, matrices, macros")
    p.add_argument("--assume", action="append", default=[], metavar="REL",
                   help="an assumption the prose states: 'mu_2 = 0' defines, 'L \\ge \\mu' restricts the points (repeatable)")
    p.add_argument("--format", choices=("text", "json", "pdf"), default="text", help="output (default: text)")
    p.add_argument("--out", metavar="DIR", default="build", help="folder of the PDF (default: build)")
    p.add_argument("--csv", metavar="FILE", type=out_file, help="also write one row per file: file, part, steps, wrong, "
                   "inconclusive, final")
    p.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                   help="files checked in parallel through joblib (default: all cores; 1: one process; at most "
                        "the number of cores unless a distributed joblib backend is in use); the output does not "
                        "depend on it")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if stdout_closed():  # ``>&-``: say so before the work, not after
        raise UserError("standard output is closed; nothing was written")
    from check.grade import RECURSION, grade, is_unread, notation
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION))
    from check.lexer import ReadError
    from check.notation import NotationError
    from check import output
    try:
        notation(args.part, args.notation, tuple(args.assume))
    except (NotationError, ReadError) as exc:
        raise UserError(str(exc)) from None
    out_dir = writable_dir(args.out) if args.format == "pdf" else None
    if args.csv:
        writable_dir(Path(args.csv).parent if str(Path(args.csv).parent) else ".")
    results = grade(args.files, args.part, args.notation, jobs=args.jobs or os.cpu_count() or 1,
                    assume=tuple(args.assume))
    failed = [r for r in results if is_unread(r)]  # a row in the CSV; elsewhere an error line
    for r in failed:
        sys.stderr.write(f"error: {r.errors[0]}\n")
    read = [r for r in results if not is_unread(r)]
    if args.format == "json":
        sys.stdout.write(output.to_json(read) + "\n")
    elif args.format == "text":
        sys.stdout.write(output.text_report(read))
    elif read:
        from common.latexbuild import LatexError, NoTeX
        from common.lock import hold_folder
        try:
            with hold_folder(out_dir):  # one command at a time writes into DIR (its .latex/ too)
                pdf = output.write_pdf(read, out_dir)
            sys.stdout.write(f"{pdf}\n")
        except NoTeX as exc:
            sys.stderr.write(f"error: {exc}\n")
            return 3
        except LatexError as exc:  # a bug: the document is built from parsed forms only
            sys.stderr.write(f"error: the PDF was not built: {str(exc).splitlines()[0]}\n")
            return 1
    if args.csv:
        atomic_write(args.csv, output.csv_text(results))
    if failed:
        return 2
    return 1 if any(r.internal for r in results) else 0

"""``python -m report [--out DIR] [--quick] [--quiet]``: build the writeup.

Exit status: 0 the PDF was built from complete inputs; 1 a derivation or experiment
failed, or LaTeX failed (the last good PDF is kept); 2 bad options or an output folder
that cannot be written; 3 no TeX engine (``DIR/hw6.tex`` and figures are still written).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from common.cli import Parser, run, writable_dir

from report.latexbuild import LatexError, NoTeX, compile_pdf
from report.pipeline import Options, Status, prepare

__all__ = ["main", "parser"]

EXIT_FAILED, EXIT_NO_TEX = 1, 3


def parser() -> Parser:
    p = Parser(prog="python -m report", formatter_class=argparse.RawDescriptionHelpFormatter,
               description="Derive, run (or reuse) the experiments, and build DIR/hw6.pdf.",
               epilog="exit status: 0 built from complete inputs; 1 a part failed (the PDF marks it) or\n"
                      "LaTeX failed (the last good PDF is kept); 2 bad options; 3 no TeX (hw6.tex and\n"
                      "figures are still written)")
    p.add_argument("--out", metavar="DIR", default="build",
                   help="output folder for hw6.tex, hw6.pdf, figures/ and results (default: build)")
    p.add_argument("--quick", action="store_true", help="short experiments (seconds, for tests)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    t0 = time.perf_counter()
    out = writable_dir(Path(args.out))
    status = Status(args.quiet)
    prepared = prepare(Options(out, args.quick, args.quiet), status)
    tex, failures = prepared.tex, prepared.problems
    for f in failures:
        sys.stderr.write(f"report: warning: {f}\n")
    status("compiling LaTeX")
    try:
        built = compile_pdf(tex)
    except NoTeX as exc:
        status.done("compiling LaTeX: no TeX")
        sys.stderr.write(f"error: wrote {tex} and figures but no PDF: {exc}\n")
        return EXIT_NO_TEX
    except LatexError as exc:
        status.done("compiling LaTeX: failed")
        sys.stderr.write(f"error: LaTeX failed (last good PDF kept): {exc}\n")
        return EXIT_FAILED
    status.done(f"compiled {built.pages} pages")
    for w in built.warnings:
        sys.stderr.write(f"report: LaTeX warning: {w}\n")
    if not args.quiet:
        print(f"wrote {built.pdf} ({built.pages} pages) in {time.perf_counter() - t0:.1f} s")
    return EXIT_FAILED if failures else 0


if __name__ == "__main__":
    sys.exit(run(main))

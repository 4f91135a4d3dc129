"""``python -m report [--out DIR] [--config FILE.toml] [--quick] [--quiet]``: build the writeup.

Exit status: 0 the PDF was built from complete inputs; 1 a derivation or experiment
failed, or LaTeX failed (the last good PDF is kept); 2 bad options, a bad config file, an
output folder that cannot be written or is in use by another build; 3 no TeX engine
(``DIR/hw6.tex`` and figures are still written).

One command at a time writes into ``DIR``: the build holds the folder's lock ``DIR/.lock``
(:func:`common.lock.hold_folder`, the lock ``python -m numeric`` also takes; the experiments
the build starts write under it) and records there the process groups of the experiments it runs, so
that the next build can end them if this one was killed (kill -9) while they ran.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from common.cli import Parser, UserError, out_dir, run, writable_dir

__all__ = ["main", "parser", "check_entries"]

EXIT_FAILED, EXIT_NO_TEX = 1, 3
FOLDERS = ("figures", ".latex", ".report")  # entries of DIR the build makes, besides one per experiment
FILES = ("hw6.tex", "hw6.pdf")


def parser() -> Parser:
    p = Parser(prog="python -m report", formatter_class=argparse.RawDescriptionHelpFormatter,
               description="Derive, run (or reuse) the experiments, and build DIR/hw6.pdf.",
               epilog="exit status: 0 built from complete inputs; 1 a part failed (the PDF marks it) or\n"
                      "LaTeX failed (the last good PDF is kept); 2 bad options or config, or DIR in use;\n"
                      "3 no TeX (hw6.tex and figures are still written)")
    p.add_argument("--out", metavar="DIR", default="build", type=out_dir,
                   help="output folder for hw6.tex, hw6.pdf, figures/ and results (default: build)")
    p.add_argument("--config", metavar="FILE.toml", default=None,
                   help="the experiments' options: one table per experiment ([sgd], [gan], [vae]) whose "
                        "keys are that experiment's option names")
    p.add_argument("--quick", action="store_true", help="short experiments (seconds, for tests)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    return p


def check_entries(out: Path) -> None:
    """Refuse to build into ``out`` when an entry the build writes is of the wrong kind (a
    file where it needs a folder, or the reverse): nothing of the user's is replaced."""
    from numeric.experiment import EXPERIMENTS
    for name in (*FOLDERS, *EXPERIMENTS):
        if (out / name).exists() and not (out / name).is_dir():
            raise UserError(f"{out / name} is not a folder; the build writes a folder there (move it away)")
    for name in FILES:
        if (out / name).is_dir():
            raise UserError(f"{out / name} is a folder; the build writes a file there (move it away)")


def _build(args, out: Path, config, lock, status) -> int:
    from common.latexbuild import LatexError, NoTeX, compile_pdf
    from report.experiments import end_orphans
    from report.pipeline import Options, prepare
    from numeric.experiment import EXPERIMENTS, discard_stale_stages
    ended = end_orphans(lock.previous, out)
    if ended:
        sys.stderr.write(f"report: ended the {', '.join(ended)} experiment(s) left running by an "
                         "interrupted build\n")
    for name in EXPERIMENTS:
        discard_stale_stages(out, name)
    t0 = time.perf_counter()
    prepared = prepare(Options(out, args.quick, args.quiet, config), status,
                       on_start=lambda groups: lock.write({"groups": groups}))
    lock.write({})
    tex, failures = prepared.tex, prepared.problems
    for note in prepared.notes:
        sys.stderr.write(f"report: note: {note}\n")
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


def main(argv=None) -> int:
    from common.lock import hold_folder

    from report.config import read_config
    args = parser().parse_args(argv)
    config = read_config(args.config)
    out = writable_dir(Path(args.out)).absolute()
    check_entries(out)
    (out / ".report").mkdir(exist_ok=True)
    from report.pipeline import Status  # SymPy, jinja2: only once the options are good
    try:
        with hold_folder(out) as lock:
            return _build(args, out, config, lock, Status(args.quiet))
    except OSError as exc:  # a full disk, a folder made read-only under us
        where = f" ({exc.filename})" if exc.filename else ""
        raise UserError(f"cannot write the writeup into {out}: {exc.strerror or exc}{where}") from None


if __name__ == "__main__":
    sys.exit(run(main))

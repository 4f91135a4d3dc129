"""The writeup: ``python -m report`` builds ``DIR/hw6.pdf`` from the derivations of
:mod:`derive` and the result files of :mod:`numeric`.

The build is a pipeline of stages, each one function with one output (see
:mod:`report.pipeline`): derive -> render fragments -> run or reuse experiments -> figures
-> template context -> assemble (jinja2, ``report/templates/``) -> write ``hw6.tex`` ->
compile with latexmk. Outside strings are escaped with latexcodec (:func:`report.tex.escape`).
"""
from report.experiments import Outcome, run_experiments
from report.fragments import render_fragments
from common.latexbuild import LatexError, NoTeX, compile_pdf
from report.pipeline import Options, assemble, context_stage, derive_stage, figures_stage, prepare, write_tex
from report.tex import Tex, escape

__all__ = ["Options", "prepare", "derive_stage", "render_fragments", "run_experiments",
           "figures_stage", "context_stage", "assemble", "write_tex", "compile_pdf", "Outcome",
           "NoTeX", "LatexError", "Tex", "escape"]

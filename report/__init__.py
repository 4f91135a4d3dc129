"""The writeup: ``python -m report`` builds ``DIR/hw6.pdf`` from the derivations of
:mod:`derive` and the result files of :mod:`numeric`.

The build is a pipeline of stages, each one function with one output (see
:mod:`report.pipeline`): derive -> render fragments -> run or reuse experiments -> figures
-> template context -> assemble (jinja2, ``report/templates/``) -> write ``hw6.tex`` ->
compile with latexmk. Outside strings are escaped with latexcodec (:func:`report.tex.escape`).
"""
from __future__ import annotations

from importlib import import_module

__all__ = ["Options", "prepare", "derive_stage", "render_fragments", "run_experiments",
           "figures_stage", "context_stage", "assemble", "write_tex", "compile_pdf", "Outcome",
           "NoTeX", "LatexError", "Tex", "escape"]

# each name of __all__ -> the module that defines it, imported when the name is first used
# (PEP 562): ``python -m report --help`` or a bad option does not import SymPy and jinja2
_HOME = {"Outcome": "report.experiments", "run_experiments": "report.experiments",
         "render_fragments": "report.fragments", "LatexError": "common.latexbuild",
         "NoTeX": "common.latexbuild", "compile_pdf": "common.latexbuild", "Tex": "report.tex",
         "escape": "report.tex",
         **{n: "report.pipeline" for n in ("Options", "assemble", "context_stage", "derive_stage",
                                           "figures_stage", "prepare", "write_tex")}}


def __getattr__(name: str):
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'report' has no attribute {name!r}")

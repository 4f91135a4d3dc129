"""The writeup as a pipeline of stages, each one function with one output:

    derive_stage      topics             -> Derived      (derive.load, per topic)
    render_fragments  derivations        -> {id: Fragment}          (report.fragments)
    run_experiments   DIR, plans         -> {name: Outcome}         (report.experiments)
    figures_stage     outcomes, DIR      -> {name: [Figure]}  (copied to DIR/figures/)
    context_stage     all of the above   -> the template context   (report.sections)
    assemble          context            -> LaTeX source            (jinja2 templates)
    write_tex         DIR, source        -> DIR/hw6.tex (atomic; untouched if unchanged)
    compile_pdf       DIR/hw6.tex        -> DIR/hw6.pdf             (common.latexbuild)

:func:`prepare` runs the first seven in order and :func:`common.latexbuild.compile_pdf` is the
last; ``python -m report`` (:mod:`report.__main__`) runs them all and maps failures to exit
statuses.
"""
from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from common.cli import atomic_write
from common.fileset import install

from report.sections import base as sections
from report import provenance, tex
from numeric.experiment import EXPERIMENTS
from report.config import Config
from report.experiments import Outcome, plan, run_experiments
from report.fragments import Fragment, render_fragments, verification_rows, verification_total
from report.sections.gan import gan_section
from report.sections.sgd import sgd_section
from report.sections.vae import vae_section
from report.tex import Tex

__all__ = ["Derived", "Figure", "Options", "derive_stage", "figures_stage", "plans_stage",
           "context_stage", "assemble", "write_tex", "prepare", "Prepared", "environment", "Status",
           "problems_of", "FIGURES_MANIFEST"]

TEMPLATES = Path(__file__).parent / "templates"
FIGURE_EXTS = (".pdf", ".png", ".jpg")
FIGURES_MANIFEST = Path(".report") / "figures.json"  # in DIR: the figures the last build copied


@dataclass(frozen=True)
class Options:
    out: Path
    quick: bool = False
    quiet: bool = False
    config: Config = field(default_factory=Config)


@dataclass(frozen=True)
class Derived:
    """Stage 1 output: the derivations that built, and the topics that failed (with why)."""

    derivations: tuple
    errors: dict
    seconds: float
    cached: bool


@dataclass(frozen=True)
class Figure:
    experiment: str
    stem: str
    path: str  # relative to DIR, forward slashes, for \includegraphics


def derive_stage(topics=None) -> Derived:
    """Stage 1: load each topic's derivations (built and verified, or from the disk cache).

    A topic whose derivations fail to build is recorded with its error, not raised: the
    writeup marks it not available and the build exits non-zero."""
    from derive import load
    from derive.engine.cache import is_cached
    from derive.topics import in_problem_order
    topics = topics or in_problem_order()
    t0 = time.perf_counter()
    cached = all(is_cached(f"topic-{t}") for t in topics)
    out, errors = [], {}
    for t in topics:
        try:
            out.extend(load([t]))
        except Exception as exc:  # a broken derivation is reported, the rest still renders
            errors[t] = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    return Derived(tuple(out), errors, time.perf_counter() - t0, cached)


def _figure_files(o: Outcome) -> list[Path]:
    """The figures ``results.json`` names, one file per stem (PDF preferred)."""
    found = []
    for stem in o.data.get("figures") or {}:
        for ext in FIGURE_EXTS:
            if (o.folder / f"{stem}{ext}").is_file():
                found.append(o.folder / f"{stem}{ext}")
                break
    return found


def _safe(stem: str) -> str:
    """A file name TeX and ``\\includegraphics`` read without trouble."""
    return re.sub(r"[^A-Za-z0-9-]+", "-", stem).strip("-") or "figure"


def figures_stage(outcomes: dict[str, Outcome], out: Path) -> dict[str, list[Figure]]:
    """Stage 4: copy every figure of every successful experiment to ``DIR/figures/`` as
    ``NAME-STEM.ext``. Figures an earlier build copied there and this one does not are
    removed; any other file in ``DIR/figures/`` is left alone (:func:`common.fileset.install`)."""
    figures: dict[str, list[Figure]] = {}
    files = {}
    for name, o in outcomes.items():
        figures[name] = []
        if not o.ok:
            continue
        for src in _figure_files(o):
            stem = str(src.relative_to(o.folder).with_suffix(""))
            short = stem[len(name) + 1:] if stem.startswith(f"{name}_") else stem
            target = f"{name}-{_safe(short)}{src.suffix}"
            files[target] = src
            figures[name].append(Figure(name, stem, Tex(f"figures/{target}")))
    install(files, out / "figures", out / FIGURES_MANIFEST)
    return figures


def context_stage(derived: Derived, fragments: dict[str, Fragment], outcomes: dict[str, Outcome],
                  figures: dict[str, list[Figure]], opts: Options) -> dict:
    """Stage 5: everything the templates print, already formatted or escaped."""
    build_info = sections.build_section(derived, outcomes, opts.quick)
    build_info.update(command=provenance.report_command(opts.quick, opts.config.path),
                      experiments=provenance.experiment_rows(outcomes),
                      config=provenance.config_rows(opts.config),
                      config_file=provenance.command_tex(opts.config.path.name) if opts.config.path else "")
    rows = verification_rows(list(derived.derivations))
    return {
        "build": build_info,
        "drv": sections.derivation_slot(fragments, derived.errors),
        "others": sections.unplaced(fragments),
        "result": sections.result_of(fragments),
        "level": sections.level_of(fragments),
        "sgd": sections.guarded(sgd_section, outcomes.get("sgd"), figures.get("sgd", []), "SGD experiment"),
        "gan": sections.guarded(gan_section, outcomes.get("gan"), figures.get("gan", []), "GAN experiment"),
        "vae": sections.guarded(vae_section, outcomes.get("vae"), figures.get("vae", []), "VAE experiment"),
        "verification": rows,
        "verification_total": verification_total(list(derived.derivations)),
    }


def environment() -> Environment:
    """Jinja with LaTeX-safe delimiters: ``\\VAR{x}``, ``\\BLOCK{if ...}``, ``\\#{...}``.
    Every ``\\VAR`` is escaped (:func:`report.tex.finalize`) unless it is :class:`~report.tex.Tex`."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), block_start_string=r"\BLOCK{",
                      block_end_string="}", variable_start_string=r"\VAR{", variable_end_string="}",
                      comment_start_string=r"\#{", comment_end_string="}", trim_blocks=True,
                      lstrip_blocks=True, autoescape=False, keep_trailing_newline=True,
                      undefined=StrictUndefined, finalize=tex.finalize)
    env.filters.update(sci=tex.sci, fixed=tex.fixed, num=tex.num, integer=tex.integer,
                       pct=tex.pct, seconds=tex.seconds, e=tex.escape)
    return env


def assemble(context: dict) -> str:
    """Stage 6: the LaTeX source of the writeup."""
    return environment().get_template("hw6.tex").render(**context)


def write_tex(out: Path, source: str) -> Path:
    """Stage 7: ``DIR/hw6.tex``, written atomically, left alone if unchanged."""
    path = out / "hw6.tex"
    if not (path.exists() and path.read_text() == source):
        atomic_write(path, source)
    return path


class Status:
    """One-line progress on a terminal (stderr); silent when quiet or piped."""

    def __init__(self, quiet: bool):
        self.on = not quiet and sys.stderr.isatty()
        self.width = 0

    def __call__(self, text: str) -> None:
        if self.on:
            line = f"report: {text}"
            sys.stderr.write("\r" + line.ljust(self.width))
            sys.stderr.flush()
            self.width = len(line)

    def done(self, text: str) -> None:
        self(text)
        if self.on:
            sys.stderr.write("\n")
            self.width = 0


@dataclass(frozen=True)
class Prepared:
    """Stages 1-7 done: the .tex, its inputs, what went wrong and what the reader should
    know (one line each)."""

    tex: Path
    derived: Derived
    outcomes: dict
    problems: tuple
    notes: tuple = ()


def problems_of(derived: Derived, outcomes: dict, context: dict) -> tuple:
    """Failures that leave a part of the writeup marked not available (exit status 1): a
    derivation that failed, an experiment that failed (its results missing or not valid
    against its schema), and a bug in the section code (with where it happened)."""
    out = [f"{t} derivations: {e}" for t, e in derived.errors.items()]
    out += [f"{n} experiment: {o.message}" for n, o in outcomes.items() if o.status == "failed"]
    out += [f"bug in the writeup code for the {n} experiment: {context[n]['bug']}"
            for n in EXPERIMENTS if n in context and context[n].get("bug")]
    return tuple(out)


def notes_of(outcomes: dict) -> tuple:
    """What the report says about results it did not make (it uses them: same options,
    inputs and sources) and about invalid results it replaced."""
    reused = [f"{n} results reused from an earlier run not made by a report: {o.made_by}"
              for n, o in outcomes.items() if o.ok and o.outside]
    return tuple(reused + [f"{n}: the results in DIR/{n}/results.json did not match their schema "
                           f"({o.extra['replaced']}); ran the experiment again"
                           for n, o in outcomes.items() if o.extra.get("replaced")])


def plans_stage(opts: Options) -> dict:
    """Stage 3a: the run of each experiment this build wants (its options from
    ``--config``), or None for one whose module does not exist yet."""
    return {n: plan(n, opts.config.options.get(n, ()), opts.quick) for n in EXPERIMENTS}


def prepare(opts: Options, status=None, on_start=lambda groups: None) -> Prepared:
    """Stages 1-7: everything up to and including ``DIR/hw6.tex``. ``on_start`` gets the
    process groups of the experiments when they start (the caller records them)."""
    status = status or Status(True)
    plans = plans_stage(opts)
    status("deriving")
    derived = derive_stage()
    status.done(f"derivations: {len(derived.derivations)} ({derived.seconds:.1f} s"
                f"{', cached' if derived.cached else ''})")
    fragments = render_fragments(list(derived.derivations))
    status("experiments")
    outcomes = run_experiments(opts.out, plans, status=status, on_start=on_start)
    status.done("experiments: " + ", ".join(
        f"{n} {'reused' if o.reused else o.status}" + (f" ({o.seconds:.0f} s)" if o.ok and not o.reused else "")
        for n, o in outcomes.items()))
    figures = figures_stage(outcomes, opts.out)
    context = context_stage(derived, fragments, outcomes, figures, opts)
    tex_path = write_tex(opts.out, assemble(context))
    return Prepared(tex_path, derived, outcomes, problems_of(derived, outcomes, context), notes_of(outcomes))

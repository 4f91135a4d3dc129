"""Writing results: reproducible figures (vector PDF + PNG) and rounded JSON, staged.

Every experiment writes its files through these helpers, so that the same seed and inputs
give byte-identical ``results.json`` and figures without time stamps, and every file is
written atomically (:func:`common.cli.atomic_write`).

:func:`staged` gives an experiment's ``main`` an empty staging folder ``DIR/.NAME.staging-PID``
to write into; only when the block succeeds are its files moved into ``DIR/NAME`` together
(:func:`common.fileset.install`, ``results.json`` last), with the record ``run.json`` of the
command and inputs that made them (:mod:`common.runrecord`). A run that fails or is
interrupted leaves ``DIR/NAME`` as it was; a staging folder left by a killed run is removed
by the next one (:func:`discard_stale_stages`: its process is gone). The run holds the output
folder's lock (:func:`common.lock.hold_folder`) meanwhile, as ``python -m report`` does: a
second command writing into ``DIR`` exits 2 instead of mixing its results with this one's.
"""
from __future__ import annotations

import io
import json
import math
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

from common.cli import UserError, atomic_write, writable_dir

__all__ = ["TEXT_WIDTH", "PALETTE", "pyplot", "save_figure", "rounded", "staged", "discard_stale_stages",
           "OUTPUTS_MANIFEST"]

OUTPUTS_MANIFEST = ".outputs.json"  # in DIR/NAME: the files the last successful run moved in

# The writeup's text width in inches (A4, 2.3 cm margins: 16.4 cm). A figure is drawn at the
# size it is printed: a full-width figure has figsize width TEXT_WIDTH and the template
# includes it at width=\linewidth, a narrower one at width=(its width / TEXT_WIDTH)\linewidth,
# so the font sizes set here are the printed sizes (7 to 9 pt).
TEXT_WIDTH = 6.45

# Okabe and Ito's colour-blind-safe palette (the colour cycle of every figure): blue, vermillion,
# bluish green, reddish purple, orange, sky blue, yellow; black is the eighth colour.
PALETTE = {"blue": "#0072B2", "vermillion": "#D55E00", "green": "#009E73", "purple": "#CC79A7",
           "orange": "#E69F00", "sky": "#56B4E9", "yellow": "#F0E442", "black": "#000000"}

# A threshold or tolerance line, in every figure: thin, black and solid, unlike every curve's style
# (the curves are coloured, and the only black curve, a frozen discriminator's, is dotted).
THRESHOLD = {"color": PALETTE["black"], "ls": "-", "lw": 0.6, "zorder": 1}

_RC = {"font.size": 8, "axes.titlesize": 9, "legend.fontsize": 8, "lines.linewidth": 1.4,
       "savefig.dpi": 200, "pdf.fonttype": 42, "svg.hashsalt": "hw6"}


def pyplot(**rc):
    """``matplotlib.pyplot`` on the Agg backend with the project's print-size style
    (``rc`` overrides, with dots written as underscores: ``font_size=9``)."""
    import logging
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # font-subsetting chatter
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cycler import cycler
    plt.rcParams.update({**_RC, "axes.prop_cycle": cycler(color=list(PALETTE.values())),
                         **{k.replace("_", "."): v for k, v in rc.items()}})
    return plt


def save_figure(fig, out: Path, stem: str, **savefig_kw) -> None:
    """Write ``out/stem.pdf`` (vector) and ``out/stem.png`` without time stamps, atomically,
    then close ``fig``."""
    import matplotlib.pyplot as plt
    for ext, meta in (("pdf", {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}),
                      ("png", {"Software": None})):
        buf = io.BytesIO()
        fig.savefig(buf, format=ext, metadata=meta, **savefig_kw)
        atomic_write(Path(out) / f"{stem}.{ext}", buf.getvalue())
    plt.close(fig)


def rounded(x):
    """For JSON: floats to 6 significant digits, NaN/inf -> None, arrays -> lists."""
    if isinstance(x, dict):
        return {k: rounded(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, np.ndarray)):
        return [rounded(v) for v in (x.tolist() if isinstance(x, np.ndarray) else x)]
    if isinstance(x, (bool, np.bool_)) or x is None or isinstance(x, str):
        return bool(x) if isinstance(x, np.bool_) else x
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    return float(f"{x:.6g}") if math.isfinite(x) else None



def discard_stale_stages(out: Path, name: str) -> list[Path]:
    """Remove the staging folders ``out/.NAME.staging-PID`` whose process PID is gone (a
    killed run); a live one is left alone. Returns the removed ones."""
    from common.lock import pid_alive
    removed = []
    for stage in sorted(Path(out).glob(f".{name}.staging-*")):
        pid = stage.name.rpartition("-")[2]
        if stage.is_dir() and not stage.is_symlink() and not (pid.isdigit() and pid_alive(int(pid))):
            shutil.rmtree(stage, ignore_errors=True)
            removed.append(stage)
    return removed


@contextmanager
def staged(args, name: str) -> Iterator[Path]:
    """``with staged(args, "sgd") as stage:`` write every output into ``stage``; on success
    they move into ``args.out/NAME`` together, with ``run.json``; on failure they are removed.

    ``args`` are the experiment's parsed options (``args.out``: the output folder)."""
    from common.fileset import install
    from common.lock import hold_folder
    from common.runrecord import RECORD, make_record
    from numeric.experiment import EXPERIMENTS
    if not str(args.out).strip():
        raise UserError("--out is empty: name an output folder")
    out = writable_dir(args.out)
    with hold_folder(out):  # one command at a time writes into DIR (a report's own runs: under its lock)
        final = writable_dir(out / name)
        discard_stale_stages(out, name)
        spec = EXPERIMENTS[name]
        record = make_record(spec.module, args, spec.inputs)
        stage = out / f".{name}.staging-{os.getpid()}"
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir()
        t0 = time.perf_counter()
        try:
            yield stage
            record["seconds"] = round(time.perf_counter() - t0, 2)
            atomic_write(stage / RECORD, json.dumps(record, indent=1) + "\n")
            files = {p.name: p for p in stage.iterdir() if p.is_file()}
            install(files, final, final / OUTPUTS_MANIFEST, move=True, commit="results.json")
        finally:
            shutil.rmtree(stage, ignore_errors=True)

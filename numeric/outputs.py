"""Writing results: reproducible figures (vector PDF + PNG) and rounded JSON.

Every experiment writes its files through these helpers, so that the same seed and inputs
give byte-identical ``results.json`` and figures without time stamps, and every file is
written atomically (:func:`common.cli.atomic_write`).
"""
from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np

from common.cli import atomic_write

__all__ = ["TEXT_WIDTH", "pyplot", "save_figure", "rounded"]

# The writeup's text width in inches (A4, 2.3 cm margins: 16.4 cm). A figure is drawn at the
# size it is printed: a full-width figure has figsize width TEXT_WIDTH and the template
# includes it at width=\linewidth, a narrower one at width=(its width / TEXT_WIDTH)\linewidth,
# so the font sizes set here are the printed sizes (7 to 9 pt).
TEXT_WIDTH = 6.45

_RC = {"font.size": 8, "axes.titlesize": 9, "legend.fontsize": 7, "lines.linewidth": 1.4,
       "savefig.dpi": 200, "pdf.fonttype": 42, "svg.hashsalt": "hw6"}


def pyplot(**rc):
    """``matplotlib.pyplot`` on the Agg backend with the project's print-size style
    (``rc`` overrides, with dots written as underscores: ``font_size=9``)."""
    import logging
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # font-subsetting chatter
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams.update({**_RC, **{k.replace("_", "."): v for k, v in rc.items()}})
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


"""The figure of Problem 1 (matplotlib, Agg), as vector PDF and PNG under ``DIR/sgd/``, drawn at
the size it is printed (full text width, :data:`numeric.outputs.TEXT_WIDTH`; fonts 7-9 pt).

- ``sgd_curves``: learning curves (the relative gap against epochs, both axes logarithmic, so that
  the first epochs and the level a constant step settles at are both visible), one panel per batch
  size, two panels a row, every panel on the same axes: constant-step SGD (solid), the tuned heavy
  ball (dashed) and the decreasing step (dash-dotted), in Okabe and Ito's colour-blind-safe colours;
  lines the median over every seed (a seed that stopped counts with its last gap), bands from the
  smallest to the largest seed, the tolerances dotted grey, every power of ten a labelled tick,
  every panel with its own epoch tick labels, ticks at 9 pt.

A run with nothing to plot (a degenerate problem) still gets its figure, with a note in place of
the curves. Labels are mathtext; numbers come from :mod:`common.numfmt`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from common import numfmt
from numeric.outputs import PALETTE, TEXT_WIDTH, THRESHOLD, pyplot, save_figure

__all__ = ["write_all", "STEMS", "SHOWN", "x_range"]

STEMS = ("sgd_curves",)
SHOWN = ("sgd", "hb", "dec")
COLORS = {"sgd": PALETTE["blue"], "hb": PALETTE["vermillion"], "dec": PALETTE["green"]}
NAMES = {"sgd": "SGD, constant step (GD at $n'=n$)", "hb": "heavy ball, tuned",
         "dec": r"SGD, decreasing step $\alpha_0/(1+\tau/\tau_0)$"}
# SGD wide and under the others, so that where heavy ball's curve lies on it both stay visible
STYLES = {"sgd": {"ls": "-", "lw": 2.4, "zorder": 2}, "hb": {"ls": (0, (4, 2)), "lw": 1.1, "zorder": 3},
          "dec": {"ls": (0, (6, 1.5, 1, 1.5)), "lw": 1.2, "zorder": 3}}
NOTES = {"w0-optimal": r"$F(w_0)=F^\star$: nothing to optimise",
         "overflow": "the objective is not finite in double precision"}


def _arr(v):
    return np.array([np.nan if x is None else x for x in v], dtype=float)


def _plt():
    return pyplot(font_size=8, legend_fontsize=8, axes_titlesize=8, lines_linewidth=1.3, path_simplify=False,
                  xtick_labelsize=9, ytick_labelsize=9, axes_labelsize=9)  # ticks at 9 pt printed


def _note(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])


def x_range(res) -> tuple[float, float]:
    """The epoch range of every panel: from the first check of the smallest batch to the longest
    run (log axis; epoch 0 is not drawn).

    >>> x_range({"runs": [{"curve": {"epoch": [0.0, 0.2, 0.4]}, "horizon_epochs": 200.0},
    ...                   {"curve": {"epoch": [0.0, 1.0]}, "horizon_epochs": 60.0}]})
    (0.2, 200.0)
    """
    firsts = [e for r in res["runs"] for e in r["curve"]["epoch"][1:2] if e and e > 0]
    return (min(firsts) if firsts else 0.1, max((r["horizon_epochs"] for r in res["runs"]), default=1.0))


def y_range(res, tols) -> tuple[float, float]:
    """Every panel's gap axis: from a tenth of the smallest tolerance to above the highest point
    of any band (a large early step can overshoot the start), so that no curve is clipped.

    >>> y_range({"runs": [{"curve": {"hi": [1.0, 3.0, None]}}]}, [1e-4])
    (1e-05, 4.5)
    """
    top = max((v for r in res["runs"] for v in r["curve"]["hi"] if v is not None and np.isfinite(v)), default=1.0)
    return min(tols) / 10, 1.5 * max(top, 1.0)


def _decades(lo: float, hi: float) -> list[float]:
    """The powers of ten in [lo, hi]: every one a labelled tick (the tolerances among them).

    >>> _decades(1e-5, 4.5)
    [1e-05, 0.0001, 0.001, 0.01, 0.1, 1.0]
    """
    return [10.0 ** k for k in range(int(np.ceil(np.log10(lo) - 1e-9)), int(np.floor(np.log10(hi) + 1e-9)) + 1)]


def curves(res, out: Path) -> str:
    """Two panels a row (GD last), every panel on the same logarithmic axes; the legend in the
    panel left over."""
    plt = _plt()
    batches = sorted({r["batch"] for r in res["runs"]})
    cols = 2
    rows = max(1, int(np.ceil((len(batches) + 1) / cols)))
    fig, axes = plt.subplots(rows, cols, figsize=(TEXT_WIDTH, 1.95 * rows + 0.2), squeeze=False,
                             sharex=True, sharey=True)
    n = res["settings"]["n"]
    tols = res["settings"].get("tolerances") or [res["settings"]["tol"]]
    lo_x, hi_x = x_range(res)
    lo_y, hi_y = y_range(res, tols)
    handles = {}
    for ax, b in zip(axes.flat, batches):
        rs = {r["method"]: r for r in res["runs"] if r["batch"] == b}
        for m in SHOWN:
            if m not in rs:
                continue
            c = rs[m]["curve"]
            x, med, lo, hi = _arr(c["epoch"]), _arr(c["median"]), _arr(c["lo"]), _arr(c["hi"])
            keep = x > 0
            ax.fill_between(x[keep], lo[keep], hi[keep], color=COLORS[m], alpha=0.2, lw=0)
            (h,) = ax.plot(x[keep], med[keep], color=COLORS[m], **STYLES[m])
            handles.setdefault(m, h)
        for t in tols:
            ax.axhline(t, **THRESHOLD)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(lo_y, hi_y)
        ax.set_yticks(_decades(lo_y, hi_y))
        ax.set_yticks([], minor=True)
        ax.set_xlim(lo_x, hi_x)
        ax.text(0.03, 0.06, "GD ($n'=n$)" if b >= n else f"$n'={numfmt.mathtext(b).strip('$')}$",
                transform=ax.transAxes, ha="left", va="bottom", fontsize=9,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        ax.grid(alpha=0.3, lw=0.4)
    for ax in list(axes.flat)[:len(batches)]:   # every panel labels its epochs (shared axes hide them)
        ax.tick_params(labelbottom=True)
    for j in range(cols):   # the lowest panel of each column names the epoch axis
        used = [i for i in range(rows) if i * cols + j < len(batches)]
        if used:
            axes[used[-1], j].set_xlabel(r"epochs $\tau=tn'/n$")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"relative gap $\Delta_t$")
    spare = list(axes.flat)[len(batches):]
    for ax in spare:
        ax.axis("off")
    if not batches:
        _note(axes.flat[0], NOTES.get(res.get("degenerate"), "no runs"))
        axes.flat[0].axis("on")
    elif spare:
        tol = spare[0].plot([], [], **THRESHOLD)[0]
        spare[0].legend([handles[m] for m in SHOWN if m in handles] + [tol],
                        [NAMES[m] for m in SHOWN if m in handles] + ["tolerances $\\delta$"],
                        loc="center", frameon=False, handlelength=3.2)
    fig.tight_layout(pad=0.3, w_pad=0.8, h_pad=0.5)
    save_figure(fig, out, "sgd_curves")
    return "sgd_curves"


def write_all(res, out: Path) -> list:
    """Write the figure; returns its stem (the caption is written in report/)."""
    return [curves(res, out)]

"""Figures of Problem 1 (matplotlib, Agg): each as vector PDF and PNG under ``DIR/sgd/``, drawn
at the size they are printed (full text width, :data:`numeric.outputs.TEXT_WIDTH`; fonts 7-9 pt).

- ``sgd_curves``: learning curves (gap against epochs, log scale), one panel per batch size, all on
  one epoch range: constant-step SGD, tuned heavy ball, the decreasing step and heavy
  ball at SGD's effective step (the best beta), Polyak's parameters for GD (three panels a row); median over every
  seed (a seed that stopped counts with its last gap), band min to max, the tolerances marked.
- ``sgd_vs_batch``: epochs (left, linear) and gradient steps (right, log) to convergence against
  n' (log), median and range over the seeds.
- ``sgd_lessard``: heavy ball at Polyak's parameters on the counterexample of Lessard, Recht and
  Packard (:mod:`numeric.sgd.lessard`): the iterates from each start (left) and f with the 3-cycle
  (right).

A run with nothing to plot (nothing converged, a degenerate problem) still gets its figures,
with a note in place of the curves. Labels are mathtext; numbers come from :mod:`common.numfmt`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from common import numfmt
from numeric.outputs import TEXT_WIDTH, pyplot, save_figure

__all__ = ["write_all", "STEMS", "x_limit"]

STEMS = ("sgd_curves", "sgd_vs_batch", "sgd_lessard")
COLORS = {"sgd": "#1f77b4", "hb": "#d62728", "dec": "#2ca02c", "hbeff": "#9467bd", "polyak": "#ff7f0e"}
NAMES = {"sgd": "SGD, constant step (GD at $n'=n$)", "hb": "heavy ball, tuned", "dec": r"SGD, $\alpha_0/(1+t/t_0)$",
         "hbeff": r"heavy ball at $\alpha_{\mathrm{SGD}}(1-\beta)$", "polyak": r"heavy ball at $(\alpha^\star,\beta^\star)$"}
NOTES = {"w0-optimal": r"$F(w_0)=F^\star$: nothing to optimise",
         "overflow": "the objective is not finite in double precision"}


def _arr(v):
    return np.array([np.nan if x is None else x for x in v], dtype=float)


def _plt():
    return pyplot(font_size=8, legend_fontsize=7, axes_titlesize=8, lines_linewidth=1.1, path_simplify=False)


def _note(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])


def _panel_runs(res, b):
    """The runs a panel shows: sgd, hb, dec, the best hbeff, polyak."""
    rs = {r["method"]: r for r in res["runs"] if r["batch"] == b}
    row = next(t for t in res["table"] if t["batch"] == b)
    best = row["hbeff_best_beta"]
    show = [(m, rs[m]) for m in ("sgd", "hb", "dec", "polyak") if m in rs]
    if best is not None and f"hbeff-{best:g}" in rs:
        show.insert(2, ("hbeff", rs[f"hbeff-{best:g}"]))
    return show


def _positive(v) -> np.ndarray:
    a = _arr(v)
    return a[np.isfinite(a) & (a > 0)]


def x_limit(res) -> float:
    """The common epoch range of the learning-curve panels: 1.25 times the largest median
    epochs to convergence at tol of any drawn method (the whole record if none converged).

    >>> x_limit({"runs": [{"method": "sgd", "epochs_median": 48.0, "horizon_epochs": 90.0}]})
    60.0
    """
    eps = [r["epochs_median"] for r in res["runs"] if r["method"] in SHOWN and r.get("epochs_median")]
    if eps:
        return 1.25 * max(eps)
    return max((r["horizon_epochs"] for r in res["runs"]), default=1.0)


SHOWN = ("sgd", "hb", "dec", "hbeff", "polyak")
STYLES = {"sgd": {"ls": "-", "lw": 1.3}, "hb": {"ls": "-", "lw": 1.3}, "dec": {"ls": (0, (6, 2)), "lw": 1.2},
          "hbeff": {"ls": (0, (1, 1.5)), "lw": 1.8}, "polyak": {"ls": (0, (4, 1.5, 1, 1.5)), "lw": 1.2}}


def curves(res, out: Path) -> str:
    """Three panels a row, all on one epoch range (:func:`x_limit`) and one gap range; dotted: the
    tolerances of the evaluation; each method its own colour and dash (the dotted heavy ball at
    SGD's step stays visible where it coincides with SGD)."""
    plt = _plt()
    batches = sorted({r["batch"] for r in res["runs"]})
    cols = 3
    rows = max(1, int(np.ceil((len(batches) + 1) / cols)))
    fig, axes = plt.subplots(rows, cols, figsize=(TEXT_WIDTH, 1.5 * rows + 0.3), squeeze=False,
                             sharex=True, sharey=True)
    n = res["settings"]["n"]
    tols = res["settings"].get("tolerances") or [res["settings"]["tol"]]
    xmax = x_limit(res)
    handles = {}
    for ax, b in zip(axes.flat, batches):
        for m, r in _panel_runs(res, b):
            c = r["curve"]
            x, med, lo, hi = _arr(c["epoch"]), _arr(c["median"]), _arr(c["lo"]), _arr(c["hi"])
            ax.fill_between(x, lo, hi, color=COLORS[m], alpha=0.22, lw=0)
            (h,) = ax.plot(x, med, color=COLORS[m], **STYLES[m])
            handles.setdefault(m, h)
        for t in tols:
            ax.axhline(t, color="k", ls=":", lw=0.6)
        ax.set_yscale("log")
        ax.set_ylim(min(tols) / 10, 1.5)
        ax.set_xlim(0, xmax)
        ax.text(0.98, 0.92, "GD ($n'=n$)" if b >= n else f"$n'={numfmt.mathtext(b).strip('$')}$",
                transform=ax.transAxes, ha="right", va="top", fontsize=8,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        ax.grid(alpha=0.3, lw=0.4)
    for j in range(cols):   # the lowest panel of each column carries the epoch axis
        used = [i for i in range(rows) if i * cols + j < len(batches)]
        if used:
            axes[used[-1], j].tick_params(labelbottom=True)
            axes[used[-1], j].set_xlabel("epochs $Tn'/n$")
    for ax in axes[:, 0]:
        ax.set_ylabel("relative gap")
    spare = list(axes.flat)[len(batches):]
    for ax in spare:
        ax.axis("off")
    if not batches:
        _note(axes.flat[0], NOTES.get(res.get("degenerate"), "no runs"))
        axes.flat[0].axis("on")
    elif spare:
        spare[0].legend([handles[m] for m in NAMES if m in handles], [NAMES[m] for m in NAMES if m in handles],
                        loc="center", frameon=False, handlelength=3.0)
    fig.tight_layout(pad=0.3, w_pad=0.6, h_pad=0.4)
    save_figure(fig, out, "sgd_curves")
    return "sgd_curves"


def _ticks(minor: bool = False):
    """Log-axis tick labels through :func:`common.numfmt.mathtext`; ``minor`` (a wide axis): the
    minor ticks stay unlabelled."""
    from matplotlib.ticker import FuncFormatter

    def fmt(x, _pos):
        if minor:
            return ""
        return numfmt.mathtext(float(f"{x:.3g}"))
    return FuncFormatter(fmt)


OFFSETS = {"sgd": 1 / 1.12, "hb": 1.0, "dec": 1.12}   # x offsets (log axis) so the error bars do not overlap


def vs_batch(res, out: Path) -> str:
    """Epochs (left) and gradient steps (right) against n', median and range over the seeds;
    each method's markers shifted by a small factor in n' so that its bars stand apart."""
    plt = _plt()
    n = res["settings"]["n"]
    fig, axes = plt.subplots(1, 2, figsize=(TEXT_WIDTH, 2.9))
    anything = False
    for ax, key in zip(axes, ("epochs", "steps")):
        for m in ("sgd", "hb", "dec"):
            rs = [r for r in res["runs"] if r["method"] == m]
            if not rs:
                continue
            B = np.array([r["batch"] for r in rs], float) * OFFSETS[m]
            med = _arr([r[f"{key}_median"] for r in rs])
            vals = [[v for v in r[key] if v is not None] for r in rs]
            lo = np.array([min(v) if v else np.nan for v in vals])
            hi = np.array([max(v) if v else np.nan for v in vals])
            if not np.isfinite(med).any():
                continue
            anything = True
            ax.errorbar(B, med, yerr=[med - lo, hi - med], color=COLORS[m], marker="o", ms=3, lw=1.0, capsize=2,
                        label=NAMES[m])
            gd = np.array([r["is_gd"] for r in rs])
            ax.plot(B[gd], med[gd], marker="s", ms=7, mfc="none", mec=COLORS[m], ls="none")
        if anything:
            ax.set_xscale("log")
            if key == "steps":
                ax.set_yscale("log")
                ax.yaxis.set_major_formatter(_ticks())
                lo, hi = ax.get_ylim()
                ax.yaxis.set_minor_formatter(_ticks(minor=hi / lo > 12))
            else:
                ax.set_ylim(0, None)
            ax.grid(alpha=0.3, lw=0.4, which="both")
        else:
            _note(ax, NOTES.get(res.get("degenerate"), "no configuration converged"))
        ax.set_xlabel("batch size $n'$ (square: GD, $n'=n$)")
        ax.set_ylabel("epochs to convergence" if key == "epochs" else "gradient steps $T$ to convergence")
    if anything:
        h, lab = axes[0].get_legend_handles_labels()
        fig.legend(h, lab, frameon=False, loc="lower center", ncol=3, handlelength=1.8, columnspacing=1.2)
    fig.tight_layout(pad=0.3, w_pad=1.0, rect=(0, 0.09, 1, 1))
    save_figure(fig, out, "sgd_vs_batch")
    return "sgd_vs_batch"


def lessard(res, out: Path) -> str:
    plt = _plt()
    lr = res["lessard"]
    fig, (a, b) = plt.subplots(1, 2, figsize=(TEXT_WIDTH, 2.1), gridspec_kw={"width_ratios": [1.6, 1]})
    for s, color in zip(lr["starts"], ("#d62728", "#1f77b4")):
        xs = np.array(s["iterates"])
        a.plot(np.arange(len(xs)), xs, color=color, marker="o", ms=2.5, lw=0.9,
               label=f"$x_0={numfmt.mathtext(s['x0']).strip('$')}$")
    a.axhline(0, color="k", lw=0.6, ls=":")
    a.set_xlabel("step $t$")
    a.set_ylabel("$x_t$")
    a.set_ylim(-2.4, 3.4)
    a.legend(frameon=False, loc="upper right", ncol=2)
    a.grid(alpha=0.3, lw=0.4)
    from numeric.sgd.lessard import value
    x = np.linspace(-2.5, 2.7, 400)
    b.plot(x, value(x), color="k", lw=1.0)
    cyc = np.array(lr["cycle"])
    b.plot(cyc, value(cyc), ls="none", marker="o", ms=4, color="#d62728", label="the 3-cycle")
    for edge in (1.0, 2.0):
        b.axvline(edge, color="gray", lw=0.6, ls=":")
    b.set_xlabel("$x$")
    b.set_ylabel("$f(x)$")
    b.legend(frameon=False, loc="upper center")
    b.grid(alpha=0.3, lw=0.4)
    fig.tight_layout(pad=0.3, w_pad=1.0)
    save_figure(fig, out, "sgd_lessard")
    return "sgd_lessard"


def write_all(res, out: Path) -> list:
    """Write every figure; returns their stems (the captions are written in report/)."""
    return [curves(res, out), vs_batch(res, out)] + ([lessard(res, out)] if res.get("lessard") else [])

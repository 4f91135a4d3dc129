"""Figures of Problem 1 (matplotlib, Agg): each as vector PDF and PNG under ``DIR/sgd/``, drawn
at the size they are printed (full text width, :data:`numeric.outputs.TEXT_WIDTH`; fonts 7-9 pt).

- ``sgd_curves``: learning curves (gap against epochs, log scale), one panel per batch size:
  constant-step SGD, tuned heavy ball, the decreasing step and heavy ball at SGD's effective step
  (the best beta), Polyak's parameters for GD; median over seeds, band min to max, tol marked.
  Each curve is drawn up to the end of its confirmation window on the slowest seed (GD runs on
  for the rate fit; that tail is not drawn).
- ``sgd_vs_batch``: epochs (left, linear) and gradient steps (right, log) to convergence against
  n' (log), with the fit E(B) = E_min (1 + B/B_noise) of every method whose fit exists (over the
  minibatch sizes) and the crossover b*.

A run with nothing to plot (nothing converged, a degenerate problem) still gets its figures,
with a note in place of the curves. Labels are mathtext; numbers come from :mod:`common.numfmt`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from common import numfmt
from numeric.outputs import TEXT_WIDTH, pyplot, save_figure

__all__ = ["write_all", "STEMS", "drawn_until"]

STEMS = ("sgd_curves", "sgd_vs_batch")
COLORS = {"sgd": "#1f77b4", "hb": "#d62728", "dec": "#2ca02c", "hbeff": "#9467bd", "polyak": "#ff7f0e"}
NAMES = {"sgd": "SGD, constant step (GD at $n'=n$)", "hb": "heavy ball, tuned", "dec": r"SGD, $\alpha_0/(1+t/t_0)$",
         "hbeff": r"heavy ball at $\alpha_{\mathrm{SGD}}(1-\beta)$", "polyak": r"heavy ball at $(\alpha^\star,\beta^\star)$"}
FIT_NAMES = {"sgd": "SGD", "hb": "heavy ball", "dec": "decreasing step"}
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


def drawn_until(r: dict, window_epochs: float, window_fraction: float) -> float | None:
    """The epoch where a run's drawn curve ends: the end of the confirmation window,
    e + max(window_epochs, window_fraction e), on the slowest seed; None (the whole record) if a
    seed did not converge.

    >>> drawn_until({"epochs": [30.0, 28.0]}, 2.0, 0.2)
    36.0
    """
    eps = r.get("epochs") or []
    if not eps or any(e is None for e in eps):
        return None
    return max(e + max(window_epochs, window_fraction * e) for e in eps)


def curves(res, out: Path) -> str:
    plt = _plt()
    batches = sorted({r["batch"] for r in res["runs"]})
    cols = 4
    rows = max(1, int(np.ceil((len(batches) + 1) / cols)))
    fig, axes = plt.subplots(rows, cols, figsize=(TEXT_WIDTH, 1.75 * rows + 0.2), squeeze=False)
    tol, n = res["settings"]["tol"], res["settings"]["n"]
    tuning = res["settings"]["tuning"]
    handles = {}
    for ax, b in zip(axes.flat, batches):
        lows = []
        for m, r in _panel_runs(res, b):
            c = r["curve"]
            x, med, lo, hi = _arr(c["epoch"]), _arr(c["median"]), _arr(c["lo"]), _arr(c["hi"])
            end = drawn_until(r, tuning["window_epochs"], tuning["window_fraction"])
            keep = x <= end + 1e-9 if end is not None else np.ones_like(x, bool)
            x, med, lo, hi = x[keep], med[keep], lo[keep], hi[keep]
            ax.fill_between(x, lo, hi, color=COLORS[m], alpha=0.15, lw=0)
            (h,) = ax.plot(x, med, color=COLORS[m], lw=1.0, ls="--" if m in ("hbeff", "polyak") else "-")
            handles.setdefault(m, h)
            lows.extend(_positive(lo))
        ax.axhline(tol, color="k", ls=":", lw=0.7)
        if lows:
            ax.set_yscale("log")
            ax.set_ylim(max(min(lows) / 2, tol * 1e-4), 1.5)
        else:
            _note(ax, "no finite gap")
        ax.set_title("GD ($n'=n$)" if b >= n else f"$n'={numfmt.mathtext(b).strip('$')}$", pad=2)
        ax.grid(alpha=0.3, lw=0.4)
    for ax in axes[-1, :]:
        ax.set_xlabel("epochs $Tn'/n$")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$(F-F^\star)/(F(w_0)-F^\star)$")
    spare = list(axes.flat)[len(batches):]
    for ax in spare:
        ax.axis("off")
    if not batches:
        _note(axes.flat[0], NOTES.get(res.get("degenerate"), "no runs"))
        axes.flat[0].axis("on")
    elif spare:
        spare[0].legend([handles[m] for m in NAMES if m in handles], [NAMES[m] for m in NAMES if m in handles] ,
                        loc="center", frameon=False, handlelength=1.8)
    fig.tight_layout(pad=0.3, w_pad=0.4, h_pad=0.6)
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


def _fit_line(ax, f, xs, n, steps: bool, color):
    ys = f["E_min"] * (1 + xs / f["B_noise"])
    ax.plot(xs, ys * n / xs if steps else ys, color=color, ls="--", lw=0.8)


def vs_batch(res, out: Path) -> str:
    plt = _plt()
    n = res["settings"]["n"]
    fig, axes = plt.subplots(1, 2, figsize=(TEXT_WIDTH, 3.3))
    fits = res["noise"].get("fit") or {}
    anything = False
    for ax, key in zip(axes, ("epochs", "steps")):
        for m in ("sgd", "hb", "dec"):
            rs = [r for r in res["runs"] if r["method"] == m]
            if not rs:
                continue
            B = np.array([r["batch"] for r in rs], float)
            med = _arr([r[f"{key}_median"] for r in rs])
            vals = [[v for v in r[key] if v is not None] for r in rs]
            lo = np.array([min(v) if v else np.nan for v in vals])
            hi = np.array([max(v) if v else np.nan for v in vals])
            if not np.isfinite(med).any():
                continue
            anything = True
            ax.errorbar(B, med, yerr=[med - lo, hi - med], color=COLORS[m], marker="o", ms=3, lw=1.0, capsize=2,
                        label=NAMES[m])
            gd = B >= n
            ax.plot(B[gd], med[gd], marker="s", ms=7, mfc="none", mec=COLORS[m], ls="none")
            f = fits.get(m) or {}
            if f.get("ok") and (~gd).sum() >= 2:
                xs = np.geomspace(B[~gd].min(), B[~gd].max(), 100)
                _fit_line(ax, f, xs, n, key == "steps", COLORS[m])
        bc = res["noise"].get("b_crit_at_tol")
        if bc is not None and anything:
            ax.axvline(bc, color="gray", ls=":", lw=0.9)
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
        extra = []
        for m in ("sgd", "hb", "dec"):
            f = fits.get(m) or {}
            if f.get("ok"):
                extra.append(plt.Line2D([], [], color=COLORS[m], ls="--", lw=0.8,
                                        label=rf"fit to {FIT_NAMES[m]}, {_bnoise_label(f['B_noise'], n)}"))
        bc = res["noise"].get("b_crit_at_tol")
        if bc is not None:
            extra.append(plt.Line2D([], [], color="gray", ls=":", lw=0.9,
                                    label=rf"crossover $b^\star={_scale(bc, 3)}$"))
        h, lab = axes[0].get_legend_handles_labels()
        fig.legend(h + extra, lab + [e.get_label() for e in extra], frameon=False, loc="lower center", ncol=2,
                   handlelength=1.8, columnspacing=1.2)
    fig.tight_layout(pad=0.3, w_pad=1.0, rect=(0, 0.21, 1, 1))
    save_figure(fig, out, "sgd_vs_batch")
    return "sgd_vs_batch"


def _bnoise_label(b_noise: float, n: int) -> str:
    """The fitted B_noise for the legend, marked ``> n`` where it lies beyond the data set (the
    fit then resolves no critical batch size; the text says so in the same words).

    >>> _bnoise_label(5718.55, 10000), _bnoise_label(58958.7, 10000)
    ('$B_{\\\\mathrm{noise}}=5700$', '$B_{\\\\mathrm{noise}}=5.9\\\\times10^{4}>n$ (beyond the data)')
    """
    label = rf"$B_{{\mathrm{{noise}}}}={_scale(b_noise)}"
    return label + (r">n$ (beyond the data)" if b_noise > n else "$")


def _scale(x: float, digits: int = 2) -> str:
    """A noise scale (2 significant digits) or crossover b* (3, as the text prints it) for a
    legend, scientific from 10^4 on (the rule of :func:`report.sections.sgd.noise_scale`),
    without the dollars.

    >>> _scale(58958.7), _scale(5718.55), _scale(5718.55, 3)
    ('5.9\\\\times10^{4}', '5700', '5720')
    """
    return numfmt.mathtext(float(f"{x:.{digits}g}"), digits, "sci" if x >= 1e4 else "auto").strip("$")


def write_all(res, out: Path) -> list:
    """Write every figure; returns their stems (the captions are written in report/)."""
    return [curves(res, out), vs_batch(res, out)]

"""Figures of Problem 1 (matplotlib, Agg): each as vector PDF and PNG under ``DIR/sgd/``.

- ``sgd_curves``: learning curves (gap vs epochs, log scale), one panel per batch size, SGD and
  heavy ball side by side (median over seeds, band min to max), tol marked.
- ``sgd_epochs_vs_batch``: epochs to convergence vs n' (log-log) for both methods, GD marked,
  with the fit E(B) = E_min (1 + B/B_noise) and the measured B_simple.
- ``sgd_steps_vs_batch``: the same for gradient steps T, with S(B) = S_min (1 + B_noise/B).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from common import numfmt
from numeric.outputs import pyplot, save_figure

__all__ = ["write_all"]

COLORS = {"sgd": "#1f77b4", "hb": "#d62728"}
NAMES = {"sgd": "SGD / GD", "hb": "heavy ball"}
_METHOD = {("sgd", False): "SGD", ("sgd", True): "GD", ("hb", False): "heavy ball", ("hb", True): "heavy ball (GD)"}


def _arr(v):
    return np.array([np.nan if x is None else x for x in v], dtype=float)


def curves(res, out: Path) -> str:
    plt = pyplot(font_size=9, legend_fontsize=8, lines_linewidth=1.5, path_simplify=False)
    runs = res["runs"]
    batches = sorted({r["batch"] for r in runs})
    cols = 3 if len(batches) > 4 else len(batches)
    rows = int(np.ceil(len(batches) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(7.0, 2.4 * rows), squeeze=False)
    tol = res["settings"]["tol"]
    for ax, b in zip(axes.flat, batches):
        for r in (r for r in runs if r["batch"] == b):
            c = r["curve"]
            x, med = _arr(c["epoch"]), _arr(c["median"])
            lab = f"{_METHOD[r['method'], r['is_gd']]} ($\\alpha$={r['alpha']:.2g}" + (f", $\\beta$={r['beta']:.2g})" if r["method"] == "hb" else ")")
            ax.fill_between(x, _arr(c["lo"]), _arr(c["hi"]), color=COLORS[r["method"]], alpha=0.18, lw=0)
            ax.plot(x, med, color=COLORS[r["method"]], lw=1.2, label=lab)
        ax.axhline(tol, color="k", ls=":", lw=0.8)
        ax.set_yscale("log")
        lo = min(np.nanmin(_arr(r["curve"]["lo"])) for r in runs if r["batch"] == b)
        ax.set_ylim(max(lo / 2, tol * 1e-3), 1.5)
        n = res["settings"]["n"]
        ax.set_title("GD ($n'=n$)" if b >= n else f"$n'={b}$")
        ax.set_xlabel("epochs $Tn'/n$")
        ax.legend(loc="upper right", frameon=False, fontsize=6.5)
        ax.grid(alpha=0.3, lw=0.5)
    for ax in axes[:, 0]:
        ax.set_ylabel("$(F-F^\\star)/(F(w_0)-F^\\star)$")
    for ax in list(axes.flat)[len(batches):]:
        ax.axis("off")
    fig.tight_layout()
    save_figure(fig, out, "sgd_curves", bbox_inches='tight')
    plt.close(fig)
    return "sgd_curves"


def _vs_batch(res, out: Path, what: str) -> str:
    plt = pyplot(font_size=9, legend_fontsize=8, lines_linewidth=1.5, path_simplify=False)
    n = res["settings"]["n"]
    fig, ax = plt.subplots(figsize=(4.6, 3.2))
    key = "epochs" if what == "epochs" else "steps"
    Bs = []
    for m in ("sgd", "hb"):
        rs = [r for r in res["runs"] if r["method"] == m]
        B = np.array([r["batch"] for r in rs], float)
        Bs += list(B)
        med = _arr([r[f"{key}_median"] for r in rs])
        vals = [[v for v in r[key] if v is not None] for r in rs]
        lo = np.array([min(v) if v else np.nan for v in vals]); hi = np.array([max(v) if v else np.nan for v in vals])
        ax.errorbar(B, med, yerr=[med - lo, hi - med], color=COLORS[m], marker="o", ms=4, lw=1.2, capsize=2,
                    label=NAMES[m] + " (median, min-max)")
        gd = B >= n
        ax.plot(B[gd], med[gd], marker="s", ms=9, mfc="none", mec=COLORS[m], ls="none")
        f = res["noise"]["fit"][m]
        if f["ok"]:
            xs = np.geomspace(min(B), max(B), 100)
            ys = f["E_min"] * (1 + xs / f["B_noise"])
            if what == "steps":
                ys = ys * n / xs
            ax.plot(xs, ys, color=COLORS[m], ls="--", lw=0.9,
                    label=f"fit, $B_{{noise}}$ = {numfmt.mathtext(f['B_noise'])}")
    bs = res["noise"]["b_simple_at_tol"]
    if bs is not None and min(Bs) <= bs <= 10 * max(Bs):
        ax.axvline(bs, color="gray", ls=":", lw=1, label=f"measured $B_{{simple}}$ = {numfmt.mathtext(bs)}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $n'$ (square: GD, $n'=n$)")
    ax.set_ylabel("epochs to tol" if what == "epochs" else "gradient steps $T$ to tol")
    ax.legend(frameon=False, fontsize=7)
    ax.grid(alpha=0.3, lw=0.5, which="both")
    fig.tight_layout()
    stem = f"sgd_{what}_vs_batch"
    save_figure(fig, out, stem, bbox_inches='tight')
    plt.close(fig)
    return stem


def write_all(res, out: Path) -> list:
    """Write every figure; returns their stems (the captions are written in report/)."""
    return [curves(res, out), _vs_batch(res, out, "epochs"), _vs_batch(res, out, "steps")]

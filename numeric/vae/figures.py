"""Figures of the VAE experiment (matplotlib, Agg backend), each saved as PDF and PNG.

- ``vae_learning_curve``: ELBO per image on the training and held-out sets vs epoch, from the
  value at initialisation on.
- ``vae_gradient_variance``: total variance of the gradient estimate vs n_eps (log-log),
  with the fitted lines (legend: :func:`slope_math`, the same call as the prose's) and a
  dashed 1/n_eps reference set below the data.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from common import numfmt
from common.numfmt import estimate
from numeric.outputs import PALETTE, pyplot, save_figure

__all__ = ["STEMS", "STATE_LABELS", "SLOPE", "EPS", "REFERENCE_BELOW", "estimate", "slope_math", "write_all"]

STEMS = ("vae_learning_curve", "vae_gradient_variance")
# the legend's name of each state whose gradient variance is measured (the captions are written in report/)
STATE_LABELS = {"trained": "after training", "init": "at initialisation"}
SLOPE = r"\gamma"        # the symbol of the fitted log-log slope (k indexes pixels, s is the encoder's std)
# LaTeX's \epsilon is the lunate U+03F5; matplotlib's mathtext maps \epsilon to U+03B5, the
# glyph of \varepsilon, so the figures write the character itself
EPS = "\N{GREEK LUNATE EPSILON SYMBOL}"
REFERENCE_BELOW = 0.3    # the 1/n_eps reference line starts at this fraction of the lowest first variance


def slope_math(fit: dict) -> str:
    r"""The fitted slope as math content, ``\gamma=-1.001\pm 0.008``: the legend's and the prose's."""
    return f"{SLOPE}={estimate(fit['slope'], fit['slope_se'])}"


def learning_curve(curve: dict, out: Path) -> str:
    """ELBO per image after each epoch on both sets, the value at initialisation (epoch 0)
    included in the axis range."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.0, 2.4))
    ep = curve["epoch"]
    ax.plot(ep, curve["train_elbo"], label="training set", color=PALETTE["blue"])
    ax.plot(ep, curve["test_elbo"], label="held-out set", color=PALETTE["vermillion"], ls=(0, (5, 2)))
    lo = min(min(curve["train_elbo"]), min(curve["test_elbo"]))
    hi = max(max(curve["train_elbo"]), max(curve["test_elbo"]))
    ax.set_ylim(lo - 0.05 * (hi - lo + 1e-9), hi + 0.05 * (hi - lo + 1e-9))
    ax.set_ylabel("ELBO per image (nats)")
    ax.set_xlabel("epoch")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    save_figure(fig, out, "vae_learning_curve")
    return "vae_learning_curve"


def gradient_variance(variance: dict, out: Path) -> str:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.0, 2.9))
    styles = {"trained": (PALETTE["vermillion"], "o"), "init": (PALETTE["blue"], "s")}
    for name, v in variance["at"].items():
        n = np.asarray(v["n_eps"], float)
        color, marker = styles.get(name, ("k", "^"))
        fit = v["fit"]["total"]
        ax.loglog(n, v["total"], marker=marker, ls="none", color=color, label=f"{STATE_LABELS[name]}: ${slope_math(fit)}$")
        if fit["slope"] is not None and fit["intercept"] is not None:
            ax.loglog(n, np.exp(fit["intercept"]) * n ** fit["slope"], color=color, lw=0.9)
    firsts = [v["total"][0] for v in variance["at"].values() if v["total"] and v["total"][0]]
    if firsts:
        n = np.asarray(next(iter(variance["at"].values()))["n_eps"], float)
        ax.loglog(n, REFERENCE_BELOW * min(firsts) * n[0] / n, color="k", lw=0.9, ls="--",
                  label="reference: slope $-1$")
    ax.set_xlabel(f"$n_{EPS}$ (draws of ${EPS}$ per image)")
    ax.set_ylabel("total variance of the gradient")
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="upper right")
    fig.tight_layout()
    save_figure(fig, out, "vae_gradient_variance")
    return "vae_gradient_variance"


def write_all(curve, variance, out: Path) -> list[str]:
    """Both figures; returns their stems (:data:`STEMS`)."""
    return [learning_curve(curve, out), gradient_variance(variance, out)]

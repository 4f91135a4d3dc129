"""Figures of the VAE experiment (matplotlib, Agg backend), each saved as PDF and PNG.

- ``vae_learning_curve``: ELBO per image on the training and held-out sets vs epoch, from the
  value at initialisation on.
- ``vae_gradient_variance``: total variance of the gradient estimate vs n_eps (log-log),
  with the fitted lines (legend: :func:`slope_math`, the same call as the prose's) and a
  dashed 1/n_eps reference set below the data.
- ``vae_reconstructions``: held-out images and the decoder's pixel probabilities at the
  posterior mean, pi(mu_phi(x)).
- ``vae_samples``: pi(z) for z ~ N(0, I): images generated from the prior.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from common import numfmt
from common.numfmt import estimate
from numeric.outputs import pyplot, save_figure

__all__ = ["STEMS", "STATE_LABELS", "SLOPE", "EPS", "REFERENCE_BELOW", "estimate", "slope_math", "write_all"]

STEMS = ("vae_learning_curve", "vae_gradient_variance", "vae_reconstructions", "vae_samples")
# the legend's name of each state whose gradient variance is measured (the captions are written in report/)
STATE_LABELS = {"trained": "after training", "init": "at initialisation"}
SLOPE = "k"              # the symbol of the fitted log-log slope (s is the encoder's standard deviation)
# LaTeX's \epsilon is the lunate U+03F5; matplotlib's mathtext maps \epsilon to U+03B5, the
# glyph of \varepsilon, so the figures write the character itself
EPS = "\N{GREEK LUNATE EPSILON SYMBOL}"
REFERENCE_BELOW = 0.3    # the 1/n_eps reference line starts at this fraction of the lowest first variance


def slope_math(fit: dict) -> str:
    r"""The fitted slope as math content, ``k=-1.001\pm 0.008``: the legend's and the prose's."""
    return f"{SLOPE}={estimate(fit['slope'], fit['slope_se'])}"


def learning_curve(curve: dict, out: Path) -> str:
    """ELBO per image after each epoch on both sets, the value at initialisation (epoch 0)
    included in the axis range."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.0, 2.4))
    ep = curve["epoch"]
    ax.plot(ep, curve["train_elbo"], label="training set", color="tab:blue")
    ax.plot(ep, curve["test_elbo"], label="held-out set", color="tab:orange")
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
    styles = {"trained": ("tab:red", "o"), "init": ("tab:gray", "s")}
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


def _grid(ax, images, rows, cols, side=8):
    canvas = np.ones((rows * (side + 1) - 1, cols * (side + 1) - 1))
    for t, img in enumerate(images[:rows * cols]):
        r, c = divmod(t, cols)
        canvas[r * (side + 1):r * (side + 1) + side, c * (side + 1):c * (side + 1) + side] = 1 - img.reshape(side, side)
    ax.imshow(canvas, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


def reconstructions(x, probs, out: Path, cols: int = 12) -> str:
    plt = pyplot()
    fig, axes = plt.subplots(2, 1, figsize=(5.2, 1.25))
    _grid(axes[0], x, 1, cols)
    _grid(axes[1], probs, 1, cols)
    axes[0].set_ylabel(r"$x$", rotation=0, labelpad=8)
    axes[1].set_ylabel(r"$\pi$", rotation=0, labelpad=8)
    fig.subplots_adjust(hspace=0.08, left=0.06, right=0.99, top=0.98, bottom=0.02)
    save_figure(fig, out, "vae_reconstructions")
    return "vae_reconstructions"


def samples(probs, out: Path, rows: int = 4, cols: int = 12) -> str:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.2, 1.8))
    _grid(ax, probs, rows, cols)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01)
    save_figure(fig, out, "vae_samples")
    return "vae_samples"


def write_all(curve, variance, recon_x, recon_p, sample_p, out: Path) -> list[str]:
    """All four figures; returns their stems (:data:`STEMS`)."""
    return [learning_curve(curve, out), gradient_variance(variance, out),
            reconstructions(recon_x, recon_p, out), samples(sample_p, out)]

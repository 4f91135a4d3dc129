"""Figures of the GAN experiments (matplotlib, Agg backend), each saved as PDF and PNG.

- ``gan_disc1_equilibrium``: Disc_1 after training to equilibrium, against q and p_1, with the
  optimal discriminator q/(q + p_1) and the support of q shaded.
- ``gan_densities``: q, p_1 and the final p_Gen2 of seed 0 per scenario, the discriminator overlaid.
- ``gan_distance_a``, ``_b``, ``_c``: distance vs training step, median over seeds with a
  10-90% band.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from numeric.outputs import pyplot, save_figure

__all__ = ["CAPTIONS", "write_all"]

CAPTIONS = {
    "gan_disc1_equilibrium": "Disc_1 at equilibrium with Gen_1: close to 1/2 on the support of q (shaded), "
                             "arbitrary away from it; dashed: the optimal q/(q+p_1).",
    "gan_densities": "Densities of q, p_1 and p_Gen2 (seed 0, end of training) with the discriminator "
                     "overlaid (right axis), per scenario (columns) and case (rows).",
    "gan_distance_a": "4.1.a: distance of p_Gen2 to q, discriminator warm-started from Disc_1 vs fresh "
                      "(dotted: Disc_1 frozen); median and 10-90% band over seeds.",
    "gan_distance_b": "4.1.b: Gen_2 trained on samples of Gen_1: distance of p_Gen2 to p_1 and to q; "
                      "dotted: the distance of p_1 to q.",
    "gan_distance_c": "4.1.c: shared noise: GAN on pairs (Gen_1(z), Gen_2(z)), GAN with independent noise "
                      "(4.1.b) and direct regression of Gen_2(z) on Gen_1(z); distance to p_1 (solid) "
                      "and to q (dashed).",
}

COLORS = {"q": "0.2", "p1": "tab:orange", "warm": "tab:red", "fresh": "tab:blue", "frozen": "0.35",
          "gan_on_gen1": "tab:blue", "shared_noise_gan": "tab:green", "regression": "tab:purple",
          "disc": "tab:gray"}


def _disc_axis(ax, case, disc, pd, x, label="discriminator D(x)", color=COLORS["disc"]):
    from numeric.gan.grads import sigmoid
    ax2 = ax.twinx()
    ax2.plot(x, sigmoid(disc.logit(pd, x[None, :])[0]), color=color, lw=1.1, label=label)
    ax2.axhline(0.5, color=color, lw=0.6, ls=":")
    ax2.set_ylim(-0.02, 1.02)
    ax2.set_ylabel("D(x)", color=color)
    return ax2


def _shade_support(ax, case, x):
    sup = case.support(x)
    ax.fill_between(x, 0, 1, where=sup, transform=ax.get_xaxis_transform(), color="0.85", alpha=0.5,
                    lw=0, label="support of q")


def disc1_figure(bundle, out: Path) -> None:
    plt = pyplot()
    fig, axes = plt.subplots(1, len(bundle), figsize=(7.0, 2.6), squeeze=False)
    for ax, (name, b) in zip(axes[0], bundle.items()):
        case = b["case"]
        x = np.linspace(*case.x_range, 600)
        _shade_support(ax, case, x)
        qx, p1x = case.q_pdf(x), case.density(case.gen1, b["p1"], x)
        ax.plot(x, qx, color=COLORS["q"], label="q")
        ax.plot(x, p1x, color=COLORS["p1"], ls="--", label="p_1")
        ax.set_xlabel("x")
        ax.set_ylabel("density")
        ax.set_title(f"{name}: q = {case.q_label}")
        ax2 = _disc_axis(ax, case, case.disc, b["d1"], x, label="Disc_1")
        with np.errstate(all="ignore"):
            ax2.plot(x, qx / (qx + p1x), color="k", lw=0.8, ls="--", label="q/(q+p_1)")
    _figure_legend(fig, axes.ravel(), ncol=5)
    save_figure(fig, out, "gan_disc1_equilibrium")


def densities_figure(bundle, scenarios, out: Path) -> None:
    plt = pyplot()
    cols = [s for s in "abc" if s in scenarios]
    fig, axes = plt.subplots(len(bundle), len(cols), figsize=(7.0, 2.3 * len(bundle)), squeeze=False)
    show = {"a": ("warm", "fresh"), "b": ("gan_on_gen1",), "c": ("shared_noise_gan", "regression")}
    for r, (name, b) in enumerate(bundle.items()):
        case = b["case"]
        x = np.linspace(*case.x_range, 500)
        for j, sc in enumerate(cols):
            ax = axes[r][j]
            runs = b["scenarios"][sc]["runs"]
            ax.plot(x, case.q_pdf(x), color=COLORS["q"], label="q")
            p1 = b["p1"] if sc == "a" else b["p1_off"]
            ax.plot(x, case.density(case.gen1, p1, x), color=COLORS["p1"], ls="--" if sc == "a" else "-.",
                    label="p_1 (trained Gen_1)" if sc == "a" else "p_1 (Gen_1 put off q)")
            for v in show[sc]:
                p2 = {k: val[:1] for k, val in runs[v]["params"].items()}
                ax.plot(x, case.density(case.gen2, p2, x), color=COLORS[v], label=f"p_2: {RUN_LABELS[v]}")
            disc_run = runs[show[sc][0]]
            ax2 = _disc_axis(ax, case, case.disc, {k: val[:1] for k, val in disc_run["disc"].items()}, x)
            if j < len(cols) - 1:  # D's scale is printed once per row, at the right
                ax2.set_ylabel("")
                ax2.tick_params(labelright=False)
            ax.set_title(f"4.1.{sc}, {name}")
            ax.set_xlabel("x")
            if j == 0:
                ax.set_ylabel("density")
    _figure_legend(fig, axes.ravel(), ncol=3)
    save_figure(fig, out, "gan_densities")


RUN_LABELS = {"warm": "D warm-started from Disc_1", "fresh": "fresh D", "frozen": "Disc_1 frozen", "gan_on_gen1": "GAN on Gen_1 samples",
              "shared_noise_gan": "GAN, shared noise", "regression": "regression on Gen_1(z)"}


def _figure_legend(fig, axes, ncol: int) -> None:
    """One legend under the panels with every distinct label (twin axes included)."""
    seen = {}
    for ax in fig.axes:
        for hnd, lab in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(lab, hnd)
    rows = -(-len(seen) // ncol)
    fig.tight_layout(rect=(0, 0.045 * rows + 0.02, 1, 1))
    fig.legend(list(seen.values()), list(seen.keys()), loc="lower center", ncol=ncol, frameon=False)


def _band(ax, s, key, color, label, ls="-"):
    steps = np.array(s["step"])
    ax.plot(steps, s[key]["median"], color=color, ls=ls, label=label)
    ax.fill_between(steps, s[key]["lo"], s[key]["hi"], color=color, alpha=0.18, lw=0)


def distance_figure(bundle, sc: str, out: Path) -> None:
    plt = pyplot()
    fig, axes = plt.subplots(1, len(bundle), figsize=(7.0, 2.9), squeeze=False)
    for ax, (name, b) in zip(axes[0], bundle.items()):
        case, res = b["case"], b["scenarios"][sc]
        sums = res["summaries"]
        if sc == "a":
            for v in ("warm", "fresh", "frozen"):
                _band(ax, sums[v], "to_q", COLORS[v], RUN_LABELS[v], ls=":" if v == "frozen" else "-")
            ax.set_ylabel(f"{case.metric_symbol}(p_2, q)")
        else:
            order = ("gan_on_gen1",) if sc == "b" else ("shared_noise_gan", "gan_on_gen1", "regression")
            for v in order:
                lab = RUN_LABELS[v]
                _band(ax, sums[v], "to_p1", COLORS[v], f"{lab}: to p_1")
                _band(ax, sums[v], "to_q", COLORS[v], f"{lab}: to q", ls="--")
            ax.axhline(b["dist_p1_q"], color=COLORS["p1"], ls=":", lw=1, label="p_1 to q")
            ax.set_ylabel(f"{case.metric_symbol}")
        ax.set_yscale("log")
        ax.set_xlabel("generator step")
        ax.set_title(f"{name} case ({case.metric_symbol})")
    _figure_legend(fig, axes.ravel(), ncol=3)
    save_figure(fig, out, f"gan_distance_{sc}")


def write_all(bundle, scenarios, out: Path) -> list[str]:
    """Write every figure for the scenarios run; return the stems written."""
    out.mkdir(parents=True, exist_ok=True)
    stems = []
    if "a" in scenarios:
        disc1_figure(bundle, out)
        stems.append("gan_disc1_equilibrium")
    densities_figure(bundle, scenarios, out)
    stems.append("gan_densities")
    for sc in "abc":
        if sc in scenarios:
            distance_figure(bundle, sc, out)
            stems.append(f"gan_distance_{sc}")
    return stems

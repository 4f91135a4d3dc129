"""Figures of the GAN experiments (matplotlib, Agg backend), each saved as PDF and PNG.

Drawn at their printed size: full text width (:data:`numeric.outputs.TEXT_WIDTH`), included
at ``width=\\linewidth``, with every text between 7 and 9 pt; labels in mathtext; one y axis per
panel; colours from Okabe and Ito's colour-blind-safe palette, each curve also its own line style.

- ``gan_disc1_equilibrium``: columns: the two cases; top row: p_data and p_Gen1 (dashed) with the data
  region of p_data shaded; bottom row: Disc_1 after training to equilibrium, the optimal discriminator
  p_data/(p_data + p_Gen1) (dash-dotted) and D = 1/2 (dotted).
- ``gan_densities``: p_data, p_Gen1 (dashed) and the final p_Gen2 of seed 0; rows: the two cases; columns:
  4.1.a (the warm-started and the fresh discriminator), then 4.1.b-c (the GAN with independent
  and with shared noise) with Gen_1 as trained and with Gen_1 shifted.
- ``gan_distance_a``: distance of p_Gen2 to p_data vs training step: the per-step median over seeds
  with a min-max band.
- ``gan_distance_c``: the same for 4.1.b-c, the distance to p_Gen1 of the GAN with independent
  noise (4.1.b), with shared noise and of the regression; rows: Gen_1 as trained, Gen_1 shifted;
  columns: the two cases; values below the case's plot floor drawn at the floor.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from matplotlib.ticker import MaxNLocator

from numeric.gan.verdicts import p1_threshold
from numeric.outputs import PALETTE, TEXT_WIDTH, THRESHOLD, pyplot, save_figure

__all__ = ["write_all", "STEMS"]

STEMS = ("gan_disc1_equilibrium", "gan_densities", "gan_distance_a", "gan_distance_c")
COLORS = {"q": PALETTE["black"], "p1": PALETTE["orange"], "warm": PALETTE["vermillion"], "fresh": PALETTE["blue"],
          "frozen": PALETTE["black"], "gan_on_gen1": PALETTE["purple"], "shared_noise_gan": PALETTE["green"],
          "regression": PALETTE["orange"], "disc1": PALETTE["blue"], "dstar": PALETTE["vermillion"], "half": "0.45"}
STYLES = {"q": {"ls": "-", "lw": 2.4, "alpha": 0.35}, "p1": {"ls": (0, (5, 2)), "lw": 1.3},
          "warm": {"ls": "-", "lw": 1.2},
          # fresh: open circles along its line, so that it stays visible where it runs on the warm start's
          "fresh": {"ls": (0, (6, 1.5, 1, 1.5)), "lw": 1.2, "marker": "o", "ms": 3, "mfc": "none", "markevery": 0.06},
          "frozen": {"ls": ":", "lw": 1.3}, "gan_on_gen1": {"ls": "-", "lw": 1.2},
          "shared_noise_gan": {"ls": (0, (6, 1.5, 1, 1.5)), "lw": 1.2}, "regression": {"ls": (0, (2, 1.2)), "lw": 1.3},
          "disc1": {"ls": "-", "lw": 1.3}, "dstar": {"ls": (0, (6, 1.5, 1, 1.5)), "lw": 1.2},
          "half": {"ls": ":", "lw": 0.9}}
CASE_TITLES = {"gaussian": "Gaussian", "mixture": "mixture"}
RUN_LABELS = {"warm": r"discriminator warm-started from $\mathrm{Disc}_1$", "fresh": r"fresh discriminator",
              "frozen": r"$\mathrm{Disc}_1$ frozen", "gan_on_gen1": r"GAN, independent noise (4.1.b)",
              "shared_noise_gan": r"GAN, shared noise (4.1.c)", "regression": r"regression on $\mathrm{Gen}_1(z)$ (4.1.c)"}
GEN1_TITLES = {"trained": r"$\mathrm{Gen}_1$ as trained", "shifted": r"$\mathrm{Gen}_1$ shifted (stress case)"}
LEGEND_ROW = 0.17                        # inches per legend row under the panels


def _dist(case, a: str, b: str) -> str:
    """The distance as the text writes it: ``KL(a || b)`` (not symmetric) or ``W1(a, b)``."""
    sep = r"\,\Vert\," if case.gaussian else ", "
    return f"${case.metric_symbol}({a}{sep}{b})$"


def _shade_region(ax, case, x):
    ax.fill_between(x, 0, 1, where=case.support(x), transform=ax.get_xaxis_transform(), color="0.88",
                    lw=0, label=r"data region of $p_{\mathrm{data}}$")


def _q_title(case) -> str:
    parts = [f"{w:g}\\," * (len(case.comps) > 1) + rf"\mathcal{{N}}({m:g}, {s:g}^2)" for w, m, s in case.comps]
    return "$p_{\\mathrm{data}} = " + " + ".join(parts).replace("0.5\\,", r"\frac{1}{2}") + "$"


def _line(ax, x, y, key, label, color_key=None):
    return ax.plot(x, y, color=COLORS[color_key or key], label=label, **STYLES[key])[0]


def disc1_figure(bundle, out: Path) -> None:
    """Top: q and p_1; bottom: Disc_1, q/(q + p_1) and 1/2; one column per case."""
    from numeric.gan.grads import sigmoid
    plt = pyplot()
    fig, axes = plt.subplots(2, len(bundle), figsize=(TEXT_WIDTH, 3.9), squeeze=False, sharex="col")
    for j, (name, b) in enumerate(bundle.items()):
        case = b["case"]
        x = np.linspace(*case.window, 800)
        top, bot = axes[0][j], axes[1][j]
        for ax in (top, bot):
            _shade_region(ax, case, x)
        qx, p1x = case.q_pdf(x), case.density(case.gen1, b["p1"], x)
        _line(top, x, qx, "q", r"$p_{\mathrm{data}}$")
        _line(top, x, p1x, "p1", r"$p_{\mathrm{Gen}_1}$")
        top.set_ylabel("density")
        top.set_title(f"{CASE_TITLES.get(name, name)}: {_q_title(case)}", fontsize=8)
        _line(bot, x, sigmoid(case.disc.logit(b["d1"], x[None, :])[0]), "disc1", r"$\mathrm{Disc}_1$")
        with np.errstate(all="ignore"):
            _line(bot, x, qx / (qx + p1x), "dstar", r"optimal $p_{\mathrm{data}}/(p_{\mathrm{data}}+p_{\mathrm{Gen}_1})$")
        _line(bot, x, np.full_like(x, 0.5), "half", r"$1/2$")
        bot.set_ylim(-0.02, 1.02)
        bot.set_ylabel("discriminator")
        bot.set_xlabel(r"$x$")
    _figure_legend(fig, ncol=3, h_pad=1.0)
    save_figure(fig, out, "gan_disc1_equilibrium")


def _seed0(p: dict) -> dict:
    return {k: v[:1] for k, v in p.items()}


def densities_figure(bundle, scenarios, out: Path) -> None:
    """q, p_1 and seed 0's final p_2 of each way of training Gen_2; one axis per panel."""
    plt = pyplot()
    cols = (["a"] if "a" in scenarios else []) + (["trained", "shifted"] if {"b", "c"} & set(scenarios) else [])
    fig, axes = plt.subplots(len(bundle), len(cols), figsize=(TEXT_WIDTH, 2.0 * len(bundle) + 0.5),
                             squeeze=False)
    for r, (name, b) in enumerate(bundle.items()):
        case = b["case"]
        x = np.linspace(*case.x_range, 500)
        for j, col in enumerate(cols):
            ax = axes[r][j]
            _line(ax, x, case.q_pdf(x), "q", r"$p_{\mathrm{data}}$")
            p1 = b["p1"] if col == "a" else b["gen1"][col]
            _line(ax, x, case.density(case.gen1, p1, x), "p1", r"$p_{\mathrm{Gen}_1}$")
            if col == "a":
                runs, show = b["scenarios"]["a"]["runs"], ("warm", "fresh")
                title = "4.1.a"
            else:
                sc = b["scenarios"]
                runs = {**sc.get("b", {}).get(col, {}).get("runs", {}), **sc.get("c", {}).get(col, {}).get("runs", {})}
                show = [v for v in ("gan_on_gen1", "shared_noise_gan") if v in runs]
                title = "4.1.b–c, " + GEN1_TITLES[col].split(" (")[0]
            for v in show:
                _line(ax, x, case.density(case.gen2, _seed0(runs[v]["params"]), x), v, rf"$p_{{\mathrm{{Gen}}_2}}$: {RUN_LABELS[v]}")
            ax.set_title(title)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            ax.set_xlabel(r"$x$")
            if j == 0:
                ax.set_ylabel(f"{CASE_TITLES.get(name, name)} case\ndensity", labelpad=1)
    _figure_legend(fig, ncol=2, fontsize=8, h_pad=1.2)
    save_figure(fig, out, "gan_densities")


def _figure_legend(fig, ncol: int, fontsize: float = 8, w_pad=None, h_pad=None) -> None:
    """One legend under the panels with every distinct label; ``h_pad`` (in font sizes) keeps a
    lower row's titles off the upper row's axes."""
    seen = {}
    for ax in fig.axes:
        for hnd, lab in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(lab, hnd)
    rows = -(-len(seen) // ncol)
    height = fig.get_size_inches()[1]
    for _ in range(2):  # twice: the first pass resizes the axes, which can change their ticks' labels
        fig.tight_layout(rect=(0, (LEGEND_ROW * fontsize / 7 * rows + 0.08) / height, 1, 1), pad=0.3,
                         w_pad=w_pad, h_pad=h_pad)
    fig.legend(list(seen.values()), list(seen.keys()), loc="lower center", ncol=ncol, frameon=False,
               borderaxespad=0.2, fontsize=fontsize, handlelength=3.0)


def _band(ax, s, key, run, floor=0.0) -> float:
    """The median of one run's curve ``key`` (line) and its min-max band; returns the smallest
    value drawn."""
    steps = np.array(s["step"])
    clip = lambda v: np.maximum(np.asarray(v, dtype=float), floor)
    ax.plot(steps, clip(s[key]["median"]), color=COLORS[run], label=RUN_LABELS[run], **STYLES[run])
    lo = clip(s[key]["lo"])
    ax.fill_between(steps, lo, clip(s[key]["hi"]), color=COLORS[run], alpha=0.2, lw=0)
    return float(np.nanmin(lo)) if np.isfinite(lo).any() else floor


def distance_a_figure(bundle, out: Path) -> None:
    plt = pyplot()
    fig, axes = plt.subplots(1, len(bundle), figsize=(TEXT_WIDTH, 2.3), squeeze=False)
    for ax, (name, b) in zip(axes[0], bundle.items()):
        case, sums = b["case"], b["scenarios"]["a"]["summaries"]
        for v in ("warm", "fresh", "frozen"):
            _band(ax, sums[v], "to_q", v)
        ax.axhline(case.threshold, label="threshold", **THRESHOLD)
        ax.set_ylabel(_dist(case, r"p_{\mathrm{Gen}_2}", r"p_{\mathrm{data}}"))
        ax.set_yscale("log")
        ax.set_xlabel("generator step")
        ax.set_title(f"{CASE_TITLES.get(name, name)} case")
    _figure_legend(fig, ncol=2)  # four entries at 8 pt overrun the text width in one row
    save_figure(fig, out, "gan_distance_a")


def distance_c_figure(bundle, out: Path) -> None:
    """4.1.b-c: distance to p_1 of the GAN with independent noise, with shared noise and of the
    regression; rows: Gen_1 as trained and shifted; columns: the cases. The y axis starts a
    factor 2 below the smallest value drawn (at most at the case's floor)."""
    plt = pyplot()
    fig, axes = plt.subplots(2, len(bundle), figsize=(TEXT_WIDTH, 3.4), squeeze=False, sharex=True)
    for j, (name, b) in enumerate(bundle.items()):
        case = b["case"]
        floor = case.plot_floor
        for i, v in enumerate(("trained", "shifted")):
            ax, sums = axes[i][j], b["scenarios"]["c"][v]["summaries"]
            low = min(_band(ax, sums[run], "to_p1", run, floor=floor)
                      for run in ("gan_on_gen1", "shared_noise_gan", "regression"))
            ax.axhline(p1_threshold(b["dist_p1_q"]["trained"]), **THRESHOLD, label=r"threshold: $\mathrm{dist}(p_{\mathrm{Gen}_1}, p_{\mathrm{data}})$ of $\mathrm{Gen}_1$ as trained")
            ax.set_ylabel(_dist(case, r"p_{\mathrm{Gen}_2}", r"p_{\mathrm{Gen}_1}"))
            ax.set_yscale("log")
            ax.set_ylim(bottom=max(low, floor) / 2)
            if i == 1:
                ax.set_xlabel("generator step")
            ax.set_title(f"{CASE_TITLES.get(name, name)} case, {GEN1_TITLES[v]}")
    _figure_legend(fig, ncol=2, h_pad=1.5)
    save_figure(fig, out, "gan_distance_c")


def write_all(bundle, scenarios, out: Path) -> list[str]:
    """Write every figure for the scenarios run; return the stems written."""
    out.mkdir(parents=True, exist_ok=True)
    stems = []
    if "a" in scenarios:
        disc1_figure(bundle, out)
        stems.append("gan_disc1_equilibrium")
    densities_figure(bundle, scenarios, out)
    stems.append("gan_densities")
    if "a" in scenarios:
        distance_a_figure(bundle, out)
        stems.append("gan_distance_a")
    if "c" in scenarios:
        distance_c_figure(bundle, out)
        stems.append("gan_distance_c")
    return stems

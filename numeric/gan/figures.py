"""Figures of the GAN experiments (matplotlib, Agg backend), each saved as PDF and PNG.

Drawn at their printed size: full text width (:data:`numeric.outputs.TEXT_WIDTH`), included
at ``width=\\linewidth``, with every text between 7 and 9 pt; labels in mathtext.

- ``gan_disc1_equilibrium``: Disc_1 after training to equilibrium, against q and p_1 (dashed),
  with the optimal discriminator q/(q + p_1) (dash-dotted), D = 1/2 (dotted) and the support of
  q shaded.
- ``gan_densities``: q, p_1 and the final p_2 of seed 0, the discriminator overlaid; rows:
  the two cases; columns: 4.1.a, then 4.1.b-c with Gen_1 as trained and with Gen_1 shifted. Line
  styles: p_1 dashed, D(x) dash-dotted, D = 1/2 dotted; the independent-noise p_2 drawn wide
  under the shared-noise one, so both show where they overlap.
- ``gan_distance_a``: distance of p_2 to q vs training step: the per-step median over seeds
  with a min-max band.
- ``gan_distance_b``, ``gan_distance_c``: the same for 4.1.b and 4.1.c; rows: Gen_1 as
  trained, Gen_1 shifted; columns: the two cases. 4.1.c shows the distance to p_1 only,
  with values below the case's plot floor drawn at the floor.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from matplotlib.ticker import MaxNLocator

from numeric.gan.verdicts import p1_threshold
from numeric.outputs import TEXT_WIDTH, pyplot, save_figure

__all__ = ["write_all"]

COLORS = {"q": "0.2", "p1": "tab:orange", "warm": "tab:red", "fresh": "tab:blue", "frozen": "0.35",
          "gan_on_gen1": "tab:brown", "shared_noise_gan": "tab:green", "regression": "tab:purple",
          "disc": "0.5"}
WIDTHS = {"gan_on_gen1": 2.8, "shared_noise_gan": 1.3}   # densities: the wide line under the thin dashed one
DASHES = {"shared_noise_gan": (0, (3, 1.5))}
CASE_TITLES = {"gaussian": "Gaussian", "mixture": "mixture"}
RUN_LABELS = {"warm": r"$D$ warm-started from $\mathrm{Disc}_1$", "fresh": r"fresh $D$",
              "frozen": r"$\mathrm{Disc}_1$ frozen", "gan_on_gen1": r"GAN, independent noise (4.1.b)",
              "shared_noise_gan": r"GAN, shared noise", "regression": r"regression on $\mathrm{Gen}_1(z)$"}
GEN1_TITLES = {"trained": r"$\mathrm{Gen}_1$ as trained", "shifted": r"$\mathrm{Gen}_1$ shifted (stress case)"}
LEGEND_ROW = 0.17                        # inches per legend row under the panels


def _disc_axis(ax, disc, pd, x, label=r"discriminator $D(x)$ (right axis)", color=COLORS["disc"]):
    from numeric.gan.grads import sigmoid
    ax2 = ax.twinx()
    ax2.plot(x, sigmoid(disc.logit(pd, x[None, :])[0]), color=color, lw=1.0, ls="-.", label=label)
    ax2.axhline(0.5, color=color, lw=0.7, ls=":", label=r"$D = 1/2$ (right axis)")
    ax2.set_ylim(-0.02, 1.02)
    ax2.set_ylabel(r"$D(x)$", color=color, labelpad=1)
    return ax2


def _dist(case, a: str, b: str) -> str:
    """The distance as the text writes it: ``KL(a || b)`` (not symmetric) or ``W1(a, b)``."""
    sep = r"\,\Vert\," if case.gaussian else ", "
    return f"${case.metric_symbol}({a}{sep}{b})$"


def _shade_support(ax, case, x):
    ax.fill_between(x, 0, 1, where=case.support(x), transform=ax.get_xaxis_transform(), color="0.85",
                    alpha=0.5, lw=0, label=r"support of $q$")


def _q_title(case) -> str:
    parts = [f"{w:g}\\," * (len(case.comps) > 1) + rf"\mathcal{{N}}({m:g}, {s:g}^2)" for w, m, s in case.comps]
    return "$q = " + " + ".join(parts).replace("0.5\\,", r"\frac{1}{2}") + "$"


def disc1_figure(bundle, out: Path) -> None:
    plt = pyplot()
    fig, axes = plt.subplots(1, len(bundle), figsize=(TEXT_WIDTH, 2.5), squeeze=False)
    for ax, (name, b) in zip(axes[0], bundle.items()):
        case = b["case"]
        x = np.linspace(*case.window, 800)
        _shade_support(ax, case, x)
        qx, p1x = case.q_pdf(x), case.density(case.gen1, b["p1"], x)
        ax.plot(x, qx, color=COLORS["q"], label=r"$q$")
        ax.plot(x, p1x, color=COLORS["p1"], ls="--", label=r"$p_1$")
        ax.set_xlabel(r"$x$")
        ax.set_ylabel("density")
        ax.set_title(f"{CASE_TITLES.get(name, name)}: {_q_title(case)}")
        ax2 = _disc_axis(ax, case.disc, b["d1"], x, label=r"$\mathrm{Disc}_1$ (right axis)")
        ax2.lines[0].set_linestyle("-")
        ax2.lines[0].set_linewidth(1.3)
        with np.errstate(all="ignore"):
            ax2.plot(x, qx / (qx + p1x), color="k", lw=0.9, ls="-.", label=r"optimal $q/(q+p_1)$ (right axis)")
    _figure_legend(fig, ncol=3)
    save_figure(fig, out, "gan_disc1_equilibrium")


def _seed0(p: dict) -> dict:
    return {k: v[:1] for k, v in p.items()}


def densities_figure(bundle, scenarios, out: Path) -> None:
    plt = pyplot()
    cols = (["a"] if "a" in scenarios else []) + (["trained", "shifted"] if {"b", "c"} & set(scenarios) else [])
    fig, axes = plt.subplots(len(bundle), len(cols), figsize=(TEXT_WIDTH, 1.75 * len(bundle) + 0.4),
                             squeeze=False)
    for r, (name, b) in enumerate(bundle.items()):
        case = b["case"]
        x = np.linspace(*case.x_range, 500)
        for j, col in enumerate(cols):
            ax = axes[r][j]
            ax.plot(x, case.q_pdf(x), color=COLORS["q"], label=r"$q$")
            p1 = b["p1"] if col == "a" else b["gen1"][col]
            ax.plot(x, case.density(case.gen1, p1, x), color=COLORS["p1"], ls="--", label=r"$p_1$")
            if col == "a":
                runs, show = b["scenarios"]["a"]["runs"], ("warm", "fresh")
                title = "4.1.a"
            else:
                sc = b["scenarios"]
                runs = {**sc.get("b", {}).get(col, {}).get("runs", {}), **sc.get("c", {}).get(col, {}).get("runs", {})}
                show = [v for v in ("gan_on_gen1", "shared_noise_gan") if v in runs]
                title = "4.1.b–c, " + GEN1_TITLES[col].split(" (")[0]
            for v in show:
                ax.plot(x, case.density(case.gen2, _seed0(runs[v]["params"]), x), color=COLORS[v],
                        lw=WIDTHS.get(v, 1.2), alpha=0.55 if v == "gan_on_gen1" else 1.0, ls=DASHES.get(v, "-"),
                        label=rf"$p_2$: {RUN_LABELS[v]}")
            ax2 = _disc_axis(ax, case.disc, _seed0(runs[show[0]]["disc"]), x,
                             label=r"final discriminator (right axis)")
            ax.set_title(title)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            ax.set_xlabel(r"$x$")
            ax.set_ylabel(f"{CASE_TITLES.get(name, name)}\ndensity" if j == 0 else "density", labelpad=1)
    _figure_legend(fig, ncol=2, fontsize=8, w_pad=3.0, h_pad=1.5)
    save_figure(fig, out, "gan_densities")


def _figure_legend(fig, ncol: int, fontsize: float = 7, w_pad=None, h_pad=None) -> None:
    """One legend under the panels with every distinct label (twin axes included); ``h_pad``
    (in font sizes) keeps a lower row's titles off the upper row's axes."""
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
               borderaxespad=0.2, fontsize=fontsize)


def _band(ax, s, key, color, label, ls="-", floor=0.0):
    steps = np.array(s["step"])
    clip = lambda v: np.maximum(np.asarray(v, dtype=float), floor)
    ax.plot(steps, clip(s[key]["median"]), color=color, ls=ls, label=label)
    ax.fill_between(steps, clip(s[key]["lo"]), clip(s[key]["hi"]), color=color, alpha=0.18, lw=0)


def distance_a_figure(bundle, out: Path) -> None:
    plt = pyplot()
    fig, axes = plt.subplots(1, len(bundle), figsize=(TEXT_WIDTH, 2.3), squeeze=False)
    for ax, (name, b) in zip(axes[0], bundle.items()):
        case, sums = b["case"], b["scenarios"]["a"]["summaries"]
        for v in ("warm", "fresh", "frozen"):
            _band(ax, sums[v], "to_q", COLORS[v], RUN_LABELS[v], ls=":" if v == "frozen" else "-")
        ax.axhline(case.threshold, color="k", lw=0.6, ls="-.", label="threshold")
        ax.set_ylabel(_dist(case, "p_2", "q"))
        ax.set_yscale("log")
        ax.set_xlabel("generator step")
        ax.set_title(f"{CASE_TITLES.get(name, name)} case")
    _figure_legend(fig, ncol=4)
    save_figure(fig, out, "gan_distance_a")


def distance_bc_figure(bundle, sc: str, out: Path) -> None:
    """4.1.b: distance of p_2 to p_1 (solid) and to q (dashed), and of p_1 to q (dotted);
    4.1.c: distance to p_1 of the three methods."""
    plt = pyplot()
    fig, axes = plt.subplots(2, len(bundle), figsize=(TEXT_WIDTH, 3.7), squeeze=False, sharex=True)
    for j, (name, b) in enumerate(bundle.items()):
        case = b["case"]
        floor = case.plot_floor
        for i, v in enumerate(("trained", "shifted")):
            ax, sums = axes[i][j], b["scenarios"][sc][v]["summaries"]
            m = case.metric_symbol
            if sc == "b":
                _band(ax, sums["gan_on_gen1"], "to_p1", COLORS["gan_on_gen1"], r"$d(p_2, p_1)$", floor=floor)
                _band(ax, sums["gan_on_gen1"], "to_q", COLORS["gan_on_gen1"], r"$d(p_2, q)$", ls="--",
                      floor=floor)
                ax.axhline(max(b["dist_p1_q"][v], floor), color=COLORS["p1"], ls=":", lw=1.2,
                           label=r"$d(p_1, q)$")
                ax.set_ylabel(f"$d = {m}$")
            else:
                for run in ("shared_noise_gan", "gan_on_gen1", "regression"):
                    _band(ax, sums[run], "to_p1", COLORS[run], RUN_LABELS[run], floor=floor)
                ax.axhline(p1_threshold(b["dist_p1_q"]["trained"]), color="k", lw=0.6, ls="-.",
                           label=r"threshold: $d(p_1, q)$ of $\mathrm{Gen}_1$ as trained")
                ax.set_ylabel(_dist(case, "p_2", "p_1"))
            ax.set_yscale("log")
            ax.set_ylim(bottom=floor / 2)
            if i == 1:
                ax.set_xlabel("generator step")
            ax.set_title(f"{CASE_TITLES.get(name, name)} case, {GEN1_TITLES[v]}")
    _figure_legend(fig, ncol=3, h_pad=1.5)
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
    if "a" in scenarios:
        distance_a_figure(bundle, out)
        stems.append("gan_distance_a")
    for sc in "bc":
        if sc in scenarios:
            distance_bc_figure(bundle, sc, out)
            stems.append(f"gan_distance_{sc}")
    return stems

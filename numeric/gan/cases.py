"""The two experimental cases and their distances.

- ``gaussian``: q = N(1, 0.5^2); Gen_1 affine a z + b, Gen_2 log-scale e^tau z + b (a different
  architecture, the same family), discriminator sigma(w0 + w1 x + w2 x^2), which represents
  D* exactly (gan.gaussian_optimal_discriminator). Distance: KL(p || target), exact
  (gan.gaussian_kl), since every p_G is Gaussian.
- ``mixture``: q = 1/2 N(-1.5, 0.4^2) + 1/2 N(1.5, 0.4^2); Gen_1 a tanh MLP of width 16,
  Gen_2 one of width 32, discriminator logit a tanh MLP of width 32. Distance: the 1-D
  Wasserstein distance W1 = int_0^1 |F_p^{-1}(u) - F_t^{-1}(u)| du, by the midpoint rule on
  ``N_QUANT`` quantile levels (generator quantiles from the stratified noise z_i =
  Phi^{-1}((i + 1/2)/N), sorted; mixture quantiles by inverting its CDF on a fine grid).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from numeric.gan import grads as gg
from numeric.gan.models import AffineGen, LogScaleGen, QuadraticDisc, TanhMLP

__all__ = ["Case", "gaussian_case", "mixture_case", "CASES", "N_QUANT"]

N_QUANT = 2000
KDE_BANDWIDTH = 0.08   # for plotting non-Gaussian p_G only (stratified samples, so little noise)
Z_GRID = ndtri((np.arange(N_QUANT) + 0.5) / N_QUANT)   # stratified standard-normal noise


def _npdf(x, m, s):
    return np.exp(-0.5 * ((x - m) / s) ** 2) / (np.sqrt(2 * np.pi) * s)


@dataclass(frozen=True)
class Case:
    """One experimental case: q, the architectures, the distance and its threshold."""

    name: str
    comps: tuple            # ((weight, mean, sd), ...): q as a Gaussian mixture
    gen1: object
    gen2: object
    disc: object
    distance_kind: str      # "kl": exact Gaussian KL(p || target); "w1": W1 by quantile quadrature
    threshold: float        # "close enough" for steps_to_threshold
    shift: dict             # how the stress case moves Gen_1 off q in (b) and (c)
    x_range: tuple          # plotting range
    plot_floor: float       # log axes of the figures stop here; smaller values are drawn at it
    lr_g: float = 0.01
    lr_d: float = 0.03
    d_steps: int = 3
    batch: int = 128
    support_level: float = 0.05   # support: q(x) >= level * max q

    # -- q -------------------------------------------------------------------------------
    @property
    def window(self) -> tuple:
        """The x range on which Disc_1 at equilibrium is measured and drawn: the plotting
        range widened by 3 on each side, so that it reaches well into the empty regions."""
        return (self.x_range[0] - 3.0, self.x_range[1] + 3.0)

    def q_pdf(self, x):
        return sum(w * _npdf(x, m, s) for w, m, s in self.comps)

    def q_sample(self, rng, S, n):
        u = rng.random((S, n))
        k = np.searchsorted(np.cumsum([w for w, _, _ in self.comps]), u, side="right")
        k = np.minimum(k, len(self.comps) - 1)
        m = np.array([m for _, m, _ in self.comps])[k]
        s = np.array([s for _, _, s in self.comps])[k]
        return m + s * rng.standard_normal((S, n))

    def q_quantiles(self):
        lo = min(m - 9 * s for _, m, s in self.comps)
        hi = max(m + 9 * s for _, m, s in self.comps)
        grid = np.linspace(lo, hi, 200001)
        cdf = sum(w * ndtr((grid - m) / s) for w, m, s in self.comps)
        return np.interp((np.arange(N_QUANT) + 0.5) / N_QUANT, cdf, grid)

    @property
    def gaussian(self) -> bool:
        return len(self.comps) == 1

    @property
    def metric_symbol(self) -> str:
        """The distance's name in figure labels (mathtext)."""
        return {"kl": r"\mathrm{KL}", "w1": r"W_1"}[self.distance_kind]

    def facts(self) -> dict:
        """The case as facts for results.json (no prose): q's components, the architectures,
        the distance, the stress shift and the training settings."""
        dist = {"kind": self.distance_kind} | ({"levels": N_QUANT} if self.distance_kind == "w1" else {})
        return {"q": [list(c) for c in self.comps], "gen1": self.gen1.facts(), "gen2": self.gen2.facts(),
                "disc": self.disc.facts(), "distance": dist, "shift": dict(self.shift),
                "threshold": self.threshold, "plot_floor": self.plot_floor, "lr_g": self.lr_g, "lr_d": self.lr_d, "d_steps": self.d_steps,
                "batch": self.batch}

    def put_off(self, p: dict) -> dict:
        """Gen_1's parameters moved off q on purpose (``shift``), the stress case of (b) and (c):
        Gaussian: b + mean_shift, a * scale_factor; mixture: output d + output_shift."""
        p = {k: np.array(v, copy=True) for k, v in p.items()}
        if self.gaussian:
            p["b"] = p["b"] + self.shift["mean_shift"]
            p["a"] = p["a"] * self.shift["scale_factor"]
        else:
            p["d"] = p["d"] + self.shift["output_shift"]
        return p

    # -- distances -----------------------------------------------------------------------
    def target_of(self, gen, p):
        """A distance target for the distribution of ``gen`` with (one-seed) params ``p``."""
        if self.gaussian:
            m, s = gen.gaussian(p)
            return ("gauss", float(m[0]), float(s[0]))
        return ("quant", np.sort(gen.sample(p, Z_GRID[None, :])[0]))

    def q_target(self):
        if self.gaussian:
            _, m, s = self.comps[0]
            return ("gauss", m, s)
        return ("quant", self.q_quantiles())

    def distance(self, gen, p, target):
        """Per-seed distance of p_gen to the target (NaN where not finite). A target's values
        may be one per seed (arrays with a leading seed axis)."""
        return self.distances(gen, p, {"d": target})["d"]

    def distances(self, gen, p, targets: dict) -> dict:
        """{name: :meth:`distance` to that target}, p_gen's parameters or quantiles computed once."""
        out = {}
        with np.errstate(all="ignore"):
            if self.gaussian:
                m, s = gen.gaussian(p)
            else:
                qs = np.sort(gen.sample(p, np.broadcast_to(Z_GRID, (p_seeds(p), N_QUANT))), axis=1)
            for name, target in targets.items():
                if target[0] == "gauss":
                    d = np.maximum(gg.gaussian_kl(m, s, target[1], target[2]), 0.0)  # no -1e-17
                else:
                    d = np.mean(np.abs(qs - target[1]), axis=1)
                d = np.asarray(d, dtype=float)
                out[name] = np.where(np.isfinite(d), d, np.nan)
        return out

    def kl_rounding_bound(self, gen, p, target):
        """Per seed: a bound on the rounding error of the closed-form Gaussian KL that
        :meth:`distance` evaluates, KL = ln(s_t/s) + (s^2 + (m - m_t)^2)/(2 s_t^2) - 1/2: each of its
        four terms and their sum carry a relative error of a few units of roundoff u = 2^-53, so
        the error is at most 8 u times the sum of the terms' magnitudes. A computed KL at or below
        this (it is clipped at 0) is zero to rounding error. ``target`` is a ("gauss", m, s)."""
        m, s = gen.gaussian(p)
        mt, st = target[1], target[2]
        terms = (np.abs(np.log(st / s)), s ** 2 / (2 * st ** 2), (m - mt) ** 2 / (2 * st ** 2), 0.5)
        return 8 * np.finfo(float).eps / 2 * sum(terms)

    def density(self, gen, p, x):
        """Density of p_gen on the grid x (exact for Gaussians, else a kernel estimate)."""
        if self.gaussian:
            m, s = gen.gaussian(p)
            return _npdf(x, m[0], s[0])
        samples = gen.sample(p, Z_GRID[None, :])[0]
        return np.mean(_npdf(x[:, None], samples[None, :], KDE_BANDWIDTH), axis=1)

    def support(self, x):
        """Boolean mask of x where q is at least support_level of its maximum."""
        qx = self.q_pdf(x)
        return qx >= self.support_level * qx.max()


def p_seeds(p: dict) -> int:
    return p[next(iter(p))].shape[0]


def gaussian_case() -> Case:
    return Case(name="gaussian", comps=((1.0, 1.0, 0.5),),
                gen1=AffineGen(), gen2=LogScaleGen(), disc=QuadraticDisc(),
                distance_kind="kl", threshold=0.02, shift={"mean_shift": 0.2, "scale_factor": 1.2},
                plot_floor=1e-8,
                x_range=(-2.5, 4.5), lr_g=0.01, lr_d=0.03, d_steps=3, batch=128)


def mixture_case() -> Case:
    return Case(name="mixture", comps=((0.5, -1.5, 0.4), (0.5, 1.5, 0.4)),
                gen1=TanhMLP(width=16), gen2=TanhMLP(width=32), disc=TanhMLP(width=32),
                distance_kind="w1", threshold=0.15, shift={"output_shift": 0.25}, plot_floor=1e-3,
                x_range=(-4.5, 4.5), lr_g=0.005, lr_d=0.02, d_steps=2, batch=128)


CASES = {"gaussian": gaussian_case, "mixture": mixture_case}

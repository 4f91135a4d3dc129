"""Training loops for the GAN experiments: Adam, alternating GAN updates, regression.

All seeds train at once (parameters carry a leading seed axis). A seed whose parameters or
gradients stop being finite is *diverged*: its parameters are frozen at their last finite
value, the step is recorded, its distances become NaN, and the other seeds go on.

Both players use Adam (Kingma and Ba 2015) from :mod:`numeric.optim`, with beta1 = 0.5;
a learning-rate schedule scales its updates (:func:`scaled`).

GAN step (alternating, non-saturating generator loss; Goodfellow et al. 2014, Sec. 3)::

    D: descend  -ln D(x_real) - ln(1 - D(G(z)))          (d_steps times)
    G: descend  -ln D(G(z))                              (or ln(1 - D(G(z))), "minimax")
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from numeric.gan import grads as gg
from numeric.optim import GradientTransformation, adam, tree_map

__all__ = ["gan_adam", "scaled", "seedwise", "Tracker", "train_gan", "train_regression", "gen_grad", "disc_grad"]


def gan_adam(lr: float) -> GradientTransformation:
    """Adam with beta1 = 0.5 (Radford et al. 2016), beta2 = 0.999, eps = 1e-8 (:func:`numeric.optim.adam`)."""
    return adam(lr, b1=0.5, b2=0.999, eps=1e-8)


def scaled(updates: dict, factor: float) -> dict:
    """The updates times a learning-rate factor (a schedule applied after the optimizer)."""
    return updates if factor == 1.0 else tree_map(lambda u: factor * u, updates)


def seedwise(opt: GradientTransformation, factor: np.ndarray) -> GradientTransformation:
    """``opt`` with the updates of seed k multiplied by factor[k] (0: that seed's player is frozen;
    several variants stacked along the seed axis train as one)."""
    def update(g, state, params=None):
        upd, state = opt.update(g, state, params)
        return tree_map(lambda u: u * factor.reshape((-1,) + (1,) * (u.ndim - 1)), upd), state
    return GradientTransformation(opt.init, update)


@dataclass
class Tracker:
    """Which seeds are alive; the step at which each diverged one was stopped."""

    S: int
    alive: np.ndarray = field(init=False)
    died: dict = field(default_factory=dict)

    def __post_init__(self):
        self.alive = np.ones(self.S, dtype=bool)

    def apply(self, params: dict, upd: dict, step: int) -> None:
        """params += upd for live seeds whose new values are finite; others are frozen."""
        new = {k: params[k] + u for k, u in upd.items()}
        if self.alive.all() and all(np.isfinite(v).all() for v in new.values()):
            params.update(new)                     # the common case: every seed fine
            return
        ok = self.alive.copy()
        for v in new.values():
            ok &= np.isfinite(v).reshape(self.S, -1).all(axis=1)
        for i in np.flatnonzero(self.alive & ~ok):
            self.died[int(i)] = int(step)
        self.alive &= ok
        for k, v in new.items():
            mask = self.alive.reshape((-1,) + (1,) * (v.ndim - 1))
            params[k] = np.where(mask, v, params[k])


def disc_grad(disc, pd, x_real, x_fake):
    """Gradient of the batch mean of -ln D(x_real) - ln(1 - D(x_fake)) (gan.logit_loss_grads)."""
    d_real = gg.logit_loss_grads(disc.logit(pd, x_real))[0]
    d_fake = gg.logit_loss_grads(disc.logit(pd, x_fake))[1]
    gr, gf = disc.grad(pd, x_real, d_real), disc.grad(pd, x_fake, d_fake)
    return {k: gr[k] + gf[k] for k in gr}


def gen_grad(gen, pg, disc, pd, z, loss: str = "nonsat"):
    """Gradient of the batch mean generator loss: chain rule dl/dh * dh/dx * dG/dtheta."""
    x = gen.sample(pg, z)
    dl_dh = gg.logit_loss_grads(disc.logit(pd, x))[0 if loss == "nonsat" else 2]
    return gen.grad(pg, z, dl_dh * disc.dx(pd, x))


def _schedule(step: int, steps: int, decay: bool) -> float:
    """Learning-rate factor: constant, or linear decay to 10% (used to settle an equilibrium)."""
    return 1.0 - 0.9 * step / steps if decay else 1.0


def train_gan(gen, pg, disc, pd, *, draw: Callable, steps: int, batch: int, rng,
              opt_g: GradientTransformation, opt_d: GradientTransformation, d_steps: int = 1, record: Callable | None = None,
              record_every: int = 1, decay: bool = False, fault: tuple | None = None,
              tick: Callable | None = None):
    """Alternating GAN training of all seeds at once; returns (pg, pd, tracker, records).

    draw(rng, S, n) -> (x_real, z): the real batch and the noise the generator uses (in
    scenario c the real batch is Gen_1 of that same z). record(step, pg, pd, alive) -> dict of
    per-seed arrays, called at step 0, every record_every steps and at the end.
    fault=(step, seeds) poisons those seeds' generator gradient with NaN (tests of divergence).
    """
    S = pg[next(iter(pg))].shape[0]
    tr, sg, sd = Tracker(S), opt_g.init(pg), opt_d.init(pd)
    records = []
    for t in range(steps + 1):
        if record and (t % record_every == 0 or t == steps):
            records.append((t, record(t, pg, pd, tr.alive)))
        if t == steps:
            break
        lr = _schedule(t, steps, decay)
        for _ in range(d_steps):
            x_real, z = draw(rng, S, batch)
            upd, sd = opt_d.update(disc_grad(disc, pd, x_real, gen.sample(pg, z)), sd)
            tr.apply(pd, scaled(upd, lr), t)
        gr = gen_grad(gen, pg, disc, pd, z)
        if fault and fault[0] == t:
            gr = {k: g.copy() for k, g in gr.items()}
            for g in gr.values():
                g[fault[1]] = np.nan
        upd, sg = opt_g.update(gr, sg)
        tr.apply(pg, scaled(upd, lr), t)
        if tick:
            tick()
    return pg, pd, tr, records


def train_regression(gen, pg, target: Callable, *, steps: int, batch: int, rng, opt: GradientTransformation,
                     record: Callable | None = None, record_every: int = 1, tick=None, noise: Callable | None = None):
    """Fit gen(z) to target(z) on shared noise: descend the batch mean of (gen(z) - target(z))^2.
    noise(rng, S, n) -> (z,): the noise of a step (default: standard normal, one row per seed)."""
    S = pg[next(iter(pg))].shape[0]
    tr, st, records = Tracker(S), opt.init(pg), []
    for t in range(steps + 1):
        if record and (t % record_every == 0 or t == steps):
            records.append((t, record(t, pg, None, tr.alive)))
        if t == steps:
            break
        z, = noise(rng, S, batch) if noise else (rng.standard_normal((S, batch)),)
        up = gg.regression_grad(gen.sample(pg, z), target(z))
        upd, st = opt.update(gen.grad(pg, z, up), st)
        tr.apply(pg, upd, t)
        if tick:
            tick()
    return pg, tr, records

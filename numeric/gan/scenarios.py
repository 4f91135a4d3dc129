"""The scenarios 4.1.a, 4.1.b, 4.1.c for one case, on top of a pretrained (Gen_1, Disc_1).

Every variant trains all seeds at once; seed k of two compared variants shares Gen_2's
initialisation and the random stream (paired comparison). Curves record the distance of
p_Gen2 to q (and to p_1 in b and c) every ``record_every`` steps.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numeric.gan.cases import Z_GRID, p_seeds
from numeric.gan.models import copy_params, tile
from numeric.gan.train import disc_grad, gan_adam, scaled, gen_grad, train_gan, train_regression
from numeric.gan.verdicts import confirmed_step

__all__ = ["Settings", "pretrain", "scenario_a", "scenario_b", "scenario_c", "summarise"]


@dataclass(frozen=True)
class Settings:
    seed: int = 0
    seeds: int = 5
    steps: int = 1500
    pre_steps: int = 3000
    polish_steps: int = 500
    record_every: int = 30
    quick: bool = False
    fault: tuple | None = None     # (case, variant, step, seed): inject NaN (tests)


def _rng(st: Settings, *key) -> np.random.Generator:
    words = [st.seed] + [sum(ord(ch) * 31 ** i for i, ch in enumerate(str(k))) % (2 ** 32) for k in key]
    return np.random.default_rng(np.random.SeedSequence(words))


def _opts(case):
    return gan_adam(case.lr_g), gan_adam(case.lr_d)


def _fault(st, case, variant):
    f = st.fault
    return (f[2], f[3]) if f and f[0] == case.name and f[1] == variant else None


def pretrain(case, st: Settings, tick=None):
    """(Gen_1, Disc_1) trained on q to equilibrium (learning rate decayed), then Disc_1
    polished against the fixed Gen_1 so it is close to D*_{Gen_1} = q/(q + p_1)."""
    rng = _rng(st, case.name, "pretrain")
    p1, d1 = case.gen1.init(rng, 1), case.disc.init(rng, 1)
    opt_g, opt_d = _opts(case)
    draw = lambda r, S, n: (case.q_sample(r, S, n), r.standard_normal((S, n)))
    p1, d1, _, _ = train_gan(case.gen1, p1, case.disc, d1, draw=draw, steps=st.pre_steps,
                             batch=case.batch, rng=rng, opt_g=opt_g, opt_d=opt_d,
                             d_steps=case.d_steps, decay=True, tick=tick)
    opt = gan_adam(case.lr_d / 3)
    sd = opt.init(d1)
    for t in range(st.polish_steps):
        x_real, z = draw(rng, 1, case.batch)
        upd, sd = opt.update(disc_grad(case.disc, d1, x_real, case.gen1.sample(p1, z)), sd)
        upd = scaled(upd, 1.0 - 0.9 * t / st.polish_steps)
        if all(np.isfinite(u).all() for u in upd.values()):   # a non-finite step is skipped
            for k in d1:
                d1[k] = d1[k] + upd[k]
        if tick:
            tick()
    return p1, d1


def _recorder(case, gen, targets: dict):
    def record(t, pg, pd, alive):
        out = {}
        for name, target in targets.items():
            dist = case.distance(gen, pg, target)
            out[name] = np.where(alive, dist, np.nan)
        return out
    return record


def _q_draw(case):
    return lambda r, S, n: (case.q_sample(r, S, n), r.standard_normal((S, n)))


def _gen1_draw(case, p1, shared: bool):
    def draw(r, S, n):
        z = r.standard_normal((S, n))
        z_real = z if shared else r.standard_normal((S, n))
        return case.gen1.sample(tile(p1, S), z_real), z
    return draw


def _grad_norms(case, p2, disc, pd, rng, n=4096):
    """Per-seed |E_z grad| of Gen_2's minimax and non-saturating losses against ``pd``."""
    z = rng.standard_normal((p2[next(iter(p2))].shape[0], n))
    out = {}
    for loss in ("minimax", "nonsat"):
        g = gen_grad(case.gen2, p2, disc, pd, z, loss=loss)
        out[loss] = np.sqrt(sum(np.sum(v.reshape(v.shape[0], -1) ** 2, axis=1) for v in g.values()))
    return out


def _towards_q(case, p2, disc, pd, h: float = 1e-6) -> list:
    """Per seed: the cosine between how Gen_2's first (non-saturating) gradient step moves its
    samples and the direction towards q. The samples x_i = Gen_2(z_i) on the stratified noise
    grid move, to first order, by dx_i = (Gen_2 with theta - h g/|g|)(z_i) - x_i, divided by h
    (g the gradient on the same grid); the direction towards q is the 1-D optimal transport
    displacement u_i = F_q^{-1}(F_{p_2}(x_i)) - x_i (each sample to the quantile of q of its rank).
    cos = <dx, u>/(|dx| |u|): 1 moves every sample straight towards q, -1 straight away."""
    S = p_seeds(p2)
    z = np.broadcast_to(Z_GRID, (S, len(Z_GRID)))
    g = gen_grad(case.gen2, p2, disc, pd, z, loss="nonsat")
    norm = np.sqrt(sum(np.sum(v.reshape(S, -1) ** 2, axis=1) for v in g.values()))
    step = {k: v - h * g[k] / norm.reshape((S,) + (1,) * (v.ndim - 1)) for k, v in p2.items()}
    x = case.gen2.sample(p2, z)
    dx = (case.gen2.sample(step, z) - x) / h
    order = np.argsort(x, axis=1)
    u = np.empty_like(x)
    np.put_along_axis(u, order, case.q_quantiles()[None, :] - np.take_along_axis(x, order, axis=1), axis=1)
    cos = np.sum(dx * u, axis=1) / (np.linalg.norm(dx, axis=1) * np.linalg.norm(u, axis=1))
    return [float(c) for c in cos]


def _mass_off_support(case, p2) -> list:
    """Per seed: the share of the untrained Gen_2's mass where q is below its support level,
    int_{q < level max q} p_2 dx / int p_2 dx on a grid (p_2's density as in the figures)."""
    x = np.linspace(case.x_range[0] - 6, case.x_range[1] + 6, 3001)
    off = ~case.support(x)
    out = []
    for k in range(p_seeds(p2)):
        px = case.density(case.gen2, {n: v[k:k + 1] for n, v in p2.items()}, x)
        out.append(float(np.sum(px[off]) / np.sum(px)))
    return out


def scenario_a(case, st: Settings, p1, d1, tick=None) -> dict:
    """Gen_2 with the discriminator warm-started from Disc_1 vs a fresh one (and, for contrast,
    against Disc_1 frozen)."""
    S, q = st.seeds, case.q_target()
    init_rng = _rng(st, case.name, "a", "init")
    p2_init, fresh_init = case.gen2.init(init_rng, S), case.disc.init(init_rng, S)
    runs, extra = {}, {"init_off_support": _mass_off_support(case, p2_init)}
    for variant, pd0 in (("warm", tile(d1, S)), ("fresh", fresh_init), ("frozen", tile(d1, S))):
        if variant != "frozen":
            extra[f"grad_{variant}"] = _grad_norms(case, copy_params(p2_init), case.disc, pd0,
                                                   _rng(st, case.name, "a", "grad"))
            extra[f"towards_q_{variant}"] = _towards_q(case, copy_params(p2_init), case.disc, pd0)
        opt_g, opt_d = _opts(case)
        if variant == "frozen":                       # Disc_1 kept fixed: Gen_2 chases argmax Disc_1
            opt_d = gan_adam(0.0)
        pg, pd, tr, rec = train_gan(case.gen2, copy_params(p2_init), case.disc, copy_params(pd0),
                                    draw=_q_draw(case), steps=st.steps, batch=case.batch,
                                    rng=_rng(st, case.name, "a", "train"), opt_g=opt_g, opt_d=opt_d,
                                    d_steps=case.d_steps, record=_recorder(case, case.gen2, {"to_q": q}),
                                    record_every=st.record_every, fault=_fault(st, case, variant),
                                    tick=tick)
        runs[variant] = dict(records=rec, died=tr.died, params=pg, disc=pd, target="to_q")
    return dict(runs=runs, extra=extra)


def scenario_b(case, st: Settings, p1_off, tick=None, shared: bool = False, tag: str = "b") -> dict:
    """(Gen_2, Disc_2) from scratch on samples of the (off-q) Gen_1 instead of real data."""
    S = st.seeds
    targets = {"to_q": case.q_target(), "to_p1": case.target_of(case.gen1, p1_off)}
    init_rng = _rng(st, case.name, "bc", "init")          # b and c share Gen_2's initialisation
    p2, pd = case.gen2.init(init_rng, S), case.disc.init(init_rng, S)
    opt_g, opt_d = _opts(case)
    variant = "shared_noise_gan" if shared else "gan_on_gen1"
    pg, pd, tr, rec = train_gan(case.gen2, p2, case.disc, pd, draw=_gen1_draw(case, p1_off, shared),
                                steps=st.steps, batch=case.batch, rng=_rng(st, case.name, "bc", "train"),
                                opt_g=opt_g, opt_d=opt_d, d_steps=case.d_steps,
                                record=_recorder(case, case.gen2, targets), record_every=st.record_every,
                                fault=_fault(st, case, variant), tick=tick)
    return dict(records=rec, died=tr.died, params=pg, disc=pd, target="to_p1")


def scenario_c(case, st: Settings, p1_off, b_run=None, tick=None) -> dict:
    """Shared noise: GAN on pairs (Gen_1(z), Gen_2(z)), and regression of Gen_2(z) on Gen_1(z)."""
    S = st.seeds
    b_run = b_run or scenario_b(case, st, p1_off, tick)
    shared = scenario_b(case, st, p1_off, tick, shared=True)
    targets = {"to_q": case.q_target(), "to_p1": case.target_of(case.gen1, p1_off)}
    p2 = case.gen2.init(_rng(st, case.name, "bc", "init"), S)
    target = lambda z: case.gen1.sample(tile(p1_off, S), z)
    pg, tr, rec = train_regression(case.gen2, p2, target, steps=st.steps, batch=case.batch,
                                   rng=_rng(st, case.name, "c", "regression"), opt=gan_adam(case.lr_g),
                                   record=_recorder(case, case.gen2, targets),
                                   record_every=st.record_every, tick=tick)
    runs = {"shared_noise_gan": shared, "gan_on_gen1": b_run,
            "regression": dict(records=rec, died=tr.died, params=pg, disc=None, target="to_p1")}
    noise = {}
    for label, p_state, d_state in (("start", case.gen2.init(_rng(st, case.name, "bc", "init"), S),
                                     case.disc.init(_rng(st, case.name, "bc", "init"), S)),
                                    ("end", shared["params"], shared["disc"])):
        noise[label] = _disc_grad_variance(case, p1_off, p_state, d_state, _rng(st, case.name, "c", "var"))
    return dict(runs=runs, extra={"disc_grad_var": noise})


def _disc_grad_variance(case, p1, p2, pd, rng, reps: int = 64):
    """Mean over seeds of the total variance of the discriminator's minibatch gradient, with
    independent and with shared noise (same parameters, same expected gradient)."""
    out = {}
    S = p2[next(iter(p2))].shape[0]
    for shared in (False, True):
        draw = _gen1_draw(case, p1, shared)
        gs = []
        for _ in range(reps):
            x_real, z = draw(rng, S, case.batch)
            g = disc_grad(case.disc, pd, x_real, case.gen2.sample(p2, z))
            gs.append(np.concatenate([v.reshape(S, -1) for v in g.values()], axis=1))
        gs = np.stack(gs)                      # (reps, S, P)
        out["shared" if shared else "independent"] = float(np.nanmean(np.sum(np.var(gs, axis=0), axis=1)))
    return out


def summarise(run: dict, threshold: float) -> dict:
    """Curves (median, min and max at each recorded step over live seeds), finals, steps to
    threshold (reached and staying there: :func:`numeric.gan.verdicts.confirmed_step`)."""
    steps = [t for t, _ in run["records"]]
    names = run["records"][0][1].keys()
    out = {"step": steps}
    for name in names:
        arr = np.array([r[name] for _, r in run["records"]])          # (T, S)
        with np.errstate(all="ignore"), _quiet():
            out[name] = {"median": np.nanmedian(arr, axis=1), "lo": np.nanmin(arr, axis=1),
                         "hi": np.nanmax(arr, axis=1)}
        out[f"final_{name}"] = arr[-1]
    target = np.array([r[run["target"]] for _, r in run["records"]])
    out["steps_to_threshold"] = [confirmed_step(steps, target[:, k], threshold) for k in range(target.shape[1])]
    out["diverged"] = [{"seed": k, "step": t} for k, t in sorted(run["died"].items())]
    return out


class _quiet:
    """Silence numpy's all-NaN-slice warnings (a step where every seed diverged)."""

    def __enter__(self):
        import warnings
        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        return self._w.__exit__(*exc)

"""The scenarios 4.1.a, 4.1.b, 4.1.c for one case, on top of a pretrained (Gen_1, Disc_1).

Every variant trains all seeds at once; seed k of two compared variants shares Gen_2's
initialisation and the random stream (paired comparison), so the variants of one scenario train
as one stack along the seed axis (variant j's seeds are rows j S .. j S + S - 1; every operation
is row by row, so each row's numbers are those of the variant trained alone). Curves record the
distance of p_Gen2 to q (and to p_1 in b and c) every ``record_every`` steps.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numeric.gan.cases import Z_GRID, p_seeds
from numeric.gan.models import copy_params, tile
from numeric.gan.train import disc_grad, gan_adam, scaled, seedwise, gen_grad, train_gan, train_regression
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


def _stack(ps: list) -> dict:
    """Parameter dicts concatenated along the seed axis (variant j's seeds are rows j S .. j S + S - 1)."""
    return {k: np.concatenate([p[k] for p in ps]) for k in ps[0]}


def _rows(j: int, S: int) -> slice:
    return slice(j * S, (j + 1) * S)


def _stack_targets(targets: list) -> tuple:
    """One distance target per variant (:meth:`Case.target_of`) as one target per stacked seed."""
    if targets[0][0] == "gauss":
        return ("gauss", *(np.array([t[i] for t in targets]) for i in (1, 2)))
    return ("quant", np.stack([t[1] for t in targets]))


def _recorder(case, gen, targets: dict, S: int):
    """record(t, pg, pd, alive) -> {name: per-seed distance}; a target may hold one value per
    variant (:func:`_stack_targets`), repeated for its S seeds."""
    def per_seed(target):
        if isinstance(target[1], np.ndarray) and target[1].ndim == (1 if target[0] == "gauss" else 2):
            return (target[0], *(np.repeat(a, S, axis=0) for a in target[1:]))
        return target
    targets = {name: per_seed(t) for name, t in targets.items()}

    def record(t, pg, pd, alive):
        dist = case.distances(gen, pg, targets)
        return {name: np.where(alive, d, np.nan) for name, d in dist.items()}
    return record


def _shared_stream(draw, k: int):
    """``draw(rng, S, n)`` for k variants that share the random stream: drawn once for S seeds,
    the same draws for every variant (stacked along the seed axis)."""
    def stacked(r, kS, n):
        return tuple(np.tile(a, (k, 1)) for a in draw(r, kS // k, n))
    return stacked


def _q_draw(case):
    return lambda r, S, n: (case.q_sample(r, S, n), r.standard_normal((S, n)))


def _gen1_draw(case, p1s: list, shared: bool):
    """(Gen_1(z_real), z) for k variants of Gen_1 (``p1s``, one-seed params each) that share the
    random stream: z_real = z with shared noise (scenario c), an independent draw otherwise."""
    k = len(p1s)

    def draw(r, kS, n):
        S = kS // k
        z = r.standard_normal((S, n))
        z_real = z if shared else r.standard_normal((S, n))
        gen1 = _stack([tile(p1, S) for p1 in p1s])
        return case.gen1.sample(gen1, np.tile(z_real, (k, 1))), np.tile(z, (k, 1))
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


def _fault_rows(st, case, blocks: list, S: int):
    """train_gan's fault (step, rows) for the Settings' fault (case, variant, step, seed): that
    seed in every block of S stacked seeds that trains ``variant`` (``blocks``: one name per block)."""
    f = st.fault
    rows = [j * S + f[3] for j, v in enumerate(blocks) if v == f[1]] if f and f[0] == case.name else []
    return (f[2], rows) if rows else None


def _unstack(variants, S, pg, pd, tr, rec, target: str) -> dict:
    """The stacked training's outcome as one run per variant (params, records, diverged seeds)."""
    runs = {}
    for j, v in enumerate(variants):
        rows = _rows(j, S)
        runs[v] = dict(records=[(t, {n: d[rows] for n, d in r.items()}) for t, r in rec],
                       died={i - j * S: step for i, step in tr.died.items() if rows.start <= i < rows.stop},
                       params={k: a[rows] for k, a in pg.items()},
                       disc=None if pd is None else {k: a[rows] for k, a in pd.items()}, target=target)
    return runs


def scenario_a(case, st: Settings, p1, d1, tick=None) -> dict:
    """Gen_2 with the discriminator warm-started from Disc_1 vs a fresh one (and, for contrast,
    against Disc_1 frozen). The three variants share Gen_2's initialisation and the random
    stream, so they train as one stack of 3 S seeds (the frozen one with its discriminator's
    updates multiplied by 0)."""
    S, q = st.seeds, case.q_target()
    init_rng = _rng(st, case.name, "a", "init")
    p2_init, fresh_init = case.gen2.init(init_rng, S), case.disc.init(init_rng, S)
    extra = {"init_off_support": _mass_off_support(case, p2_init)}
    starts = {"warm": tile(d1, S), "fresh": fresh_init, "frozen": tile(d1, S)}
    for variant in ("warm", "fresh"):
        extra[f"grad_{variant}"] = _grad_norms(case, copy_params(p2_init), case.disc, starts[variant],
                                               _rng(st, case.name, "a", "grad"))
        extra[f"towards_q_{variant}"] = _towards_q(case, copy_params(p2_init), case.disc, starts[variant])
    variants = list(starts)
    opt_g, opt_d = _opts(case)
    learns = np.repeat([float(v != "frozen") for v in variants], S)  # frozen: Disc_1 kept, Gen_2 chases argmax Disc_1
    pg, pd, tr, rec = train_gan(case.gen2, _stack([p2_init] * len(variants)), case.disc,
                                _stack([starts[v] for v in variants]),
                                draw=_shared_stream(_q_draw(case), len(variants)), steps=st.steps,
                                batch=case.batch, rng=_rng(st, case.name, "a", "train"), opt_g=opt_g,
                                opt_d=seedwise(opt_d, learns), d_steps=case.d_steps,
                                record=_recorder(case, case.gen2, {"to_q": q}, S), record_every=st.record_every,
                                fault=_fault_rows(st, case, variants, S), tick=tick)
    return dict(runs=_unstack(variants, S, pg, pd, tr, rec, "to_q"), extra=extra)


def _targets(case, p1s: dict) -> dict:
    return {"to_q": case.q_target(), "to_p1": _stack_targets([case.target_of(case.gen1, p) for p in p1s.values()])}


def scenario_b(case, st: Settings, p1s: dict, tick=None, shared: bool = False) -> dict:
    """(Gen_2, Disc_2) from scratch on samples of each Gen_1 of ``p1s`` ({variant: params},
    moved off q or not) instead of real data: {variant: run}. The variants share Gen_2's
    initialisation and the random stream, so they train as one stack."""
    S, variants = st.seeds, list(p1s)
    init_rng = _rng(st, case.name, "bc", "init")          # b and c share Gen_2's initialisation
    p2, pd = case.gen2.init(init_rng, S), case.disc.init(init_rng, S)
    opt_g, opt_d = _opts(case)
    name = "shared_noise_gan" if shared else "gan_on_gen1"
    pg, pd, tr, rec = train_gan(case.gen2, _stack([p2] * len(variants)), case.disc, _stack([pd] * len(variants)),
                                draw=_gen1_draw(case, list(p1s.values()), shared), steps=st.steps,
                                batch=case.batch, rng=_rng(st, case.name, "bc", "train"), opt_g=opt_g,
                                opt_d=opt_d, d_steps=case.d_steps, record=_recorder(case, case.gen2, _targets(case, p1s), S),
                                record_every=st.record_every,
                                fault=_fault_rows(st, case, [name] * len(variants), S), tick=tick)
    return _unstack(variants, S, pg, pd, tr, rec, "to_p1")


def scenario_c(case, st: Settings, p1s: dict, tick=None) -> dict:
    """Shared noise: GAN on pairs (Gen_1(z), Gen_2(z)), and regression of Gen_2(z) on Gen_1(z),
    for each Gen_1 of ``p1s``: {variant: {"runs", "extra"}} (scenario b's run, the GAN on
    independent noise, is added by the caller)."""
    S, variants = st.seeds, list(p1s)
    shared = scenario_b(case, st, p1s, tick, shared=True)
    p2 = case.gen2.init(_rng(st, case.name, "bc", "init"), S)
    gen1 = _stack([tile(p, S) for p in p1s.values()])
    target = lambda z: case.gen1.sample(gen1, z)
    pg, tr, rec = train_regression(case.gen2, _stack([p2] * len(variants)), target, steps=st.steps,
                                   batch=case.batch, rng=_rng(st, case.name, "c", "regression"),
                                   opt=gan_adam(case.lr_g), record=_recorder(case, case.gen2, _targets(case, p1s), S),
                                   record_every=st.record_every, tick=tick,
                                   noise=_shared_stream(lambda r, S_, n: (r.standard_normal((S_, n)),), len(variants)))
    regression = _unstack(variants, S, pg, None, tr, rec, "to_p1")
    out = {}
    for v, p1 in p1s.items():
        noise = {}
        for label, p_state, d_state in (("start", case.gen2.init(_rng(st, case.name, "bc", "init"), S),
                                         case.disc.init(_rng(st, case.name, "bc", "init"), S)),
                                        ("end", shared[v]["params"], shared[v]["disc"])):
            noise[label] = _disc_grad_variance(case, p1, p_state, d_state, _rng(st, case.name, "c", "var"))
        out[v] = dict(runs={"shared_noise_gan": shared[v], "regression": regression[v]},
                      extra={"disc_grad_var": noise})
    return out


def _disc_grad_variance(case, p1, p2, pd, rng, reps: int = 64):
    """The total variance of the discriminator's minibatch gradient, with independent and with
    shared noise (same parameters, same expected gradient): its mean over the seeds
    (``independent``, ``shared``) and each seed's value (``independent_seeds``, ``shared_seeds``)."""
    out = {}
    S = p2[next(iter(p2))].shape[0]
    for shared in (False, True):
        draw = _gen1_draw(case, [p1], shared)
        gs = []
        for _ in range(reps):
            x_real, z = draw(rng, S, case.batch)
            g = disc_grad(case.disc, pd, x_real, case.gen2.sample(p2, z))
            gs.append(np.concatenate([v.reshape(S, -1) for v in g.values()], axis=1))
        gs = np.stack(gs)                      # (reps, S, P)
        per_seed = np.sum(np.var(gs, axis=0), axis=1)      # (S,)
        key = "shared" if shared else "independent"
        out[key], out[f"{key}_seeds"] = float(np.nanmean(per_seed)), [float(v) for v in per_seed]
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

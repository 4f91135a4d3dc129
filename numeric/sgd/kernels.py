"""The compiled training loop: minibatch SGD / heavy ball on one objective, one run per call.

The loop is numba-compiled around the numba versions of the lambdified loss ell(m, y) and
gradient coefficient c(m, y) of :mod:`numeric.sgd.problem`, so the n' = 1 inner loop runs at C
speed. Its source, :mod:`numeric.sgd.loops` followed by ell and c, is one generated module per
objective that numba caches on disk (:func:`compiled`): it compiles once per machine. Per step, with B the next n' indices of the current shuffle:

    g = (1/n') sum_{i in B} c(x_i^T w, y_i) x_i + lambda w
    SGD:        w <- w - alpha g
    heavy ball: v <- beta v + g,  w <- w - alpha v        (velocity form, v_0 = 0; for a
                constant alpha equal to w - alpha g + beta (w - w_prev): derive ``sgd.heavy_ball``)

Sampling is without replacement: a fresh shuffle of 0..n-1 at the start of every epoch (numba's
own splitmix64 generator, seeded per run; :func:`epoch_orders` replays it); a remainder of fewer than n'
indices is dropped. Full batch (n' = n, GD) runs in NumPy (:func:`full_batch`): there BLAS and
NumPy's vectorised exp beat a scalar loop, and F(w) comes for free from the step's margins.
F is evaluated every ``check_every`` steps (one :class:`Spec` holds a run's settings): the relative gap
(F - F*)/(F(w0) - F*) is recorded; the convergence step is the first check after which the gap
stays <= ``target`` to the end of the run, confirmed by a window of further steps (:func:`stop_rule`);
a gap above ``div_gap`` or not finite marks the run diverged and stops it. With ``t0`` > 0 the
step decreases, alpha_t = alpha_0 / (1 + t/t0) (Bottou, Curtis and Nocedal 2018, Thm. 4.7).
These are the same update rules as :mod:`numeric.optim` (tested to agree).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from numeric.sgd.loops import CONTINUE, DIVERGED, DONE, PRUNED, STALLED  # the verdicts of the stopping rule

__all__ = ["Spec", "compiled", "kernel", "stop_rule", "full_batch", "run_once", "epoch_orders", "seed_state", "RunOut",
           "CONTINUE", "DONE", "DIVERGED", "STALLED", "PRUNED"]


class Spec(NamedTuple):
    """The settings of one run, one record (numba accepts a NamedTuple as an argument).

    alpha, beta, momentum: the update; t0: a decreasing step alpha_t = alpha / (1 + t/t0)
    (0: constant); batch: n'; max_steps: the budget; min_steps: run at least this long
    (learning curves); check_every: F is evaluated every this many steps (0: never); state:
    the generator state (:func:`seed_state`); f_star, gap0: the gap is (F - f_star) / gap0;
    target: converged at gap <= target; div_gap: diverged above it; patience: stop a plateau
    after this many checks without a 10% improvement (0: never); window, window_frac: the
    confirmation window after the gap reaches the target, max(window, window_frac * step)
    steps; prune_step: stop once no convergence at or before this step is possible (tuning).
    """

    alpha: float
    beta: float
    momentum: bool
    t0: float
    batch: int
    max_steps: int
    min_steps: int
    check_every: int
    state: np.uint64
    f_star: float
    gap0: float
    target: float
    div_gap: float
    patience: int
    window: int
    window_frac: float
    prune_step: int




class RunOut:
    """Result of one run: gaps (per check, NaN after the run stopped), conv_step (the confirmed
    convergence step, -1: none), first_hit (the first check with gap <= target, -1: none),
    diverged, steps_done, w, stalled (a plateau or a pruned tuning run)."""

    __slots__ = ("gaps", "conv_step", "first_hit", "diverged", "steps_done", "w", "stalled")

    def __init__(self, gaps, conv_step, first_hit, diverged, steps_done, w, stalled):
        self.gaps, self.conv_step, self.first_hit = gaps, int(conv_step), int(first_hit)
        self.diverged, self.steps_done, self.w, self.stalled = bool(diverged), int(steps_done), w, bool(stalled)


@lru_cache(maxsize=None)
def compiled(objective_name: str | None = None):
    """The module of the compiled loops (:mod:`numeric.sgd.loops`) for one objective (None:
    the loops that do not call it), numba-cached on disk (:func:`numeric.jit.load`)."""
    from numeric.jit import load
    from numeric.sgd import loops
    source = Path(loops.__file__).read_text()
    if objective_name is not None:
        from numeric.sgd.problem import objective
        source += "\n\n# the objective, lambdified from its derivation\n" + objective(objective_name).jit_source()
    return load(f"sgd_loops_{(objective_name or 'none').replace('-', '_')}", source)


def seed_state(seed: int) -> np.uint64:
    """The generator state of a run with ``seed``."""
    return np.uint64((int(seed) * 0x2545F4914F6CDD1D + 0x1234567) % 2 ** 64)


def epoch_orders():
    """``orders(seed, n, epochs) -> (epochs, n)`` int64: the shuffles a run with ``seed`` uses
    (Fisher-Yates driven by splitmix64: fast, seeded, the same stream on every platform)."""
    orders = compiled().orders
    return lambda seed, n, epochs: orders(seed_state(seed), n, epochs)


def stop_rule():
    """The compiled stopping rule that both loops call at every check:
    ``rule(gap, t, conv, first, best, since, spec) -> (verdict, conv, first, best, since)``
    and ``confirmed(conv, t, spec) -> conv or -1`` at the end of a run.

    Converged means confirmed: conv is the first check after which every check has gap <=
    ``spec.target`` (a check above it resets conv to -1); the run is DONE once the gap has
    stayed there for the window, t - conv >= max(window, window_frac * conv), and t >=
    ``min_steps``. first is the first check with gap <= target. DIVERGED if the gap is not
    finite or above ``div_gap``; STALLED (``patience`` > 0, no streak) once the best gap has not
    improved by 10% in ``patience`` checks; PRUNED once no streak has begun by ``prune_step``.
    """
    m = compiled()
    return m.rule, m.confirmed


def kernel(objective_name: str):
    """The compiled ``run(X, y, lam, w0, spec) -> (gaps, conv_step, first_hit, diverged,
    steps_done, w, stalled)`` for one objective and minibatches n' < n (``spec`` a :class:`Spec`).

    The run stops at ``spec.max_steps`` or when :func:`stop_rule` says so (diverged, converged
    and at least ``min_steps`` done, or a plateau: the noise floor of a constant step, marked
    ``stalled``).
    """
    return compiled(objective_name).run


def full_batch(problem, w0, spec: Spec):
    """GD / heavy-ball GD (n' = n) in NumPy: X w and X^T c are BLAS calls, the coefficient c and
    the loss are the vectorised lambdified expressions, so one step costs what a hand-written
    NumPy step costs; F(w_t) comes from the margins the step computes anyway. Same outputs
    and the same compiled stopping rule (:func:`stop_rule`) as :func:`kernel`."""
    X, y, lam, obj = problem.X, problem.y, problem.lam, problem.obj
    n, s, (rule, confirmed) = problem.n, spec, stop_rule()
    w, v = w0.copy(), np.zeros_like(w0)
    gaps = np.full(s.max_steps // max(s.check_every, 1) + 1, np.nan)
    conv, first, verdict, best, since, t, last_check = -1, -1, CONTINUE, np.inf, 0, 0, 0
    m = np.empty(n)
    with np.errstate(over="ignore", invalid="ignore"):
        while True:
            check = s.check_every and t % s.check_every == 0
            if not check and t >= s.max_steps:
                break
            np.dot(X, w, out=m)
            if check:
                gap = (np.mean(obj.loss(m, y)) + 0.5 * lam * (w @ w) - s.f_star) / s.gap0
                gaps[t // s.check_every] = gap
                last_check = t
                verdict, conv, first, best, since = rule(float(gap), t, conv, first, best, since, s)
                if verdict != CONTINUE:
                    break
            if t >= s.max_steps:
                break
            g = X.T @ obj.coef(m, y)
            g *= 1.0 / n
            g += lam * w
            alpha = s.alpha / (1.0 + t / s.t0) if s.t0 > 0 else s.alpha
            if s.momentum:
                v *= s.beta
                v += g
                w -= alpha * v
            else:
                w -= alpha * g
            t += 1
    return (gaps, confirmed(conv, last_check, s), first, verdict == DIVERGED, t, w,
            verdict in (STALLED, PRUNED))


def run_once(problem, f_star, *, alpha, beta=0.0, momentum=False, t0=0.0, batch, max_steps, min_steps=0,
             check_every=1, seed=0, target=1e-3, div_gap=1e3, patience=0, window=0, window_frac=0.0,
             prune_step=None, w0=None, gap0=None) -> RunOut:
    """One run on ``problem`` (a :class:`numeric.sgd.problem.Problem`) from w0 (default 0);
    n' = n runs :func:`full_batch`, every other n' the compiled :func:`kernel`. ``gap0``
    (default F(w0) - F*) must be > 0 when ``check_every`` > 0."""
    w0 = np.zeros(problem.d) if w0 is None else np.asarray(w0, dtype=float)
    if gap0 is None:
        gap0 = problem.value(w0) - f_star if check_every else 1.0
    prune = int(max_steps) + 1 if prune_step is None else int(prune_step)
    spec = Spec(float(alpha), float(beta), bool(momentum), float(t0), int(batch), int(max_steps), int(min_steps),
                int(check_every), seed_state(seed), float(f_star), float(gap0), float(target), float(div_gap),
                int(patience), int(window), float(window_frac), prune)
    if batch >= problem.n:
        return RunOut(*full_batch(problem, w0, spec))
    return RunOut(*kernel(problem.obj.name)(problem.X, problem.y, float(problem.lam), w0, spec))

"""The compiled training loop: minibatch SGD / heavy ball on one objective, one run per call.

The loop is numba-compiled around the numba versions (``compile_jit``) of the lambdified loss
ell(m, y) and gradient coefficient c(m, y) of :mod:`numeric.sgd.problem`, so the n' = 1 inner
loop runs at C speed. Per step, with B the next n' indices of the current shuffle:

    g = (1/n') sum_{i in B} c(x_i^T w, y_i) x_i + lambda w
    SGD:        w <- w - alpha g
    heavy ball: v <- beta v + g,  w <- w - alpha v        (velocity form, v_0 = 0; for a
                constant alpha equal to w - alpha g + beta (w - w_prev): derive ``sgd.heavy_ball``)

Sampling is without replacement: a fresh shuffle of 0..n-1 at the start of every epoch (numba's
own splitmix64 generator, seeded per run; :func:`epoch_orders` replays it); a remainder of fewer than n'
indices is dropped. Full batch (n' = n, GD) runs in NumPy (:func:`full_batch`): there BLAS and
NumPy's vectorised exp beat a scalar loop, and F(w) comes for free from the step's margins.
F is evaluated every ``check_every`` steps (one :class:`Spec` holds a run's settings): the relative gap
(F - F*)/(F(w0) - F*) is recorded; the first step where it is <= ``target`` is the convergence
step; a gap above ``div_gap`` or not finite marks the run diverged and stops it.
These are the same update rules as :mod:`numeric.optim` (tested to agree).
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

__all__ = ["Spec", "kernel", "stop_rule", "full_batch", "run_once", "epoch_orders", "seed_state", "RunOut",
           "CONTINUE", "DONE", "DIVERGED", "STALLED"]


class Spec(NamedTuple):
    """The settings of one run, one record (numba accepts a NamedTuple as an argument).

    alpha, beta, momentum: the update; batch: n'; max_steps: the budget; min_steps: run at
    least this long (learning curves); check_every: F is evaluated every this many steps (0:
    never); state: the generator state (:func:`seed_state`); f_star, gap0: the gap is
    (F - f_star) / gap0; target: converged at gap <= target; div_gap: diverged above it;
    patience: stop a plateau after this many checks without a 10% improvement (0: never).
    """

    alpha: float
    beta: float
    momentum: bool
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


# verdicts of one check of the stopping rule (:func:`stop_rule`)
CONTINUE, DONE, DIVERGED, STALLED = 0, 1, 2, 3


class RunOut:
    """Result of one run: gaps (per check, NaN after the run stopped), conv_step (-1: never),
    diverged, steps_done, w."""

    __slots__ = ("gaps", "conv_step", "diverged", "steps_done", "w", "stalled")

    def __init__(self, gaps, conv_step, diverged, steps_done, w, stalled):
        self.gaps, self.conv_step, self.diverged = gaps, int(conv_step), bool(diverged)
        self.steps_done, self.w, self.stalled = int(steps_done), w, bool(stalled)


@lru_cache(maxsize=None)
def _shuffler():
    """``shuffle(order, state) -> state``: Fisher-Yates driven by splitmix64 (fast, seeded,
    the same stream on every platform)."""
    import numba

    @numba.njit(cache=False, inline="always")
    def next_u(state):
        state = state + np.uint64(0x9E3779B97F4A7C15)
        z = state
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
        return state, (z >> np.uint64(11)) * (1.0 / 9007199254740992.0)

    @numba.njit(cache=False)
    def shuffle(order, state):
        for i in range(order.shape[0] - 1, 0, -1):
            state, u = next_u(state)
            j = int(u * (i + 1))
            order[i], order[j] = order[j], order[i]
        return state
    return shuffle


def seed_state(seed: int) -> np.uint64:
    """The generator state of a run with ``seed``."""
    return np.uint64((int(seed) * 0x2545F4914F6CDD1D + 0x1234567) % 2 ** 64)


@lru_cache(maxsize=None)
def epoch_orders():
    """``orders(seed, n, epochs) -> (epochs, n)`` int64: the shuffles a run with ``seed`` uses."""
    import numba
    shuffle = _shuffler()

    @numba.njit(cache=False)
    def orders(state, n, epochs):
        order = np.arange(n)
        out = np.empty((epochs, n), dtype=np.int64)
        for e in range(epochs):
            state = shuffle(order, state)
            out[e] = order
        return out
    return lambda seed, n, epochs: orders(seed_state(seed), n, epochs)


@lru_cache(maxsize=None)
def stop_rule():
    """The compiled stopping rule that both loops call at every check:
    ``rule(gap, t, conv, best, since, spec) -> (verdict, conv, best, since)``.

    verdict DIVERGED if the gap is not finite or above ``spec.div_gap``; conv becomes t at the
    first gap <= ``spec.target``; with ``spec.patience`` > 0 and not yet converged, STALLED once
    the best gap has not improved by 10% in ``patience`` checks; DONE once converged and
    t >= ``spec.min_steps``; else CONTINUE.
    """
    import numba

    @numba.njit(cache=False, nogil=True)
    def rule(gap, t, conv, best, since, spec):
        if not np.isfinite(gap) or gap > spec.div_gap:
            return DIVERGED, conv, best, since
        if conv < 0 and gap <= spec.target:
            conv = t
        if spec.patience > 0 and conv < 0:
            if gap < 0.9 * best:
                best, since = gap, 0
            else:
                since += 1
                if since >= spec.patience:
                    return STALLED, conv, best, since
        if conv >= 0 and t >= spec.min_steps:
            return DONE, conv, best, since
        return CONTINUE, conv, best, since
    return rule


@lru_cache(maxsize=None)
def kernel(objective_name: str):
    """The compiled ``run(X, y, lam, w0, spec) -> (gaps, conv_step, diverged, steps_done, w,
    stalled)`` for one objective and minibatches n' < n (``spec`` a :class:`Spec`).

    The run stops at ``spec.max_steps`` or when :func:`stop_rule` says so (diverged, converged
    and at least ``min_steps`` done, or a plateau: the noise floor of a constant step, marked
    ``stalled``).
    """
    import numba

    from numeric.sgd.problem import objective
    ell, coef = objective(objective_name).jit()
    shuffle = _shuffler()
    rule = stop_rule()

    @numba.njit(cache=False, inline="always")
    def dot(X, i, w, d):
        # four partial sums: no long chain of dependent additions (deterministic order)
        s0 = s1 = s2 = s3 = 0.0
        k = 0
        while k + 4 <= d:
            s0 += X[i, k] * w[k]
            s1 += X[i, k + 1] * w[k + 1]
            s2 += X[i, k + 2] * w[k + 2]
            s3 += X[i, k + 3] * w[k + 3]
            k += 4
        while k < d:
            s0 += X[i, k] * w[k]
            k += 1
        return (s0 + s1) + (s2 + s3)

    @numba.njit(cache=False, nogil=True)
    def full_value(X, y, lam, w):
        n, d = X.shape
        margins = np.dot(X, w)
        s = 0.0
        for i in range(n):
            s += ell(margins[i], y[i])
        return s / n + 0.5 * lam * np.dot(w, w)

    @numba.njit(cache=False, nogil=True)
    def run(X, y, lam, w0, spec):
        n, d = X.shape
        batch, alpha, beta, check_every = spec.batch, spec.alpha, spec.beta, spec.check_every
        w = w0.copy()
        v = np.zeros(d)
        g = np.zeros(d)
        gaps = np.full(spec.max_steps // max(check_every, 1) + 1, np.nan)
        state = spec.state
        order = np.arange(n)
        pos = n
        conv, verdict, best, since = -1, CONTINUE, np.inf, 0
        inv_b = 1.0 / batch
        next_check = 0 if check_every > 0 else -1  # check_every = 0: never (benchmarks)
        t = 0
        while True:
            if t == next_check:
                next_check += check_every
                gap = (full_value(X, y, lam, w) - spec.f_star) / spec.gap0
                gaps[t // check_every] = gap
                verdict, conv, best, since = rule(gap, t, conv, best, since, spec)
                if verdict != CONTINUE:
                    break
            if t >= spec.max_steps:
                break
            if pos + batch > n:
                state = shuffle(order, state)
                pos = 0
            if batch == 1:
                i = order[pos]
                c = coef(dot(X, i, w, d), y[i])
                for k in range(d):
                    g[k] = c * X[i, k]
            else:
                g[:] = 0.0
                for j in range(pos, pos + batch):
                    i = order[j]
                    c = coef(dot(X, i, w, d), y[i])
                    for k in range(d):
                        g[k] += c * X[i, k]
            pos += batch
            if spec.momentum:
                for k in range(d):
                    v[k] = beta * v[k] + (g[k] * inv_b + lam * w[k])
                    w[k] -= alpha * v[k]
            else:
                for k in range(d):
                    w[k] -= alpha * (g[k] * inv_b + lam * w[k])
            t += 1
        return gaps, conv, verdict == DIVERGED, t, w, verdict == STALLED

    return run


def full_batch(problem, w0, spec: Spec):
    """GD / heavy-ball GD (n' = n) in NumPy: X w and X^T c are BLAS calls, the coefficient c and
    the loss are the vectorised lambdified expressions, so one step costs what a hand-written
    NumPy step costs; F(w_t) comes from the margins the step computes anyway. Same outputs
    and the same compiled stopping rule (:func:`stop_rule`) as :func:`kernel`."""
    X, y, lam, obj = problem.X, problem.y, problem.lam, problem.obj
    n, s, rule = problem.n, spec, stop_rule()
    w, v = w0.copy(), np.zeros_like(w0)
    gaps = np.full(s.max_steps // max(s.check_every, 1) + 1, np.nan)
    conv, verdict, best, since, t = -1, CONTINUE, np.inf, 0, 0
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
                verdict, conv, best, since = rule(float(gap), t, conv, best, since, s)
                if verdict != CONTINUE:
                    break
            if t >= s.max_steps:
                break
            g = X.T @ obj.coef(m, y)
            g *= 1.0 / n
            g += lam * w
            if s.momentum:
                v *= s.beta
                v += g
                w -= s.alpha * v
            else:
                w -= s.alpha * g
            t += 1
    return gaps, conv, verdict == DIVERGED, t, w, verdict == STALLED


def run_once(problem, f_star, *, alpha, beta=0.0, momentum=False, batch, max_steps, min_steps=0,
             check_every=1, seed=0, target=1e-3, div_gap=1e3, patience=0, w0=None) -> RunOut:
    """One run on ``problem`` (a :class:`numeric.sgd.problem.Problem`) from w0 (default 0);
    n' = n runs :func:`full_batch`, every other n' the compiled :func:`kernel`."""
    w0 = np.zeros(problem.d) if w0 is None else np.asarray(w0, dtype=float)
    gap0 = problem.value(w0) - f_star if check_every else 1.0
    spec = Spec(float(alpha), float(beta), bool(momentum), int(batch), int(max_steps), int(min_steps),
                int(check_every), seed_state(seed), float(f_star), float(gap0), float(target), float(div_gap),
                int(patience))
    if batch >= problem.n:
        return RunOut(*full_batch(problem, w0, spec))
    return RunOut(*kernel(problem.obj.name)(problem.X, problem.y, float(problem.lam), w0, spec))
